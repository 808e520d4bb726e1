import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { getDb, rows, type Executor } from "../client";
import { accounts, users, type Role, type UserRow } from "../schema";

/*
 * People who sign in. Rows follow better-auth's shapes (a `users` row plus a
 * `credential` account holding the password hash); the hash itself always comes
 * from better-auth (server/auth/users.ts), never from here.
 */

/** Arbitrary constant: serialises "is there a user yet?" + insert across processes. */
const USERS_LOCK_ID = 7_243_003;

export class EmailTaken extends Error {
  override name = "EmailTaken";
}
export class LastAdmin extends Error {
  override name = "LastAdmin";
}

export interface NewAccount {
  id: string;
  accountId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

export type UserSummary = Pick<UserRow, "id" | "email" | "name" | "role" | "createdAt">;

async function insertUser(tx: Executor, a: NewAccount): Promise<UserSummary> {
  const existing = await tx.select({ id: users.id }).from(users).where(eq(users.email, a.email));
  if (existing.length > 0) throw new EmailTaken(`A user with the email ${a.email} already exists`);
  const now = new Date();
  const [user] = await tx
    .insert(users)
    .values({
      id: a.id,
      email: a.email,
      name: a.name,
      role: a.role,
      emailVerified: false,
      createdAt: now,
      updatedAt: now,
    })
    .returning({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      createdAt: users.createdAt,
    });
  await tx.insert(accounts).values({
    id: a.accountId,
    accountId: a.id,
    providerId: "credential",
    userId: a.id,
    password: a.passwordHash,
    createdAt: now,
    updatedAt: now,
  });
  return user!;
}

async function lockUsers(tx: Executor) {
  // Transaction-level advisory lock: concurrent creators queue here, in every process.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${USERS_LOCK_ID})`);
}

/** Create a user (admin UI, CLI). Throws EmailTaken. */
export async function insertAccount(a: NewAccount): Promise<UserSummary> {
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      await lockUsers(tx);
      return insertUser(tx, a);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new EmailTaken(`A user with the email ${a.email} already exists`);
    throw err;
  }
}

/**
 * First-run setup: create the admin only while no user exists. Two racing calls (in
 * one process or several) create exactly one user; the loser gets `{ created: false }`.
 */
export async function insertFirstAdmin(
  a: Omit<NewAccount, "role">,
): Promise<{ created: true; user: UserSummary } | { created: false }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockUsers(tx);
    const [{ n }] = (await rows<{ n: number | string }>(
      tx,
      sql`SELECT count(*)::int AS n FROM users`,
    )) as [{ n: number | string }];
    if (Number(n) > 0) return { created: false as const };
    return { created: true as const, user: await insertUser(tx, { ...a, role: "admin" }) };
  });
}

export async function hasUsers(): Promise<boolean> {
  const db = await getDb();
  const found = await db.select({ id: users.id }).from(users).limit(1);
  return found.length > 0;
}

export async function listUsers(): Promise<UserSummary[]> {
  const db = await getDb();
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      createdAt: users.createdAt,
    })
    .from(users)
    .orderBy(asc(users.createdAt), asc(users.email));
}

export async function findUserByEmail(email: string): Promise<UserSummary | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.email, email));
  return row ?? null;
}

/**
 * Change a user's role. Refuses to demote the last admin (nobody could manage users
 * any more). Returns null when the user does not exist.
 */
export async function updateUserRole(id: string, role: Role): Promise<UserSummary | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockUsers(tx);
    const [current] = await tx.select().from(users).where(eq(users.id, id));
    if (!current) return null;
    if (current.role === "admin" && role !== "admin") {
      const admins = await tx.select({ id: users.id }).from(users).where(eq(users.role, "admin"));
      if (admins.length <= 1)
        throw new LastAdmin("This is the only admin: make another user admin first");
    }
    const [row] = await tx
      .update(users)
      .set({ role, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning({
        id: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        createdAt: users.createdAt,
      });
    return row ?? null;
  });
}

function isUniqueViolation(err: unknown) {
  const e = err as { code?: string; cause?: { code?: string } };
  return (e?.code ?? e?.cause?.code) === "23505";
}
