export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startNexus } = await import("@/server/start");
    await startNexus();
  }
}
