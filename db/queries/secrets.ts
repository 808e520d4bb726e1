import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "../client";
import { appSecrets } from "../schema";

/**
 * The stored value of a generated secret, creating it with `generate()` on first use.
 * Several processes racing here all end up with the same (first inserted) value.
 */
export async function getOrCreateSecret(name: string, generate: () => string): Promise<string> {
  const db = await getDb();
  await db.insert(appSecrets).values({ name, value: generate() }).onConflictDoNothing();
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
  if (!row) throw new Error(`secret "${name}" could not be stored`);
  return row.value;
}
