/** `consent()`: store and send what `consent: 'pending'` held in memory, or drop it (SPEC §3). */
import { attempt } from './attempt';
import { readClick, storeClick } from './clickStore';
import { log } from './debug';
import { flush } from './outbox';
import { settings } from './settings';
import { drop, persist } from './storage';

export const consent = (granted: boolean): void =>
  void attempt(() => {
    log('consent ' + (granted ? 'granted: storing and sending what was held' : 'refused: dropping what was held'));
    // Read while the page's own capture is still the copy held in memory: it beats the cookie.
    const clickId = readClick();
    settings.consent = granted ? 'granted' : 'denied';
    if (granted) {
      persist();
      if (clickId) storeClick(clickId);
      flush();
    } else drop();
  });
