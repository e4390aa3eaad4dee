// The first-party relay in an Express app, mounted under /postclick: it answers
// /postclick/c and /postclick/click, and forwards each conversion to the network.
//
//   npm install express postclick
//   POSTCLICK_FORWARD='https://www.trk.network.example/?nid=123&transaction_id={click_id}&order_id={order_id}&adv1={unique_id}' \
//   PORT=8080 node examples/relay-express/server.mjs
import express from 'express';
import { relay, toNodeListener } from 'postclick/server';

const app = express();

// Before any body parser, or after one: the relay reads a form body either way.
app.use(
  '/postclick',
  toNodeListener(
    relay({
      forward: process.env.POSTCLICK_FORWARD,
      cookieDomain: process.env.POSTCLICK_COOKIE_DOMAIN || undefined,
    }),
  ),
);

app.get('/', (_req, res) => {
  res.send('the shop');
});

const host = process.env.HOST || '127.0.0.1';
const server = app.listen(Number(process.env.PORT ?? 8080), host, () => {
  console.log(`listening on http://${host}:${server.address().port}`);
});
