import { OperatorError } from '../errors';
import { jobStates, type JobState } from '../pgboss/pg-boss-schema';
import { readQueryParameter } from './read-query-parameter';

/**
 * Which jobs a list or bulk action covers. Every field is optional; null means "any". The
 * created range is half-open: `createdAfter` is inclusive, `createdBefore` exclusive.
 */
export interface JobFilter {
  /** Exact queue name (pg-boss stores it as the job's `name`). */
  queue: string | null;
  /** Matches every queue whose name starts with this text. */
  namePrefix: string | null;
  state: JobState | null;
  /** ISO 8601 timestamps with an explicit zone, as Postgres reads them. */
  createdAfter: string | null;
  createdBefore: string | null;
  /** One key=value pair inside the job data; a dotted key is a path into nested objects. */
  data: { key: string; value: string } | null;
}

/** The query parameters a job filter reads, in the order links write them. */
export const jobFilterParameterNames = ['queue', 'name_prefix', 'state', 'created_after', 'created_before', 'data_key', 'data_value'] as const;

export const emptyJobFilter: JobFilter = { queue: null, namePrefix: null, state: null, createdAfter: null, createdBefore: null, data: null };

const maximumQueueLength = 255;
const maximumDataKeyLength = 200;
const maximumDataKeyDepth = 8;
const maximumDataValueLength = 500;
// Calendar date, optional time with up to microseconds, optional zone. A value without a zone is UTC.
const timestampPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;
const jsonLiteralPattern = /^(?:-?(?:0|[1-9]\d{0,14})(?:\.\d{1,15})?|true|false|null)$/;

/**
 * Parses the job filter from a request's query. Throws a 400 `OperatorError` that names the
 * parameter, the problem and the fix for anything malformed, repeated, oversized or unknown.
 * Whether the queue exists is checked by the caller, which has the database.
 */
export function parseJobFilter(query: Record<string, unknown>): JobFilter {
  const queue = readQueryParameter(query, 'queue', 'queue', maximumQueueLength);
  const namePrefix = readQueryParameter(query, 'name_prefix', 'queue name prefix', maximumQueueLength);
  const state = parseState(readQueryParameter(query, 'state', 'state', 20));
  const createdAfter = parseTimestamp(readQueryParameter(query, 'created_after', 'created after', 40), 'created_after');
  const createdBefore = parseTimestamp(readQueryParameter(query, 'created_before', 'created before', 40), 'created_before');
  const data = parseDataPair(
    readQueryParameter(query, 'data_key', 'data key', maximumDataKeyLength),
    readQueryParameter(query, 'data_value', 'data value', maximumDataValueLength),
  );

  if (createdAfter && createdBefore && Date.parse(createdAfter) >= Date.parse(createdBefore)) {
    throw new OperatorError(400, `created_after (${createdAfter}) must be earlier than created_before (${createdBefore}); swap or widen the range.`);
  }
  return { queue: queue || null, namePrefix: namePrefix || null, state, createdAfter, createdBefore, data };
}

/** Writes the filter as query parameters in a fixed order, leaving out what is unset. */
export function formatJobFilterParameters(filter: JobFilter): Record<string, string> {
  const parameters: Record<string, string> = {};
  if (filter.queue) parameters.queue = filter.queue;
  if (filter.namePrefix) parameters.name_prefix = filter.namePrefix;
  if (filter.state) parameters.state = filter.state;
  if (filter.createdAfter) parameters.created_after = filter.createdAfter;
  if (filter.createdBefore) parameters.created_before = filter.createdBefore;
  if (filter.data) {
    parameters.data_key = filter.data.key;
    parameters.data_value = filter.data.value;
  }
  return parameters;
}

/** The filter as a query string without the leading "?", '' when nothing is set. */
export function formatJobFilterQuery(filter: JobFilter): string {
  return new URLSearchParams(formatJobFilterParameters(filter)).toString();
}

/** A short English description for headings and previews, e.g. "queue emails, state failed". */
export function describeJobFilter(filter: JobFilter): string {
  const parts: string[] = [];
  if (filter.queue) parts.push(`queue ${filter.queue}`);
  if (filter.namePrefix) parts.push(`queue name starting with "${filter.namePrefix}"`);
  if (filter.state) parts.push(`state ${filter.state}`);
  if (filter.createdAfter) parts.push(`created at or after ${filter.createdAfter}`);
  if (filter.createdBefore) parts.push(`created before ${filter.createdBefore}`);
  if (filter.data) parts.push(`data ${filter.data.key} = ${filter.data.value}`);
  return parts.length > 0 ? parts.join(', ') : 'no filter';
}

/**
 * Builds the jsonb documents the data filter matches by containment (`data @> document`).
 * The value always matches as a string; a value that reads as a JSON number, boolean or null
 * also matches that literal, so `attempt=3` finds both `"3"` and `3`.
 */
export function makeDataContainment(data: JobFilter['data']): { asString: string; asLiteral: string | null } | null {
  if (!data) return null;
  const path = data.key.split('.');
  const nest = (value: unknown) => JSON.stringify(path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value));
  return {
    asString: nest(data.value),
    asLiteral: jsonLiteralPattern.test(data.value) ? nest(JSON.parse(data.value)) : null,
  };
}

function parseState(value: string): JobState | null {
  if (!value) return null;
  if ((jobStates as readonly string[]).includes(value)) return value as JobState;

  const lower = value.toLowerCase();
  const suggestion = jobStates.find((state) => state === lower || state.startsWith(lower.slice(0, 3)));
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  throw new OperatorError(400, `Unknown state "${value}". Use one of: ${jobStates.join(', ')}.${hint}`);
}

function parseTimestamp(value: string, name: string): string | null {
  if (!value) return null;
  const match = timestampPattern.exec(value);
  const problem = `The ${name} filter must be an ISO 8601 date or time such as 2025-01-31 or 2025-01-31T14:30:00Z (no zone means UTC), got "${value}".`;
  if (!match) throw new OperatorError(400, problem);

  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
  const valid =
    Number(year) >= 1970 &&
    calendar.getUTCFullYear() === Number(year) &&
    calendar.getUTCMonth() === Number(month) - 1 &&
    calendar.getUTCDate() === Number(day) &&
    calendar.getUTCHours() === Number(hour) &&
    calendar.getUTCMinutes() === Number(minute) &&
    calendar.getUTCSeconds() === Number(second) &&
    (zone === 'Z' || Number(zone.slice(1, 3)) <= 14);
  if (!valid) throw new OperatorError(400, `${problem} That date or time does not exist.`);

  return `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction ? `.${fraction}` : ''}${zone}`;
}

function parseDataPair(key: string, value: string): JobFilter['data'] {
  if (!key && !value) return null;
  if (!key) throw new OperatorError(400, 'A data value was given without a data key; give both, e.g. data_key=customer.id and data_value=42.');
  if (!value) throw new OperatorError(400, `The data key "${key}" was given without a data value; give both, e.g. data_key=${key} and data_value=42.`);

  const path = key.split('.');
  if (path.length > maximumDataKeyDepth) {
    throw new OperatorError(400, `The data key has ${path.length} levels; the maximum is ${maximumDataKeyDepth}. Match a shallower key.`);
  }
  if (path.some((segment) => segment.length === 0)) {
    throw new OperatorError(400, `The data key "${key}" has an empty part; separate nested keys with single dots, e.g. customer.id.`);
  }
  return { key, value };
}
