// The first-party relay as a Cloudflare Worker on the shop's own zone: route
// `shop.example/postclick/*` to it (wrangler.toml), and the shop's pages reach it on their
// own origin. The same `fetch` export runs under Deno (`deno serve`) and Bun.
//
// With Hono instead: app.all('/postclick/*', (c) => handler(c.req.raw)).
import { relay, type RelayHandler } from 'postclick/server';

export interface Env {
  /** The network's postback URL or template (a secret: `wrangler secret put POSTCLICK_FORWARD`). */
  POSTCLICK_FORWARD: string;
  /** The site's domain, so that www. and checkout. share the cookie; unset for host-only. */
  POSTCLICK_COOKIE_DOMAIN?: string;
}

let handler: RelayHandler | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (!new URL(request.url).pathname.startsWith('/postclick/')) return fetch(request); // the shop itself
    // Workers hand over their settings with the first request: build the relay then, once.
    handler ??= relay({
      forward: env.POSTCLICK_FORWARD,
      cookieDomain: env.POSTCLICK_COOKIE_DOMAIN || undefined,
    });
    return handler(request);
  },
};
