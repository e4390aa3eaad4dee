// @ts-check
import { reportsPage } from '../reportsPage.js';

/** How many rows of each table the HTML page shows; totals always cover everything. */
const PAGE_ROWS = 500;

/** GET /reports/conversions — JSON, newest first. @type {import('../app.js').Route} */
export async function conversionsJson(request, reply, app) {
  return reply.send(await app.store.conversions());
}

/** GET /reports/clicks — JSON, newest first. @type {import('../app.js').Route} */
export async function clicksJson(request, reply, app) {
  return reply.send(await app.store.clicks());
}

/** GET /reports — the HTML page. @type {import('../app.js').Route} */
export async function reportsHtml(request, reply, app) {
  const { store } = app;
  const [clicks, conversions, totals, counts] = await Promise.all([
    store.clicks(PAGE_ROWS),
    store.conversions(PAGE_ROWS),
    store.totals(),
    store.counts(),
  ]);
  const page = reportsPage({
    clicks,
    conversions,
    totals,
    counts,
    rowLimit: PAGE_ROWS,
    sessionHours: app.sessionHours,
    forwarding: app.forwarder !== undefined,
  });
  return reply.header('Content-Type', 'text/html; charset=utf-8').send(page);
}
