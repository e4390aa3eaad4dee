/** `consent()`: store and send what `consent: 'pending'` held in memory, or drop it (SPEC §3). */
import { attempt } from './attempt';
import { readClick, storeClick } from './clickStore';
import { log } from './debug';
import { flush } from './outbox';
import { settings } from './settings';
import { memory, persist } from './storage';

export const consent = (granted: boolean): void =>
  void attempt(() => {
    log('consent', granted);
    settings.consent = granted ? 'granted' : 'denied';
    if (granted) {
      persist();
      const clickId = readClick();
      if (clickId) storeClick(clickId);
      flush();
    } else for (const key in memory) delete memory[key];
  });
