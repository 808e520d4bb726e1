import { describe, expect, test } from "vitest";
import { isShuttingDown, onShutdown, runShutdownHooks } from "@/server/lifecycle";

describe("shutdown hooks", () => {
  test("run once, newest first, past a failing hook, and flag the process as stopping", async () => {
    const order: string[] = [];
    const errors: unknown[] = [];
    onShutdown(() => void order.push("db-listener"));
    onShutdown(() => {
      throw new Error("waiter broke");
    });
    onShutdown(async () => {
      await new Promise((r) => setTimeout(r, 10));
      order.push("long-polls");
    });
    expect(isShuttingDown()).toBe(false);
    await runShutdownHooks((e) => errors.push(e));
    expect(isShuttingDown()).toBe(true);
    expect(order).toEqual(["long-polls", "db-listener"]);
    expect(errors).toHaveLength(1);
    await runShutdownHooks((e) => errors.push(e));
    expect(order).toHaveLength(2); // not again
  });
});
