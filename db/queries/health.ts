import "server-only";
import { getDatabase } from "../client";

/** Database round trip with a deadline: false when unreachable or too slow. */
export async function databaseHealthy(timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const check = getDatabase()
      .then((d) => d.ping())
      .then(
        () => true,
        () => false,
      );
    return await Promise.race([check, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
