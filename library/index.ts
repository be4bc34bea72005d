export { createPowertools, type Powertools } from './create-powertools';
export { MigrationError, OperatorError, PowertoolsConfigError } from './errors';
export type { PowertoolsEventMap, PowertoolsEvents } from './events/powertools-events';
export { isSameOriginRequest } from './http/check-same-origin';
export { readMigrationStatus, revertLastMigration, runMigrations, type MigrationOptions, type MigrationStatus } from './migrations/run-migrations';
export type { BridgeOptions } from './bridge/bridge-options';
export type { PowertoolsOptions } from './options/validate-options';
export { checkPgBossSchema } from './pgboss/check-pg-boss-schema';
export { jobStates, type JobState, supportedPgBossSchemaVersions } from './pgboss/pg-boss-schema';
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
export { explainWorkflow } from './workflows/explain-workflow';
export { type Explanation, explainWorkflowStep } from './workflows/explain-workflow-step';
export { type InsertedWorkflow, WorkflowIdempotencyError } from './workflows/insert-workflow-plan';
export type { StepContext, StepHandler } from './workflows/step-handler';
export type { WorkflowEventMap, WorkflowEvents } from './workflows/workflow-events';
export { type StepJobOptions, type WorkflowPlan, WorkflowPlanError, type WorkflowStepPlan } from './workflows/workflow-plan';
export type { WorkflowRow, WorkflowStepRow } from './workflows/workflow-rows';
export { makeWorkflowRuntime, type WorkflowRuntime, type WorkflowRuntimeOptions, type WorkflowWorkOptions } from './workflows/workflow-runtime';
export { currentSemanticsVersion, type StepState, type WorkflowState, workflowStates } from './workflows/workflow-states';
