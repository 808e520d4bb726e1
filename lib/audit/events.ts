/*
 * The events of the audit log (docs/security.md, "Audit log"). `event` in audit_log is
 * one of these; Settings → Audit filters by them.
 */
export const AUDIT_EVENTS = [
  "request.created",
  "request.approval",
  "request.decided",
  "rule.created",
  "rule.changed",
  "rule.removed",
  "key.created",
  "key.revoked",
  "user.created",
  "user.disabled",
  "user.enabled",
  "user.role_changed",
  "sign_in.failed",
  "settings.webhook_added",
  "settings.webhook_removed",
  "settings.webhook_enabled",
  "settings.escalation_set",
  "settings.escalation_cleared",
  "settings.email_preferences",
  "backup.taken",
  "backup.restored",
] as const;
export type AuditEventType = (typeof AUDIT_EVENTS)[number];

/** What one audit entry records (audit_log's columns but its id and time). */
export interface AuditEvent {
  event: AuditEventType;
  /** a user's email, `key:<name>`, `rule:<name>`, `cli`, `system`; null: unknown */
  actor: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  details?: Record<string, unknown> | null;
}
