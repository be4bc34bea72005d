import type { Context } from 'koa';

/** The host's notion of who is making a request. The library never inspects it. */
export type Actor = unknown;

/** The resource an action or page applies to, passed to `authorize`. */
export interface Resource {
  type: 'page' | 'cron_entry' | 'job' | 'queue' | 'workflow' | 'workflow_step' | 'audit_event';
  id: string;
}

export type AuthorizationDecision = { allowed: true } | { allowed: false; reason: string };

/** The identity written into audit events. */
export interface AuditPrincipal {
  id: string;
  type: string;
  label: string;
}

/**
 * The host-owned auth seam. `currentActor` reads the host's session; `authorize` decides by
 * action name; `auditPrincipal` names the actor in the audit trail, and null means the actor
 * may not make audited writes at all.
 */
export interface AuthModule {
  currentActor(ctx: Context): Actor | null | Promise<Actor | null>;
  authorize(
    actor: Actor,
    action: string,
    resource: Resource,
  ): AuthorizationDecision | boolean | Promise<AuthorizationDecision | boolean>;
  auditPrincipal(actor: Actor): AuditPrincipal | null | Promise<AuditPrincipal | null>;
}

/** Every kind of value that passes through the display policy before it is rendered. */
export const displayKinds = [
  'actor_label',
  'reason',
  'job_args',
  'job_output',
  'job_error',
  'cron_args',
  'workflow_result',
] as const;
export type DisplayKind = (typeof displayKinds)[number];

export interface DisplayContext {
  page: string;
  resource?: Resource;
  actor: Actor;
}

/**
 * The host-owned display seam. `display` returns the text to show, or null to let the library
 * render the value itself. A policy that throws makes the value render as `[redacted]`.
 */
export interface DisplayPolicy {
  display(kind: DisplayKind, value: unknown, context: DisplayContext): string | null;
}

/** The subset of pino's logger the library calls. A pino logger satisfies it. */
export interface Logger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}
