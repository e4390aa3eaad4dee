// @ts-check
/** A GitHub-flavoured Markdown table; `align` is one of 'l' / 'r' per column. @param {string[]} head @param {(string|number)[][]} rows @param {string} [align] */
export function table(head, rows, align = 'l' + 'r'.repeat(head.length - 1)) {
  const cell = (/** @type {string|number} */ v) => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rule = head.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [head, rule, ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}
