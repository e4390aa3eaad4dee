/**
 * `dist/capture.js`: the landing-page bundle. Reads the same data attributes and queued
 * `init` configs as `postclick.js`, captures once, and leaves the stub for `postclick.js`.
 */
import { attempt } from '../attempt';
import { capture } from '../capture';
import { settings } from '../settings';
import { loadDebugBuild } from './debugBuild';
import { scriptConfig } from './scriptConfig';

attempt(() => {
  const config = scriptConfig((window as { postclick?: { q?: [] } }).postclick?.q || []);
  if (!loadDebugBuild(config)) Object.assign(settings, config), capture();
});
