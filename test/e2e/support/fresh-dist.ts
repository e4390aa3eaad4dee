/**
 * vitest globalSetup of the e2e project: every test here runs the built bundles, so a dist/
 * older than the source fails the run at once ("dist/ is stale: run npm run build").
 */
import { assertFreshDist } from '../../../scripts/dist-stamp.mjs';

export default function setup(): void {
  assertFreshDist();
}
