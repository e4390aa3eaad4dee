// @ts-check

export { DataError } from './common.js';

/** The URL without its password, for messages. @param {string} url */
export function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return url;
  }
}

/** `postgres://…` and `postgresql://…` name a PostgreSQL database; anything else is a file. */
export const isPostgresUrl = (/** @type {string | undefined} */ data) => /^postgres(ql)?:\/\//i.test(data ?? '');

/**
 * Opens the store `data` names: a PostgreSQL URL, a SQLite file, or (undefined) memory.
 * @param {string | undefined} data @param {import('./common.js').StoreOptions} options
 * @returns {Promise<import('./common.js').Store>}
 */
export async function openStore(data, options) {
  // Each driver is loaded only when used: start-up time is paid per import.
  if (isPostgresUrl(data)) {
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(/** @type {string} */ (data), options);
  }
  const { openSqlite } = await import('./sqlite.js');
  return openSqlite(data, options);
}
