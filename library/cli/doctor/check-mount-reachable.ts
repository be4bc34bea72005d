import { type CheckResult, fail, pass, skip } from './doctor-check';

/**
 * Requests the mount of a running host without a session. The host's scope answers first, so
 * a redirect to its login counts as reachable; a 404 means nothing is mounted there and a 5xx
 * means the host fails. Redirects are not followed.
 */
export async function checkMountReachable(baseUrl: string | undefined, mountPath: string, timeoutMs = 10_000): Promise<CheckResult> {
  const title = 'mount reachable';
  if (!baseUrl) return skip('mount-reachable', title, 'pass --url with the running host\'s base URL to check it');

  let url: URL;
  try {
    url = new URL(`${mountPath.replace(/\/$/, '')}/`, baseUrl);
  } catch {
    return fail('mount-reachable', title, `--url ${JSON.stringify(baseUrl)} is not a valid URL`, 'Pass the base URL the host listens on, e.g. http://127.0.0.1:3000.');
  }

  let response: Response;
  try {
    response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    return fail('mount-reachable', title, `${url.href} did not answer (${reason})`, 'Start the host, and check --url.');
  }
  await response.body?.cancel();

  if (response.status === 404) return fail('mount-reachable', title, `${url.href} answered 404: nothing is mounted at ${mountPath}`, `Mount the control plane inside a router with prefix '${mountPath}'.`);
  if (response.status >= 500) return fail('mount-reachable', title, `${url.href} answered ${response.status}`, "Read the host's log for the error id the control plane printed.");
  const location = response.headers.get('location');
  return pass('mount-reachable', title, `${url.href} answered ${response.status}${location ? ` redirecting to ${location}` : ''}`);
}
