/**
 * `decorate`: carry the click ID across a cross-domain checkout. Links and forms bound for
 * the listed hosts get it appended as the first of `params` at the moment they are followed
 * — event delegation, so links added after load are covered and no DOM scan runs.
 */
import { readClick } from './clickStore';
import { log } from './debug';
import { clickParams, option } from './settings';

/** Whether `hostname` is one of `hosts` or a subdomain of one. */
export const isListed = (hostname: string, hosts: string[]): boolean =>
  hosts.some((host) => hostname == host || hostname.endsWith('.' + host));

function onFollow(event: Event): void {
  try {
    const form = event.type == 'submit' ? (event.target as HTMLFormElement) : null;
    const link = form ? null : ((event.target as Element).closest?.('a[href],area[href]') as HTMLAnchorElement | null);
    if (!form && !link) return;
    const url = new URL(form ? form.action : link!.href);
    const param = clickParams()[0]!;
    const clickId = readClick();
    if (!clickId || !/^https?:$/.test(url.protocol) || !isListed(url.hostname, option('decorate')!) || url.searchParams.has(param)) return;
    // Appended as text: assigning searchParams would re-encode the target's own parameters.
    url.search += (url.search ? '&' : '') + param + '=' + clickId;
    if (link) link.href = url.href;
    else if (form!.method != 'get') form!.action = url.href;
    else if (!form!.elements.namedItem(param)) {
      // A GET form replaces the action's query with its fields, so the ID goes in a field.
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = param;
      input.value = clickId;
      form!.appendChild(input);
    }
    log('decorated', url.href);
  } catch (error) {
    log('error', error);
  }
}

/** Listens, in the capture phase, for the ways a link or form can be followed. */
export function listenForDecoration(): void {
  for (const type of ['click', 'auxclick', 'submit']) addEventListener(type, onFollow, true);
}
