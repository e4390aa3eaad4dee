// @ts-check
/**
 * `npm test`: every check, in the order that costs the least wall time on a small machine.
 *
 *   1. the build (every test runs dist/), then what the tests need: the three engines and
 *      PostgreSQL (installed as root on Debian, or a failure saying how to get them) and the
 *      filter lists;
 *   2. vitest (unit, collector on both stores, browsers in three engines) and, beside it at a
 *      lower CPU priority, the static checks: lint, types, size budgets, package lint.
 *
 * The browser tests spend much of their time waiting on browsers and timers; the static
 * checks (a minute and a half of CPU) fill that time instead of adding to it. Their output
 * is held and printed after vitest's, and any failure of either fails `npm test`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { setPriority } from 'node:os';

/** The static checks, in the order they are reported. */
const CHECKS = [
  ['lint', 'npm run lint --silent'],
  ['types', 'npm run typecheck --silent'],
  ['size budgets', 'npm run size --silent -- --check'],
  ['package', 'npm run lint:package --silent'],
];

/** Runs `command` in a shell with the terminal; exits at once when it fails. */
function step(command) {
  const { status, signal } = spawnSync(command, { shell: true, stdio: 'inherit' });
  if (status !== 0) {
    console.error(`npm test: '${command}' failed (${signal ?? `exit ${status}`})`);
    process.exit(status || 1);
  }
}

/** Runs `command` in a shell, its output held; resolves with the exit status and output. */
function held(command, { nice = 0 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, {
      shell: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '1' },
    });
    if (nice && child.pid) {
      try {
        setPriority(child.pid, nice);
      } catch {
        // Not permitted here: the checks run at normal priority, only slower beside vitest.
      }
    }
    /** @type {Buffer[]} */
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('close', (status) => resolve({ status: status ?? 1, output: Buffer.concat(output).toString() }));
  });
}

/** Runs `command` in a shell with the terminal; resolves with its exit status. */
function live(command) {
  return new Promise((resolve) => {
    spawn(command, { shell: true, stdio: 'inherit' }).on('close', (status) => resolve(status ?? 1));
  });
}

step('npm run build --silent');
step('node scripts/ensure-engines.mjs');
step('node scripts/ensure-postgres.mjs');
step('node scripts/filterlists.mjs');

const checks = (async () => {
  /** @type {{ name: string, status: number, output: string, seconds: number }[]} */
  const results = [];
  for (const [name, command] of CHECKS) {
    const started = Date.now();
    const { status, output } = await held(command, { nice: 10 });
    results.push({ name, status, output, seconds: (Date.now() - started) / 1000 });
  }
  return results;
})();
const vitest = await live('npx vitest run');
const results = await checks;

console.log('\nStatic checks (run beside vitest):');
for (const { name, status, output, seconds } of results) {
  console.log(`\n${status === 0 ? '✓' : '✗'} ${name} (${seconds.toFixed(0)} s)`);
  process.stdout.write(output);
}
const failed = results.filter((result) => result.status !== 0).map((result) => result.name);
if (failed.length) console.error(`npm test: static checks failed: ${failed.join(', ')}`);
if (vitest !== 0) console.error(`npm test: vitest failed (exit ${vitest})`);
process.exit(failed.length || vitest !== 0 ? 1 : 0);
