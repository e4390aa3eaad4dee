/**
 * Fired marks and the outbox, in one record per conversion (SPEC §5 "Exactly once",
 * "Nothing lost"). A record is written before anything is sent: `[createdAt, url, attempts,
 * transport, sendingSince]` while delivery is pending, `[createdAt]` once it is delivered or
 * dropped. Its presence is the fired mark, so a refresh, a second tab or a re-render finds
 * it and sends nothing. One key per conversion, so tabs never overwrite each other's records.
 */
import { attempt } from './attempt';
import { log } from './debug';
import { keys, load, remove, save } from './storage';
import { consented } from './settings';
import { send } from './transport';
import type { Result, Status, Transport } from './types';

type Entry = [createdAt: number, url?: string, attempts?: number, transport?: Transport, sendingSince?: number];

const PREFIX = 'postclick:';
/** Records kept at most; the oldest go first, so storage never grows without bound. */
const MAX_RECORDS = 50;
const MAX_ATTEMPTS = 5;
const MAX_AGE_MS = 7 * 864e5;
/**
 * A keepalive fetch or an image outlives the page that started it, but its answer does not
 * reach that page once it has navigated away: the record stays pending. Other pages leave
 * such a request alone this long before they retry it, so it is not sent twice.
 */
const IN_FLIGHT_MS = 6e4;

const write = (key: string, entry: Entry): void => save(key, JSON.stringify(entry));

const read = (key: string): Entry => attempt(() => JSON.parse(load(key)!)) || [0];

/**
 * Marks the conversion fired and queues it, first evicting the oldest records past the
 * bound, then delivers it unless consent is pending; `duplicate` if it was fired before.
 */
export function fire(transport: Transport, result: Partial<Result>): Status | Promise<Status> {
  const key = PREFIX + result.uniqueId;
  if (load(key) != null) return 'duplicate';
  // Consent pending: the record is kept for consent(true), not marked as being sent.
  const sending = consented();
  keys(PREFIX)
    .sort((a, b) => read(a)[0] - read(b)[0])
    .slice(0, 1 - MAX_RECORDS)
    .map(remove);
  const now = Date.now();
  // Written in flight when delivery follows at once: another tab's flush() must not send it too.
  // (0: not in flight, as when consent is pending.)
  write(key, [now, result.url, 0, transport, sending ? now : 0]);
  if (sending) return deliver(key, result);
  result.error = 'consent pending';
  return 'queued';
}

/**
 * One delivery attempt of a queued record; sets `result.transport` or `result.error`.
 * Offline it does not try (sendBeacon would report success and lose the request); a
 * failure keeps the record for the next page load or the `online` event, until it has had
 * its attempts or its week.
 */
export async function deliver(key: string, result: Partial<Result> = {}): Promise<Status> {
  const [createdAt, url, attempts = 0, transport] = read(key);
  if (!url) return 'duplicate';
  if (attempts >= MAX_ATTEMPTS || Date.now() - createdAt > MAX_AGE_MS) {
    write(key, [createdAt]);
    result.error = 'attempts exhausted';
    return 'failed';
  }
  if (!navigator.onLine) {
    write(key, [createdAt, url, attempts, transport]);
    result.error = 'offline';
    return 'queued';
  }
  write(key, [createdAt, url, attempts + 1, transport, Date.now()]);
  if ((result.transport = await send(url, transport!))) {
    write(key, [createdAt]);
    return 'sent';
  }
  write(key, [createdAt, url, attempts + 1, transport]);
  result.error = 'delivery failed';
  return attempts + 1 < MAX_ATTEMPTS ? 'queued' : deliver(key, result);
}

/**
 * Retries every pending conversion (at each page load that runs postclick, and on `online`),
 * unless consent is pending or refused.
 */
export function flush(): void {
  if (consented())
    keys(PREFIX).forEach((key) => {
      const [, url, , , sendingSince = 0] = read(key);
      if (url && Date.now() - sendingSince > IN_FLIGHT_MS) {
        const retried = deliver(key);
        if (__DEBUG__)
          void retried.then((status) => log('retried ' + key.slice(PREFIX.length) + ' from the outbox: ' + status));
      }
    });
}

/** Forgets every mark and pending conversion. */
export const clearOutbox = (): void => keys(PREFIX).forEach(remove);
