// Type tests of the relay's public API in `postclick/server`, checked by `npm run typecheck:types`
// against the built declarations. Each `@ts-expect-error` line must fail to compile.
import {
  clickCookie,
  relay,
  toNodeListener,
  type ClickCookieOptions,
  type NodeRequest,
  type NodeResponse,
  type RelayHandler,
  type RelayOptions,
} from 'postclick/server';
import { init } from 'postclick';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectTrue = <T extends true>(): T => true as T;

// --- correct usage ---------------------------------------------------------------------

const options: RelayOptions = {
  forward: 'https://track.network.example/p.ashx?o=42&e=7&f=pb&r={click_id}&t={unique_id}',
  allowOrigins: ['https://landing.shop.example'],
  params: ['s2'],
  cookieName: '_postclick',
  cookieDomain: 'shop.example',
  ttlDays: 30,
  retries: 2,
  timeoutMs: 3000,
};
const handler = relay(options);
relay({ forward: 'https://track.network.example/postback' });

expectTrue<Equal<RelayHandler, (request: Request) => Promise<Response>>>();
expectTrue<Equal<typeof handler, RelayHandler>>();
expectTrue<Equal<ReturnType<typeof handler>, Promise<Response>>>();
expectTrue<Equal<ReturnType<typeof clickCookie>, string | null>>();

// A route handler (Next.js, Hono, Workers) is the handler itself.
const GET: (request: Request) => Promise<Response> = handler;
void GET;
export default { fetch: (request: Request): Promise<Response> => handler(request) };

const cookieOptions: ClickCookieOptions = { params: ['s1'], cookieName: 'c', cookieDomain: '', ttlDays: 7 };
clickCookie('https://www.shop.example/?s1=abc', cookieOptions);
clickCookie(new URL('https://www.shop.example/?s1=abc'));

// toNodeListener takes any web handler, sync or async; its listener takes minimal req/res shapes.
const _listener = toNodeListener(handler);
toNodeListener((request) => new Response(request.url));
expectTrue<Equal<typeof _listener, (req: NodeRequest, res: NodeResponse) => Promise<void>>>();

// --- misuse ----------------------------------------------------------------------------

// @ts-expect-error forward is required
relay({});
// @ts-expect-error forward is a URL string
relay({ forward: new URL('https://track.example/pb') });
// @ts-expect-error allowOrigins is a list
relay({ forward: 'https://t.example/pb', allowOrigins: 'https://a.example' });
// @ts-expect-error retries is a number
relay({ forward: 'https://t.example/pb', retries: '2' });
// @ts-expect-error no such option
relay({ forward: 'https://t.example/pb', endpoint: 'https://t.example/pb' });
// @ts-expect-error the handler takes a Request, not a URL
void handler('https://www.shop.example/c');
// @ts-expect-error clickCookie takes a URL
clickCookie({ s1: 'abc' });

// The browser side: `cookieEndpoint` names the relay's /click route.
init({ cookieEndpoint: '/postclick/click' });
// @ts-expect-error cookieEndpoint is a URL string
init({ cookieEndpoint: true });
