// The first-party relay as a Next.js App Router route handler: this file answers
// /postclick/c and /postclick/click (the relay routes on the last path segment).
//
//   .env: POSTCLICK_FORWARD=https://track.network.example/postback?key=…
//
// Then in the shop's pages: init({ endpoint: '/postclick/c', cookieEndpoint: '/postclick/click' }).
// The handler uses only web-standard APIs, so `export const runtime = 'edge'` works too.
import { relay } from 'postclick/server';

const handler = relay({
  forward: process.env.POSTCLICK_FORWARD ?? '',
  cookieDomain: process.env.POSTCLICK_COOKIE_DOMAIN || undefined,
});

export { handler as GET, handler as POST, handler as OPTIONS };

// Every answer depends on the request: never prerender or cache it.
export const dynamic = 'force-dynamic';
