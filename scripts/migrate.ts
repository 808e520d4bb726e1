import { closeDatabase, getDatabase } from "@/db/client";
import { runCli } from "./run-cli";

// `npm run db:migrate`: opening the database applies pending migrations.
runCli(async () => {
  const database = await getDatabase();
  console.log(`nexus: migrations applied to ${database.config.label}`);
  await closeDatabase();
});
