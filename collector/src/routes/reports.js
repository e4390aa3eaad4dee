// @ts-check
import { conversionsCsv } from '../reports/csv.js';
import { parseReportQuery } from '../reports/filters.js';
import { HttpError } from '../http.js';
import { reportFields } from '../store/common.js';
import { REPORTS_CSP, reportsErrorPage, reportsPage } from '../reportsPage.js';

/** GET /reports/conversions — JSON, newest first, filtered. @type {import('../app.js').Route} */
export async function conversionsJson(request, reply, app) {
  const { filter } = parseReportQuery(request.url, { paging: false });
  return reply.send(await app.store.findConversions(filter));
}

/** GET /reports/conversions.csv — the same rows as CSV. @type {import('../app.js').Route} */
export async function conversionsCsvRoute(request, reply, app) {
  const { filter } = parseReportQuery(request.url, { paging: false });
  const rows = await app.store.findConversions(filter);
  return reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', 'attachment; filename="conversions.csv"')
    .send(conversionsCsv(rows, reportFields(app.forwarder !== undefined)));
}

/** GET /reports/clicks — JSON, newest first. @type {import('../app.js').Route} */
export async function clicksJson(request, reply, app) {
  return reply.send(await app.store.clicks());
}

/**
 * GET /reports — the HTML page for the filters in the query. A bad filter is a 400 that
 * still shows the form, with the problem next to it.
 * @type {import('../app.js').Route}
 */
export async function reportsHtml(request, reply, app) {
  reply.header('Content-Type', 'text/html; charset=utf-8').header('Content-Security-Policy', REPORTS_CSP);
  const settings = { sessionHours: app.sessionHours, forwarding: app.forwarder !== undefined, now: app.now() };
  /** @type {ReturnType<typeof parseReportQuery>} */
  let query;
  try {
    query = parseReportQuery(request.url, { paging: true });
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return reply.code(error.status).send(reportsErrorPage({ ...settings, error: error.message, url: request.url }));
  }
  const { filter, page, values } = query;
  const { store } = app;
  const limit = /** @type {number} */ (page.limit);
  // One row more than shown tells whether there is an older page; a newer page exists when
  // a row above the first one shown matches the filters.
  const [rows, clicks, clickCount, byOffer, byDay] = await Promise.all([
    store.findConversions(filter, { ...page, limit: limit + 1 }),
    store.findClicks(filter, limit),
    store.countClicks(filter),
    store.summarizeByOffer(filter),
    store.summarizeByDay(filter),
  ]);
  const moreInCursorDirection = rows.length > limit;
  // `after` reads upwards: the extra row is the newest one, at the top.
  const conversions = page.after === undefined ? rows.slice(0, limit) : rows.slice(rows.length - limit);
  let hasOlder = page.after === undefined ? moreInCursorDirection : true;
  let hasNewer = page.after === undefined ? page.before !== undefined : moreInCursorDirection;
  if (page.before !== undefined && conversions.length) {
    hasNewer = (await store.findConversions(filter, { after: conversions[0].id, limit: 1 })).length > 0;
  }
  if (page.after !== undefined && conversions.length) {
    hasOlder =
      (await store.findConversions(filter, { before: conversions[conversions.length - 1].id, limit: 1 })).length > 0;
  }
  const html = reportsPage({
    ...settings,
    values,
    filter,
    conversions,
    clicks,
    clickCount,
    byOffer,
    byDay,
    paging: { limit, hasOlder, hasNewer },
  });
  return reply.send(html);
}
