// @ts-check
import { describe, expect, it } from 'vitest';
import { startCollector } from '../src/index.js';
import { convert, request, start } from './helpers.js';

describe('startCollector', () => {
  it('listens on a free port and reports its URL', async () => {
    const c = await start();
    expect(c.url).toBe(`http://127.0.0.1:${c.port}`);
    expect(c.port).toBeGreaterThan(0);
    await c.close();
  });

  it('calls the handler first and lets it answer any request', async () => {
    const c = await start({
      handler: (req, res) => {
        if (req.url === '/custom' || req.url?.startsWith('/c?fault')) {
          res.writeHead(503).end('fault');
          return true;
        }
        return false;
      },
    });
    try {
      expect(await (await request(c, '/custom')).text()).toBe('fault');
      expect((await request(c, '/c?fault=1')).status).toBe(503);
      expect(c.hits).toHaveLength(0);
      expect((await convert(c, { offer_id: '42' })).status).toBe('rejected');
    } finally {
      await c.close();
    }
  });

  it('turns an error thrown by the handler into a 500, and keeps serving', async () => {
    const c = await start({
      handler: (req) => {
        if (req.url === '/boom') throw new Error('handler bug');
        return false;
      },
    });
    const error = console.error;
    console.error = () => {};
    try {
      expect((await request(c, '/boom')).status).toBe(500);
      expect((await request(c, '/healthz')).status).toBe(200);
    } finally {
      console.error = error;
      await c.close();
    }
  });

  it('refuses a non-positive sessionHours', async () => {
    await expect(startCollector({ port: 0, sessionHours: 0 })).rejects.toThrow(
      'sessionHours must be a positive number',
    );
  });

  it('rejects when the port is taken', async () => {
    const c = await start();
    try {
      await expect(start({ port: c.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await c.close();
    }
  });

  it('close() lets a request in flight finish, and can be called twice', async () => {
    /** @type {() => void} */
    let entered = () => {};
    const inside = new Promise((resolve) => (entered = () => resolve(undefined)));
    const c = await start({
      handler: (req, res) => {
        if (req.url !== '/slow') return false;
        entered();
        setTimeout(() => res.end('done'), 200);
        return true;
      },
    });
    const pending = request(c, '/slow');
    await inside;
    const closed = c.close();
    expect(c.close()).toBe(closed);
    expect(await (await pending).text()).toBe('done');
    await closed;
    await expect(request(c, '/healthz')).rejects.toThrow();
  });
});
