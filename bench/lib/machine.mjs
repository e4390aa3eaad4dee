// @ts-check
/** The machine, software and revision a benchmark ran on, for the report's header. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

const git = (/** @type {string[]} */ ...args) => {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

function osName() {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1] ?? os.type();
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}

/** @param {{ chromium?: string }} [versions] */
export function machine(versions = {}) {
  const cpus = os.cpus();
  const commit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no') ? ' + uncommitted changes' : '';
  const require = createRequire(import.meta.url);
  return {
    cpu: `${cpus[0]?.model.trim() ?? 'unknown'} × ${cpus.length} (${os.availableParallelism?.() ?? cpus.length} usable)`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${osName()}, Linux ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium: versions.chromium ?? '–',
    playwright: `playwright-core ${require('playwright-core/package.json').version}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: commit ? `${commit}${dirty}` : 'unknown',
    loadavg: os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' / '),
  };
}
