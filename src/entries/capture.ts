/**
 * `dist/capture.js`: the landing-page bundle. Reads the same data attributes and queued
 * `init` configs as `postclick.js`, captures once, delivers what the site's outbox holds
 * (shoppers come back through landing pages), and leaves the stub for `postclick.js`.
 */
import { attempt } from '../attempt';
import { capture } from '../capture';
import { flush } from '../outbox';
import { settings } from '../settings';
import { loadDebugBuild } from './debugBuild';
import { scriptConfig } from './scriptConfig';
import type { Config } from '../types';

/**
 * Captures with the data attributes and queued `init` configs, then retries the outbox:
 * those read at load, or read anew when it runs as the debug twin's fallback. Guarded itself: as that fallback it runs
 * in an `onerror` handler, outside the guard below, and a page's odd queue could make
 * scriptConfig() throw.
 */
const start = (config?: Config): unknown =>
  attempt(() => {
    Object.assign(settings, config || scriptConfig());
    capture();
    if (__FEATURE_SITE_OUTBOX__) flush();
  });

attempt(() => {
  const config = scriptConfig();
  if (!loadDebugBuild(config, start)) start(config);
});
