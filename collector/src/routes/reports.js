// @ts-check
import { sendHtml, sendJson } from '../http.js';
import { reportsPage } from '../reportsPage.js';

/** How many rows of each table the HTML page shows; totals always cover everything. */
const PAGE_ROWS = 500;

/** GET /reports/conversions — JSON, newest first. @type {import('../app.js').Route} */
export function conversionsJson(req, res, url, app) {
  sendJson(res, 200, app.db.conversions());
}

/** GET /reports/clicks — JSON, newest first. @type {import('../app.js').Route} */
export function clicksJson(req, res, url, app) {
  sendJson(res, 200, app.db.clicks());
}

/** GET /reports — the HTML page. @type {import('../app.js').Route} */
export function reportsHtml(req, res, url, app) {
  const { db } = app;
  sendHtml(
    res,
    200,
    reportsPage({
      clicks: db.clicks(PAGE_ROWS),
      conversions: db.conversions(PAGE_ROWS),
      totals: db.totals(),
      counts: db.counts(),
      rowLimit: PAGE_ROWS,
      sessionHours: app.sessionHours,
    }),
  );
}
