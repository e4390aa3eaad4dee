/**
 * The network recipes of docs/recipes.md, for `postclick snippet --network`: the landing
 * parameter each network puts its click ID in, the transport its pixel endpoint takes, and
 * the endpoint's template form, with postclick's placeholders where the network's macros stand.
 */

export interface Recipe {
  /** The name printed in messages. */
  title: string;
  params: string[];
  /** Why `params` is what it is, in a few words. */
  paramsWhy: string;
  /** The path the endpoint gets when it is given as the bare tracking domain. */
  path: string;
  /**
   * Query parameters the template adds when the endpoint lacks them, in order:
   * `[name, value, needs]`; a `needs` field must have been given, else the parameter is left out
   * (an empty value may read as zero at the network).
   */
  query: [string, string, ('amount' | 'orderId')?][];
  /** A parameter the network cannot do without and postclick cannot fill: the user must write it. */
  requires?: [string, string];
}

export const NETWORKS: Record<string, Recipe> = {
  cake: {
    title: 'CAKE',
    params: ['s2'],
    paramsWhy: "CAKE's Request ID, passed with #reqid# in the sub-ID agreed on (s2 in CAKE's example)",
    path: '/p.ashx',
    query: [
      ['o', '{offer_id}'],
      ['f', 'img'],
      ['r', '{click_id}'],
      ['t', '{order_id}', 'orderId'],
      ['p', '{amount}', 'amount'],
    ],
  },
  everflow: {
    title: 'Everflow',
    params: ['_ef_transaction_id', 'transaction_id'],
    paramsWhy: "Everflow's transaction ID, under the names its destination URLs customarily use",
    path: '/',
    query: [
      ['transaction_id', '{click_id}'],
      ['amount', '{amount}', 'amount'],
      ['order_id', '{order_id}', 'orderId'],
    ],
    requires: ['nid', 'nid=<your network ID>, as in the postback URL Everflow gives you'],
  },
  tune: {
    title: 'TUNE',
    params: ['transaction_id'],
    paramsWhy: "TUNE's {transaction_id} macro, under the name your default offer URL gives it",
    path: '/aff_lsr',
    query: [
      ['offer_id', '{offer_id}'],
      ['transaction_id', '{click_id}'],
      ['amount', '{amount}', 'amount'],
      ['adv_unique1', '{order_id}', 'orderId'],
    ],
  },
};

/** Whether `endpoint` is already a template: postclick's `{name}` placeholders or CAKE's `REPLACE`. */
export const isTemplate = (endpoint: string): boolean => /\{\w+\}|=REPLACE(?=[&#]|$)/.test(endpoint);

/**
 * The recipe's template form of `endpoint`: a template is kept as written; a plain URL gets
 * the recipe's path if it has none, and each of the recipe's parameters it lacks.
 */
export function recipeEndpoint(recipe: Recipe, endpoint: string, given: { amount: boolean; orderId: boolean }): string {
  if (isTemplate(endpoint)) return endpoint;
  const [beforeQuery = '', query = ''] = endpoint.split(/\?(.*)/s);
  const present = new Set(
    query
      .split('&')
      .filter(Boolean)
      .map((pair) => pair.split('=')[0]),
  );
  // `https://track.example` or `https://track.example/` is the bare tracking domain.
  const path = /^https?:\/\/[^/]+\/?$/i.test(beforeQuery) ? beforeQuery.replace(/\/$/, '') + recipe.path : beforeQuery;
  const added = recipe.query
    .filter(([name, , needs]) => !present.has(name) && (needs === undefined || given[needs]))
    .map(([name, value]) => name + '=' + value);
  const pairs = [...query.split('&').filter(Boolean), ...added];
  return pairs.length ? path + '?' + pairs.join('&') : path;
}
