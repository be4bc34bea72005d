import type { Context } from 'koa';
import type { Pool } from 'pg';

import type { AuthModule, AuthorizationDecision } from '../library';
import { findUserById, type HostUser } from './users';

// The control-plane actions each host role may take. Page access is an action too.
const viewActions = ['view_overview', 'view_cron', 'view_audit', 'view_forensics', 'view_jobs', 'view_workflows', 'export_audit_events'];
const workflowActions = ['cancel_workflow', 'retry_workflow_step', 'cancel_workflow_step'];
const jobActions = ['retry_job', 'cancel_job', 'resume_job', 'delete_job', 'retry_all_jobs', 'cancel_all_jobs'];
const operatorActions = [...viewActions, 'pause_cron_entry', 'resume_cron_entry', 'run_cron_entry', ...jobActions, ...workflowActions];
// The read-only pg-boss dashboard bridge is granted more narrowly than the native pages: a
// viewer who may inspect jobs natively is sent back to the overview.
const bridgeActions = ['view_pg_boss_bridge'];
const allowedActions: Record<HostUser['role'], readonly string[]> = {
  operator: [...operatorActions, ...bridgeActions],
  viewer: viewActions,
  none: [],
};

/** The reference host's auth seam: the actor is the signed-in user from the host session. */
export function makeHostAuth(pool: Pool): AuthModule {
  return {
    async currentActor(ctx: Context) {
      const userId = ctx.session?.userId;
      if (typeof userId !== 'string') return null;
      return findUserById(pool, userId);
    },

    authorize(actor, action): AuthorizationDecision {
      const user = actor as HostUser;
      if (allowedActions[user.role].includes(action)) return { allowed: true };
      return { allowed: false, reason: `role ${user.role} does not grant ${action}` };
    },

    auditPrincipal(actor) {
      const user = actor as HostUser;
      return { id: `user:${user.id}`, type: 'user', label: user.username };
    },
  };
}
