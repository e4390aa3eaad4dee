/**
 * Build-time flag: `true` in the debug bundles and the npm builds, `false` in the
 * production script-tag bundles, where every `log()` call and its message compile away.
 */
declare const __DEBUG__: boolean;
