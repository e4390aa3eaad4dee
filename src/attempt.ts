/**
 * Runs `task`, returning its value, or `undefined` if it throws. Storage, cookies and
 * browser APIs throw in hostile contexts (blocked storage, sandboxed frames, SSR); one
 * shared guard is smaller than a try/catch at each call.
 */
export function attempt<T>(task: () => T): T | undefined {
  try {
    return task();
  } catch {
    // The caller gets `undefined` and carries on with what still works.
  }
}
