// What the global setup hands to the test files (vitest's provide/inject).
declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://… of the throw-away server, for creating one database per collector. */
    postgresUrl: string;
  }
}
export {};
