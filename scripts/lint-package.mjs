// @ts-check
/**
 * `npm run lint:package`: publint, then attw on the tarball npm would publish. The tarball
 * is packed with `--ignore-scripts`: `attw --pack` runs `npm pack`, whose `prepare` rebuilt
 * everything `npm test` had just built (about a minute of CPU on this machine).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });

run('npx', ['publint', '--strict']);
const dir = mkdtempSync(join(tmpdir(), 'postclick-pack-'));
try {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { encoding: 'utf8' }),
  );
  run('npx', ['attw', join(dir, packed.filename)]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
