/**
 * `cookieEndpoint`: after a capture, ask the shop's relay (its `/click` route) to set the
 * click-ID cookie from its HTTP response as well. Safari caps cookies written by scripts
 * (`document.cookie`) at 7 days, 1 day after a link-decorating site, while affiliate
 * windows are 30 days; a first-party cookie set by an HTTP response is not capped that way
 * (https://webkit.org/tracking-prevention/#intelligent-tracking-prevention-itp).
 */
import { attempt } from './attempt';
import { log } from './debug';
import { clickParams, settings } from './settings';

export const askForCookie = (clickId: string, endpoint = settings.cookieEndpoint): unknown =>
  endpoint &&
  attempt(() => {
    const url = endpoint + '?' + clickParams()[0] + '=' + clickId;
    log('asking ' + url + ' to set the cookie');
    // credentials: a cross-origin relay's Set-Cookie is stored too; keepalive: the request
    // outlives a landing page left at once. The referrer is the page's default: the full URL
    // only to its own origin, which served that URL anyway.
    const asked = fetch(url, { keepalive: true, credentials: 'include' });
    return __DEBUG__
      ? asked.then(
          (response) => log('cookieEndpoint answered ' + response.status + (response.ok ? ': cookie set' : '')),
          (error) => log('cookieEndpoint failed (unreachable, or not CORS-allowed for this origin)', error),
        )
      : asked.catch(() => {});
  });
