/**
 * The harness itself: its watchers and assertions must be able to fail, or every other
 * browser test could pass vacuously. No postclick code runs here.
 */
import { html } from './support/pages';
import { expect, expectConversions, test } from './support/shop';

test('an uncaught exception, a console error and a CSP violation are each caught', async ({ shop }) => {
  shop.serve('/throws', html('', '<script>setTimeout(function () { throw new Error("boom") })</script>'));
  shop.serve('/logs', html('', '<script>console.error("bad thing")</script>'));
  shop.serve('/csp', {
    body: html('', '<script>window.ran = true</script>'),
    headers: { 'Content-Security-Policy': "script-src 'self'" },
  });

  // WebKit's driver collects what a page said every 250 ms: give it time on a busy machine.
  const soon = { timeout: 10_000 };
  const tab = await shop.open(`${shop.origin('www')}/throws`);
  await expect.poll(() => shop.problems.join('\n'), soon).toMatch(/pageerror on .*\/throws: Error: boom/);
  await tab.goto(`${shop.origin('www')}/logs`);
  // Firefox's driver may still name the page it leaves: the message is what counts.
  await expect.poll(() => shop.problems.join('\n'), soon).toMatch(/console error on .*: bad thing/);
  await tab.goto(`${shop.origin('www')}/csp`);
  await expect
    .poll(() => shop.problems.join('\n'), soon)
    .toMatch(/CSP violation on .*: script-src(-elem)? blocked inline/);
  // (WebDriver answers null for undefined.)
  expect(await tab.evaluate(() => (window as { ran?: boolean }).ran)).not.toBe(true);

  // Provoked on purpose: forget them, or the fixture fails this test.
  shop.takeProblems();
});

test('expectConversions matches partially, and says what the collector did receive', async ({ shop }) => {
  shop.serve('/', html('', '<p>empty</p>'));
  const tab = await shop.open(`${shop.origin('www')}/`);
  const beacon = (query: string) => tab.evaluate((url) => navigator.sendBeacon(url), `${shop.endpoint}?${query}`);

  await beacon('click_id=abc&amount=49.99&offer_id=1');
  const [hit] = await expectConversions(shop.collector, {
    expected: [{ click_id: 'abc', amount: /^49\.9\d$/, order_id: null, $method: 'POST' }],
  });
  expect(hit!.query.offer_id).toBe('1');

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => 'passed',
      (error: Error) => error.message,
    );
  expect(await failure(expectConversions(shop.collector, { expected: [{ click_id: 'xyz' }], timeoutMs: 200 }))).toMatch(
    /timed out after 200 ms[\s\S]*"click_id":"xyz"[\s\S]*received 1:\n {2}1\. POST \/c\?click_id=abc&amount=49\.99&offer_id=1/,
  );
  expect(
    await failure(
      expectConversions(shop.collector, { expected: [{ click_id: 'abc', order_id: 'A-1' }], timeoutMs: 200 }),
    ),
  ).toMatch(/timed out/);

  await beacon('click_id=abc&amount=1&offer_id=1');
  expect(await failure(expectConversions(shop.collector, { expected: [{ click_id: 'abc' }] }))).toMatch(
    /more conversions arrived than expected[\s\S]*received 2:/,
  );
  expect(
    await failure(expectConversions(shop.collector, { expected: [{ click_id: 'abc' }, { click_id: 'abc' }] })),
  ).toBe('passed');
  expect(
    await failure(
      expectConversions(shop.collector, { expected: [{ amount: '1' }], refuted: [{ amount: '49.99' }], exact: false }),
    ),
  ).toMatch(/a refuted conversion arrived/);
});

// The driver layer's network and clock (driver.ts), which the delivery tests rely on, in this engine.

test('a blocker cancels the request types it names, on the URLs it matches, and nothing else', async ({ shop }) => {
  await shop.installBlocker({ url: '/c\\?', types: ['fetch'] });
  shop.serve('/', html('', '<p>empty</p>'));
  const tab = await shop.open(`${shop.origin('www')}/`);
  const load = (url: string) =>
    tab.evaluate(
      `Promise.all([
        fetch(${JSON.stringify(url)}, { mode: 'no-cors' }).then(() => 'fetched', () => 'failed'),
        new Promise((resolve) => Object.assign(new Image(), { onload: () => resolve('loaded'), onerror: () => resolve('failed'), src: ${JSON.stringify(url)} + '&img' })),
      ])`,
    );
  expect(await load(`${shop.endpoint}?click_id=blocked&offer_id=1`)).toEqual(['failed', 'loaded']);
  // Another URL: the fetch goes (the image fails only because nothing is there).
  expect(await load(`${shop.origin('track')}/elsewhere?x=1`)).toEqual(['fetched', 'failed']);
  // Only the image reached the collector.
  await expectConversions(shop.collector, { expected: [{ click_id: 'blocked', img: '' }] });
  shop.takeProblems();
});

test('the clock runs ahead by what fastForward says, in open pages and in pages loaded later', async ({ shop }) => {
  shop.serve('/', html('', '<p>empty</p>'));
  await shop.context.clock.install();
  const tab = await shop.open(`${shop.origin('www')}/`);
  const skew = async () =>
    ((await tab.evaluate(() => [Date.now(), new Date().getTime()])) as number[]).map((t) => t - Date.now());
  for (const ms of await skew()) expect(Math.abs(ms)).toBeLessThan(5000);
  await shop.context.clock.fastForward('02:00');
  for (const ms of await skew()) expect(ms).toBeGreaterThan(115_000);
  await tab.reload();
  for (const ms of await skew()) expect(ms).toBeGreaterThan(115_000);
});

test('offline: navigator.onLine is false and requests fail in every tab; back online, `online` fires', async ({
  shop,
}) => {
  shop.requires('offline');
  shop.serve('/', html('', '<script>addEventListener("online", function () { window.cameBack = true })</script>'));
  const tab = await shop.open(`${shop.origin('www')}/`);
  // Whether the page is online, and whether a request from it goes.
  const state = (page: typeof tab) =>
    page.evaluate(
      `fetch(${JSON.stringify(`${shop.origin('track')}/?probe`)}, { mode: 'no-cors' }).then(() => [navigator.onLine, 'fetched'], () => [navigator.onLine, 'failed'])`,
    );
  await shop.context.setOffline(true);
  await expect.poll(() => state(tab)).toEqual([false, 'failed']);
  // A tab opened while offline is offline too.
  expect(await state(await shop.context.newPage())).toEqual([false, 'failed']);
  await shop.context.setOffline(false);
  await expect.poll(() => state(tab)).toEqual([true, 'fetched']);
  expect(await tab.evaluate(() => (window as { cameBack?: boolean }).cameBack)).toBe(true);
  shop.takeProblems();
});
