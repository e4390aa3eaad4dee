// @ts-check
/**
 * The /reports page: one self-contained HTML document (inline CSS, an inline SVG chart and
 * one small inline script that refreshes the report; nothing external). Every value goes
 * through `html` (reports/markup.js), which escapes it, and the page's Content-Security-Policy
 * allows only this CSS and this script, by hash.
 */
import { createHash } from 'node:crypto';
import { chartDays, dayChart } from './reports/chart.js';
import { DEFAULT_PAGE_ROWS, queryString, STATUSES } from './reports/filters.js';
import { html, Markup } from './reports/markup.js';

/** @typedef {import('./store/common.js').Status} Status */
/** @typedef {import('./store/common.js').ConversionFilter} ConversionFilter */

/** How often an open page fetches itself again, in seconds. */
export const REFRESH_SECONDS = 10;

const STATUS_HELP = {
  approved: 'Attributed to a known click inside the session window. Counted in the totals.',
  duplicate:
    'Same offer_id and unique_id as a conversion already counted: a refresh, a retry, a second tab. ' +
    'Stored for the record, never counted twice. Two real sales need two order IDs.',
  scrubbed:
    'Attributed but not payable: the click is older than the session window (expired session), ' +
    'or the click or its affiliate is on the suppression list (POST /suppression).',
  rejected:
    'Not attributable. "missing click_id": the landing page never captured the click ID (does the ' +
    'tracking link add s1? does postclick run on the landing page? is the _postclick cookie on this ' +
    'site?). "unknown click_id": this collector never issued it (another database, a test ID).',
};

/** An absent value is a dash everywhere, rows and totals alike; a stored 0 is `0.00`. */
const money = (/** @type {number | null} */ n) => (n === null ? html`<span class="none">—</span>` : n.toFixed(2));
/** `2025-11-25T09:14:03.120Z` → `2025-11-25 09:14:03` (UTC, said in the header). */
const time = (/** @type {string} */ iso) => iso.slice(0, 19).replace('T', ' ');
const badge = (/** @type {string} */ status) => html`<span class="badge ${status}">${status}</span>`;
const DAY_MS = 86_400_000;
const dayOf = (/** @type {number} */ ms) => new Date(ms).toISOString().slice(0, 10);
/** Currencies sort by code, a missing one last: the same order on both stores. */
function byCurrency(/** @type {string | null} */ a, /** @type {string | null} */ b) {
  if (a === null || b === null) return Number(a === null) - Number(b === null);
  return byText(a, b);
}
/** Plain code-unit order, not the locale's: the same whichever database sorted before. */
function byText(/** @type {string} */ a, /** @type {string} */ b) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * @typedef {object} PageSettings
 * @property {number} sessionHours
 * @property {boolean} forwarding  a column with each approved conversion's postback state
 * @property {number} now  epoch ms, for the date shortcuts and the chart's last day
 */

/**
 * @param {PageSettings & {
 *   values: Record<string, string>,
 *   filter: ConversionFilter,
 *   conversions: import('./store/common.js').Conversion[],
 *   clicks: import('./store/common.js').Click[],
 *   clickCount: number,
 *   byOffer: import('./store/common.js').OfferSummary[],
 *   byDay: import('./store/common.js').DaySummary[],
 *   paging: { limit: number, hasOlder: boolean, hasNewer: boolean },
 * }} report
 */
export function reportsPage(report) {
  const { values, filter, conversions, clicks, clickCount, byOffer, byDay, paging, forwarding } = report;
  // The money totals count one status: the filtered one, else approved (the payable sales).
  const counted = filter.status ?? 'approved';
  /** @type {Record<'clicks' | Status, number>} */
  const counts = { clicks: clickCount, approved: 0, duplicate: 0, scrubbed: 0, rejected: 0 };
  for (const row of byDay) counts[row.status] += row.conversions;

  const body = html`<section class="cards">
  ${Object.entries(counts).map(([status, n]) => html`<div class="card ${status}"><b>${n}</b>${status}</div>`)}
</section>
<h2>${counted === 'approved' ? 'Approved' : counted} totals per offer and currency</h2>
${offerTable(byOffer.filter((row) => row.status === counted))}
<h2>Per day</h2>
${dayView(report, counted)}
<h2 id="conversions">Conversions ${pageNav(values, conversions, paging)}</h2>
${conversionsTable(conversions, forwarding)}
${conversions.length ? html`<p class="pager">${pageNav(values, conversions, paging)}</p>` : ''}
<h2>Clicks <small>${clicks.length < clickCount ? `latest ${clicks.length} of ${clickCount} · ` : ''}<a
  href="/reports/clicks">all as JSON</a></small></h2>
${clicksTable(clicks)}`;
  return layout(report, body);
}

/**
 * The page for a request whose filters are wrong: the form with the values as given and
 * what is wrong with them, no report.
 * @param {PageSettings & { error: string, url: string }} settings
 */
export function reportsErrorPage(settings) {
  const query = new URLSearchParams(settings.url.includes('?') ? settings.url.slice(settings.url.indexOf('?')) : '');
  /** @type {Record<string, string>} */
  const values = {};
  for (const [name, value] of query) if (!(name in values) && value !== '') values[name] = value;
  return layout({ ...settings, values, error: settings.error }, html`<p class="empty">Fix the filters above.</p>`);
}

/**
 * @param {PageSettings & { values: Record<string, string>, error?: string }} settings
 * @param {Markup} body
 */
function layout({ values, sessionHours, now, error }, body) {
  const filters = filterValues(values);
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>postclick · reports</title><link rel="icon" href="data:,"><style>${new Markup(CSS)}</style></head>
<body><header><h1>postclick <span>collector reports</span></h1>
<p>Times in UTC · session window ${sessionHours} h${
    error
      ? ''
      : html` · this selection as <a href="/reports/conversions.csv${queryString(filters)}">CSV</a> or
<a href="/reports/conversions${queryString(filters)}">JSON</a> · <span id="live">updates every ${REFRESH_SECONDS} s</span><noscript>reload to update</noscript>`
  }</p></header>
${filterForm(values, now)}
${error ? html`<p class="error" role="alert"><b>Cannot show this report:</b> ${error}</p>` : ''}
<main id="report"${error ? '' : html` data-refresh="${REFRESH_SECONDS}"`}>
${body}
<h2>What the statuses mean</h2>
<dl class="legend">${Object.entries(STATUS_HELP).map(([status, help]) => html`<dt>${badge(status)}</dt><dd>${help}</dd>`)}</dl>
</main>
<script>${new Markup(SCRIPT)}</script>
</body></html>`.text;
}

/** The filter parameters among the page's values (paging left out). @param {Record<string, string>} values */
function filterValues({ status, offer_id, aff_id, from, to }) {
  return { status, offer_id, aff_id, from, to };
}

/** @param {Record<string, string>} values @param {number} now */
function filterForm(values, now) {
  const { status = '', offer_id = '', aff_id = '', from = '', to = '' } = values;
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
  const keep = { status, offer_id, aff_id, limit: values.limit };
  const ranges = [
    ['today', today, today + DAY_MS],
    ['yesterday', today - DAY_MS, today],
    ['last 7 days', today - 6 * DAY_MS, today + DAY_MS],
    ['this month', monthStart, today + DAY_MS],
  ].map(
    ([label, start, end]) =>
      html`<a href="/reports${queryString({ ...keep, from: dayOf(Number(start)), to: dayOf(Number(end)) })}">${label}</a>`,
  );
  const rows = [50, 100, 250, 500];
  const limit = values.limit ?? String(DEFAULT_PAGE_ROWS);
  return html`<form id="filters" class="filters" method="get" action="/reports">
<label>Status<select name="status"><option value="">any</option>${STATUSES.map(
    (s) => html`<option${s === status ? html` selected` : ''}>${s}</option>`,
  )}</select></label>
<label>Offer<input name="offer_id" value="${offer_id}" placeholder="any" autocomplete="off"></label>
<label>Affiliate<input name="aff_id" value="${aff_id}" placeholder="any" autocomplete="off"></label>
<label>From<input name="from" ${dateInput(from)}></label>
<label><span>To <small>(excl.)</small></span><input name="to" ${dateInput(to)}></label>
<label>Rows<select name="limit" data-default="${DEFAULT_PAGE_ROWS}">${rows.map(
    (n) => html`<option${String(n) === limit ? html` selected` : ''}>${n}</option>`,
  )}</select></label>
<div class="actions"><button type="submit">Apply</button> <a href="/reports">clear</a></div>
<p class="ranges">${ranges.map((link, i) => (i > 0 ? html` · ${link}` : link))}</p>
</form>`;
}

/**
 * A date picker for a date (what the form sends), a text field for a time, so a time given
 * in the URL (`from=2025-11-25T09:00Z`) survives the next Apply.
 * @param {string} value
 */
function dateInput(value) {
  // Only a real date fits a date picker: an impossible one (shown with its error) stays as typed.
  const time = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  const isDate = value === '' || (!Number.isNaN(time) && dayOf(time) === value);
  return isDate
    ? html`type="date" value="${value}"`
    : html`type="text" value="${value}" placeholder="YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"`;
}

/** @param {import('./store/common.js').OfferSummary[]} rows  one status */
function offerTable(rows) {
  if (!rows.length) return html`<p class="empty">No conversions to total in this selection.</p>`;
  const sorted = [...rows].sort((a, b) => byText(a.offer_id, b.offer_id) || byCurrency(a.currency, b.currency));
  return html`<div class="scroll"><table class="totals"><thead><tr><th>offer</th><th>currency</th>
<th class="num">conversions</th><th class="num">amount</th><th class="num">payout</th><th class="num">revenue</th>
</tr></thead><tbody>${sorted.map(
    (
      t,
    ) => html`<tr><td class="mono">${t.offer_id}</td><td>${currency(t.currency)}</td><td class="num">${t.conversions}</td>
<td class="num">${money(t.amount)}</td><td class="num">${money(t.payout)}</td><td class="num">${money(t.revenue)}</td></tr>`,
  )}</tbody></table></div>`;
}

/** @param {string | null} code */
const currency = (code) => (code === null ? html`<span class="none">none</span>` : code);

/**
 * The chart and the table per day: counts per status, and the counted status's money per
 * currency, one line each.
 * @param {{ filter: ConversionFilter, byDay: import('./store/common.js').DaySummary[], now: number }} report
 * @param {Status} counted
 */
function dayView({ filter, byDay, now }, counted) {
  const { days, cut } = chartDays(filter, byDay, now);
  /** @type {Map<string, Record<Status, number>>} */
  const counts = new Map();
  /** @type {Map<string, import('./store/common.js').DaySummary[]>} */
  const moneyRows = new Map();
  for (const row of byDay) {
    const perStatus = counts.get(row.day) ?? { approved: 0, duplicate: 0, scrubbed: 0, rejected: 0 };
    perStatus[row.status] += row.conversions;
    counts.set(row.day, perStatus);
    if (row.status === counted) moneyRows.set(row.day, [...(moneyRows.get(row.day) ?? []), row]);
  }
  const withData = [...days].reverse().filter((day) => counts.has(day));
  if (!days.length || !withData.length) return html`<p class="empty">No conversions in this selection.</p>`;
  /** @param {string} day @param {'amount' | 'payout' | 'revenue'} field */
  const perCurrency = (day, field) =>
    [...(moneyRows.get(day) ?? [])]
      .sort((a, b) => byCurrency(a.currency, b.currency))
      .map((row) => html`<span class="line">${money(row[field])} <small>${row.currency ?? ''}</small></span>`);
  return html`${cut ? html`<p class="note">The latest ${days.length} days of the selection; choose From and To for earlier days.</p>` : ''}
${dayChart(days, counts)}
<div class="scroll"><table class="days"><thead><tr><th>day (UTC)</th>${STATUSES.map(
    (s) => html`<th class="num">${s}</th>`,
  )}<th class="num">${counted} amount</th><th class="num">payout</th><th class="num">revenue</th></tr></thead><tbody>${withData.map(
    (day) => html`<tr><td class="nowrap">${day}</td>${STATUSES.map(
      (s) => html`<td class="num">${counts.get(day)?.[s] || html`<span class="none">0</span>`}</td>`,
    )}<td class="num">${perCurrency(day, 'amount')}</td><td class="num">${perCurrency(day, 'payout')}</td>
<td class="num">${perCurrency(day, 'revenue')}</td></tr>`,
  )}</tbody></table></div>`;
}

/**
 * Links to the newer and older pages, keeping the filters and the page size. Pages are
 * cut at conversion ids, so rows arriving meanwhile do not shift an older page.
 * @param {Record<string, string>} values @param {import('./store/common.js').Conversion[]} rows
 * @param {{ limit: number, hasOlder: boolean, hasNewer: boolean }} paging
 */
function pageNav(values, rows, { hasOlder, hasNewer }) {
  if (!rows.length || (!hasOlder && !hasNewer)) return html`<small>${rows.length} shown</small>`;
  const keep = { ...filterValues(values), limit: values.limit };
  const newer = hasNewer
    ? html`<a rel="prev" href="/reports${queryString({ ...keep, after: rows[0].id })}#conversions">← newer</a>`
    : html`<span class="none">← newer</span>`;
  const older = hasOlder
    ? html`<a rel="next" href="/reports${queryString({ ...keep, before: rows[rows.length - 1].id })}#conversions">older →</a>`
    : html`<span class="none">older →</span>`;
  const newest = hasNewer ? html` · <a href="/reports${queryString(keep)}#conversions">newest</a>` : '';
  return html`<small class="nav">#${rows[0].id}–#${rows[rows.length - 1].id} · ${newer} · ${older}${newest}</small>`;
}

/** @param {import('./store/common.js').Conversion[]} conversions @param {boolean} forwarding */
function conversionsTable(conversions, forwarding) {
  if (!conversions.length) {
    return html`<p class="empty">No conversions in this selection. Fire one from a thank-you page, or
<code>curl "/c?offer_id=42&amp;click_id=…"</code>.</p>`;
  }
  return html`<div class="scroll"><table class="conversions"><thead><tr><th>#</th><th>time</th><th>status</th><th>offer</th>
<th>affiliate</th><th>click ID</th><th>order / unique ID</th><th>currency</th><th class="num">amount</th>
<th class="num">payout</th><th class="num">revenue</th><th>sub IDs</th><th>reason</th>${forwarding ? html`<th>forwarded</th>` : ''}
</tr></thead><tbody>${conversions.map(
    (c) => html`<tr class="${c.status}"><td class="num">${c.id}</td><td class="nowrap">${time(c.created_at)}</td>
<td>${badge(c.status)}</td><td class="mono">${c.offer_id}</td><td class="mono">${c.aff_id ?? html`<span class="none">—</span>`}</td>
<td class="mono id">${c.click_id ?? html`<span class="none">—</span>`}</td>
<td class="mono wrap">${c.order_id}${c.unique_id !== c.order_id ? html`<br><small>${c.unique_id}</small>` : ''}</td>
<td>${c.currency ?? ''}</td><td class="num">${money(c.amount)}</td><td class="num">${money(c.payout)}</td>
<td class="num">${money(c.revenue)}</td><td class="wrap">${subIds(c)}</td><td class="reason">${c.reason}</td>${
      forwarding ? forwardCell(c) : ''
    }</tr>`,
  )}</tbody></table></div>`;
}

/** @param {import('./store/common.js').Click[]} clicks */
function clicksTable(clicks) {
  if (!clicks.length) {
    return html`<p class="empty">No clicks in this selection. Follow a tracking link:
<code>/click?offer_id=42&amp;aff_id=7&amp;url=…</code></p>`;
  }
  return html`<div class="scroll"><table><thead><tr><th>time</th><th>click ID</th><th>offer</th><th>affiliate</th>
<th>landing URL</th></tr></thead><tbody>${clicks.map(
    (c) => html`<tr><td class="nowrap">${time(c.created_at)}</td><td class="mono">${c.click_id}</td>
<td class="mono">${c.offer_id}</td><td class="mono">${c.aff_id}</td><td class="wrap">${c.url}</td></tr>`,
  )}</tbody></table></div>`;
}

/** The postback state of an approved conversion: `pending · 2 attempts`. @param {import('./store/common.js').Conversion} c */
function forwardCell(c) {
  if (!c.forward_status) return html`<td></td>`;
  const attempts = c.forward_attempts === 1 ? '1 attempt' : `${c.forward_attempts} attempts`;
  return html`<td class="nowrap"><span class="forward ${c.forward_status}">${c.forward_status}</span> <small>${attempts}</small></td>`;
}

/** adv1…adv5, event: only those present, labelled. @param {import('./store/common.js').Conversion} c */
function subIds(c) {
  const fields = /** @type {const} */ (['adv1', 'adv2', 'adv3', 'adv4', 'adv5', 'event']);
  return fields.filter((f) => c[f] !== null).map((f) => html`<span class="sub"><small>${f}</small> ${c[f]}</span>`);
}

const CSS = `
:root { --approved: #15803d; --duplicate: #a16207; --scrubbed: #c2410c; --rejected: #b91c1c;
  --approved-bg: #dcfce7; --duplicate-bg: #fef9c3; --scrubbed-bg: #ffedd5; --rejected-bg: #fee2e2;
  --line: #e5e7eb; --muted: #6b7280; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; }
body { margin: 0 auto; padding: 24px 32px 48px; max-width: 1400px; background: #f9fafb; }
header h1 { margin: 0; font-size: 22px; } header h1 span { font-weight: 400; color: var(--muted); }
header p { margin: 4px 0 0; color: var(--muted); } a { color: #2563eb; }
h2 { font-size: 16px; margin: 28px 0 8px; } h2 small { font-weight: 400; color: var(--muted); }
.filters { display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: flex-end; margin-top: 16px; background: #fff;
  border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.filters label { display: flex; flex-direction: column; font-size: 12px; font-weight: 600; color: #374151; gap: 3px; }
.filters input, .filters select { font: inherit; font-weight: 400; padding: 5px 7px; border: 1px solid #d1d5db; border-radius: 6px;
  background: #fff; min-width: 0; width: 10em; box-sizing: border-box; }
.filters select[name=limit] { width: 5.5em; } .filters input[type=text][name=from], .filters input[type=text][name=to] { width: 15em; }
.filters button { font: inherit; font-weight: 600; padding: 6px 16px; border: 0; border-radius: 6px; background: #2563eb; color: #fff; cursor: pointer; }
.filters .actions { display: flex; gap: 10px; align-items: center; }
.filters .ranges { flex-basis: 100%; margin: 0; font-size: 13px; color: var(--muted); }
.error { background: var(--rejected-bg); color: var(--rejected); border-radius: 10px; padding: 10px 14px; }
.note { color: var(--muted); margin: 0 0 6px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 20px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 10px 18px; min-width: 96px; color: var(--muted); }
.card b { display: block; font-size: 24px; color: #111827; }
.card.approved b { color: var(--approved); } .card.duplicate b { color: var(--duplicate); }
.card.scrubbed b { color: var(--scrubbed); } .card.rejected b { color: var(--rejected); }
.scroll { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 10px; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 7px 10px; text-align: left; vertical-align: baseline; border-bottom: 1px solid var(--line); }
th { background: #f3f4f6; font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: #374151; white-space: nowrap; }
tbody tr:last-child td { border-bottom: 0; }
tr.approved td:first-child { box-shadow: inset 3px 0 var(--approved); } tr.duplicate td:first-child { box-shadow: inset 3px 0 var(--duplicate); }
tr.scrubbed td:first-child { box-shadow: inset 3px 0 var(--scrubbed); } tr.rejected td:first-child { box-shadow: inset 3px 0 var(--rejected); }
.num { text-align: right; font-variant-numeric: tabular-nums; } .nowrap { white-space: nowrap; }
.mono { font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
.wrap { overflow-wrap: anywhere; min-width: 10em; max-width: 22em; } .id { overflow-wrap: anywhere; min-width: 9em; max-width: 24em; }
.reason { color: #374151; min-width: 12em; max-width: 28em; }
small { color: var(--muted); } .sub { display: block; } .line { display: block; white-space: nowrap; } .none { color: #9ca3af; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.badge.approved { color: var(--approved); background: var(--approved-bg); } .badge.duplicate { color: var(--duplicate); background: var(--duplicate-bg); }
.badge.scrubbed { color: var(--scrubbed); background: var(--scrubbed-bg); } .badge.rejected { color: var(--rejected); background: var(--rejected-bg); }
.empty { color: var(--muted); background: #fff; border: 1px dashed var(--line); border-radius: 10px; padding: 14px; margin: 0; }
.chart { margin: 0 0 12px; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 8px 12px; }
.chart svg { display: block; width: 100%; height: 140px; }
.chart .grid { stroke: var(--line); } .chart .axis { stroke: #9ca3af; } .chart .hit { fill: transparent; }
.chart g:hover .hit { fill: #f3f4f6; }
.s-approved { fill: var(--approved); } .s-duplicate { fill: #eab308; } .s-scrubbed { fill: #f97316; } .s-rejected { fill: var(--rejected); }
.chart figcaption { display: flex; justify-content: space-between; gap: 8px; flex-wrap: wrap; font-size: 12px; color: var(--muted); margin-top: 4px; }
.chart .keys { display: flex; gap: 10px; flex-wrap: wrap; } .key i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
.k-approved { background: var(--approved); } .k-duplicate { background: #eab308; } .k-scrubbed { background: #f97316; } .k-rejected { background: var(--rejected); }
.pager { margin: 8px 0 0; } .nav a, .nav span { white-space: nowrap; }
.legend { display: grid; grid-template-columns: max-content 1fr; gap: 8px 16px; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin: 0; }
.legend dd { margin: 0; color: #374151; }
.forward { font-weight: 600; } .forward.forwarded { color: var(--approved); } .forward.pending { color: var(--duplicate); } .forward.failed { color: var(--rejected); }
code { font: 12px ui-monospace, monospace; background: #f3f4f6; padding: 1px 5px; border-radius: 4px; }
@media (max-width: 600px) {
  body { padding: 14px 12px 32px; }
  .filters label { flex: 1 1 40%; } .filters input, .filters select, .filters input[type=text][name=from],
  .filters input[type=text][name=to], .filters select[name=limit] { width: 100%; }
  .card { min-width: 0; box-sizing: border-box; flex: 1 1 28%; padding: 8px 10px; } .card b { font-size: 20px; }
  .legend { grid-template-columns: 1fr; } .legend dd { margin-bottom: 6px; }
}
`;

/**
 * Keeps an open page current without losing its state: every few seconds it fetches its own
 * URL (same filters, same page) and swaps in the new report; the form is left alone. It
 * waits while the tab is hidden, while the form has focus, and while the form holds values
 * that were not applied yet. Empty fields, and the default page size, are left out of the
 * submitted URL.
 */
const SCRIPT = `
(function () {
  var form = document.getElementById('filters');
  var live = document.getElementById('live');
  var report = document.getElementById('report');
  // No data-refresh: a page that shows an error in its filters, nothing to keep current.
  if (!form || !live || !report || !report.hasAttribute('data-refresh') || !window.fetch || !window.DOMParser) return;
  var seconds = Number(report.getAttribute('data-refresh'));
  var state = function () { return new URLSearchParams(new FormData(form)).toString(); };
  var applied = state();
  var focused = false;
  form.addEventListener('focusin', function () { focused = true; });
  form.addEventListener('focusout', function () { focused = false; });
  form.addEventListener('submit', function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && (!field.value || field.value === field.getAttribute('data-default'))) field.disabled = true;
    });
  });
  function say(text) { live.textContent = text; }
  function refresh() {
    if (document.hidden) return;
    if (focused || state() !== applied) { say('paused while the filters are edited'); return; }
    fetch(location.href, { cache: 'no-store', credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.text();
      })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, 'text/html').getElementById('report');
        var current = document.getElementById('report');
        if (!next || !current) throw new Error('no report in the answer');
        current.replaceWith(document.importNode(next, true));
        say('updated ' + new Date().toLocaleTimeString() + ' · every ' + seconds + ' s');
      })
      .catch(function (error) { say('update failed (' + error.message + '), trying again in ' + seconds + ' s'); });
  }
  setInterval(refresh, seconds * 1000);
  document.addEventListener('visibilitychange', refresh);
})();
`;

/** The hash of a CSP source for inline text. @param {string} text */
const sha256 = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The page's Content-Security-Policy: its own CSS and script by hash, fetches and forms to
 * itself, nothing else; so even a value that escaped escaping could run nothing.
 */
export const REPORTS_CSP = [
  "default-src 'none'",
  `style-src ${sha256(CSS)}`,
  `script-src ${sha256(SCRIPT)}`,
  "connect-src 'self'",
  "form-action 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
