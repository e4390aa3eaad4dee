// @ts-check
/** What the routes share besides the framework: limits, errors, strict parameter parsing. */

/** Request-target limit. Beacons and pixels are a few hundred bytes; 8 KB is what most
 * proxies and CDNs accept, so a longer URL would not reach a real collector either. */
export const MAX_URL_BYTES = 8 * 1024;
/** Body limit for POST /c and /suppression: a form of the wire parameters is far smaller. */
export const MAX_BODY_BYTES = 64 * 1024;

/** An answer for the client, thrown from anywhere in a route and sent by the error handler. */
export class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} message  goes to the client as `{"error": message}`
   * @param {Record<string, string>} [headers]
   */
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/**
 * Parses `a=1&b=2` (query or form body). The first occurrence of a name wins, so a
 * parameter cannot be overridden by appending a second copy. Strict mode refuses
 * malformed percent-encoding (`%FF`), which URLSearchParams would silently turn into U+FFFD.
 * @param {string} text
 * @param {{ strict?: boolean, where?: string }} [options]
 * @returns {Record<string, string>}
 */
export function parseParams(text, { strict = true, where = 'query' } = {}) {
  const params = new Map();
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq), strict, `a parameter name of the ${where}`);
    if (!params.has(name)) params.set(name, decode(eq < 0 ? '' : part.slice(eq + 1), strict, name));
  }
  // fromEntries defines own properties, so `__proto__=x` is just a parameter.
  return Object.fromEntries(params);
}

/** @param {string} raw @param {boolean} strict @param {string} field */
function decode(raw, strict, field) {
  const text = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(text);
  } catch {
    if (!strict) return text;
    throw new HttpError(400, `malformed percent-encoding in ${field}`);
  }
}

/** The query of a request target, without `?` ('' when there is none). @param {string} target */
export function queryOf(target) {
  const mark = target.indexOf('?');
  return mark < 0 ? '' : target.slice(mark + 1);
}

/** The media type of a request body, lower-cased, without parameters ('' when absent). */
export function mediaType(/** @type {import('node:http').IncomingHttpHeaders} */ headers) {
  return (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}
