import fs from "node:fs";
import path from "node:path";
import { DatabaseLockedError } from "./errors";

/**
 * PGlite has no lock between processes: two of them on one data folder silently
 * diverge. This file lock (pid inside, created with O_EXCL) makes the second process
 * fail with a clear message. A lock left by a dead process is taken over.
 */
export function lockPathFor(dataDir: string) {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Where a running server notes the port of its psql socket (`<pid> <port>`), so that the
 * CLI reaches that server's socket and never another's on the same port number.
 */
export function socketNotePathFor(dataDir: string) {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.psql`);
}

export function writeSocketNote(dataDir: string, port: number): () => void {
  const file = socketNotePathFor(dataDir);
  fs.writeFileSync(file, `${process.pid} ${port}\n`);
  const remove = () => {
    try {
      if (fs.readFileSync(file, "utf8").startsWith(`${process.pid} `)) fs.rmSync(file);
    } catch {
      /* already gone */
    }
  };
  process.once("exit", remove);
  return remove;
}

/** The psql socket port noted by process `pid` for `dataDir`, if it noted one. */
export function readSocketNote(dataDir: string, pid: number): number | undefined {
  try {
    const [p, port] = fs.readFileSync(socketNotePathFor(dataDir), "utf8").trim().split(" ");
    return Number(p) === pid && Number(port) > 0 ? Number(port) : undefined;
  } catch {
    return undefined;
  }
}

export function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = lockPathFor(dataDir);
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(fs.readFileSync(lockPath, "utf8").trim());
      if (pid === process.pid) break;
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        const err = new DatabaseLockedError(
          `The embedded database in ${dataDir} is in use by another process (pid ${pid}). ` +
            `Stop it first, or run Nexus on a PostgreSQL server (DATABASE_URL or DB_HOST) to share data between processes.`,
        );
        err.pid = pid;
        throw err;
      }
      fs.rmSync(lockPath, { force: true }); // stale: its owner is gone
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.rmSync(lockPath);
    } catch {
      /* already gone */
    }
  };
  process.once("exit", release);
  return release;
}
