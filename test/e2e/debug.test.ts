/**
 * docs/api.md (Debug): `?postclick_debug=1` explains every decision on the console; without debug,
 * postclick writes nothing at all to it — not on capture, ignore, send, duplicate,
 * no click ID, bad input, an unknown command or a page callback that throws.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { html, js, page, RECORD_RESULT, results, STUB } from './support/pages';
import { expect, expectConversions, test, type Shop } from './support/shop';

const OFFER = '42';

/** A landing with an invalid and a valid ID, a sale, its refresh, bad input, no click ID. */
async function walkThrough(shop: Shop, query: string) {
  const init = { endpoint: shop.endpoint, offerId: OFFER };
  shop.serve('/landing', page('script', { init }));
  shop.serve('/thanks', page('script', { init, conversions: [{ orderId: 'D-1', amount: 9 }] }));
  shop.serve(
    '/oops',
    html(
      '',
      `<script>${STUB}
postclick('init', ${js(init)});
postclick('conversion', { orderId: 'D-2', amount: 'abc' }, ${RECORD_RESULT});
postclick('no-such-command', 1);
postclick('getClickId', function () { throw new Error('a bug in the page'); });
</script><script async src="/dist/postclick.js"></script>`,
    ),
  );

  const tab = await shop.open(`${shop.origin('www')}/landing?s1=%7Bclickid%7D&clickid=debug-1${query}`);
  await tab.goto(`${shop.origin('www')}/thanks?${query}`);
  expect(await results(tab)).toEqual([expect.objectContaining({ status: 'sent' })]);
  await tab.reload();
  expect(await results(tab)).toEqual([expect.objectContaining({ status: 'duplicate' })]);
  await tab.goto(`${shop.origin('www')}/oops?${query}`);
  expect(await results(tab)).toEqual([
    expect.objectContaining({ status: 'invalid', error: expect.stringMatching(/amount/) }),
  ]);

  await shop.context.clearCookies();
  await tab.goto(`${shop.origin('checkout')}/thanks?${query}`);
  expect(await results(tab)).toEqual([expect.objectContaining({ status: 'no_click_id' })]);

  await expectConversions(shop.collector, { expected: [{ click_id: 'debug-1', order_id: 'D-1' }] });
}

test('?postclick_debug=1 explains each decision on the console', async ({ shop }) => {
  await walkThrough(shop, '&postclick_debug=1');
  const said = shop.console.map((m) => `${m.type}: ${m.text}`).join('\n');
  // What debug mode promises to explain (docs/api.md, Debug); the wording is the SDK's own. Explanations are
  // console.info (type 'info'); problems — something ignored, not sent, unknown — console.warn.
  expect(said).toMatch(/^warning: postclick: ignored\b.*\bs1\b.*\{clickid\}/m); // ignored, and why
  expect(said).toMatch(/^info: postclick: captured\b.*debug-1/m);
  expect(said).toMatch(/^info: postclick: stored in cookie\b/m);
  expect(said).toMatch(/^info: postclick: sent by fetch\b/m); // by which transport: auto starts with a keepalive fetch
  expect(said).toMatch(/^info: postclick: duplicate\b.*unique_id=D-1/m);
  expect(said).toMatch(/^warning: postclick: invalid\b.*amount/m);
  expect(said).toMatch(/^warning: postclick: unknown command\b.*no-such-command/m);
  expect(said).toMatch(/^warning: postclick: no_click_id\b/m);
  // A page callback that throws: caught (no pageerror, which the fixture would fail), and named.
  expect(said).toMatch(/^warning: postclick: getClickId callback threw\b/m);
  // Firefox's BiDi log hands the Error argument over as a remote object, printed [object Object].
  if (shop.engine !== 'firefox')
    expect(said).toMatch(/^warning: postclick: getClickId callback threw\b.*a bug in the page/m);
  // Only these two levels, and only from postclick: never an error (which the fixture would fail).
  for (const message of shop.console) {
    expect(message.text).toMatch(/^postclick: /);
    expect(['info', 'warning']).toContain(message.type);
  }
});

test('without debug, postclick writes nothing to the console', async ({ shop }) => {
  await walkThrough(shop, '');
  expect(shop.console).toEqual([]);
});

test.for(['postclick.js', 'capture.js'])(
  '%s: asking for debug where only the production file is deployed still tracks',
  async (name, { shop }) => {
    // The 404s are the engine's own console messages.
    shop.requires('browser console');
    // The site copied the production bundles alone: their .debug.js twins answer 404.
    for (const file of ['postclick.js', 'capture.js']) {
      const body = readFileSync(fileURLToPath(new URL(`../../dist/${file}`, import.meta.url)), 'utf8');
      shop.serve(`/vendor/${file}`, { body, type: 'text/javascript' });
    }
    const init = { endpoint: shop.endpoint, offerId: OFFER };
    shop.serve('/landing', page('script', { init, src: `/vendor/${name}` }));
    shop.serve('/thanks', page('script', { init, src: '/vendor/postclick.js', conversions: [{ orderId: 'D-404' }] }));

    const tab = await shop.open(`${shop.origin('www')}/landing?s1=debug-404&postclick_debug=1`);
    await expect.poll(() => tab.evaluate(() => document.cookie)).toContain('_postclick=debug-404');
    await tab.goto(`${shop.origin('www')}/thanks?postclick_debug=1`);
    expect(await results(tab)).toEqual([expect.objectContaining({ status: 'sent' })]);
    await expectConversions(shop.collector, { expected: [{ click_id: 'debug-404', order_id: 'D-404' }] });
    // The only problems are the twins' 404s, which the browser reports as console errors.
    const problems = shop.takeProblems();
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(/404/);
  },
);

test.for(['postclick.js', 'capture.js'])(
  "%s: the twin's fallback runs outside the load-time guard, and a queue the page broke meanwhile still throws nothing",
  async (name, { shop }) => {
    shop.requires('browser console');
    const body = readFileSync(fileURLToPath(new URL(`../../dist/${name}`, import.meta.url)), 'utf8');
    shop.serve(`/vendor/${name}`, { body, type: 'text/javascript' });
    // Loaded without async, so the next script runs before the twin's 404 comes back and
    // the fallback reads the queue anew: by then it is not iterable.
    shop.serve(
      '/landing',
      html(
        '',
        `<script>${STUB}</script><script src="/vendor/${name}"></script><script>window.postclick.q = 7</script>`,
      ),
    );
    const tab = await shop.open(`${shop.origin('www')}/landing?s1=debug-broken&postclick_debug=1`);
    const problems: string[] = [];
    await expect
      .poll(() => {
        problems.push(...shop.takeProblems());
        return problems.join('\n');
      })
      .toMatch(/404/);
    // The fallback runs in the twin's error event, right after the 404 is reported.
    await tab.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    problems.push(...shop.takeProblems());
    // Nothing but the twin's 404: no pageerror from the fallback.
    for (const problem of problems) expect(problem).toMatch(/404/);
  },
);
