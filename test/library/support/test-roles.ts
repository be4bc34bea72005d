import type { Context } from 'koa';

import type { AuditPrincipal, AuthModule, DisplayPolicy } from '../../../library';

/** A user of the test host. `role` decides what the test auth module allows. */
export interface TestUser {
  username: string;
  role: 'operator' | 'viewer' | 'none';
  /** False for an operator account that has no audit identity. */
  audited: boolean;
}

/** The header that names the test user a request comes from. Without it a request is anonymous. */
export const testUserHeader = 'x-test-user';

export const testUsers = {
  operator: { username: 'ops-demo', role: 'operator', audited: true },
  secondOperator: { username: 'ops-second', role: 'operator', audited: true },
  viewer: { username: 'read-only', role: 'viewer', audited: true },
  nobody: { username: 'no-access', role: 'none', audited: true },
  unaudited: { username: 'unaudited-operator', role: 'operator', audited: false },
} as const satisfies Record<string, TestUser>;

const viewActions = ['view_overview', 'view_cron', 'view_audit', 'view_forensics', 'view_jobs', 'view_workflows', 'export_audit_events'];
const allowedActions: Record<TestUser['role'], readonly string[]> = {
  operator: [...viewActions, 'pause_cron_entry', 'resume_cron_entry'],
  viewer: viewActions,
  none: [],
};

/** Returns the audit identity the test auth module gives `user`. */
export function principalOf(user: TestUser): AuditPrincipal {
  return { id: `user:${user.username}`, type: 'user', label: user.username };
}

/**
 * Makes a host auth module that reads the actor from the `x-test-user` header instead of a
 * session and grants each role the actions in `grants`.
 */
export function makeHeaderAuth(grants: Record<TestUser['role'], readonly string[]>): AuthModule {
  return {
    currentActor(ctx: Context) {
      const username = ctx.get(testUserHeader);
      return Object.values(testUsers).find((user) => user.username === username) ?? null;
    },

    authorize(actor, action) {
      const user = actor as TestUser;
      if (grants[user.role].includes(action)) return { allowed: true };
      return { allowed: false, reason: `role ${user.role} does not grant ${action}` };
    },

    auditPrincipal(actor) {
      const user = actor as TestUser;
      return user.audited ? principalOf(user) : null;
    },
  };
}

/** The header auth module with the cron and page grants most tests use. */
export const headerAuth: AuthModule = makeHeaderAuth(allowedActions);

/** A display policy that lets the library render every value itself. */
export const libraryDefaultDisplay: DisplayPolicy = {
  display: () => null,
};
