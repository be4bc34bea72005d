const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Names a job in audit events, previews and `authorize` calls as `<queue>/<job id>`. pg-boss
 * keys jobs by `(name, id)`, and queue names may themselves contain "/", so the id is always
 * the part after the last "/".
 */
export function formatJobResourceId(queue: string, id: string): string {
  return `${queue}/${id}`;
}

/** Splits a job resource id; null when it is not `<queue>/<uuid>`. */
export function parseJobResourceId(resourceId: string): { queue: string; id: string } | null {
  const slash = resourceId.lastIndexOf('/');
  if (slash <= 0) return null;
  const queue = resourceId.slice(0, slash);
  const id = resourceId.slice(slash + 1).toLowerCase();
  return uuidPattern.test(id) ? { queue, id } : null;
}
