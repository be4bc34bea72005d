export { createPowertools, type Powertools } from './create-powertools';
export { MigrationError, OperatorError, PowertoolsConfigError } from './errors';
export type { PowertoolsEventMap, PowertoolsEvents } from './events/powertools-events';
export { readMigrationStatus, revertLastMigration, runMigrations, type MigrationOptions, type MigrationStatus } from './migrations/run-migrations';
export type { PowertoolsOptions } from './options/validate-options';
export type { CronEntryDeclaration } from './scheduler/cron-entry-declaration';
export {
  type Actor,
  type AuditPrincipal,
  type AuthModule,
  type AuthorizationDecision,
  type DisplayContext,
  type DisplayKind,
  type DisplayPolicy,
  displayKinds,
  type Logger,
  type Resource,
} from './seams';
export { libraryMigrations, type LibraryMigration } from '../migrations';
