// The first-party relay on plain node:http: the shop's own server answers /postclick/c and
// /postclick/click, and forwards each conversion to the network's postback URL.
//
//   POSTCLICK_FORWARD='https://track.network.example/p.ashx?o=42&e=7&f=pb&r={click_id}&t={unique_id}' \
//   PORT=8080 node examples/relay-node/server.mjs
//
// Then on the shop's pages: init({ endpoint: '/postclick/c', cookieEndpoint: '/postclick/click' }).
import { createServer } from 'node:http';
import { relay, toNodeListener } from 'postclick/server';

const relayListener = toNodeListener(
  relay({
    forward: process.env.POSTCLICK_FORWARD,
    // Share the cookie between www. and checkout. (leave unset for a host-only cookie).
    cookieDomain: process.env.POSTCLICK_COOKIE_DOMAIN || undefined,
  }),
);

const server = createServer((req, res) => {
  if (req.url.startsWith('/postclick/')) return relayListener(req, res);
  // …the shop's own routes.
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
});

const host = process.env.HOST || '127.0.0.1';
server.listen(Number(process.env.PORT ?? 8080), host, () => {
  console.log(`listening on http://${host}:${server.address().port}`);
});
