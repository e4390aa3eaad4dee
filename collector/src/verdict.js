// @ts-check
/**
 * A network's judgement of one conversion, before dedup (which the database does):
 * rejected when it cannot be attributed, scrubbed when it can but must not be paid.
 * @param {object} facts
 * @param {string | null} facts.clickId  from the request or the cookie
 * @param {import('./store/common.js').StoredClick | undefined} facts.click  the stored click, if known
 * @param {import('./store/common.js').Suppression | undefined} facts.suppression  a matching suppression entry
 * @param {number} facts.now  epoch ms
 * @param {number} facts.sessionHours  how long after its click a conversion may come
 * @returns {import('./store/common.js').Verdict}
 */
export function judge({ clickId, click, suppression, now, sessionHours }) {
  if (clickId === null) {
    return { status: 'rejected', reason: 'missing click_id: no click_id parameter and no _postclick cookie' };
  }
  if (!click) return { status: 'rejected', reason: `unknown click_id ${clickId}` };
  if (suppression)
    return {
      status: 'scrubbed',
      reason: `suppressed: ${suppression.kind} ${suppression.value} is on the suppression list`,
    };
  const ageHours = (now - click.created_at) / 3_600_000;
  if (ageHours > sessionHours) {
    return {
      status: 'scrubbed',
      reason: `session expired: the click is ${formatHours(ageHours)} old, the session is ${formatHours(sessionHours)}`,
    };
  }
  return { status: 'approved', reason: null };
}

/** `0.0001` → `0.36 s`, `30.5` → `30.5 h`: readable at both ends of the range. */
function formatHours(/** @type {number} */ hours) {
  if (hours >= 1) return `${+hours.toFixed(1)} h`;
  if (hours >= 1 / 60) return `${+(hours * 60).toFixed(1)} min`;
  return `${+(hours * 3600).toFixed(2)} s`;
}
