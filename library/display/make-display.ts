import type { DisplayContext, DisplayKind, DisplayPolicy } from '../seams';

export const redacted = '[redacted]';

export type Display = (kind: DisplayKind, value: unknown) => string;

/**
 * Binds the host's display policy to one page. Every stored value a page renders goes through
 * the returned function. A policy that throws or returns something other than a string or null
 * fails closed: the page shows `[redacted]` and `onFailure` hears about it, never the value.
 */
export function makeDisplay(policy: DisplayPolicy, context: DisplayContext, onFailure: (kind: DisplayKind, error: unknown) => void): Display {
  return (kind, value) => {
    let shown: unknown;
    try {
      shown = policy.display(kind, value, context);
    } catch (error) {
      onFailure(kind, error);
      return redacted;
    }

    if (shown === null) return renderDefault(value);
    if (typeof shown === 'string') return shown;
    onFailure(kind, new TypeError(`display policy returned ${typeof shown} for kind "${kind}"; expected a string or null`));
    return redacted;
  };
}

function renderDefault(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}
