import { getDatabase } from "@/db/client";
import { seedDemo, seedEdgeCases } from "@/db/seed";
import { env } from "@/lib/env";
import { runCli } from "./run-cli";

// `npm run db:seed`: add the demo set to the configured database.
runCli(async () => {
  const database = await getDatabase();
  const n = await seedDemo(database.db);
  console.log(
    `nexus: seeded ${n.approvals} approvals, ${n.questions} questions and ${n.metrics} metrics rows into ${database.config.label}`,
  );
  if (env().NEXUS_SEED_BIG) {
    const e = await seedEdgeCases(database.db);
    console.log(
      `nexus: NEXUS_SEED_BIG=1: added ${e.approvals} edge-case approvals and ${e.questions} question`,
    );
  }
});
