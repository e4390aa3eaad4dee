/** `init()` and `reset()`: set defaults and start; forget everything. */
import { capture } from './capture';
import { forgetClick } from './clickStore';
import { listenForDecoration } from './decorate';
import { log } from './debug';
import { clearOutbox, flush } from './outbox';
import { configure, consented, settings } from './settings';
import type { Config } from './types';

let started = false;

/**
 * Sets defaults for later calls, then captures. The first call on a page also retries the
 * outbox, listens for `online` to retry again, and starts link decoration.
 */
export function init(config: Config): void {
  try {
    configure(config);
    capture();
    if (started) return;
    started = true;
    if (consented()) flush();
    addEventListener('online', () => consented() && flush());
    if (settings.decorate?.length) listenForDecoration();
  } catch (error) {
    log('error', error);
  }
}

/** Forgets the click ID and the fired-conversion marks (and anything still queued). */
export function reset(): void {
  try {
    forgetClick();
    clearOutbox();
  } catch (error) {
    log('error', error);
  }
}
