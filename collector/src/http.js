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
  /** @type {Record<string, string>} */
  const params = {};
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const nameEnd = eq < 0 || eq > end ? end : eq;
      const name = decode(text.slice(start, nameEnd), strict, `a parameter name of the ${where}`);
      if (!Object.prototype.hasOwnProperty.call(params, name)) {
        const value = decode(nameEnd === end ? '' : text.slice(nameEnd + 1, end), strict, name);
        // An own property even for `__proto__`: just a parameter, never the prototype.
        if (name === '__proto__') Object.defineProperty(params, name, { value, enumerable: true, writable: true });
        else params[name] = value;
      }
    }
    start = end + 1;
  }
  return params;
}

/** @param {string} raw @param {boolean} strict @param {string} field */
function decode(raw, strict, field) {
  // Most names and values are plain: nothing to decode.
  if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) return raw;
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
