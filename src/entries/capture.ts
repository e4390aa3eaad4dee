/**
 * `dist/capture.js`: the landing-page bundle. Reads the same data attributes and queued
 * `init` configs as `postclick.js`, captures once, and leaves the stub for `postclick.js`.
 */
import { attempt } from '../attempt';
import { capture } from '../capture';
import { settings } from '../settings';
import { loadDebugBuild } from './debugBuild';
import { scriptConfig } from './scriptConfig';

/** Captures with the data attributes and queued `init` configs (read anew as a fallback). */
const start = (config = scriptConfig()): unknown => attempt(() => (Object.assign(settings, config), capture()));

attempt(() => {
  const config = scriptConfig();
  if (!loadDebugBuild(config, () => start())) start(config);
});
