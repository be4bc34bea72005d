import type { DisplayPolicy } from '../library';

// Keys whose values the reference host never shows, at any depth of job data.
const secretKeys = /pass(word)?|secret|token|api[_-]?key|authorization|cookie|email/i;

/**
 * The reference host's display policy: job and cron data are shown with secret-looking keys
 * replaced, everything else falls back to the library's rendering.
 */
export const hostDisplayPolicy: DisplayPolicy = {
  display(kind, value) {
    if (kind === 'job_args' || kind === 'job_output' || kind === 'cron_args') {
      return JSON.stringify(value, (key, nested) => (key && secretKeys.test(key) ? '[hidden by host policy]' : nested));
    }
    return null;
  },
};
