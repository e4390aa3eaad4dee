// @ts-check
// `npm start`: build the SDK if src/ changed since the last build, then run the reference
// collector serving the example pages, so the whole loop — tracking link, landing,
// thank-you, report — runs on one origin (scripts/demo-server.mjs).
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { build, path, staleBecause, startDemo } from './demo-server.mjs';

const say = (/** @type {string} */ line) => console.log(`npm start: ${line}`);

const portText = process.env.PORT ?? '8787';
if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
  console.error(`npm start: PORT must be a port number from 0 to 65535, got "${portText}".`);
  process.exit(2);
}
const port = Number(portText);

/**
 * Says why `port` cannot be used, and how to choose another; exits non-zero.
 * @param {NodeJS.ErrnoException} error
 * @returns {never}
 */
function cannotListen(error) {
  const other = port === 8788 ? 8789 : 8788;
  if (error.code === 'EADDRINUSE') {
    console.error(
      `npm start: port ${port} is in use (another npm start, or another server).\n` +
        `Stop that one, or choose another port: PORT=${other} npm start`,
    );
  } else if (error.code === 'EACCES') {
    console.error(`npm start: not allowed to listen on port ${port}. Choose another: PORT=${other} npm start`);
  } else {
    console.error(`npm start: the collector did not start: ${error.message}`);
  }
  process.exit(1);
}

// A busy port is found before a build that may take a while, not after it.
if (port !== 0) {
  await new Promise((resolve) => {
    const probe = createServer()
      .once('error', cannotListen)
      .listen(port, '127.0.0.1', () => probe.close(resolve));
  });
}

const stale = staleBecause();
if (stale) {
  say(`building (${stale})`);
  const started = Date.now();
  if (await build(say)) say(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  else if (existsSync(path('dist/postclick.js'))) say('npm run build failed (see above): serving the previous dist/');
  else {
    console.error('npm start: npm run build failed (see above), and the pages need dist/postclick.js.');
    process.exit(1);
  }
} else {
  say('dist/ is up to date with src/: not rebuilding');
}

say('starting the collector…');
/** @type {Awaited<ReturnType<typeof startDemo>>} */
let demo;
try {
  demo = await startDemo({ port, host: '127.0.0.1', data: path('.tmp/demo.sqlite'), quiet: false });
} catch (error) {
  cannotListen(/** @type {NodeJS.ErrnoException} */ (error));
}

const stop = () => {
  process.off('SIGINT', stop).off('SIGTERM', stop);
  demo.close().then(() => process.exit(0));
};
process.on('SIGINT', stop).on('SIGTERM', stop);
const origin = `http://localhost:${demo.port}`;
console.log(`listening on ${demo.url}

Open ${origin}/ — the network page. Follow the tracking link and buy the jacket: the shop's
relay (/postclick/c) forwards the conversion server-to-server to the network's /c; watch it
land on ${origin}/reports. "Reset demo" on the network page starts over.
Data: .tmp/demo.sqlite. Stop with Ctrl+C.
`);
