import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/*
 * A throwaway git repository for proving diffs with the real `git apply`: write a base
 * tree, commit it, make the change, take `git diff`, go back to the base, apply a diff.
 */

export type Tree = Record<string, string>;

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.test",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.test",
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: tmpdir(),
};

export class GitRepo {
  readonly dir = mkdtempSync(path.join(tmpdir(), "nexus-git-"));

  constructor(base: Tree) {
    this.git("init", "-q");
    this.write(base);
    this.git("add", "-A");
    this.git("commit", "-q", "--allow-empty", "-m", "base");
  }

  git(...args: string[]): string {
    return execFileSync("git", ["-c", "core.autocrlf=false", ...args], {
      cwd: this.dir,
      env: GIT_ENV,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
  }

  write(tree: Tree) {
    for (const [file, content] of Object.entries(tree)) {
      const full = path.join(this.dir, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }

  /** The diff from the base to `changed` (null content: delete the file), then back to base. */
  diffTo(changed: Record<string, string | null>, { context = 3 } = {}): string {
    for (const [file, content] of Object.entries(changed)) {
      if (content === null) rmSync(path.join(this.dir, file));
      else this.write({ [file]: content });
    }
    this.git("add", "-A");
    const diff = this.git("diff", "--cached", "-M", `-U${context}`);
    this.git("reset", "-q", "--hard", "HEAD");
    this.git("clean", "-q", "-fd");
    return diff;
  }

  /** `git apply --check` then `git apply` of `diff` (throws with git's message on failure). */
  apply(diff: string) {
    const file = path.join(this.dir, "..", `${path.basename(this.dir)}.patch`);
    writeFileSync(file, diff);
    try {
      this.git("apply", "--check", file);
      this.git("apply", file);
    } finally {
      rmSync(file, { force: true });
    }
  }

  read(file: string): string | null {
    const full = path.join(this.dir, file);
    return existsSync(full) ? readFileSync(full, "utf8") : null;
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
