// @ts-check
/**
 * Debian packages for the test command's provisioning scripts (ensure-engines.mjs,
 * ensure-postgres.mjs): installed only as root on Debian, saying so first; anywhere else the
 * caller fails with how to get them. Never a silently skipped suite.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Root on Debian: we may install what is missing. */
export const mayInstall = () => existsSync('/etc/debian_version') && process.getuid?.() === 0;

/**
 * `apt-get update && apt-get install -y …packages`, its output on stderr, announced by
 * `who` first. Throws when apt-get fails.
 * @param {string} who @param {string} what @param {string[]} packages
 */
export function aptInstall(who, what, packages) {
  console.error(`${who}: ${what}; installing Debian's: apt-get update && apt-get install -y ${packages.join(' ')}`);
  const apt = (/** @type {string[]} */ ...args) =>
    execFileSync('apt-get', args, {
      stdio: ['ignore', process.stderr, process.stderr],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  apt('update');
  apt('install', '-y', ...packages);
}
