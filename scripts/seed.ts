import { getDatabase } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { runCli } from "./run-cli";

// `npm run db:seed`: add the demo set to the configured database.
runCli(async () => {
  const database = await getDatabase();
  const n = await seedDemo(database.db);
  console.log(
    `nexus: seeded ${n.approvals} approvals, ${n.questions} questions and ${n.metrics} metrics rows into ${database.config.label}`,
  );
});
