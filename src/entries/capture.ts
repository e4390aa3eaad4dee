/**
 * `dist/capture.js`: the landing-page bundle. Reads the same data attributes and queued
 * `init` configs as `postclick.js`, captures once, and leaves the stub for `postclick.js`.
 */
import { capture } from '../capture';
import { log } from '../debug';
import { settings } from '../settings';
import { scriptConfig } from './scriptConfig';

try {
  Object.assign(settings, scriptConfig((window as unknown as { postclick?: { q?: [] } }).postclick?.q || []));
  capture();
} catch (error) {
  log('error', error);
}
