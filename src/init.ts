/** `init()` and `reset()`: set defaults and start; forget everything. */
import { attempt } from './attempt';
import { capture } from './capture';
import { forgetClick } from './clickStore';
import { listenForDecoration } from './decorate';
import { clearOutbox, flush } from './outbox';
import { settings } from './settings';
import type { Config } from './types';

let started = false;
let decorating = false;

/**
 * Sets defaults for later calls, then captures. The first call on a page also retries the
 * outbox and retries again on `online`; the first with `decorate` starts link decoration.
 */
export const init = (config: Config): void =>
  void attempt(() => {
    Object.assign(settings, config);
    capture();
    if (__FEATURE_DECORATE__ && settings.decorate && !decorating) {
      listenForDecoration();
      decorating = true;
    }
    if (started) return;
    started = true;
    if (__FEATURE_RETRY__) {
      flush();
      addEventListener('online', flush);
    }
  });

/** Forgets the click ID and the fired-conversion marks (and anything still queued). */
export const reset = (): void =>
  void attempt(() => {
    forgetClick();
    clearOutbox();
  });
