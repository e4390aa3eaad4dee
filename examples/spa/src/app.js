// The SPA checkout: product → checkout → thank-you, three client-side routes in one page.
// postclick comes from the package's `exports` map exactly as in an app that installed it.
// Plain React.createElement (no JSX) keeps the build to rollup alone.
import { StrictMode, createElement as h, useEffect, useState, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { conversion, getClickId, init } from 'postclick';

const OFFER_ID = '42';
const PRICE = 49.99;

// Once, before the first render: capture `?s1=` from the landing URL, then take it out of
// the address bar (stripParams), so a shared or bookmarked link does not carry it. The
// endpoints are the shop's own relay (same origin): it sets the click-ID cookie from the
// server, and forwards each conversion server-to-server to the network.
init({
  endpoint: '/postclick/c',
  cookieEndpoint: '/postclick/click',
  offerId: OFFER_ID,
  stripParams: true,
});

// --- routing: the view lives in the query (`?view=checkout`), so a reload of any route is
// served by the same index.html from a plain static server.
const NAVIGATE = 'spa:navigate';
const subscribe = (onChange) => {
  addEventListener('popstate', onChange);
  addEventListener(NAVIGATE, onChange);
  return () => {
    removeEventListener('popstate', onChange);
    removeEventListener(NAVIGATE, onChange);
  };
};
const useSearch = () => useSyncExternalStore(subscribe, () => location.search);
const navigate = (search) => {
  history.pushState(null, '', location.pathname + search);
  dispatchEvent(new Event(NAVIGATE));
};

const Steps = ({ current }) =>
  h(
    'nav',
    null,
    ['Product', 'Checkout', 'Thank you'].map((name, i) =>
      h('span', { key: name }, i ? ' → ' : '', name === current ? h('b', null, name) : name),
    ),
  );

function Product() {
  const clickId = getClickId();
  const tracking =
    '/click?offer_id=' + OFFER_ID + '&aff_id=7&url=' + encodeURIComponent(location.origin + location.pathname);
  return h(
    'main',
    null,
    h(Steps, { current: 'Product' }),
    h('h1', null, 'Trail jacket'),
    h('p', null, 'Waterproof, breathable, $' + PRICE + '.'),
    h(
      'p',
      { id: 'click-id' },
      clickId
        ? ['Your click ID: ', h('code', { key: 'id' }, clickId)]
        : [
            'No click ID yet: ',
            h('a', { key: 'link', href: tracking }, 'arrive through the tracking link'),
            ', or the sale will not be attributed.',
          ],
    ),
    h('button', { id: 'buy', className: 'button', onClick: () => navigate('?view=checkout') }, 'Buy'),
  );
}

function Checkout() {
  const placeOrder = (event) => {
    event.preventDefault();
    const orderId = 'SPA-' + Date.now().toString(36).toUpperCase();
    navigate('?view=thank-you&order=' + orderId);
  };
  return h(
    'main',
    null,
    h(Steps, { current: 'Checkout' }),
    h('h1', null, 'Checkout'),
    h(
      'form',
      { onSubmit: placeOrder },
      h('p', null, 'Trail jacket, $' + PRICE),
      h('button', { id: 'place-order', className: 'button' }, 'Place order'),
    ),
  );
}

/** A Result in plain words: what happened to the sale. */
function inWords(result) {
  switch (result.status) {
    case 'sent':
      return result.confirmed
        ? 'sent to the shop’s relay, which confirmed that the network took it'
        : 'sent to the shop’s relay by ' + result.transport;
    case 'duplicate':
      return 'not sent again: this order was already reported from this browser';
    case 'no_click_id':
      return 'not sent: no click ID in this browser (open the tracking link first)';
    case 'queued':
      return 'not delivered yet (' + result.error + '): retried at the next page load';
    default:
      return 'not sent' + (result.error ? ': ' + result.error : '');
  }
}

// Numbers each conversion() call as it is made: results arrive in any order (a duplicate
// answers at once, a send later), and the page lists them in the order of the calls.
let calls = 0;

function ThankYou({ orderId }) {
  const [results, setResults] = useState([]);
  // React's StrictMode runs this effect twice in development (mount, unmount, mount), and a
  // reload or a back/forward visit runs it again: postclick sends the conversion the first
  // time and answers `duplicate` after that, so the sale is counted once.
  useEffect(() => {
    const call = ++calls;
    conversion({ orderId, amount: PRICE }).then((result) =>
      setResults((list) => [...list, { call, result }].sort((a, b) => a.call - b.call)),
    );
  }, [orderId]);
  const clickId = getClickId();
  return h(
    'main',
    null,
    h(Steps, { current: 'Thank you' }),
    h('h1', null, 'Thank you for your order'),
    h(
      'p',
      { id: 'click-id', className: clickId ? 'state ok' : 'state problem' },
      clickId
        ? ['Click ID stored in this browser: ', h('code', { key: 'id' }, clickId)]
        : [
            'No click ID stored in this browser: the sale cannot be attributed. ',
            h('a', { key: 'link', href: '/' }, 'Open the tracking link first'),
            '.',
          ],
    ),
    h(
      'p',
      null,
      'Order ',
      h('b', { id: 'order-id' }, orderId),
      ', $' + PRICE + '. Each call of ',
      h('code', null, 'conversion()'),
      ', in the order they were made, answered:',
    ),
    h(
      'ol',
      { id: 'results' },
      results.map(({ call, result }) =>
        h(
          'li',
          { key: call, className: 'result', 'data-status': result.status, 'data-call': call },
          h('code', null, result.status),
          ' — ' + inWords(result),
        ),
      ),
    ),
    h(
      'p',
      null,
      'StrictMode mounts this page twice: the first call is sent, the second is a duplicate. The shop’s relay (',
      h('code', null, '/postclick/c'),
      ') forwards the sale to the network server-to-server. See the ',
      h('a', { href: '/reports' }, 'reports'),
      ': one conversion, which arrived as the relay’s postback.',
    ),
    h('p', null, h('a', { href: location.pathname }, 'Back to the shop')),
  );
}

function App() {
  const query = new URLSearchParams(useSearch());
  const view = query.get('view');
  if (view === 'checkout') return h(Checkout);
  if (view === 'thank-you' && query.get('order')) return h(ThankYou, { orderId: query.get('order') });
  return h(Product);
}

createRoot(document.getElementById('root')).render(h(StrictMode, null, h(App)));
