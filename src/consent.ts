/** `consent()`: store and send what `consent: 'pending'` held in memory, or drop it (SPEC §3). */
import { readClick, storeClick } from './clickStore';
import { log } from './debug';
import { flush } from './outbox';
import { settings } from './settings';
import { memory, persist } from './storage';

export function consent(granted: boolean): void {
  try {
    log('consent ' + (granted ? 'granted' : 'refused'));
    if (granted) {
      settings.consent = 'granted';
      persist();
      const clickId = readClick();
      if (clickId) storeClick(clickId);
      flush();
    } else {
      settings.consent = 'denied';
      for (const key in memory) delete memory[key];
    }
  } catch (error) {
    log('error', error);
  }
}
