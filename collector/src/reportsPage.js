// @ts-check
/**
 * The /reports page: one self-contained HTML document (inline CSS, no script). Every value
 * goes through `html`, which escapes interpolations unless they are already markup, so a
 * stored `<script>` in adv1 is shown as text.
 */

class Markup {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }
}

/** @param {unknown} value @returns {string} */
function render(value) {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Tagged template: interpolations are escaped, nested `html` results are kept. */
function html(/** @type {TemplateStringsArray} */ strings, /** @type {unknown[]} */ ...values) {
  return new Markup(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

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

/** @param {number | null} n */
const money = (n) => (n === null ? '' : n.toFixed(2));
/** `2025-11-25T09:14:03.120Z` → `2025-11-25 09:14:03` (UTC, said in the header). */
const time = (/** @type {string} */ iso) => iso.slice(0, 19).replace('T', ' ');
const badge = (/** @type {string} */ status) => html`<span class="badge ${status}">${status}</span>`;

/**
 * @param {object} report
 * @param {import('./store/common.js').Click[]} report.clicks  newest first, at most rowLimit
 * @param {import('./store/common.js').Conversion[]} report.conversions  newest first, at most rowLimit
 * @param {import('./store/common.js').OfferTotals[]} report.totals
 * @param {Record<'clicks' | import('./store/common.js').Status, number>} report.counts
 * @param {number} report.rowLimit
 * @param {number} report.sessionHours
 * @param {boolean} [report.forwarding]  a column with each approved conversion's postback state
 */
export function reportsPage({ clicks, conversions, totals, counts, rowLimit, sessionHours, forwarding = false }) {
  const shown = (/** @type {unknown[]} */ rows) =>
    rows.length === rowLimit ? html` <small>(latest ${rowLimit})</small>` : '';

  const totalsTable = totals.length
    ? html`<table><thead><tr><th>offer</th><th class="num">approved</th><th class="num">amount</th>
        <th class="num">payout</th><th class="num">revenue</th></tr></thead><tbody>${totals.map(
          (t) => html`<tr><td class="mono">${t.offer_id}</td><td class="num">${t.conversions}</td>
            <td class="num">${money(t.amount)}</td><td class="num">${money(t.payout)}</td><td class="num">${money(t.revenue)}</td></tr>`,
        )}</tbody></table>`
    : html`<p class="empty">No approved conversions yet.</p>`;

  const conversionsTable = conversions.length
    ? html`<table><thead><tr><th>#</th><th>time</th><th>status</th><th>offer</th><th>click ID</th>
        <th>order / unique ID</th><th class="num">amount</th><th class="num">payout</th><th class="num">revenue</th>
        <th>sub IDs</th><th>reason</th>${forwarding ? html`<th>forwarded</th>` : ''}</tr></thead><tbody>${conversions.map(
          (c) => html`<tr class="${c.status}"><td class="num">${c.id}</td><td class="nowrap">${time(c.created_at)}</td>
            <td>${badge(c.status)}</td><td class="mono">${c.offer_id}</td><td class="mono id">${c.click_id ?? '—'}</td>
            <td class="mono wrap">${c.order_id}${c.unique_id !== c.order_id ? html`<br><small>${c.unique_id}</small>` : ''}</td>
            <td class="num">${money(c.amount)}${c.currency ? html` <small>${c.currency}</small>` : ''}</td>
            <td class="num">${money(c.payout)}</td><td class="num">${money(c.revenue)}</td>
            <td class="wrap">${subIds(c)}</td><td class="reason">${c.reason}</td>${forwarding ? forwardCell(c) : ''}</tr>`,
        )}</tbody></table>`
    : html`<p class="empty">No conversions yet. Fire one from a thank-you page, or
        <code>curl "/c?offer_id=42&amp;click_id=…"</code>.</p>`;

  const clicksTable = clicks.length
    ? html`<table><thead><tr><th>time</th><th>click ID</th><th>offer</th><th>affiliate</th><th>landing URL</th>
        </tr></thead><tbody>${clicks.map(
          (c) => html`<tr><td class="nowrap">${time(c.created_at)}</td><td class="mono">${c.click_id}</td>
            <td class="mono">${c.offer_id}</td><td class="mono">${c.aff_id}</td><td class="wrap">${c.url}</td></tr>`,
        )}</tbody></table>`
    : html`<p class="empty">No clicks yet. Follow a tracking link: <code>/click?offer_id=42&amp;aff_id=7&amp;url=…</code></p>`;

  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>postclick · reports</title><style>${new Markup(CSS)}</style></head>
<body><header><h1>postclick <span>collector reports</span></h1>
<p>Times in UTC · session window ${sessionHours} h · JSON:
<a href="/reports/conversions">/reports/conversions</a>, <a href="/reports/clicks">/reports/clicks</a> · reload to update</p></header>
<section class="cards">
  ${Object.entries(counts).map(([status, n]) => html`<div class="card ${status}"><b>${n}</b>${status}</div>`)}
</section>
<h2>Approved totals per offer</h2>${totalsTable}
<h2>Conversions${shown(conversions)}</h2>${conversionsTable}
<h2>Clicks${shown(clicks)}</h2>${clicksTable}
<h2>What the statuses mean</h2>
<dl class="legend">${Object.entries(STATUS_HELP).map(([status, help]) => html`<dt>${badge(status)}</dt><dd>${help}</dd>`)}</dl>
</body></html>`.text;
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
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 20px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 10px 18px; min-width: 96px; color: var(--muted); }
.card b { display: block; font-size: 24px; color: #111827; }
.card.approved b { color: var(--approved); } .card.duplicate b { color: var(--duplicate); }
.card.scrubbed b { color: var(--scrubbed); } .card.rejected b { color: var(--rejected); }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
th, td { padding: 7px 10px; text-align: left; vertical-align: baseline; border-bottom: 1px solid var(--line); }
th { background: #f3f4f6; font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: #374151; }
tbody tr:last-child td { border-bottom: 0; }
tr.approved td:first-child { box-shadow: inset 3px 0 var(--approved); } tr.duplicate td:first-child { box-shadow: inset 3px 0 var(--duplicate); }
tr.scrubbed td:first-child { box-shadow: inset 3px 0 var(--scrubbed); } tr.rejected td:first-child { box-shadow: inset 3px 0 var(--rejected); }
.num { text-align: right; font-variant-numeric: tabular-nums; } .nowrap { white-space: nowrap; }
.mono { font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
.wrap { overflow-wrap: anywhere; max-width: 22em; } .id { overflow-wrap: anywhere; min-width: 14em; max-width: 24em; } .reason { color: #374151; max-width: 28em; }
small { color: var(--muted); } .sub { display: block; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.badge.approved { color: var(--approved); background: var(--approved-bg); } .badge.duplicate { color: var(--duplicate); background: var(--duplicate-bg); }
.badge.scrubbed { color: var(--scrubbed); background: var(--scrubbed-bg); } .badge.rejected { color: var(--rejected); background: var(--rejected-bg); }
.empty { color: var(--muted); background: #fff; border: 1px dashed var(--line); border-radius: 10px; padding: 14px; margin: 0; }
.legend { display: grid; grid-template-columns: max-content 1fr; gap: 8px 16px; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin: 0; }
.legend dd { margin: 0; color: #374151; }
.forward { font-weight: 600; } .forward.forwarded { color: var(--approved); } .forward.pending { color: var(--duplicate); } .forward.failed { color: var(--rejected); }
code { font: 12px ui-monospace, monospace; background: #f3f4f6; padding: 1px 5px; border-radius: 4px; }
`;
