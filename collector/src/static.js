// @ts-check
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { HttpError, send } from './http.js';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
};

/**
 * A file server for a few directories mounted at URL prefixes (`{'/dist/': '/abs/dist'}`).
 * The longest matching prefix wins; a directory serves its index.html; nothing outside a
 * mounted directory is reachable. Nothing is cached, so a rebuilt SDK is picked up at once.
 * @param {Record<string, string>} mounts  URL prefix → directory
 * @returns {(res: import('node:http').ServerResponse, pathname: string) => Promise<boolean>}
 *   resolves false when no mount matches or the file does not exist
 */
export function createStatic(mounts) {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => ({ prefix: prefix.endsWith('/') ? prefix : prefix + '/', dir: resolve(dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);

  return async function serveStatic(res, pathname) {
    // `/spa` for a mount at `/spa/`: redirect, so relative links on its index resolve.
    const bare = table.find((m) => m.prefix === pathname + '/');
    if (bare) return redirect(res, bare.prefix);
    const mount = table.find((m) => pathname.startsWith(m.prefix));
    if (!mount) return false;

    let relative;
    try {
      relative = decodeURIComponent(pathname.slice(mount.prefix.length));
    } catch {
      throw new HttpError(400, 'malformed percent-encoding in the path');
    }
    if (relative.includes('\0')) throw new HttpError(400, 'NUL in the path');
    let file = resolve(mount.dir, relative);
    // resolve() has already collapsed `..`; anything that left the directory is refused.
    if (file !== mount.dir && !file.startsWith(mount.dir + sep)) return false;

    const info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      if (!pathname.endsWith('/')) return redirect(res, pathname + '/');
      file = resolve(file, 'index.html');
    } else if (!info?.isFile()) {
      return false;
    }
    const body = await readFile(file).catch(() => null);
    if (!body) return false;
    const type = CONTENT_TYPES[/** @type {keyof typeof CONTENT_TYPES} */ (extname(file).toLowerCase())];
    send(res, 200, body, { 'Content-Type': type ?? 'application/octet-stream' });
    return true;
  };
}

/** @param {import('node:http').ServerResponse} res @param {string} location */
function redirect(res, location) {
  send(res, 301, '', { Location: location });
  return true;
}
