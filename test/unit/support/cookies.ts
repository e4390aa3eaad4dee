/**
 * Deletes every cookie the unit tests' pages can set (host-only and on `shop.example`).
 * Max-Age=-1, not 0: happy-dom keeps a Max-Age=0 cookie for the millisecond it was set in,
 * so the next test could still read it (the SDK deletes the same way; src/cookie.ts).
 */
export function clearCookies(): void {
  for (const pair of document.cookie.split(/; */)) {
    const name = pair.split('=')[0];
    if (name)
      for (const domain of ['', ';Domain=shop.example']) document.cookie = `${name}=;Path=/;Max-Age=-1${domain}`;
  }
}
