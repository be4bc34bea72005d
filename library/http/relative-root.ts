/**
 * Returns the relative path from a page back to the mount point. Pages link with relative URLs
 * only, so they keep working under any mount prefix and behind a proxy that adds its own
 * prefix. The mount itself is served with a trailing slash, so "cron" resolves below it.
 *
 * `routePath` is the route below the mount: "/" gives "./", "/cron" gives "./",
 * "/cron/:name" gives "../" and "/cron/:name/:action" gives "../../".
 */
export function relativeRoot(routePath: string): string {
  const segments = routePath.split('/').filter(Boolean).length;
  return segments <= 1 ? './' : '../'.repeat(segments - 1);
}
