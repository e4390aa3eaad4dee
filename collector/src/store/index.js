// @ts-check
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

export { DataError } from './common.js';

/** `postgres://…` and `postgresql://…` name a PostgreSQL database; anything else is a file. */
export const isPostgresUrl = (/** @type {string | undefined} */ data) => /^postgres(ql)?:\/\//i.test(data ?? '');

/**
 * Opens the store `data` names: a PostgreSQL URL, a SQLite file, or (undefined) memory.
 * @param {string | undefined} data @param {import('./common.js').StoreOptions} options
 * @returns {Promise<import('./common.js').Store>}
 */
export async function openStore(data, options) {
  return isPostgresUrl(data) ? openPostgres(/** @type {string} */ (data), options) : openSqlite(data, options);
}
