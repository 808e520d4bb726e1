import "server-only";
import { and, asc, eq, isNull, ne, sql } from "drizzle-orm";
import { getDb, rows, type Executor } from "../client";
import { accounts, sessions, users, type Role, type UserRow } from "../schema";
import { recordAudit } from "./audit";

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
  /** who creates it (audit log): an admin's email, `cli`, or null for first-run setup */
  createdBy?: string | null;
}

export type UserSummary = Pick<
  UserRow,
  "id" | "email" | "name" | "role" | "createdAt" | "disabledAt"
>;

const summary = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  createdAt: users.createdAt,
  disabledAt: users.disabledAt,
};

async function insertUser(tx: Executor, a: NewAccount): Promise<UserSummary> {
  const existing = await tx.select({ id: users.id }).from(users).where(eq(users.email, a.email));
  if (existing.length > 0) throw new EmailTaken(`A user with the email ${a.email} already exists`);
  await recordAudit(tx, {
    event: "user.created",
    actor: a.createdBy ?? a.email,
    subjectType: "user",
    subjectId: a.email,
    details: { role: a.role },
  });
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
    .returning(summary);
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
  return db.select(summary).from(users).orderBy(asc(users.createdAt), asc(users.email));
}

export async function findUserByEmail(email: string): Promise<UserSummary | null> {
  const db = await getDb();
  const [row] = await db.select(summary).from(users).where(eq(users.email, email));
  return row ?? null;
}

/**
 * Change a user's role. Refuses to demote the last admin (nobody could manage users
 * any more). Returns null when the user does not exist.
 */
export async function updateUserRole(
  id: string,
  role: Role,
  actor: string | null = null,
): Promise<UserSummary | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockUsers(tx);
    const [current] = await tx.select().from(users).where(eq(users.id, id));
    if (!current) return null;
    if (current.role === "admin" && role !== "admin") {
      const admins = await enabledAdminsExcept(tx, id);
      if (admins === 0 && !current.disabledAt)
        throw new LastAdmin("This is the only admin: make another user admin first");
    }
    const [row] = await tx
      .update(users)
      .set({ role, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning(summary);
    if (current.role !== role)
      await recordAudit(tx, {
        event: "user.role_changed",
        actor,
        subjectType: "user",
        subjectId: current.email,
        details: { from: current.role, to: role },
      });
    return row ?? null;
  });
}

/** Enabled admins other than `id`. */
async function enabledAdminsExcept(tx: Executor, id: string): Promise<number> {
  const others = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, id)));
  return others.length;
}

export class CannotDisable extends Error {
  override name = "CannotDisable";
}

/**
 * Disable (or enable) a user: a disabled user's sessions are deleted in the same
 * transaction and no new one is created (server/auth/auth.ts); their rows and the name
 * on their decisions stay. Refuses to disable `byId` (yourself) and the last enabled
 * admin. Returns null when the user does not exist.
 */
export async function setUserDisabled(
  id: string,
  disabled: boolean,
  byId?: string,
  actor: string | null = null,
): Promise<UserSummary | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockUsers(tx);
    const [current] = await tx.select().from(users).where(eq(users.id, id));
    if (!current) return null;
    if (disabled) {
      if (byId === id) throw new CannotDisable("You cannot disable your own account");
      if (current.role === "admin" && (await enabledAdminsExcept(tx, id)) === 0)
        throw new CannotDisable("This is the only enabled admin: make another user admin first");
    }
    const [row] = await tx
      .update(users)
      .set({
        disabledAt: disabled ? (current.disabledAt ?? new Date()) : null,
        updatedAt: new Date(),
      })
      .where(eq(users.id, id))
      .returning(summary);
    if (disabled) await tx.delete(sessions).where(eq(sessions.userId, id));
    if (disabled !== (current.disabledAt !== null))
      await recordAudit(tx, {
        event: disabled ? "user.disabled" : "user.enabled",
        actor,
        subjectType: "user",
        subjectId: current.email,
      });
    return row ?? null;
  });
}

/** Whether the user is disabled (a user that does not exist counts as disabled). */
export async function isUserDisabled(id: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, id));
  return !row || row.disabledAt !== null;
}

function isUniqueViolation(err: unknown) {
  const e = err as { code?: string; cause?: { code?: string } };
  return (e?.code ?? e?.cause?.code) === "23505";
}
