import { assetFileName, assetRoute, type DashboardRoute, type DashboardWrite, dashboardRoutes, manifestRoute } from './dashboard-routes';

/** The parts of a request the classifier reads. */
export interface BridgeRequest {
  method: string;
  /** The raw (still percent-encoded) path below the bridge, such as `/queues/emails` or `.data`. */
  path: string;
  query: URLSearchParams;
  /** A request header by lower-case name; empty when absent. */
  header(name: string): string;
  /** The parsed form body, when the request had one the host could parse. */
  body: unknown;
}

export type BridgeDecision =
  /** A known read: the bridge forwards it. `data` marks React Router's `.data` requests. */
  | { kind: 'read'; route: DashboardRoute; params: Record<string, string>; data: boolean }
  /** A known read the dashboard cannot serve here, so the bridge responds itself. */
  | { kind: 'unavailable'; route: DashboardRoute; params: Record<string, string>; data: boolean; reason: string }
  /** Anything else: refused with 403 before the dashboard receives it. */
  | { kind: 'refused'; route: DashboardRoute | null; write: DashboardWrite | null; reason: string };

const readMethods = new Set(['GET', 'HEAD']);
const submissionMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const methodOverrideHeaders = ['x-http-method-override', 'x-http-method', 'x-method-override'];

/**
 * Decides what the bridge does with one request, by what it would do in the dashboard: its
 * method, its route and, for a submission, its `intent`. Only a GET or HEAD of a route in the
 * allow-list is forwarded. A submission is refused whatever it carries, because every route that
 * accepts one changes state; the intent only names the write in the refusal.
 */
export function classifyBridgeRequest(request: BridgeRequest): BridgeDecision {
  const target = parseTarget(request.path);
  if (!target) return refused(null, null, 'This path is not a page of the pg-boss dashboard that the bridge serves.');

  const match = matchRoute(target.segments, target.data);
  if (!match) return refused(null, null, 'This path is not a page of the pg-boss dashboard that the bridge serves.');

  const { route, params } = match;
  const method = request.method.toUpperCase();
  if (submissionMethods.has(method)) {
    const write = findWrite(route, request.body);
    return refused(route, write, write ? `${describeWrite(write)} is a change, and the bridge is read-only.` : 'A submission to the dashboard is a change, and the bridge is read-only.');
  }
  if (!readMethods.has(method)) return refused(route, null, `The bridge forwards only GET and HEAD requests, not ${method}.`);

  const override = methodOverrideHeaders.find((name) => request.header(name) !== '') ?? (request.query.has('_method') ? '_method' : null);
  if (override) return refused(route, null, `A read must not ask for another method (${override}); the bridge is read-only.`);
  if (request.query.has('intent')) {
    const write = findWrite(route, { intent: request.query.get('intent') });
    return refused(route, write, 'A read must not carry a write intent; the bridge is read-only.');
  }

  if (route.unavailable) return { kind: 'unavailable', route, params, data: target.data, reason: route.unavailable };
  return { kind: 'read', route, params, data: target.data };
}

/** Names a dashboard write in an operator's words. */
export function describeWrite(write: DashboardWrite): string {
  const descriptions: Record<DashboardWrite, string> = {
    'job:retry': 'Retrying a job',
    'job:cancel': 'Cancelling a job',
    'job:resume': 'Resuming a job',
    'job:delete': 'Deleting a job',
    'job:send': 'Sending a job',
    'queue:create': 'Creating a queue',
    'schedule:create': 'Creating a schedule',
    'schedule:delete': 'Deleting a schedule',
  };
  return descriptions[write];
}

/**
 * Splits a bridge path into decoded segments the way React Router reads it: a `.data` suffix
 * (or `/_.data` for a path with a trailing slash) marks a data request for the same route, and
 * one trailing slash is ignored. Returns null for a path no route can match: an empty segment
 * in the middle, or a segment that is not valid percent-encoding.
 */
function parseTarget(path: string): { segments: string[]; data: boolean } | null {
  let rest = path;
  let data = false;
  if (rest.endsWith('/_.data')) {
    rest = rest.slice(0, -'_.data'.length);
    data = true;
  } else if (rest.endsWith('.data')) {
    rest = rest.slice(0, -'.data'.length);
    data = true;
  }
  if (rest !== '' && !rest.startsWith('/')) return null;

  const trimmed = rest.replace(/^\//, '').replace(/\/$/, '');
  if (trimmed === '') return { segments: [], data };

  const segments: string[] = [];
  for (const raw of trimmed.split('/')) {
    if (raw === '') return null;
    try {
      segments.push(decodeURIComponent(raw));
    } catch {
      // Malformed percent-encoding: the dashboard's router could not match it either.
      return null;
    }
  }
  return { segments, data };
}

function matchRoute(segments: string[], data: boolean): { route: DashboardRoute; params: Record<string, string> } | null {
  // Route discovery and files are requested only as themselves, never as `.data`.
  if (!data && segments.length === 1 && segments[0] === manifestRoute.pattern) return { route: manifestRoute, params: {} };
  if (!data && segments.length === 2 && segments[0] === 'assets') {
    return assetFileName.test(segments[1]) ? { route: assetRoute, params: { file: segments[1] } } : null;
  }

  for (const route of dashboardRoutes) {
    const params = matchPattern(route.pattern, segments);
    if (params) return { route, params };
  }
  return null;
}

/** Returns the pattern's parameters when `segments` match it, else null. */
function matchPattern(pattern: string, segments: string[]): Record<string, string> | null {
  const parts = pattern === '' ? [] : pattern.split('/');
  if (parts.length !== segments.length) return null;

  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    if (part.startsWith(':')) params[part.slice(1)] = segments[index];
    else if (part !== segments[index]) return null;
  }
  return params;
}

function findWrite(route: DashboardRoute, body: unknown): DashboardWrite | null {
  const intent = body && typeof body === 'object' ? (body as Record<string, unknown>).intent : undefined;
  if (typeof intent === 'string' && Object.hasOwn(route.writes, intent)) return route.writes[intent];
  return route.writes['*'] ?? null;
}

function refused(route: DashboardRoute | null, write: DashboardWrite | null, reason: string): BridgeDecision {
  return { kind: 'refused', route, write, reason };
}
