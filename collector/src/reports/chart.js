// @ts-check
import { html } from './markup.js';
import { STATUSES } from './filters.js';

/** How many days the chart and the per-day table show at most: the latest of the selection. */
export const CHART_DAYS = 31;
const DAY_MS = 86_400_000;

/** @param {number} ms */
const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * The days the per-day view covers: from the filter's `from` (else the first day with a
 * conversion) to the day before `to` (else today), the latest CHART_DAYS of them.
 * @param {import('../store/common.js').ConversionFilter} filter
 * @param {import('../store/common.js').DaySummary[]} byDay
 * @param {number} now  epoch ms
 * @returns {{ days: string[], cut: boolean }}  days oldest first; cut: earlier days left out
 */
export function chartDays(filter, byDay, now) {
  const end = Math.floor((filter.to === undefined ? now : filter.to - 1) / DAY_MS);
  const firstData = byDay.reduce((first, row) => (row.day < first ? row.day : first), dayOf(end * DAY_MS));
  const start = Math.floor((filter.from === undefined ? Date.parse(firstData) : filter.from) / DAY_MS);
  const shownStart = Math.max(start, end - CHART_DAYS + 1);
  /** @type {string[]} */
  const days = [];
  for (let day = shownStart; day <= end; day++) days.push(dayOf(day * DAY_MS));
  return { days, cut: shownStart > start };
}

/**
 * Conversions per day, stacked by status, as inline SVG (no script, no external file). The
 * bars stretch with the page; the labels are HTML around it, so they keep their size on a
 * phone instead of shrinking with the drawing.
 * @param {string[]} days  oldest first
 * @param {Map<string, Record<import('../store/common.js').Status, number>>} counts  day → status → conversions
 */
export function dayChart(days, counts) {
  const BAR = 10;
  const HEIGHT = 100;
  const totals = days.map((day) => STATUSES.reduce((sum, status) => sum + (counts.get(day)?.[status] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const bars = days.map((day, i) => {
    const perStatus = counts.get(day);
    let top = HEIGHT;
    const parts = STATUSES.flatMap((status) => {
      const n = perStatus?.[status] ?? 0;
      if (!n) return [];
      const height = (n / max) * HEIGHT;
      top -= height;
      return [
        html`<rect class="s-${status}" x="${i * BAR + 1}" y="${top.toFixed(2)}" width="${BAR - 2}" height="${height.toFixed(2)}"/>`,
      ];
    });
    const summary = STATUSES.filter((status) => perStatus?.[status]).map(
      (status) => `${perStatus?.[status]} ${status}`,
    );
    const label = `${day}: ${summary.length ? summary.join(', ') : 'no conversions'}`;
    return html`<g><title>${label}</title><rect class="hit" x="${i * BAR}" y="0" width="${BAR}" height="${HEIGHT}"/>${parts}</g>`;
  });
  const total = totals.reduce((sum, n) => sum + n, 0);
  return html`<figure class="chart">
<div class="chart-max"><small>${max} / day</small></div>
<svg viewBox="0 0 ${days.length * BAR} ${HEIGHT}" preserveAspectRatio="none" role="img"
  aria-label="${`Conversions per day by status, ${days[0]} to ${days[days.length - 1]}: ${total} in all`}">
<line class="grid" x1="0" y1="0.5" x2="${days.length * BAR}" y2="0.5" vector-effect="non-scaling-stroke"/>
<line class="axis" x1="0" y1="${HEIGHT}" x2="${days.length * BAR}" y2="${HEIGHT}" vector-effect="non-scaling-stroke"/>
${bars}</svg>
<figcaption><span>${days[0]}</span><span class="keys">${STATUSES.map(
    (status) => html`<span class="key"><i class="k-${status}"></i>${status}</span>`,
  )}</span><span>${days[days.length - 1]}</span></figcaption>
</figure>`;
}
