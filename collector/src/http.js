// @ts-check
/** Small HTTP plumbing shared by the routes: errors, limits, parameter parsing, answers. */

/** Request-target limit. Beacons and pixels are a few hundred bytes; 8 KB is what most
 * proxies and CDNs accept, so a longer URL would not reach a real collector either. */
export const MAX_URL_BYTES = 8 * 1024;
/** Body limit for POST /c and /suppression: a form of §5 parameters is far smaller. */
export const MAX_BODY_BYTES = 64 * 1024;

/** An answer for the client, thrown from anywhere in a route and sent by the dispatcher. */
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

/**
 * Reads the whole body, refusing more than `limit` bytes with 413 — announced by
 * Content-Length or discovered while streaming.
 * @param {import('node:http').IncomingMessage} req
 * @param {number} [limit]
 * @returns {Promise<string>}
 */
export function readBody(req, limit = MAX_BODY_BYTES) {
  const tooLarge = () => new HttpError(413, `body larger than ${limit} bytes`, { Connection: 'close' });
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.removeAllListeners('data');
      reject(tooLarge());
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // A client that hangs up mid-body ('error' ECONNRESET, or just 'close'): its fault,
    // not ours, and nobody is left to read the answer. No-op after 'end'.
    const aborted = () => reject(new HttpError(400, 'request aborted'));
    req.on('error', aborted);
    req.on('close', aborted);
  });
}

/** The media type of a request body, lower-cased, without parameters ('' when absent). */
export function mediaType(/** @type {import('node:http').IncomingMessage} */ req) {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string | Buffer} body
 * @param {Record<string, string | number | string[]>} headers
 */
export function send(res, status, body, headers) {
  // setHeader rather than writeHead's object, so the request log can read them back.
  for (const [name, value] of Object.entries({
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  })) {
    res.setHeader(name, value);
  }
  res.writeHead(status).end(body);
}

/**
 * @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} value
 * @param {Record<string, string>} [headers]
 */
export function sendJson(res, status, value, headers = {}) {
  send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8', ...headers });
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {string} html */
export function sendHtml(res, status, html) {
  send(res, status, html, { 'Content-Type': 'text/html; charset=utf-8' });
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {string} text */
export function sendText(res, status, text) {
  send(res, status, text, { 'Content-Type': 'text/plain; charset=utf-8' });
}
