// @ts-check
import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../src/cli.js';
import { spawnCli } from './helpers.js';

describe('parseCli', () => {
  it('has the documented defaults', () => {
    expect(parseCli([], {})).toEqual({
      help: false,
      options: { port: 8787, host: '127.0.0.1', data: undefined, sessionHours: 720, static: {}, quiet: false },
    });
  });

  it('reads every flag, both spellings, and PORT', () => {
    const { options } = /** @type {any} */ (
      parseCli(
        [
          '--port=0',
          '--host',
          '0.0.0.0',
          '--data',
          'x.sqlite',
          '--session-hours',
          '0.5',
          '--static',
          '/dist/=dist',
          '--static=/=examples',
          '--quiet',
        ],
        { PORT: '9999' },
      )
    );
    expect(options).toMatchObject({ port: 0, host: '0.0.0.0', sessionHours: 0.5, quiet: true });
    expect(options.data).toMatch(/\/x\.sqlite$/);
    expect(Object.keys(options.static)).toEqual(['/dist/', '/']);
    expect(/** @type {any} */ (parseCli([], { PORT: '1234' })).options.port).toBe(1234);
    expect(parseCli(['-h'])).toEqual({ help: true });
  });

  it.each([
    [['--session-hours', 'abc'], '--session-hours must be a positive number of hours, got "abc"'],
    [['--session-hours', '0'], '--session-hours must be a positive number of hours, got "0"'],
    [['--session-hours=-1'], '--session-hours must be a positive number of hours, got "-1"'],
    [['--session-hours='], '--session-hours must be a positive number of hours, got ""'],
    [['--port', '70000'], '--port must be a port number from 0 to 65535, got "70000"'],
    [['--static', 'dist'], '--static must look like /prefix/=directory, got "dist"'],
    [['--nope'], /Unknown option '--nope'/],
    [['--data'], /--data/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCli(argv, {})).toThrow(UsageError);
    expect(() => parseCli(argv, {})).toThrow(message);
  });

  it('names PORT when the environment is wrong', () => {
    expect(() => parseCli([], { PORT: 'x' })).toThrow('PORT must be a port number from 0 to 65535, got "x"');
  });
});

describe('postclick-collector', () => {
  it('prints "listening on http://HOST:PORT" first, serves, and exits 0 on SIGTERM', async () => {
    const { child, firstLine, exited } = spawnCli(['--port', '0', '--session-hours', '0.25']);
    const line = await firstLine;
    expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(line.slice('listening on '.length) + '/healthz');
    expect(await res.text()).toBe('ok');
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  });

  it('takes the port from PORT and stops on SIGINT', async () => {
    const { child, firstLine, exited } = spawnCli(['--quiet'], { PORT: '0' });
    expect(await firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    child.kill('SIGINT');
    expect((await exited).code).toBe(0);
  });

  it('--help prints the usage and exits 0', async () => {
    const { child, exited } = spawnCli(['--help']);
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    expect((await exited).code).toBe(0);
    expect(out).toMatch(/^Usage: postclick-collector/);
    expect(out).toContain('--session-hours');
  });

  it('a bad --session-hours exits 2 with a message naming the flag', async () => {
    const { exited } = spawnCli(['--session-hours', 'soon']);
    const { code, stderr } = await exited;
    expect(code).toBe(2);
    expect(stderr).toBe(
      'postclick-collector: --session-hours must be a positive number of hours, got "soon"\nTry --help.\n',
    );
  });
});
