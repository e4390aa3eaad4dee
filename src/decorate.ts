/**
 * `decorate`: carry the click ID across a cross-domain checkout. A link or form bound for
 * a listed host gets it appended, as the first of `params`, at the moment it is followed:
 * event delegation in the capture phase, so links added after load are covered and no DOM
 * scan runs.
 */
import { attempt } from './attempt';
import { readClick } from './clickStore';
import { clickParams, consented, settings } from './settings';

/** Whether `hostname` is one of `hosts` or a subdomain of one (a leading dot makes both one test). */
export const isListed = (hostname: string, hosts: string[]): boolean =>
  hosts.some((host) => ('.' + hostname).endsWith('.' + host));

const onFollow = (event: Event): unknown =>
  attempt(() => {
    // A click anywhere in a link (or a form, which is harmless: it only decorates early).
    const target = (event.target as Element).closest('a,area,form') as HTMLAnchorElement & HTMLFormElement;
    const attribute = target.action ? 'action' : 'href';
    const url = new URL(target[attribute]);
    const param = clickParams()[0]!;
    const clickId = readClick();
    // Before consent the click ID is not passed on to another site either.
    if (clickId && consented() && isListed(url.hostname, settings.decorate!) && !url.searchParams.has(param)) {
      // Appended as text: assigning searchParams would re-encode the target's own parameters.
      url.search += (url.search && '&') + param + '=' + clickId;
      target[attribute] = url.href;
      // A GET form replaces the action's query with its fields: the ID goes in a field too.
      if (target.method === 'get') {
        target.append(Object.assign(document.createElement('input'), { type: 'hidden', name: param, value: clickId }));
      }
    }
  });

/** Listens for every way a link or form is followed: click, middle click, submit. */
export const listenForDecoration = (): void => {
  if (!__FEATURE_DECORATE__) return;
  ['click', 'auxclick', 'submit'].forEach((type) => addEventListener(type, onFollow, true));
};
