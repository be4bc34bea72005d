import type { Context, Next } from 'koa';
import type { Actor, AuditPrincipal, AuthModule, AuthorizationDecision } from 'koa-jobs-powertools';

/** The signed-in user, as the app's login stores it in the session. */
interface SessionUser {
  id: string;
  username: string;
  role: string;
}

// The app's admins operate the jobs control plane; its other roles get no access.
const operatorActions = new Set([
  'view_overview', 'view_jobs', 'view_cron', 'view_workflows', 'view_audit', 'view_forensics', 'export_audit_events',
  'pause_cron_entry', 'resume_cron_entry', 'run_cron_entry', 'retry_job', 'cancel_job',
]);

/** Who may use the jobs control plane: the app's admins, by the role its login stored in the session. */
export const jobsAuth: AuthModule = {
  currentActor(ctx: Context): Actor | null {
    if (!ctx.session) return null;
    const { userId, username, role } = ctx.session;
    if (typeof userId !== 'string' || typeof username !== 'string' || typeof role !== 'string') return null;
    return { id: userId, username, role } satisfies SessionUser;
  },

  authorize(actor: Actor, action: string): AuthorizationDecision {
    const user = actor as SessionUser;
    if (user.role === 'admin' && operatorActions.has(action)) return { allowed: true };
    return { allowed: false, reason: `role ${user.role} does not grant ${action}` };
  },

  auditPrincipal(actor: Actor): AuditPrincipal | null {
    const user = actor as SessionUser;
    return { id: `user:${user.id}`, type: 'user', label: user.username };
  },
};

/**
 * The gate of the host-owned scope, run by the host's router before the control plane: a
 * request without an actor is sent to the home page.
 */
export async function requireJobsActor(ctx: Context, next: Next): Promise<void> {
  const actor = await jobsAuth.currentActor(ctx);
  if (actor === null || actor === undefined) {
    ctx.redirect('/');
    return;
  }
  await next();
}
