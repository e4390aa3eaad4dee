// @vitest-environment node
/**
 * `postclick snippet` (docs/snippet.md), run as users run it: `node dist/cli.mjs …` after
 * `npm run build`. The output is parsed by an HTML parser (happy-dom, scripts off) and its
 * inline script run in a VM, so the escaping is checked by what a browser would read back,
 * not by matching the escaper's own output.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { Window } from 'happy-dom';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertFreshDist } from '../../scripts/dist-stamp.mjs';
import { conversionUrl } from '../../src/server';

const CLI = fileURLToPath(new URL('../../dist/cli.mjs', import.meta.url));

beforeAll(() => {
  assertFreshDist();
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
  it('prints the documented thank-you snippet', async () => {
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
    // Written by hand from docs/protocol.md: no click ID known when the page is written (the
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
    const { stdout, stderr } = postclick(
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
    // REPLACE stands for the click ID, which a page without JavaScript does not have.
    expect(stderr).toMatch(/postclick: note: the <noscript> image cannot fill r= .*no click ID/);
    // The order ID has no place in this template: said, rather than silently dropped.
    expect(stderr).toMatch(/--order-id: the endpoint template has no \{order_id\}/);
    expect(out.calls[0]).toEqual([
      'init',
      { endpoint: 'https://net.example/p.ashx?o=42&e=3&f=pb&r=REPLACE&amt={amount}', offerId: '42' },
    ]);
  });

  it('accepts a root-relative endpoint, as the SDK does', async () => {
    const { status, stdout, stderr } = postclick(
      'snippet',
      '--endpoint',
      '/c',
      '--offer-id',
      '42',
      '--order-id',
      'R-1',
    );
    expect(status).toBe(0);
    expect(stderr).toBe('');
    const out = await read(stdout);
    expect(out.calls[0]).toEqual(['init', { endpoint: '/c', offerId: '42' }]);
    expect(out.pixel).toBe('/c?offer_id=42&order_id=R-1&unique_id=R-1');
  });

  it('--currency, --transport and --params go into the calls, the currency into the image too', async () => {
    const { status, stdout } = postclick(
      'snippet',
      '--endpoint',
      'https://t.example/c',
      '--offer-id',
      '42',
      '--order-id',
      'C-1',
      '--amount',
      '12.5',
      '--currency',
      'eur',
      '--transport',
      'fetch',
      '--params',
      'sub1, clickid',
    );
    expect(status).toBe(0);
    const out = await read(stdout);
    expect(out.calls).toEqual([
      ['init', { endpoint: 'https://t.example/c', offerId: '42', params: ['sub1', 'clickid'], transport: 'fetch' }],
      ['conversion', { amount: 12.5, orderId: 'C-1', currency: 'EUR' }],
    ]);
    expect(out.pixel).toBe('https://t.example/c?offer_id=42&amount=12.5&order_id=C-1&unique_id=C-1&currency=EUR');
  });

  it.each([
    ['{{order.id}}', '{{order.total}}', '{{order.currency}}'],
    ['{order_id}', '{total}', '{currency}'],
    ['<%= @order.id %>', '<%= @order.total %>', '<%= @order.currency %>'],
  ])(
    'passes the server-template placeholder %s through unencoded, wherever it stands',
    async (order, total, currency) => {
      const { status, stdout, stderr } = postclick(
        'snippet',
        '--endpoint',
        'https://t.example/c',
        '--offer-id',
        '42',
        '--order-id',
        `A-${order}`,
        '--amount',
        total,
        '--currency',
        currency,
      );
      expect(status).toBe(0);
      // The engine finds each placeholder as written: in the JS strings and in the image URL.
      expect(stdout.split(order)).toHaveLength(4); // orderId, order_id, unique_id
      expect(stdout.split(total)).toHaveLength(3); // amount in the script and the image
      expect(stdout.split(currency)).toHaveLength(3);
      const out = await read(stdout);
      // An amount placeholder is a string in the script: an engine that prints nothing leaves '' (no amount).
      expect(out.calls[1]).toEqual(['conversion', { amount: total, orderId: `A-${order}`, currency }]);
      expect(out.pixel).toBe(
        `https://t.example/c?offer_id=42&amount=${total}&order_id=A-${order}&unique_id=A-${order}&currency=${currency}`,
      );
      expect(stderr).toMatch(/template placeholders are printed as written/);
    },
  );

  it('passes placeholders in the endpoint through, other than its own {name} ones', async () => {
    const endpoint = 'https://t.example/c?key=<%= key %>&t={{ shop.token }}';
    const { stdout } = postclick('snippet', '--endpoint', endpoint, '--offer-id', '7', '--order-id', 'E-1');
    expect(stdout).toContain(`<img src="https://t.example/c?key=<%= key %>&amp;t={{ shop.token }}&amp;offer_id=7&amp;`);
    expect((await read(stdout)).calls[0]).toEqual(['init', { endpoint, offerId: '7' }]);
  });

  it('passes a placeholder in --src through', async () => {
    const src = '{{ cdn_url }}/postclick.js';
    const { status, stdout } = postclick('snippet', '--endpoint', '/c', '--offer-id', '7', '--src', src);
    expect(status).toBe(0);
    expect(stdout).toContain(`<script async src="${src}"></script>`);
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
      'a relative --endpoint without its leading slash',
      ['snippet', '--endpoint', 'c', '--offer-id', '42'],
      /--endpoint: not an absolute http\(s\) URL or a root-relative path \(\/c\): c/,
    ],
    [
      'an --endpoint with a #fragment',
      ['snippet', '--endpoint', 'https://t.example/c#frag', '--offer-id', '42'],
      /--endpoint: has a #fragment/,
    ],
    [
      'a root-relative --endpoint with a #fragment',
      ['snippet', '--endpoint', '/c#', '--offer-id', '42'],
      /--endpoint: has a #fragment/,
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
      'a --currency that is no ISO 4217 code',
      ['snippet', '--endpoint', '/c', '--offer-id', '1', '--currency', 'euro'],
      /--currency: not a 3-letter ISO 4217 code: euro/,
    ],
    [
      'an unknown --transport',
      ['snippet', '--endpoint', '/c', '--offer-id', '1', '--transport', 'pixel'],
      /--transport: not one of auto, beacon, fetch, image: pixel/,
    ],
    [
      'an empty name in --params',
      ['snippet', '--endpoint', '/c', '--offer-id', '1', '--params', 's1,,s2'],
      /--params: not a comma list of URL parameter names: s1,,s2/,
    ],
    [
      'a --params name with a URL delimiter',
      ['snippet', '--landing', '--params', 's1&x=1'],
      /--params: not a comma list/,
    ],
    [
      'an unknown --network',
      ['snippet', '--endpoint', '/c', '--offer-id', '1', '--network', 'hasoffers'],
      /--network: unknown network 'hasoffers' \(one of cake, everflow, tune\)/,
    ],
    [
      'an Everflow --endpoint without its network ID',
      ['snippet', '--network', 'everflow', '--endpoint', 'https://www.trk.example/', '--offer-id', '1'],
      /--endpoint: Everflow's postback needs nid=/,
    ],
    [
      'an --amount with --landing',
      ['snippet', '--landing', '--amount', '5'],
      /--amount: belongs on the thank-you page/,
    ],
    [
      'an --order-id with --landing',
      ['snippet', '--landing', '--order-id', 'A-1'],
      /--order-id: belongs on the thank-you page/,
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

/** What a browser reads from a landing snippet: the one script tag's attributes. */
async function readLanding(html: string) {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true } });
  try {
    window.document.body.innerHTML = html;
    const [script, ...rest] = Array.from(window.document.body.children);
    expect(rest).toEqual([]);
    expect(script!.tagName).toBe('SCRIPT');
    expect(script!.textContent).toBe('');
    return Object.fromEntries(Array.from(script!.attributes, (attribute) => [attribute.name, attribute.value]));
  } finally {
    await window.happyDOM.close();
  }
}

describe('postclick snippet --landing', () => {
  it('prints one script tag that captures, configured by data attributes', async () => {
    const { status, stdout, stderr } = postclick('snippet', '--landing', '--params', 'sub_id,s1');
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(await readLanding(stdout)).toEqual({ async: '', src: '/postclick.js', 'data-params': 'sub_id,s1' });
  });

  it('without flags, the default parameters: a bare tag', async () => {
    expect(await readLanding(postclick('snippet', '--landing').stdout)).toEqual({ async: '', src: '/postclick.js' });
  });

  it('passes server-template placeholders through in its attributes', async () => {
    const { status, stdout } = postclick(
      'snippet',
      '--landing',
      '--endpoint',
      '/c?shop=<%= shop.id %>',
      '--offer-id',
      '{{ offer.id }}',
    );
    expect(status).toBe(0);
    expect(stdout).toContain(' data-endpoint="/c?shop=<%= shop.id %>" data-offer-id="{{ offer.id }}"');
  });

  it('keeps an endpoint and offer given, so the page retries what the outbox holds', async () => {
    const { stdout } = postclick('snippet', '--landing', '--endpoint', '/c', '--offer-id', '42', '--src', '/js/p.js');
    expect(await readLanding(stdout)).toEqual({
      async: '',
      src: '/js/p.js',
      'data-endpoint': '/c',
      'data-offer-id': '42',
    });
  });
});

// Expected values written by hand from docs/recipes.md.
describe('postclick snippet --network', () => {
  const thankYou = (...args: string[]) =>
    postclick('snippet', '--offer-id', '42', '--amount', '49.99', '--order-id', 'A-1001', ...args);

  it('cake: s2, image, p.ashx?o&e&f=img&r&t&p; the noscript image has no click ID, and says so', async () => {
    const { status, stdout, stderr } = thankYou(
      '--network',
      'cake',
      '--endpoint',
      'https://track.network.example/p.ashx?o=42&e=7',
    );
    expect(status).toBe(0);
    const out = await read(stdout);
    expect(out.calls[0]).toEqual([
      'init',
      {
        endpoint: 'https://track.network.example/p.ashx?o=42&e=7&f=img&r={click_id}&t={order_id}&p={amount}',
        offerId: '42',
        params: ['s2'],
        transport: 'image',
      },
    ]);
    expect(out.pixel).toBe('https://track.network.example/p.ashx?o=42&e=7&f=img&r=&t=A-1001&p=49.99');
    expect(stderr).toMatch(/--network cake assumed CAKE's recipe/);
    expect(stderr).toMatch(/params +s2\b/);
    expect(stderr).toMatch(/transport image\b/);
    expect(stderr).toMatch(/the <noscript> image cannot fill r= \(\{click_id\}\)/);
  });

  it('cake: a bare tracking domain gets the path and the offer; a CAKE template is kept as written', async () => {
    const bare = await read(thankYou('--network', 'cake', '--endpoint', 'https://track.network.example').stdout);
    expect(bare.calls[0]![1].endpoint).toBe(
      'https://track.network.example/p.ashx?o={offer_id}&f=img&r={click_id}&t={order_id}&p={amount}',
    );
    const endpoint = 'https://track.network.example/p.ashx?o=42&e=7&f=pb&r=REPLACE&t={order_id}';
    const { stdout, stderr } = thankYou('--network', 'cake', '--endpoint', endpoint);
    expect((await read(stdout)).calls[0]![1].endpoint).toBe(endpoint);
    expect(stderr).toMatch(/a template already, kept as written/);
    expect(stderr).toMatch(/cannot fill r= \(\{click_id\}\)/);
    expect(stderr).toMatch(/--amount: the endpoint template has no \{amount\}/);
  });

  it('everflow: _ef_transaction_id/transaction_id, image, ?nid&transaction_id&amount&order_id', async () => {
    const { status, stdout, stderr } = thankYou(
      '--network',
      'everflow',
      '--endpoint',
      'https://www.trk.network.example/?nid=123',
    );
    expect(status).toBe(0);
    const out = await read(stdout);
    expect(out.calls[0]).toEqual([
      'init',
      {
        endpoint:
          'https://www.trk.network.example/?nid=123&transaction_id={click_id}&amount={amount}&order_id={order_id}',
        offerId: '42',
        params: ['_ef_transaction_id', 'transaction_id'],
        transport: 'image',
      },
    ]);
    expect(out.pixel).toBe('https://www.trk.network.example/?nid=123&transaction_id=&amount=49.99&order_id=A-1001');
    expect(stderr).toMatch(/cannot fill transaction_id= /);
  });

  it('tune: transaction_id, image, aff_lsr?offer_id&transaction_id&amount&adv_unique1', async () => {
    const { status, stdout, stderr } = thankYou(
      '--network',
      'tune',
      '--endpoint',
      'https://examplenetwork.go2cloud.org',
    );
    expect(status).toBe(0);
    const out = await read(stdout);
    expect(out.calls[0]).toEqual([
      'init',
      {
        endpoint:
          'https://examplenetwork.go2cloud.org/aff_lsr?offer_id={offer_id}&transaction_id={click_id}&amount={amount}&adv_unique1={order_id}',
        offerId: '42',
        params: ['transaction_id'],
        transport: 'image',
      },
    ]);
    expect(out.pixel).toBe(
      'https://examplenetwork.go2cloud.org/aff_lsr?offer_id=42&transaction_id=&amount=49.99&adv_unique1=A-1001',
    );
    expect(stderr).toMatch(/--network tune assumed TUNE's recipe/);
  });

  it('leaves out the parameters of values not given, and keeps --params and --transport given', async () => {
    const { stdout, stderr } = postclick(
      'snippet',
      '--network',
      'tune',
      '--endpoint',
      'https://n.go2cloud.org/aff_lsr?offer_id=26',
      '--offer-id',
      '26',
      '--params',
      'session_id',
      '--transport',
      'fetch',
    );
    expect((await read(stdout)).calls[0]).toEqual([
      'init',
      {
        endpoint: 'https://n.go2cloud.org/aff_lsr?offer_id=26&transaction_id={click_id}',
        offerId: '26',
        params: ['session_id'],
        transport: 'fetch',
      },
    ]);
    expect(stderr).not.toMatch(/params +transaction_id/);
    expect(stderr).not.toMatch(/transport image/);
  });

  it('--landing --network: the landing parameter only', async () => {
    const { status, stdout, stderr } = postclick('snippet', '--landing', '--network', 'everflow');
    expect(status).toBe(0);
    expect(await readLanding(stdout)).toEqual({
      async: '',
      src: '/postclick.js',
      'data-params': '_ef_transaction_id,transaction_id',
    });
    expect(stderr).toMatch(/params +_ef_transaction_id,transaction_id/);
  });
});
