// @ts-check
// Vitest global setup of the `collector-postgres` project: one throw-away PostgreSQL server
// (Debian's package, installed when missing and we are root) for every test file; each
// collector under test gets a database of its own on it (helpers.js).
import { startPostgres } from '../../../scripts/ensure-postgres.mjs';

/** @param {import('vitest/node').TestProject} project */
export default async function setup(project) {
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
