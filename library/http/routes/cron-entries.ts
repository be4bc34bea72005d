import type Router from '@koa/router';

import { cronActions } from '../../actions/cron-actions';
import { OperatorError } from '../../errors';
import { listNextSlots } from '../../scheduler/cron-slots';
import { describeSchedule } from '../../scheduler/describe-schedule';
import { findCronEntry } from '../../sql/find-cron-entry';
import { listAuditEvents } from '../../sql/list-audit-events';
import { listCronEntries } from '../../sql/list-cron-entries';
import { listCronSlots } from '../../sql/list-cron-slots';
import { decide, openPage } from '../page-access';
import { addRoute, type RouteDeps, readParameter, renderPage } from '../route-deps';

const outcomeMessages: Record<string, string> = {
  performed: 'Done. The change and its audit event were committed together.',
  already_performed: 'This confirmation was already applied; nothing was changed a second time.',
};

export function addCronEntryRoutes(router: Router, deps: RouteDeps): void {
  addRoute(router, 'get', '/cron', async (ctx) => {
    const page = await openPage(ctx, deps, 'view_cron', { type: 'page', id: 'cron' });
    if (!page) return;

    const entries = await listCronEntries(deps.options.repo);
    const described = entries.map((entry) => ({ ...entry, scheduleInWords: describeSchedule(entry.schedule, entry.timezone) }));
    renderPage(ctx, deps, '/cron', 'cron-list.njk', { title: 'Cron entries', show: page.display, entries: described });
  });

  addRoute(router, 'get', '/cron/:name', async (ctx) => {
    const name = ctx.params.name;
    const resource = { type: 'cron_entry' as const, id: name };
    const page = await openPage(ctx, deps, 'view_cron', resource);
    if (!page) return;

    const entry = await findCronEntry(deps.options.repo, name);
    if (!entry) throw new OperatorError(404, `No cron entry is named ${name}.`);

    const { auth, repo } = deps.options;
    const allowedActions = [];
    for (const action of Object.values(cronActions)) {
      if (action.findInapplicability(entry)) continue;
      const decision = await decide(auth, page.actor, action.name, resource);
      allowedActions.push({ name: action.name, verb: action.verb, allowed: decision.allowed, reason: decision.allowed ? null : decision.reason });
    }
    const events = await listAuditEvents(repo, { resourceType: 'cron_entry', resourceId: name, limit: 20 });
    const slots = await listCronSlots(repo, name, 10);

    renderPage(ctx, deps, '/cron/:name', 'cron-entry.njk', {
      title: `Cron entry ${name}`,
      show: page.display,
      entry,
      scheduleInWords: describeSchedule(entry.schedule, entry.timezone),
      nextSlots: entry.paused_at || entry.retired_at ? [] : listNextSlots(entry.schedule, entry.timezone, new Date(), 3),
      slots,
      actions: allowedActions,
      readOnly: allowedActions.length > 0 && allowedActions.every((action) => !action.allowed),
      events,
      outcome: readOutcomeMessage(readParameter(ctx.query, 'outcome')),
    });
  });
}

/** Looks up an outcome message among the object's own keys, so `?outcome=constructor` shows nothing. */
function readOutcomeMessage(outcome: string): string | null {
  return Object.hasOwn(outcomeMessages, outcome) ? outcomeMessages[outcome] : null;
}
