/** A hash of every input of the build. */
export function inputsHash(): string;
/** Why dist/ does not match the source, or null when it does. */
export function staleReason(): string | null;
/** Throws "dist/ is stale: run npm run build" when it is. */
export function assertFreshDist(): void;
