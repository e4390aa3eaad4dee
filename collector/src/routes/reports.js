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
  const [rows, clicks, clickCount, byOffer, byDay] = await Promise.all([
    // One row more than shown: whether the list goes on in the direction being read.
    store.findConversions(filter, { ...page, limit: limit + 1 }),
    store.findClicks(filter, limit),
    store.countClicks(filter),
    store.summarizeByOffer(filter),
    store.summarizeByDay(filter),
  ]);
  // `after` reads upwards (towards newer rows): its extra row is the newest, at the top.
  const readingUp = page.after !== undefined;
  const conversions = readingUp ? rows.slice(-limit) : rows.slice(0, limit);
  const first = conversions.at(0)?.id;
  const last = conversions.at(-1)?.id;
  /** Whether any row matches the filters beyond this cursor. @param {{ before?: number, after?: number }} cursor */
  const exists = async (cursor) => (await store.findConversions(filter, { ...cursor, limit: 1 })).length > 0;
  const hasOlder = readingUp ? last !== undefined && (await exists({ before: last })) : rows.length > limit;
  const hasNewer = readingUp
    ? rows.length > limit
    : page.before !== undefined && first !== undefined && (await exists({ after: first }));
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
