// @ts-check
/**
 * What every route gets besides the request: the store, the settings and the hit log.
 * @typedef {object} App
 * @property {import('./db.js').Db} db
 * @property {number} sessionHours
 * @property {() => number} now  epoch ms; tests may inject a clock
 * @property {import('./hits.js').HitLog} hits
 *
 * @typedef {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse,
 *   url: URL, app: App) => void | Promise<void>} Route
 */
export {};
