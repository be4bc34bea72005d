import type { Pool } from 'pg';

import { PowertoolsConfigError } from '../errors';
import { readMigrationStatus } from './run-migrations';

/** The fix for migrations that a newer release applied; the doctor prints it too. */
export const unknownMigrationsFix =
  'Upgrade koa-jobs-powertools in this host to the release that applied them, or revert them with that release (its npx jobs-powertools migrate down reverts the newest one per run); this release cannot revert them.';

/**
 * Throws `PowertoolsConfigError` (option `repo`) unless the database behind `pool` has applied
 * exactly this release's migrations. Unknown ones come first: a newer release applied them, so
 * running this release's pending migrations would not help.
 */
export async function checkLibraryMigrations(pool: Pool): Promise<void> {
  const status = await readMigrationStatus(pool);

  if (status.unknown.length > 0) {
    throw new PowertoolsConfigError(
      'repo',
      `The database behind repo has ${status.unknown.length} koa-jobs-powertools migration(s) that this release does not know: ${status.unknown.join(', ')}. A newer release applied them, and its tables may not match what this release expects. ${unknownMigrationsFix}`,
    );
  }
  if (status.pending.length > 0) {
    throw new PowertoolsConfigError(
      'repo',
      `The database behind repo has ${status.pending.length} pending koa-jobs-powertools migration(s): ${status.pending.join(', ')}. Run the library's migrations (runMigrations(pool)) before starting the host.`,
    );
  }
}
