/**
 * A recording "network" for the relay's tests: a real node:http server on a free port that
 * logs every postback it receives and answers as the test says — a status, or `'drop'` to
 * cut the connection (a network error), or `'hang'` to never answer (a timeout).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type NetworkAnswer = number | 'drop' | 'hang';

export interface Network {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Every request target received (`/pb?click_id=…`), in order. */
  hits: string[];
  /** What the network answered to each hit, in the same order as `hits`. */
  answers: NetworkAnswer[];
  /** Each hit's query as an object. */
  queries(): Record<string, string>[];
  /** What to answer to the n-th request (0-based), whose target is `target`; default 200. */
  answer: (n: number, target: string) => NetworkAnswer;
  close(): Promise<void>;
}

export async function startNetwork(): Promise<Network> {
  const hanging = new Set<ServerResponse>();
  const network: Network = {
    origin: '',
    hits: [],
    answers: [],
    queries: () => network.hits.map((hit) => Object.fromEntries(new URL(hit, 'http://x').searchParams)),
    answer: () => 200,
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const answer = network.answer(network.hits.length, req.url ?? '');
    network.hits.push(req.url ?? '');
    network.answers.push(answer);
    if (answer === 'drop') return void req.socket.destroy();
    if (answer === 'hang') return void hanging.add(res);
    res.writeHead(answer, { 'Content-Type': 'text/plain' }).end(answer < 300 ? 'OK' : 'no');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  network.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return network;
}
