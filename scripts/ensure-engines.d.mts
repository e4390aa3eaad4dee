export type EngineName = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: EngineName[];
/** Debian's `firefox-esr` (or `firefox`), or `FIREFOX_PATH`; null when there is none. */
export function findFirefox(env?: Record<string, string | undefined>): string | null;
/** `WebKitWebDriver`, `MiniBrowser` and `Xvfb`; null unless all three are there. */
export function findWebKit(
  env?: Record<string, string | undefined>,
): { driver: string; miniBrowser: string; xvfb: string } | null;
/** What to do when `engine` is missing. */
export function howToGet(engine: EngineName): string;
/** The engines `POSTCLICK_ENGINES` names (all three when unset). */
export function wantedEngines(env?: Record<string, string | undefined>): EngineName[];
/** Finds every wanted engine, installing Debian's packages as root on Debian; else exits 1. */
export function ensureEngines(): void;
