/**
 * Reading a web-standard `Request` the way the reference collector reads its requests: the
 * same size limits and the same error texts, so the relay and the collector refuse the same
 * input with the same words.
 */

/** Request-target limit: 8 KB is what most proxies and CDNs accept, as at the collector. */
export const MAX_URL_BYTES = 8 * 1024;
/** Body limit: a form of conversion parameters is far smaller. */
export const MAX_BODY_BYTES = 64 * 1024;

/** An answer for the client: thrown from anywhere in a route, answered as `{"error": message}`. */
export class RelayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Each parameter's values, in order; a null prototype, so `__proto__=x` is just a parameter. */
export type Params = Record<string, string[]>;

/**
 * Parses `a=1&b=2` (a query or a form body). Malformed percent-encoding (`%FF`) is refused
 * rather than turned into U+FFFD, as URLSearchParams would: a click ID or an order ID must
 * reach the network as it was sent, or not at all.
 */
export function parseParams(text: string, where: string): Params {
  const params: Params = Object.create(null);
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq), 'a parameter name of the ' + where);
    const value = decode(eq < 0 ? '' : part.slice(eq + 1), name);
    (params[name] = params[name] || []).push(value);
  }
  return params;
}

function decode(raw: string, field: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new RelayError(400, 'malformed percent-encoding in ' + field);
  }
}

/** Bodies read as a form: `sendBeacon(url)` sends none, `sendBeacon(url, string)` is text/plain. */
const FORM_TYPES = ['', 'application/x-www-form-urlencoded', 'text/plain'];

/**
 * The form body of a POST as parameters: refused with 413 beyond {@link MAX_BODY_BYTES}
 * (announced by Content-Length or found while reading), with 415 when it is not a form.
 */
export async function formBody(request: Request): Promise<Params> {
  const tooLarge = () => new RelayError(413, 'body larger than ' + MAX_BODY_BYTES + ' bytes', { Connection: 'close' });
  if (Number(request.headers.get('content-length')) > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return Object.create(null);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof RelayError) throw error;
    // The client hung up mid-body: its fault, and nobody is left to read the answer.
    throw new RelayError(400, 'request aborted');
  }
  if (!size) return Object.create(null);
  const type = (request.headers.get('content-type') || '').split(';')[0]!.trim().toLowerCase();
  if (FORM_TYPES.indexOf(type) < 0) throw new RelayError(415, 'the body must be application/x-www-form-urlencoded');
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return parseParams(new TextDecoder().decode(bytes), 'body');
}

/** A JSON answer that no cache keeps. */
export const json = (status: number, value: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(value), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
