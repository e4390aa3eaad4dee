// @vitest-environment node
/**
 * The relay examples run as written: the Node ones as processes (`node examples/…`, with
 * `postclick/server` resolved through the package's own exports map, so the built
 * dist/server.mjs runs), the Next.js route handler and the Worker by calling their exports
 * with a `Request` (their types are checked by `tsc -p test/tsconfig.json`, which this
 * import pulls in). Each sends a conversion and a click to a recording network.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RelayHandler } from '../../src/server';
import { startNetwork, type Network } from './support/network';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEMPLATE = '/p.ashx?o=42&e=7&f=pb&r={click_id}&t={unique_id}&p={amount}';

let network: Network;
const children: ChildProcess[] = [];
beforeEach(async () => {
  network = await startNetwork();
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  vi.unstubAllEnvs();
  await network.close();
});

/** Starts `node <file>` on a free port; resolves with the origin it printed. */
function run(file: string): Promise<string> {
  const child = spawn(process.execPath, [file], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      POSTCLICK_FORWARD: network.origin + TEMPLATE,
      POSTCLICK_COOKIE_DOMAIN: 'shop.example',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk;
      const found = /listening on (http:\/\/\S+)/.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('exit', (code) => reject(new Error(`${file} exited (${code}):\n${output}`)));
  });
}

/** A conversion and a click through `handle`, and what the network and the browser got. */
async function exercise(handle: (request: Request) => Promise<Response>, origin = 'https://www.shop.example') {
  const conversion = await handle(new Request(`${origin}/postclick/c?click_id=ex-1&order_id=A-1&amount=49.99`));
  expect([conversion.status, await conversion.json()]).toEqual([200, { status: 'forwarded', upstream: 200 }]);
  expect(network.hits).toEqual(['/p.ashx?o=42&e=7&f=pb&r=ex-1&t=A-1&p=49.99']);
  const click = await handle(new Request(`${origin}/postclick/click?s1=ex-2`));
  expect(click.status).toBe(204);
  expect(click.headers.get('set-cookie')).toMatch(
    /^_postclick=ex-2;Path=\/;SameSite=Lax;Max-Age=2592000;Domain=shop\.example/,
  );
}

describe.each(['examples/relay-node/server.mjs', 'examples/relay-express/server.mjs'])('%s', (file) => {
  it('starts, forwards a conversion to the network and sets the cookie', async () => {
    const origin = await run(file);
    await exercise((request) => fetch(request), origin);
    expect((await fetch(`${origin}/other`)).status).not.toBe(200);
  });

  it('refuses to start without POSTCLICK_FORWARD, saying why', async () => {
    const child = spawn(process.execPath, [file], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', POSTCLICK_FORWARD: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/relay: forward is required/);
  });
});

describe('examples/relay-next (App Router route handler)', () => {
  it('exports GET, POST and OPTIONS as the relay handler', async () => {
    vi.stubEnv('POSTCLICK_FORWARD', network.origin + TEMPLATE);
    vi.stubEnv('POSTCLICK_COOKIE_DOMAIN', 'shop.example');
    vi.resetModules();
    const route = await import('../../examples/relay-next/app/postclick/[route]/route');
    const handlers: RelayHandler[] = [route.GET, route.POST, route.OPTIONS];
    expect(new Set(handlers).size).toBe(1);
    expect(route.dynamic).toBe('force-dynamic');
    await exercise(route.GET);
  });
});

describe('examples/relay-worker (Cloudflare Worker fetch export)', () => {
  it('serves /postclick/* with the relay, built from env on the first request', async () => {
    const { default: worker } = await import('../../examples/relay-worker/worker');
    const env = { POSTCLICK_FORWARD: network.origin + TEMPLATE, POSTCLICK_COOKIE_DOMAIN: 'shop.example' };
    await exercise((request) => worker.fetch(request, env));
  });

  it('passes any other path through to the shop', async () => {
    const { default: worker } = await import('../../examples/relay-worker/worker');
    const response = await worker.fetch(new Request(`${network.origin}/product/7`), {
      POSTCLICK_FORWARD: network.origin + TEMPLATE,
    });
    expect([response.status, await response.text()]).toEqual([200, 'OK']);
    expect(network.hits).toEqual(['/product/7']);
  });
});
