/**
 * The Postgres schema pg-boss keeps its tables in. The library reads and locks jobs there
 * directly, so it must be pg-boss's default schema: a host that constructs pg-boss with
 * another `schema` option is not supported yet.
 */
export const pgBossSchema = 'pgboss';

/**
 * The pg-boss schema versions (the `version` table) whose tables, columns and indexes the
 * library's job queries were written and tested against. Version 46 ships with pg-boss 12.38.
 */
export const supportedPgBossSchemaVersions = { minimum: 46, maximum: 46 } as const;

/** Every job state pg-boss stores, in the order of its `job_state` enum. */
export const jobStates = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof jobStates)[number];
