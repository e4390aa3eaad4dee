// @ts-check
// `npm start` (scripts/demo.mjs) as a user runs it: quick when dist/ is fresh, and a busy
// port named, with the way out, before anything is built.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, utimesSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const path = (/** @type {string} */ relative) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));
const DEMO = path('scripts/demo.mjs');

/** Runs `npm start`'s script with `env`; collects its output. @param {Record<string, string>} env */
function npmStart(env) {
  const child = spawn(process.execPath, [DEMO], { cwd: path(''), env: { ...process.env, ...env } });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (text) => (output.stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text) => (output.stderr += text));
  return { child, output };
}

describe('npm start', () => {
  it('on a busy port, says which and how to choose another, and exits non-zero at once', async () => {
    const busy = createServer();
    await new Promise((resolve) => busy.listen(0, '127.0.0.1', () => resolve(undefined)));
    const { port } = /** @type {import('node:net').AddressInfo} */ (busy.address());
    try {
      const started = Date.now();
      const { child, output } = npmStart({ PORT: String(port) });
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(output.stderr).toContain(`port ${port} is in use`);
      expect(output.stderr).toMatch(/choose another port: PORT=878[89] npm start/);
      // Found before any build: no build step ran.
      expect(output.stdout).not.toMatch(/build \d/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      busy.close();
    }
  });

  it('with dist/ fresh, starts without rebuilding in under 5 s', { timeout: 30_000 }, async () => {
    // Every output newer than every input: what a build leaves behind.
    const outputs = ['postclick.js', 'capture.js', 'postclick.mjs', 'cli.mjs', 'server.mjs'].map((file) =>
      path(`dist/${file}`),
    );
    outputs.push(path('examples/spa/dist/app.js'));
    if (!outputs.every((file) => existsSync(file))) throw new Error('run `npm run build` first');
    const now = new Date();
    for (const file of outputs) utimesSync(file, now, now);

    const started = Date.now();
    const { child, output } = npmStart({ PORT: '0' });
    try {
      await expect
        .poll(() => output.stdout, { timeout: 10_000, interval: 50 })
        .toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(output.stdout).toContain('dist/ is up to date with src/: not rebuilding');
      expect(output.stdout).not.toMatch(/build \d/);
      const url = /listening on (\S+)/.exec(output.stdout)?.[1];
      expect((await fetch(`${url}/healthz`)).ok).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
