// @vitest-environment node
/**
 * The relay runs where only web-standard APIs exist (Cloudflare Workers, Vercel Edge, Deno):
 * the *built* `dist/server.cjs` is evaluated in a fresh V8 context that has `fetch`,
 * `Request`, `Response` and their friends, but no `require`, `process`, `Buffer` or any
 * `node:` module — loading it and serving a conversion there must work. And the ES module
 * build imports nothing at all. Run `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';
import { parseAst } from 'rollup/parseAst';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startNetwork, type Network } from './support/network';

const dist = (file: string) => readFileSync(new URL(`../../dist/${file}`, import.meta.url), 'utf8');

let network: Network;
beforeAll(async () => {
  network = await startNetwork();
});
afterAll(() => network.close());

/** What an edge runtime offers: the web platform, nothing of Node's. */
const EDGE_GLOBALS = {
  fetch,
  Request,
  Response,
  Headers,
  URL,
  URLSearchParams,
  AbortSignal,
  AbortController,
  ReadableStream,
  TextEncoder,
  TextDecoder,
  setTimeout,
  clearTimeout,
  console,
};

type ServerModule = typeof import('../../src/server');

function loadAtTheEdge(): ServerModule {
  const context = createContext({ ...EDGE_GLOBALS });
  const exports = {};
  const load = runInContext(`(function (exports, module) {${dist('server.cjs')}\n})`, context);
  load(exports, { exports });
  return exports as ServerModule;
}

it('the test context really lacks Node: require, process and Buffer are not defined there', () => {
  const context = createContext({ ...EDGE_GLOBALS });
  expect(runInContext('[typeof require, typeof process, typeof Buffer, typeof fetch].join()', context)).toBe(
    'undefined,undefined,undefined,function',
  );
});

it('dist/server.cjs loads without Node, and its relay forwards a conversion and sets a cookie there', async () => {
  const { relay, clickCookie } = loadAtTheEdge();
  const handler = relay({ forward: `${network.origin}/pb?o=42&r={click_id}&t={unique_id}` });
  const response = await handler(new Request('https://www.shop.example/postclick/c?click_id=edge-1&order_id=E-1'));
  expect([response.status, await response.json()]).toEqual([200, { status: 'forwarded', upstream: 200 }]);
  expect(network.hits).toEqual(['/pb?o=42&r=edge-1&t=E-1']);

  const click = await handler(new Request('https://www.shop.example/postclick/click?s1=edge-2'));
  expect([click.status, click.headers.get('set-cookie')]).toEqual([
    204,
    '_postclick=edge-2;Path=/;SameSite=Lax;Max-Age=2592000;Secure',
  ]);
  expect(clickCookie('https://www.shop.example/?s1=edge-3')).toMatch(/^_postclick=edge-3;/);
});

it('dist/server.mjs imports nothing (no node: module, no dependency), statically or dynamically', () => {
  /** Every module specifier an ES module's syntax tree names. */
  const imports = (code: string): string[] => {
    const found: string[] = [];
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const { type, source } = node as { type?: string; source?: { value?: unknown } };
      if (
        /^(ImportDeclaration|ImportExpression|ExportAllDeclaration|ExportNamedDeclaration)$/.test(type ?? '') &&
        source
      )
        found.push(String(source.value ?? '(computed)'));
      for (const child of Object.values(node)) walk(child);
    };
    walk(parseAst(code));
    return found;
  };
  expect(imports(dist('server.mjs'))).toEqual([]);
  // The walk finds imports where there are some.
  expect(imports('import { a } from "node:http"; export * from "x"; import("node:fs");')).toEqual([
    'node:http',
    'x',
    'node:fs',
  ]);
});
