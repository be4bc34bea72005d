import { readFileSync, writeFileSync } from 'node:fs';

import { readZipEntries } from './zip-entries';
import { writeZip } from './zip-writer';

const credentialHeaders = /^(cookie|set-cookie|authorization|proxy-authorization)$/i;
export const redactedValue = '[redacted]';

/**
 * Rewrites a Playwright trace so its network log carries no cookie or authorization value.
 * Playwright records every request's cookies and headers, and the lane's session cookies are
 * credentials for the time the host runs. Returns how many values it replaced.
 */
export function redactTrace(tracePath: string): number {
  let replaced = 0;
  const entries = readZipEntries(readFileSync(tracePath)).map((entry) => {
    const data = entry.read();
    if (!entry.name.endsWith('.network')) return { name: entry.name, data };

    const lines = data.toString('utf8').split('\n').map((line) => {
      if (line.trim() === '') return line;
      const record = JSON.parse(line) as unknown;
      replaced += redactCredentials(record);
      return JSON.stringify(record);
    });
    return { name: entry.name, data: Buffer.from(lines.join('\n'), 'utf8') };
  });

  writeFileSync(tracePath, writeZip(entries));
  return replaced;
}

/** Replaces cookie values and credential header values anywhere in a HAR-shaped record. */
function redactCredentials(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((sum: number, item) => sum + redactCredentials(item), 0);
  if (node === null || typeof node !== 'object') return 0;

  const record = node as Record<string, unknown>;
  let replaced = 0;
  if (Array.isArray(record.cookies)) {
    for (const cookie of record.cookies as Record<string, unknown>[]) {
      cookie.value = redactedValue;
      replaced += 1;
    }
  }
  if (typeof record.name === 'string' && credentialHeaders.test(record.name) && typeof record.value === 'string') {
    record.value = redactedValue;
    replaced += 1;
  }
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'cookies') replaced += redactCredentials(value);
  }
  return replaced;
}
