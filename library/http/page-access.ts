import type { Context } from 'koa';

import { makeDisplay } from '../display/make-display';
import type { PowertoolsEvents } from '../events/powertools-events';
import type { ResolvedOptions } from '../options/validate-options';
import type { Actor, AuthorizationDecision, AuthModule, Resource } from '../seams';

/** What every page handler knows about the request once access is granted. */
export interface PageRequest {
  actor: Actor;
  display: ReturnType<typeof makeDisplay>;
}

/**
 * Normalises what `authorize` returned. Anything but `true` or `{ allowed: true }` denies:
 * a host whose authorize returns undefined by mistake locks operators out rather than in.
 */
export async function decide(auth: AuthModule, actor: Actor, action: string, resource: Resource): Promise<AuthorizationDecision> {
  const decision = await auth.authorize(actor, action, resource);
  if (decision === true) return { allowed: true };
  if (decision && typeof decision === 'object' && decision.allowed === true) return { allowed: true };
  const reason = decision && typeof decision === 'object' && 'reason' in decision && typeof decision.reason === 'string' ? decision.reason : 'not permitted';
  return { allowed: false, reason };
}

/**
 * Grants a page to the current actor or redirects to the host's denied path. Returns null
 * when the request was redirected. `pageAction` is the action name the host authorises, such
 * as `view_cron`.
 */
export async function openPage(
  ctx: Context,
  deps: { options: ResolvedOptions; events: PowertoolsEvents },
  pageAction: string,
  resource: Resource,
): Promise<PageRequest | null> {
  const { auth, deniedRedirect, displayPolicy } = deps.options;
  const actor = await auth.currentActor(ctx);
  const decision = actor ? await decide(auth, actor, pageAction, resource) : { allowed: false as const, reason: 'not signed in' };
  if (!decision.allowed) {
    deps.events.emit('action:refused', { action: pageAction, resourceType: resource.type, resourceId: resource.id, actorId: null, why: decision.reason, status: 302 });
    ctx.redirect(deniedRedirect);
    return null;
  }

  const display = makeDisplay(displayPolicy, { page: pageAction, resource, actor }, (kind, error) =>
    deps.events.emit('display:failed', { kind, page: pageAction, error }),
  );
  return { actor, display };
}
