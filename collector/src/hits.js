// @ts-check
import { parseParams, queryOf } from './http.js';

/**
 * @typedef {object} Hit  one request to /c, as it arrived (before any validation)
 * @property {string} method
 * @property {string} path  pathname, e.g. '/c'
 * @property {string} url  the raw request target, query included
 * @property {Record<string, string>} query
 * @property {Record<string, string>} body  form fields of a POST body; {} when empty
 * @property {string | null} cookie  the raw Cookie header
 * @property {string | null} referer
 * @property {string | null} userAgent
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {number} at  epoch ms of arrival
 */

/** Every /c request in arrival order, for tests that assert on what the collector received. */
export function createHitLog() {
  /** @type {Hit[]} */
  const list = [];
  return {
    list,
    /**
     * Parsing is lenient here (a bad escape is kept as written): a request is logged
     * even when it is about to be answered 400.
     * @param {import('node:http').IncomingMessage} req @param {string} path @param {string} bodyText
     */
    add(req, path, bodyText) {
      list.push({
        method: req.method ?? '',
        path,
        url: req.url ?? '',
        query: parseParams(queryOf(req.url ?? ''), { strict: false }),
        body: parseParams(bodyText, { strict: false }),
        cookie: req.headers.cookie ?? null,
        referer: req.headers.referer ?? null,
        userAgent: req.headers['user-agent'] ?? null,
        headers: req.headers,
        at: Date.now(),
      });
    },
    /** Empties the list in place, so a reference to `hits` stays live. */
    clear() {
      list.length = 0;
    },
  };
}

/** @typedef {ReturnType<typeof createHitLog>} HitLog */
