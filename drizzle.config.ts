import { defineConfig } from "drizzle-kit";

// Used only to generate migrations (`npm run db:generate`); they are applied by
// db/migrate.ts at server start and by `npm run db:migrate`, never by drizzle-kit.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./drizzle",
});
