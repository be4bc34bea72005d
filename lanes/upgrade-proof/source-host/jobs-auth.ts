import type { AuthModule } from 'koa-jobs-powertools';
import type { Pool } from 'pg';

import { loadOperator, type Operator } from './operators';

const inspectActions = new Set(['view_overview', 'view_cron', 'view_audit']);

/** The host's auth seam as written for koa-jobs-powertools 0.1.0. */
export function makeJobsAuth(pool: Pool): AuthModule {
  return {
    async currentActor(ctx) {
      const operatorId = ctx.session?.operatorId;
      return typeof operatorId === 'number' ? loadOperator(pool, operatorId) : null;
    },
    authorize(actor, action) {
      const operator = actor as Operator;
      if (operator.permission === 'operate') return { allowed: true };
      if (operator.permission === 'inspect' && inspectActions.has(action)) return { allowed: true };
      return { allowed: false, reason: `${operator.login} may not ${action}` };
    },
    auditPrincipal(actor) {
      const operator = actor as Operator;
      return { id: `operator:${operator.id}`, type: 'operator', label: operator.login };
    },
  };
}
