// The SPA checkout: product → checkout → thank-you, three client-side routes in one page.
// postclick comes from the package's `exports` map exactly as in an app that installed it.
// Plain React.createElement (no JSX) keeps the build to rollup alone.
import { StrictMode, createElement as h, useEffect, useState, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { conversion, getClickId, init } from 'postclick';

const OFFER_ID = '42';
const PRICE = 49.99;

// Once, before the first render: capture `?s1=` from the landing URL, then take it out of
// the address bar (stripParams), so a shared or bookmarked link does not carry it.
init({ endpoint: '/c', offerId: OFFER_ID, stripParams: true });

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

function ThankYou({ orderId }) {
  const [results, setResults] = useState([]);
  // React's StrictMode runs this effect twice in development (mount, unmount, mount), and a
  // reload or a back/forward visit runs it again: postclick sends the conversion the first
  // time and answers `duplicate` after that, so the sale is counted once.
  useEffect(() => {
    conversion({ orderId, amount: PRICE }).then((result) => setResults((list) => [...list, result]));
  }, [orderId]);
  return h(
    'main',
    null,
    h(Steps, { current: 'Thank you' }),
    h('h1', null, 'Thank you for your order'),
    h(
      'p',
      null,
      'Order ',
      h('b', { id: 'order-id' }, orderId),
      ', $' + PRICE + '. Each call of ',
      h('code', null, 'conversion()'),
      ' answered:',
    ),
    h(
      'ol',
      { id: 'results' },
      results.map((result, i) =>
        h(
          'li',
          { key: i, className: 'result', 'data-status': result.status },
          h('code', null, result.status),
          result.error ? ' (' + result.error + ')' : '',
        ),
      ),
    ),
    h(
      'p',
      null,
      'StrictMode mounts this page twice: one call is sent, the other is a duplicate. See the ',
      h('a', { href: '/reports' }, 'reports'),
      ': one conversion.',
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
