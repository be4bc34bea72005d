import { OperatorError } from '../errors';

// C0 control characters and DEL. No queue name, filter or cursor has them, and Postgres
// rejects a null character in text outright, so they are refused before any query.
const controlCharacters = /[\u0000-\u001f\u007f]/;

/**
 * Reads one query parameter as a trimmed string, '' when absent. Throws a 400
 * `OperatorError` when it is repeated, longer than `maximumLength` characters or contains a
 * control character, naming the parameter, so a bad link never reaches a query.
 */
export function readQueryParameter(query: Record<string, unknown>, name: string, label: string, maximumLength: number): string {
  const value = query[name];
  if (value === undefined) return '';
  if (Array.isArray(value)) {
    throw new OperatorError(400, `The ${label} filter (${name}) was given ${value.length} times; give it once.`);
  }
  if (typeof value !== 'string') return '';

  const trimmed = value.trim();
  if (trimmed.length > maximumLength) {
    throw new OperatorError(400, `The ${label} filter (${name}) is ${trimmed.length} characters long; the maximum is ${maximumLength}. Shorten it.`);
  }
  if (controlCharacters.test(trimmed)) {
    throw new OperatorError(400, `The ${label} filter (${name}) contains a control character, which no stored value here has; remove it.`);
  }
  return trimmed;
}
