// The CommonJS side: `require` resolves `dist/*.d.cts` through the exports map.
import postclick = require('postclick');
import server = require('postclick/server');

postclick.init({ endpoint: 'https://track.shop.example/c', offerId: '42' });
const url: string | null = server.conversionUrl('https://track.example/c', { clickId: 'abc', offerId: '42' });
void server.sendPostback(url!, { retries: 1 });

// @ts-expect-error misspelled option
postclick.init({ endpont: '' });
// @ts-expect-error not a transport
void postclick.conversion({ transport: 'pigeon' });
// @ts-expect-error misspelled option
void server.sendPostback('https://track.example/c', { timeout: 1 });
