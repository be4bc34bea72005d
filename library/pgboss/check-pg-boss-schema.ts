import type { Queryable } from '../db/with-transaction';
import { PowertoolsConfigError } from '../errors';
import { pgBossSchema, supportedPgBossSchemaVersions } from './pg-boss-schema';

const { minimum, maximum } = supportedPgBossSchemaVersions;
const supportedRange = minimum === maximum ? `version ${minimum}` : `versions ${minimum} to ${maximum}`;

/**
 * Reads the installed pg-boss schema version and throws `PowertoolsConfigError` (option `boss`)
 * when it is missing or outside the supported range, naming the version seen and the fix.
 * Returns the version when it is supported.
 */
export async function checkPgBossSchema(db: Queryable): Promise<number> {
  const { rows: tables } = await db.query<{ installed: boolean }>(
    `select to_regclass($1::text) is not null as installed`,
    [`${pgBossSchema}.version`],
  );
  if (!tables[0].installed) {
    throw new PowertoolsConfigError(
      'boss',
      `No pg-boss schema was found in the database behind repo (table ${pgBossSchema}.version is missing). koa-jobs-powertools supports pg-boss schema ${supportedRange}. Call boss.start() before runtime.start(): it creates the schema.`,
    );
  }

  const { rows } = await db.query<{ version: number | null }>(`select max(version)::int as version from ${pgBossSchema}.version`);
  const version = rows[0].version;
  if (version === null) {
    throw new PowertoolsConfigError(
      'boss',
      `The pg-boss schema in the database behind repo has no version row in ${pgBossSchema}.version, so its shape is unknown. koa-jobs-powertools supports pg-boss schema ${supportedRange}. Start pg-boss once so it records its version, then start the host again.`,
    );
  }
  if (version < minimum) {
    throw new PowertoolsConfigError(
      'boss',
      `The pg-boss schema in the database behind repo is at version ${version}; koa-jobs-powertools supports pg-boss schema ${supportedRange}. Upgrade pg-boss (12.38 uses schema ${maximum}) and start it once so it migrates its schema, then start the host again.`,
    );
  }
  if (version > maximum) {
    throw new PowertoolsConfigError(
      'boss',
      `The pg-boss schema in the database behind repo is at version ${version}, newer than koa-jobs-powertools supports (schema ${supportedRange}). Upgrade koa-jobs-powertools to a release that supports pg-boss schema ${version}, or keep pg-boss at a release that uses schema ${maximum}.`,
    );
  }
  return version;
}
