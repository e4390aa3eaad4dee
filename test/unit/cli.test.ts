// @vitest-environment node
/**
 * `postclick snippet` (SPEC §8), run as users run it: `node dist/cli.mjs …` after
 * `npm run build`. The output is parsed by an HTML parser (happy-dom, scripts off) and its
 * inline script run in a VM, so the escaping is checked by what a browser would read back,
 * not by matching the escaper's own output.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { Window } from 'happy-dom';
import { beforeAll, describe, expect, it } from 'vitest';
import { conversionUrl } from '../../src/server';

const CLI = fileURLToPath(new URL('../../dist/cli.mjs', import.meta.url));

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.mjs is missing: run `npm run build` first');
});

/** Runs the built CLI; `npx postclick …` runs the same file. */
function postclick(...args: string[]) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status, stdout, stderr };
}

/** What a browser reads from a snippet: the inline script's calls, the script src, the noscript image URL. */
async function read(html: string) {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true } });
  try {
    window.document.body.innerHTML = html;
    const [inline, loader, noscript, ...rest] = Array.from(window.document.body.children);
    expect(rest).toEqual([]);
    expect([inline!.tagName, loader!.tagName, noscript!.tagName]).toEqual(['SCRIPT', 'SCRIPT', 'NOSCRIPT']);
    // Run the inline script as a page would, before postclick.js loads: the stub queues the calls.
    const page: { window?: unknown; postclick?: { q: ArrayLike<unknown>[] } } = {};
    page.window = page;
    runInNewContext(inline!.textContent!, page);
    const img = noscript!.querySelector('img')!;
    return {
      calls: page.postclick!.q.map((args) => JSON.parse(JSON.stringify(Array.from(args)))),
      src: loader!.getAttribute('src'),
      async: loader!.hasAttribute('async'),
      pixel: img.getAttribute('src'),
      img: { width: img.getAttribute('width'), height: img.getAttribute('height'), alt: img.getAttribute('alt') },
    };
  } finally {
    await window.happyDOM.close();
  }
}

describe('postclick snippet', () => {
  it('prints the SPEC §2 thank-you snippet', async () => {
    const { status, stdout, stderr } = postclick(
      'snippet',
      '--endpoint',
      'https://track.shop.example/c',
      '--offer-id',
      '42',
      '--amount',
      '49.99',
      '--order-id',
      'A-1001',
    );
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(
      'window.postclick = window.postclick || function () { (postclick.q = postclick.q || []).push(arguments) };',
    );
    const out = await read(stdout);
    expect(out.calls).toEqual([
      ['init', { endpoint: 'https://track.shop.example/c', offerId: '42' }],
      ['conversion', { amount: 49.99, orderId: 'A-1001' }],
    ]);
    expect(out.src).toBe('/postclick.js');
    expect(out.async).toBe(true);
    // Written by hand from SPEC §5: no click ID known when the page is written (the
    // endpoint may read its cookie), unique_id = the order ID.
    expect(out.pixel).toBe('https://track.shop.example/c?offer_id=42&amount=49.99&order_id=A-1001&unique_id=A-1001');
    expect(out.img).toEqual({ width: '1', height: '1', alt: '' });
  });

  it('is deterministic, plain ASCII, and ends with a newline', () => {
    const args = ['snippet', '--endpoint', 'https://t.example/c', '--offer-id', 'é', '--order-id', '1'];
    const first = postclick(...args).stdout;
    expect(postclick(...args).stdout).toBe(first);
    expect(first).toMatch(/^[\x20-\x7e\n]+\n$/);
  });

  it('escapes every value for where it stands: JS string, HTML attribute, URL', async () => {
    const nasty = `"'<b>&amp;</script><!--\u2028\u2029\\\n😀`;
    const endpoint = `https://track.example/c?note="<x>'&`;
    const src = `https://cdn.example/p.js?a=1&b="2"&c='</script>`;
    const { status, stdout } = postclick(
      'snippet',
      '--endpoint',
      endpoint,
      '--offer-id',
      nasty,
      '--order-id',
      nasty,
      '--amount',
      '0',
      '--src',
      src,
    );
    expect(status).toBe(0);
    // One inline script ends where it should: no value closes it or opens a comment.
    expect(stdout.match(/<\/script/gi)).toHaveLength(2);
    expect(stdout).not.toContain('<!--');
    expect(stdout).not.toMatch(/[\u2028\u2029]/);
    const out = await read(stdout);
    expect(out.calls).toEqual([
      ['init', { endpoint, offerId: nasty }],
      ['conversion', { amount: 0, orderId: nasty }],
    ]);
    expect(out.src).toBe(src);
    // The pixel URL: the endpoint as given, then each value URL-encoded (control characters removed, §5).
    const pixel = new URL(out.pixel!);
    expect(out.pixel!.startsWith(endpoint + 'offer_id=')).toBe(true); // it ends with &
    expect(pixel.searchParams.get('offer_id')).toBe(nasty.replace('\n', ''));
    expect(pixel.searchParams.get('order_id')).toBe(nasty.replace('\n', ''));
    expect(pixel.searchParams.get('amount')).toBe('0');
    expect(out.pixel).toBe(
      conversionUrl(endpoint, { offerId: nasty, amount: '0', orderId: nasty, requireClickId: false }),
    );
  });

  it('builds the noscript URL with the wire code: templates are filled', async () => {
    const { stdout } = postclick(
      'snippet',
      '--endpoint',
      'https://net.example/p.ashx?o=42&e=3&f=pb&r=REPLACE&amt={amount}',
      '--offer-id',
      '42',
      '--amount',
      '10',
      '--order-id',
      'A 1',
    );
    const out = await read(stdout);
    expect(out.pixel).toBe('https://net.example/p.ashx?o=42&e=3&f=pb&r=&amt=10');
    expect(out.calls[0]).toEqual([
      'init',
      { endpoint: 'https://net.example/p.ashx?o=42&e=3&f=pb&r=REPLACE&amt={amount}', offerId: '42' },
    ]);
  });

  it('writes amounts as plain decimals, and leaves out what was not given', async () => {
    const { stdout, stderr } = postclick(
      'snippet',
      '--endpoint',
      'https://t.example/c',
      '--offer-id',
      '7',
      '--amount',
      // Not '.50': the one money rule (test/fixtures/amounts.json) wants a digit before the dot.
      '0.50',
    );
    const out = await read(stdout);
    expect(out.calls[1]).toEqual(['conversion', { amount: 0.5 }]);
    expect(new URL(out.pixel!).searchParams.get('amount')).toBe('0.5');
    expect(stderr).toMatch(/--order-id/); // the noscript unique_id is the same for every order without one
    const bare = await read(postclick('snippet', '--endpoint', 'https://t.example/c', '--offer-id', '7').stdout);
    expect(bare.calls).toEqual([['init', { endpoint: 'https://t.example/c', offerId: '7' }], ['conversion']]);
  });

  it('--help prints usage and exits 0', () => {
    for (const args of [['--help'], ['-h'], ['snippet', '--help']]) {
      const { status, stdout } = postclick(...args);
      expect(status).toBe(0);
      expect(stdout).toMatch(/^Usage: postclick snippet --endpoint URL --offer-id ID/);
      expect(stdout).toContain('--src URL');
    }
  });

  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(postclick('--version')).toMatchObject({ status: 0, stdout: version + '\n' });
  });

  it.each<[string, string[], RegExp]>([
    ['no command', [], /Usage: postclick snippet/],
    ['an unknown command', ['snipet'], /unknown command 'snipet'/],
    ['a missing --endpoint', ['snippet', '--offer-id', '42'], /--endpoint: missing/],
    ['an --endpoint without value', ['snippet', '--endpoint'], /--endpoint: missing value/],
    ['an --endpoint followed by a flag', ['snippet', '--endpoint', '--offer-id', '42'], /--endpoint: missing value/],
    ['an empty --endpoint', ['snippet', '--endpoint=', '--offer-id', '42'], /--endpoint: missing/],
    [
      'a relative --endpoint',
      ['snippet', '--endpoint', '/c', '--offer-id', '42'],
      /--endpoint: not an absolute http\(s\) URL: \/c/,
    ],
    [
      'a protocol-relative --endpoint',
      ['snippet', '--endpoint', '//t.example/c', '--offer-id', '42'],
      /--endpoint: not an absolute/,
    ],
    [
      'a javascript: --endpoint',
      ['snippet', '--endpoint', 'javascript:alert(1)', '--offer-id', '42'],
      /--endpoint: not an absolute/,
    ],
    [
      'an --endpoint with spaces',
      ['snippet', '--endpoint', 'https://t.example/c d', '--offer-id', '42'],
      /--endpoint: not an absolute/,
    ],
    ['a missing --offer-id', ['snippet', '--endpoint', 'https://t.example/c'], /--offer-id: missing/],
    ['an empty --offer-id', ['snippet', '--endpoint', 'https://t.example/c', '--offer-id', ''], /--offer-id: missing/],
    [
      'a word --amount',
      ['snippet', '--endpoint', 'https://t.example/c', '--offer-id', '1', '--amount', 'abc'],
      /--amount: not a number >= 0: abc/,
    ],
    [
      'a negative --amount',
      ['snippet', '--endpoint', 'https://t.example/c', '--offer-id', '1', '--amount=-1'],
      /--amount: not a number >= 0/,
    ],
    [
      'an exponent --amount',
      ['snippet', '--endpoint', 'https://t.example/c', '--offer-id', '1', '--amount', '1e3'],
      /--amount: not a number/,
    ],
    [
      'an empty --order-id',
      ['snippet', '--endpoint', 'https://t.example/c', '--offer-id', '1', '--order-id', ''],
      /--order-id: empty/,
    ],
    [
      'a javascript: --src',
      ['snippet', '--endpoint', 'https://t.example/c', '--offer-id', '1', '--src', 'javascript:alert(1)'],
      /--src: not an http\(s\) URL or path/,
    ],
    [
      'an unknown flag',
      ['snippet', '--endpoint', 'https://t.example/c', '--offer-id', '1', '--offerid', '2'],
      /unknown flag --offerid/,
    ],
    ['a value for --help', ['snippet', '--help=yes'], /--help: takes no value/],
    [
      'a stray argument',
      ['snippet', 'extra', '--endpoint', 'https://t.example/c', '--offer-id', '1'],
      /unexpected argument 'extra'/,
    ],
  ])('exits 2 with a message naming the problem for %s', (_, args, message) => {
    const { status, stdout, stderr } = postclick(...args);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('is an executable with a node shebang, as the package bin', () => {
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(CLI).mode & 0o111).toBe(0o111);
    const { bin } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(bin).toEqual({ postclick: './dist/cli.mjs' });
  });
});
