// @ts-check
// Provisions the filter lists the blocker test loads: EasyList and EasyPrivacy as Debian
// ships them inside uBlock Origin's package (webext-ublock-origin-chromium, under
// assets/thirdparties/easylist/). The package is downloaded and unpacked into
// .tmp/filterlists, never installed. When that cannot be done, this fails saying how to get
// the lists: the blocker test never skips. `npm run test:e2e` and `npm test` run it first;
// test/e2e/blocker.test.ts imports `filterLists` from here.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../.tmp/filterlists/', import.meta.url));
const PACKAGE = 'webext-ublock-origin-chromium';
const LISTS = ['easylist.txt', 'easyprivacy.txt'];

const HOW_TO_GET_THEM = `The blocker test needs EasyList and EasyPrivacy in ${DIR}. Any of these works:
  - Debian/Ubuntu (as root, or with apt-get download allowed):  node scripts/filterlists.mjs
  - by hand:  apt-get download ${PACKAGE} && dpkg-deb -x ${PACKAGE}_*.deb x &&
              cp x/usr/share/*/extensions/ublock-origin/assets/thirdparties/easylist/{${LISTS.join(',')}} ${DIR}
  - any recent copy of the two lists, as ${LISTS.join(' and ')} in ${DIR}`;

/** The lists' paths, downloading and unpacking Debian's package when they are missing; throws how to get them. */
export function filterLists() {
  const paths = LISTS.map((list) => join(DIR, list));
  if (paths.every((path) => existsSync(path))) return paths;
  mkdirSync(DIR, { recursive: true });
  const work = mkdtempSync(join(DIR, 'deb-'));
  try {
    execFileSync('apt-get', ['download', PACKAGE], { cwd: work, stdio: 'pipe' });
    const deb = readdirSync(work).find((file) => file.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${PACKAGE} left no .deb`);
    execFileSync('dpkg-deb', ['-x', deb, 'x'], { cwd: work, stdio: 'pipe' });
    const found = execFileSync('find', ['x', '-path', '*/thirdparties/easylist/*.txt'], { cwd: work, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    for (const list of LISTS) {
      const source = found.find((path) => path.endsWith('/' + list));
      if (!source) throw new Error(`${PACKAGE} has no ${list} under assets/thirdparties/easylist/`);
      copyFileSync(join(work, source), join(DIR, list));
    }
    return paths;
  } catch (error) {
    throw new Error(`${HOW_TO_GET_THEM}\n(${error instanceof Error ? error.message.trim() : error})`, { cause: error });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(filterLists().join('\n'));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
