// `npm start`: build the SDK, then run the reference collector serving the example pages,
// so the whole loop — tracking link, landing, thank-you, report — runs on one origin.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from 'postclick-collector/cli';

const path = (/** @type {string} */ relative) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

const build = spawnSync('npm', ['run', 'build'], { cwd: path(''), stdio: 'inherit' });
if (build.status !== 0) {
  console.warn(
    `npm run build failed${existsSync(path('dist/postclick.js')) ? '; serving the previous dist/' : ': the pages need dist/postclick.js'}`,
  );
}

const collector = await main([
  '--port',
  process.env.PORT ?? '8787',
  '--data',
  path('.tmp/demo.sqlite'),
  '--static',
  `/dist/=${path('dist')}`,
  '--static',
  `/=${path('examples')}`,
]);
if (collector) {
  console.log(`
Open http://localhost:${collector.port}/ — the network page. Follow the tracking link, buy the
jacket, and watch the conversion land on http://localhost:${collector.port}/reports.
Data: .tmp/demo.sqlite (delete it to start over). Stop with Ctrl+C.
`);
}
