/** The folder with PostgreSQL's initdb and pg_ctl (`POSTGRES_BIN`, Debian's newest), or null. */
export function findPostgres(env?: Record<string, string | undefined>): string | null;
/** Finds PostgreSQL, installing Debian's package as root on Debian; otherwise throws saying how. */
export function ensurePostgres(): string;
/** A throw-away server in a temporary directory: `url` of its `postgres` database, `stop()` removes it. */
export function startPostgres(): Promise<{ url: string; port: number; stop(): void }>;
