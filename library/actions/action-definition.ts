import type { PoolClient } from 'pg';
import type { PgBoss } from 'pg-boss';

import type { Queryable } from '../db/with-transaction';
import type { AuditPrincipal, Resource } from '../seams';

/** Inputs of an action's `apply`: the confirming transaction, pg-boss, the actor and the reason. */
export interface ActionContext {
  /** The transaction the audit event commits in. Pass `makePgBossExecutor(client)` as pg-boss's `db`. */
  client: PoolClient;
  boss: PgBoss;
  principal: AuditPrincipal;
  reason: string;
}

/**
 * One audited operator action on one kind of resource. Every action goes through the same
 * flow (see performAction): authorise by `name`, preview with `describeChange`, record
 * `fingerprint`, take a reason, and on confirm re-load the target under a lock, check its
 * fingerprint is unchanged, `apply`, and write one audit event in the same transaction.
 */
export interface ActionDefinition<Target> {
  /** Stable name used in authorisation, audit events, URLs, logs and docs, e.g. `pause_cron_entry`. */
  name: string;
  resourceType: Resource['type'];
  /** Button and heading verb, e.g. "Pause". */
  verb: string;
  /** Reads the target; with `forUpdate` it stays locked until the transaction ends. */
  load(db: Queryable, resourceId: string, options: { forUpdate: boolean }): Promise<Target | null>;
  /** The state the preview shows and the confirmation requires, as JSON. */
  fingerprint(target: Target): Record<string, unknown>;
  /** One word or phrase for the target's current state, for conflict messages ("paused"). */
  describeState(target: Target): string;
  /** Returns why the action does not apply to the target as it is now, or null when it does. */
  findInapplicability(target: Target): string | null;
  /** The lines a preview shows under "What will change". */
  describeChange(target: Target): string[];
  /**
   * Performs the change inside `context.client`'s transaction and returns what the audit event
   * records about it, or null when the target no longer qualifies (its where clause guards it).
   */
  apply(context: ActionContext, target: Target): Promise<Record<string, unknown> | null>;
}

/** A definition whose target type is not known where it is used, as in a registry of actions. */
export type AnyActionDefinition = ActionDefinition<any>;
