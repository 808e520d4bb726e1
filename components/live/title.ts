import { KINDS } from "@/lib/domain/kinds";
import type { NexusEvent } from "@/db/events";

/** "(3) Inbox · Nexus"; no count when nothing waits. */
export function pendingTitle(count: number, page: string, withSuffix = true): string {
  const base = `${count > 0 ? `(${count}) ` : ""}${page}`;
  return withSuffix ? `${base} · Nexus` : base;
}

/** `title` with its "(n) " prefix replaced by `count` (none when nothing waits). */
export function withCount(title: string, count: number): string {
  const base = title.replace(/^\(\d+\+?\) /, "");
  return count > 0 ? `(${count}) ${base}` : base;
}

/** What the favicon badge says: the count, "99+" above 99. */
export function badgeText(count: number): string {
  return count > 99 ? "99+" : String(count);
}

/**
 * The app icon with a red badge carrying `count`, as a PNG data: URL (64 × 64 px), or
 * null where there is no canvas. Drawn from /icon.svg so it matches the real icon.
 */
export async function drawBadgeIcon(count: number): Promise<string | null> {
  const size = 64;
  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  const img = new Image();
  img.src = "/icon.svg";
  try {
    await img.decode();
    ctx.drawImage(img, 0, 0, size, size);
  } catch {
    ctx.fillStyle = "#18181b";
    ctx.fillRect(0, 0, size, size);
  }
  const text = badgeText(count);
  const radius = text.length > 2 ? 22 : 19;
  const cx = size - radius;
  const cy = radius;
  ctx.beginPath();
  ctx.arc(cx, cy, radius, 0, Math.PI * 2);
  ctx.fillStyle = "#dc2626";
  ctx.fill();
  ctx.lineWidth = 3;
  ctx.strokeStyle = "#ffffff";
  ctx.stroke();
  ctx.fillStyle = "#ffffff";
  ctx.font = `bold ${text.length > 2 ? 18 : text.length > 1 ? 24 : 28}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(text, cx, cy + 1);
  try {
    return canvas.toDataURL("image/png");
  } catch {
    return null;
  }
}

/** What a notification of a new request says: who asks, and the file or the question. */
export function notificationFor(event: NexusEvent): { title: string; body: string } {
  const label = KINDS[event.request_type].words.label;
  const what =
    event.request_type === "approval"
      ? [event.file_path, event.description].filter(Boolean).join("\n")
      : (event.question ?? "");
  return { title: `${label} from ${event.agent_id}`, body: what };
}
