/** The outcome of one doctor check: a line an operator or CI can act on. */
export interface CheckResult {
  /** Stable id for `--json` consumers, e.g. `seam:auth`. */
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'skip';
  /** The finding, or the reason the check could not run. */
  detail: string;
  /** The fix for a failure, or null when the check passed or was skipped. */
  fix: string | null;
}

export function pass(id: string, title: string, detail: string): CheckResult {
  return { id, title, status: 'pass', detail, fix: null };
}

export function fail(id: string, title: string, detail: string, fix: string): CheckResult {
  return { id, title, status: 'fail', detail, fix };
}

export function skip(id: string, title: string, detail: string): CheckResult {
  return { id, title, status: 'skip', detail, fix: null };
}

/** Formats one line per check, its fix indented below a failure, then the totals. */
export function formatCheckResults(results: CheckResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${result.status.toUpperCase().padEnd(4)}  ${result.title}: ${result.detail}`);
    if (result.fix) lines.push(`      fix: ${result.fix}`);
  }
  lines.push(formatTotals(results));
  return lines.join('\n');
}

export function formatTotals(results: CheckResult[]): string {
  const count = (status: CheckResult['status']) => results.filter((result) => result.status === status).length;
  return `${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`;
}
