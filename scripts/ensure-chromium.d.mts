/** The browser to launch (`CHROMIUM_PATH`, `/usr/bin/chromium`, Playwright's), or null. */
export function findChromium(env?: Record<string, string | undefined>): string | null;
/** What to do when there is none. */
export function howToGetChromium(): string;
