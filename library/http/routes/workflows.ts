import type Router from '@koa/router';
import type { JobWithMetadata } from 'pg-boss';

import type { AnyActionDefinition } from '../../actions/action-definition';
import { workflowActions, workflowStepActions } from '../../actions/workflow-actions';
import { OperatorError } from '../../errors';
import type { Actor, Resource } from '../../seams';
import { explainWorkflow } from '../../workflows/explain-workflow';
import { explainWorkflowStep, type ShowValue } from '../../workflows/explain-workflow-step';
import { layoutWorkflowGraph } from '../../workflows/layout-workflow-graph';
import { findWorkflow } from '../../workflows/sql/find-workflow';
import { listWorkflowAuditEvents } from '../../workflows/sql/list-workflow-audit-events';
import { listWorkflowStepEvents } from '../../workflows/sql/list-workflow-step-events';
import { listStepsOfWorkflows, listWorkflowSteps } from '../../workflows/sql/list-workflow-steps';
import { countWorkflowsByState, listWorkflows } from '../../workflows/sql/list-workflows';
import { buildStepTimelines, listWorkflowEntries } from '../../workflows/workflow-timeline';
import { workflowIdPattern, type WorkflowStepRow } from '../../workflows/workflow-rows';
import { stepResourceId } from '../../workflows/workflow-targets';
import { isSettled, isWorkflowState, workflowStates } from '../../workflows/workflow-states';
import { decide, openPage } from '../page-access';
import { addRoute, type RouteDeps, readParameter, renderPage } from '../route-deps';

const pageSize = 50;
// Each live job state costs one pg-boss query, so a page reads at most this many and marks the rest as not read.
const maximumLiveJobReads = 100;

const outcomeMessages: Record<string, string> = {
  performed: 'Done. The change and its audit event were committed together.',
  already_performed: 'This confirmation was already applied; nothing was changed a second time.',
};

/** Adds the workflows list at /workflows and one workflow at /workflows/:id, both behind `view_workflows`. */
export function addWorkflowRoutes(router: Router, deps: RouteDeps): void {
  addRoute(router, 'get', '/workflows', async (ctx) => {
    const page = await openPage(ctx, deps, 'view_workflows', { type: 'page', id: 'workflows' });
    if (!page) return;

    const state = readParameter(ctx.query, 'state');
    const name = readParameter(ctx.query, 'name').trim();
    const before = readParameter(ctx.query, 'before');
    if (state && !isWorkflowState(state)) throw new OperatorError(400, `Unknown state filter. Use one of: ${workflowStates.join(', ')}.`);
    if (name.length > 100) throw new OperatorError(400, 'The name filter is longer than 100 characters, which no workflow name is; shorten it.');
    if (name.includes('\u0000')) throw new OperatorError(400, 'The name filter contains a null character, which no workflow name has; remove it.');
    if (before && !workflowIdPattern.test(before)) throw new OperatorError(400, 'The page cursor must be a workflow id. Start again from the first page.');

    const { repo } = deps.options;
    const [workflows, counts] = await Promise.all([
      listWorkflows(repo, { state: state || undefined, name: name || undefined, beforeId: before || undefined, limit: pageSize + 1 }),
      countWorkflowsByState(repo),
    ]);
    const pageRows = workflows.slice(0, pageSize);
    const steps = await listStepsOfWorkflows(repo, pageRows.map((workflow) => workflow.id));
    const show = makeShowValue(page.display);

    renderPage(ctx, deps, '/workflows', 'workflow-list.njk', {
      title: 'Workflows',
      show: page.display,
      rows: pageRows.map((workflow) => {
        const own = steps.filter((step) => step.workflow_id === workflow.id);
        return {
          workflow,
          explanation: explainWorkflow(workflow, own, show),
          completed: own.filter((step) => step.state === 'completed' || step.state === 'recovered').length,
          total: own.length,
        };
      }),
      states: workflowStates.map((candidate) => ({ state: candidate, count: counts[candidate] ?? 0 })),
      filter: { state, name },
      nextCursor: workflows.length > pageSize ? pageRows[pageRows.length - 1].id : null,
    });
  });

  addRoute(router, 'get', '/workflows/:id', async (ctx) => {
    const id = ctx.params.id;
    const resource: Resource = { type: 'workflow', id };
    const page = await openPage(ctx, deps, 'view_workflows', resource);
    if (!page) return;

    const { repo } = deps.options;
    const workflow = await findWorkflow(repo, id);
    if (!workflow) throw new OperatorError(404, `No workflow has the id ${id}.`);
    const [steps, events, auditEvents] = await Promise.all([listWorkflowSteps(repo, id), listWorkflowStepEvents(repo, id), listWorkflowAuditEvents(repo, id)]);

    const show = makeShowValue(page.display);
    const target = { workflow, steps };
    const workflowActionLinks = await listAllowedActions(deps, page.actor, Object.values(workflowActions), target, resource);
    const timelines = buildStepTimelines(steps, events);
    const stepViews = [];
    let liveJobReads = 0;
    for (const step of steps) {
      const readsLiveJob = step.job_id !== null && !isSettled(step.state);
      if (readsLiveJob) liveJobReads += 1;
      const stepResource: Resource = { type: 'workflow_step', id: stepResourceId(id, step.name) };
      stepViews.push({
        step,
        explanation: explainWorkflowStep(step, workflow, steps, show),
        timeline: timelines.get(step.name),
        job: readsLiveJob && liveJobReads > maximumLiveJobReads ? { state: 'not read' as const } : await readLiveJob(deps, step),
        actions: await listAllowedActions(deps, page.actor, Object.values(workflowStepActions), { ...target, step }, stepResource),
      });
    }
    const allActions = [...workflowActionLinks, ...stepViews.flatMap((view) => view.actions)];

    renderPage(ctx, deps, '/workflows/:id', 'workflow.njk', {
      title: `Workflow ${workflow.name}`,
      show: page.display,
      workflow,
      explanation: explainWorkflow(workflow, steps, show),
      graph: layoutWorkflowGraph(steps),
      steps: stepViews,
      workflowEntries: listWorkflowEntries(events),
      maximumLiveJobReads,
      workflowActions: workflowActionLinks,
      readOnly: allActions.length > 0 && allActions.every((action) => !action.allowed),
      audited: allActions.some((action) => action.allowed),
      events: auditEvents,
      outcome: Object.hasOwn(outcomeMessages, readParameter(ctx.query, 'outcome')) ? outcomeMessages[readParameter(ctx.query, 'outcome')] : null,
    });
  });
}

/** Adapts the page's display policy to the explanation functions, for actor labels, reasons and errors. */
function makeShowValue(display: (kind: 'actor_label' | 'reason' | 'job_error', value: unknown) => string): ShowValue {
  return (kind, value) => display(kind, value);
}

/** Lists the actions that apply to the target as it is now, each with whether this actor may take it. */
async function listAllowedActions(deps: RouteDeps, actor: Actor, actions: AnyActionDefinition[], target: unknown, resource: Resource) {
  const links = [];
  for (const action of actions) {
    if (action.findInapplicability(target)) continue;
    const decision = await decide(deps.options.auth, actor, action.name, resource);
    links.push({ name: action.name, verb: action.verb, allowed: decision.allowed, reason: decision.allowed ? null : decision.reason });
  }
  return links;
}

/** Reads what pg-boss holds for an unsettled step's job now; null when the step is settled or has no job. */
async function readLiveJob(deps: RouteDeps, step: WorkflowStepRow): Promise<{ state: string; startAfter: Date | null; retryCount: number; retryLimit: number } | { state: 'missing' | 'not read' } | null> {
  if (!step.job_id || isSettled(step.state)) return null;
  const jobs: JobWithMetadata<unknown>[] = await deps.options.boss.findJobs<unknown>(step.queue, { id: step.job_id }).catch(() => []);
  const job = jobs[0];
  if (!job) return { state: 'missing' };
  return { state: job.state, startAfter: job.startAfter ?? null, retryCount: job.retryCount, retryLimit: job.retryLimit };
}
