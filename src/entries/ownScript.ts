/** The script element that loaded this bundle (`currentScript` is null in modules and callbacks). */
export const ownScript = (): HTMLScriptElement | null =>
  (document.currentScript as HTMLScriptElement | null) || document.querySelector('script[src*="postclick"]');
