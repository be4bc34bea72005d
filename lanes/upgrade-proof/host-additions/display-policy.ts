import type { DisplayPolicy } from 'koa-jobs-powertools';

// Billing job data carries customer identifiers; operators see them masked.
const maskedKeys = /customer|iban|email|token|secret|password/i;

/** The billing host's display policy, added by the upgrade to koa-jobs-powertools 0.2.0. */
export const displayPolicy: DisplayPolicy = {
  display(kind, value) {
    if (kind === 'job_args' || kind === 'job_output' || kind === 'cron_args') {
      return JSON.stringify(value, (key, nested) => (key && maskedKeys.test(key) ? '•••' : nested));
    }
    return null;
  },
};
