import { OperatorError } from '../errors';
import { readParameter } from '../http/route-deps';
import type { AuditEventFilter } from '../sql/list-audit-events';

export const auditResourceTypes = ['cron_entry', 'job', 'queue', 'workflow', 'workflow_step'];
const maximumTextLength = 200;

/** The audit filter as the operator typed it, for the form and for links to other pages. */
export interface AuditFilterInput {
  resourceType: string;
  resourceId: string;
  actor: string;
  action: string;
  from: string;
  to: string;
}

/**
 * Reads and checks the audit page's query parameters. Every rejection is a 400 whose message
 * names the parameter and the fix; nothing malformed reaches a query.
 */
export function readAuditFilter(query: unknown): { input: AuditFilterInput; filter: Omit<AuditEventFilter, 'limit' | 'beforeId'> } {
  const input: AuditFilterInput = {
    resourceType: readParameter(query, 'resource_type'),
    resourceId: readParameter(query, 'resource_id'),
    actor: readParameter(query, 'actor'),
    action: readParameter(query, 'action'),
    from: readParameter(query, 'from'),
    to: readParameter(query, 'to'),
  };

  if (input.resourceType && !auditResourceTypes.includes(input.resourceType)) {
    throw new OperatorError(400, `Unknown resource type filter. Use one of: ${auditResourceTypes.join(', ')}.`);
  }
  for (const [name, value] of [['resource', input.resourceId], ['actor', input.actor], ['action', input.action]] as const) {
    if (value.length > maximumTextLength) throw new OperatorError(400, `The ${name} filter is longer than ${maximumTextLength} characters; shorten it.`);
    if (value.includes('\u0000')) throw new OperatorError(400, `The ${name} filter contains a null character, which no stored value has; remove it.`);
  }
  if (input.action && !/^[a-z][a-z0-9_]{0,99}$/.test(input.action)) {
    throw new OperatorError(400, 'The action filter must be an action name such as pause_cron_entry: lower-case letters, digits and underscores.');
  }

  return {
    input,
    filter: {
      resourceType: input.resourceType || undefined,
      resourceId: input.resourceId || undefined,
      actor: input.actor || undefined,
      action: input.action || undefined,
      from: readTime('from', input.from),
      to: readTime('to', input.to),
    },
  };
}

function readTime(name: string, value: string): Date | undefined {
  if (!value) return undefined;
  const invalid = new OperatorError(400, `The ${name} time must look like 2026-12-04 or 2026-12-04T09:30 (UTC) or a full ISO 8601 time.`);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value)) throw invalid;

  // A datetime-local input sends no zone, and JavaScript would read that as server-local time; the page means UTC.
  const hasZone = /(Z|[+-]\d{2}:\d{2})$/.test(value);
  const isDateOnly = !value.includes('T');
  const parsed = new Date(hasZone || isDateOnly ? value : `${value}Z`);
  if (Number.isNaN(parsed.getTime())) throw invalid;
  return parsed;
}
