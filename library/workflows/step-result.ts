/** A result as it is stored, or why it cannot be. */
export type SerializedResult = { ok: true; json: string; bytes: number } | { ok: false; error: { name: string; message: string } };

// jsonb rejects the NUL character and unpaired UTF-16 surrogates, which JSON.stringify writes as
// escapes. A result holding one would fail the settling transaction itself, so it is rejected here.
const unstorableEscape = /\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2})|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;

/**
 * Serialises a handler's return value for the step's `result` column. `undefined` is stored as
 * null. A value JSON cannot represent (a BigInt, a cycle), one jsonb cannot store, or one over
 * `maximumBytes` is rejected with a message that says which and what to do.
 */
export function serializeStepResult(value: unknown, maximumBytes: number): SerializedResult {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    return { ok: false, error: { name: 'ResultNotJson', message: `The handler returned a value that is not JSON (${(error as Error).message}). Return plain objects, arrays, strings, numbers, booleans or null.` } };
  }

  const stored = json ?? 'null';
  if (unstorableEscape.test(stored)) {
    return { ok: false, error: { name: 'ResultNotJson', message: 'The handler returned text with a NUL character or an unpaired surrogate, which Postgres jsonb cannot store. Remove or encode it.' } };
  }
  const bytes = Buffer.byteLength(stored, 'utf8');
  if (bytes > maximumBytes) {
    return { ok: false, error: { name: 'ResultTooLarge', message: `The handler returned ${bytes} bytes of JSON; a step result may hold at most ${maximumBytes}. Store large output elsewhere and return a reference to it.` } };
  }
  return { ok: true, json: stored, bytes };
}

const maximumErrorMessageLength = 2000;

/** Reduces what a handler threw to a name and a message that fit in jsonb. The stack stays in the log. */
export function serializeStepError(thrown: unknown): { name: string; message: string } {
  const name = thrown instanceof Error ? thrown.name : 'NonErrorThrown';
  const message = thrown instanceof Error ? thrown.message : `The handler threw a ${thrown === null ? 'null' : typeof thrown} instead of an Error.`;
  return { name: clean(name).slice(0, 200), message: clean(message).slice(0, maximumErrorMessageLength) };
}

function clean(text: string): string {
  return String(text).replaceAll('\u0000', '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
