// @vitest-environment node
/**
 * Every default that docs/server.md's relay Options table documents, checked against what
 * the relay does, each value parsed from the doc (not from src/): a relay built with nothing
 * but `forward`, answering real requests and forwarding to a real recording network.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { relay } from '../../src/server';
import { startNetwork, type Network } from './support/network';

/** docs/server.md's relay Options table: option → the text of its default cell. */
function documentedDefaults(): Map<string, string> {
  const doc = readFileSync(new URL('../../docs/server.md', import.meta.url), 'utf8');
  const relaySection = doc.slice(doc.indexOf('## The first-party relay'));
  const table = relaySection.slice(relaySection.indexOf('### Options'));
  const rows = new Map<string, string>();
  for (const line of table.split('\n\n')[1]!.split('\n')) {
    const cells = /^\| `(\w+)` \| (.+?) \| /.exec(line);
    if (cells) rows.set(cells[1]!, cells[2]!);
  }
  return rows;
}

const DOCUMENTED = documentedDefaults();
/** A default cell such as `` `['s1', 'clickid']` `` or `` `3000` `` as a value. */
const documented = (option: string): unknown =>
  JSON.parse(/^`(.+)`$/.exec(DOCUMENTED.get(option)!)![1]!.replace(/'/g, '"'));

const SHOP = 'https://www.shop.example';
let network: Network;
beforeEach(async () => {
  network = await startNetwork();
});
afterEach(() => network.close());

/** A relay with only the required option. */
const defaultRelay = () => relay({ forward: `${network.origin}/pb` });
const get = (path: string, headers: Record<string, string> = {}) => new Request(SHOP + path, { headers });
const setCookie = async (path: string) => (await defaultRelay()(get(path))).headers.get('set-cookie');

describe('docs/server.md documents the relay defaults, and relay() applies them', () => {
  it('every documented option but the required forward is checked below', () => {
    expect([...DOCUMENTED.keys()].sort()).toEqual(
      ['forward', 'allowOrigins', 'params', 'cookieName', 'cookieDomain', 'ttlDays', 'retries', 'timeoutMs'].sort(),
    );
    expect(DOCUMENTED.get('forward')).toBe('required');
  });

  it('params: /click reads each documented parameter, the first of them in that order wins', async () => {
    const params = documented('params') as string[];
    for (let first = 0; first < params.length; first++) {
      const query = params
        .slice(first)
        .reverse()
        .map((param) => `${param}=via-${param}`)
        .join('&');
      expect(await setCookie(`/click?${query}`)).toMatch(new RegExp(`^[^=]+=via-${params[first]};`));
    }
    expect((await defaultRelay()(get('/click?s2=x&tid=y'))).status).toBe(400);
  });

  it('cookieName, cookieDomain and ttlDays: the cookie /click sets', async () => {
    expect(DOCUMENTED.get('cookieDomain')).toBe('host-only');
    const cookie = await setCookie('/click?s1=abc');
    expect(cookie).toMatch(new RegExp(`^${documented('cookieName') as string}=abc;`));
    expect(cookie).toContain(`;Max-Age=${(documented('ttlDays') as number) * 24 * 60 * 60}`);
    expect(cookie).not.toMatch(/domain/i);
  });

  it('retries: a network that keeps failing gets that many postbacks after the first', async () => {
    network.answer = () => 503;
    expect((await defaultRelay()(get('/c?click_id=abc&order_id=A-1'))).status).toBe(502);
    expect(network.hits).toHaveLength((documented('retries') as number) + 1);
  });

  it('timeoutMs: an attempt that gets no answer is given up after that long, and retried', async () => {
    const timeoutMs = documented('timeoutMs') as number;
    const arrivals: number[] = [];
    network.answer = (n) => {
      arrivals.push(Date.now());
      return n === 0 ? 'hang' : 200;
    };
    expect((await defaultRelay()(get('/c?click_id=abc&order_id=A-1'))).status).toBe(200);
    expect(arrivals).toHaveLength(2);
    // Between them: the timeout, then a back-off of at most 500 ms (sendPostback's first),
    // and some slack for a loaded machine; less than the 5000 ms sendPostback uses alone.
    const gap = arrivals[1]! - arrivals[0]!;
    expect(gap).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(gap).toBeLessThan(timeoutMs + 1900);
  });

  it('allowOrigins: none beyond same-origin — another origin gets no CORS, its preflight 403', async () => {
    expect(DOCUMENTED.get('allowOrigins')).toBe('none beyond same-origin');
    const other = 'https://landing.shop.example';
    const response = await defaultRelay()(get('/c?click_id=abc&order_id=A-1', { origin: other }));
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = (origin: string) =>
      new Request(SHOP + '/c', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
    expect((await defaultRelay()(preflight(other))).status).toBe(403);
    expect((await defaultRelay()(preflight(SHOP))).status).toBe(204);
  });
});
