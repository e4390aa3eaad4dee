/**
 * Assertions on what the collector *received* at `/c`, in the style of plausible's
 * `expectPlausibleInAction`: partial matching of parameters, polling with a timeout, and a
 * failure message that lists every request the collector did get.
 */

/** One request to `/c`, as the collector logged it (collector/src/hits.js). */
export interface Hit {
  method: string;
  path: string;
  url: string;
  query: Record<string, string>;
  body: Record<string, string>;
  cookie: string | null;
  referer: string | null;
  userAgent: string | null;
  headers: Record<string, string | string[] | undefined>;
  at: number;
}

export interface HitSource {
  readonly hits: Hit[];
}

type Value = string | RegExp | null;

/**
 * Wire parameters to match (query and form body merged). A string must be equal, a RegExp
 * must match, `null` means the parameter must be absent; parameters not named are ignored.
 * `$method` and `$referer` match the request itself.
 */
export type Match = { [param: string]: Value | undefined; $method?: Value; $referer?: Value };

export interface Expectation {
  /** Each must be matched by a hit of its own. */
  expected?: Match[];
  /** No hit may match any of these. */
  refuted?: Match[];
  /** Whether hits beyond `expected` fail the assertion (default true). */
  exact?: boolean;
  /** How long to wait for `expected` (default 5 s). */
  timeoutMs?: number;
  /**
   * After `expected` arrived, how long to keep watching for an extra or refuted hit
   * (default 300 ms). Absence can only be observed over a window; this is that window.
   */
  quietMs?: number;
}

/** A hit's wire parameters: the form body wins, as at the collector. */
export const paramsOf = (hit: Hit): Record<string, string> => ({ ...hit.query, ...hit.body });

function valueMatches(actual: string | null | undefined, wanted: Value): boolean {
  if (wanted === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  return wanted instanceof RegExp ? wanted.test(actual) : actual === wanted;
}

export function matches(hit: Hit, match: Match): boolean {
  const params = paramsOf(hit);
  return Object.entries(match).every(([key, wanted]) => {
    if (wanted === undefined) return true;
    if (key === '$method') return valueMatches(hit.method, wanted);
    if (key === '$referer') return valueMatches(hit.referer, wanted);
    return valueMatches(params[key], wanted);
  });
}

/** Greedy one-to-one assignment of hits to expectations; the hits matched, or undefined. */
function assign(hits: Hit[], expected: Match[]): Hit[] | undefined {
  const used = new Set<Hit>();
  const assigned: Hit[] = [];
  for (const match of expected) {
    const hit = hits.find((h) => !used.has(h) && matches(h, match));
    if (!hit) return undefined;
    used.add(hit);
    assigned.push(hit);
  }
  return assigned;
}

const show = (value: unknown): string => JSON.stringify(value, (_, v) => (v instanceof RegExp ? String(v) : v));

function describeHits(hits: Hit[]): string {
  if (!hits.length) return '  (nothing)';
  return hits
    .map((hit, i) => {
      const body = Object.keys(hit.body).length ? ' body ' + show(hit.body) : '';
      return `  ${i + 1}. ${hit.method} ${hit.url}${body}\n     params ${show(paramsOf(hit))} referer ${hit.referer}`;
    })
    .join('\n');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the collector has received every `expected` conversion, then watches for
 * `quietMs` more that nothing extra (with `exact`) or refuted arrives. Resolves with the
 * hits that matched `expected`, in its order; throws a message listing everything received.
 */
export async function expectConversions(collector: HitSource, expectation: Expectation): Promise<Hit[]> {
  const { expected = [], refuted = [], exact = true, timeoutMs = 5000, quietMs = 300 } = expectation;
  const fail = (why: string): never => {
    const wanted = expected.length ? expected.map((m) => '  ' + show(m)).join('\n') : '  (nothing)';
    const notWanted = refuted.length ? '\nand none matching:\n' + refuted.map((m) => '  ' + show(m)).join('\n') : '';
    throw new Error(
      `${why}\nexpected${exact ? ' exactly' : ''} ${expected.length} conversion(s) matching:\n${wanted}${notWanted}\n` +
        `the collector received ${collector.hits.length}:\n${describeHits(collector.hits)}`,
    );
  };
  const check = () => {
    const bad = collector.hits.find((hit) => refuted.some((match) => matches(hit, match)));
    if (bad) fail('a refuted conversion arrived');
    if (exact && collector.hits.length > expected.length) fail('more conversions arrived than expected');
  };

  const deadline = Date.now() + timeoutMs;
  let assigned: Hit[] | undefined;
  while (!(assigned = assign(collector.hits, expected))) {
    check();
    if (Date.now() > deadline) fail(`timed out after ${timeoutMs} ms`);
    await sleep(25);
  }
  const quietUntil = Date.now() + quietMs;
  do {
    check();
    await sleep(25);
  } while (Date.now() < quietUntil);
  check();
  return assigned;
}

/** One conversion as the collector judged it (`GET /reports/conversions`). */
export interface Reported {
  unique_id: string | null;
  click_id: string | null;
  order_id: string | null;
  status: 'approved' | 'duplicate' | 'scrubbed' | 'rejected';
  reason: string | null;
}

/**
 * The statuses the collector gave the conversions with this `unique_id`, oldest first: what
 * the network counted, as opposed to what it received.
 */
export async function reportedStatuses(collector: { url: string }, uniqueId: string): Promise<Reported['status'][]> {
  const all = (await (await fetch(`${collector.url}/reports/conversions`)).json()) as Reported[];
  return all
    .filter((c) => c.unique_id === uniqueId)
    .reverse()
    .map((c) => c.status);
}
