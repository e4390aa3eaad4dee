/**
 * One rule for money, three implementations held to it by one table
 * (test/fixtures/amounts.json): the browser SDK's conversion(), `postclick/server`'s
 * conversionUrl (both on src/number.ts through src/wire.ts) and the collector's /c
 * validation (collector/src/validate.js), which checks what arrives on the wire.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import table from '../fixtures/amounts.json';
import { validateConversion } from '../../collector/src/validate.js';
import { formatAmount } from '../../src/number';
import { conversionUrl as serverUrl } from '../../src/server';
import { sdkAt, type Api } from './support/sdk';
import { stubDelivery, unstubDelivery, type Stub } from './support/delivery';

interface Case {
  input?: number | string;
  number?: string;
  wire: string | null;
  collector?: 'absent';
  note?: string;
}

const cases = (table.cases as Case[]).map((c) => {
  const input = c.number === undefined ? c.input! : Number(c.number);
  const name =
    (typeof input === 'string' ? JSON.stringify(input) : Object.is(input, -0) ? '-0' : String(input)) +
    (c.note ? ` (${c.note})` : '');
  return { ...c, input, name };
});

const FIELDS = ['amount', 'payout', 'revenue'] as const;

it('the table covers what the rule must decide', () => {
  const inputs = cases.map((c) => c.input);
  for (const needed of ['', ' ', '-0', '1e3', 1e15, 0.1 + 0.2]) expect(inputs).toContainEqual(needed);
});

describe.each(FIELDS)('%s', (field) => {
  describe('browser SDK: conversion()', () => {
    let sdk: Api;
    let delivery: Stub;
    beforeEach(async () => {
      localStorage.clear();
      delivery = stubDelivery();
      sdk = await sdkAt('https://www.shop.example/thank-you');
      sdk.init({ endpoint: 'https://track.example/c', offerId: '42', clickId: 'abc' } as never);
    });
    afterEach(unstubDelivery);

    it.each(cases)('$name → $wire', async ({ input, wire }) => {
      const result = await sdk.conversion({ clickId: 'abc', orderId: `O-${field}-${String(input)}`, [field]: input });
      if (wire === null) {
        expect(result).toMatchObject({ status: 'invalid', error: expect.stringMatching(new RegExp(`^${field}: `)) });
        expect(delivery.sent).toEqual([]);
      } else {
        expect(result.status).toBe('sent');
        expect(new URL(delivery.sent[0]!).searchParams.get(field)).toBe(wire);
      }
      expect(formatAmount(input) ?? null).toBe(wire);
    });
  });

  describe('postclick/server: conversionUrl()', () => {
    it.each(cases)('$name → $wire', ({ input, wire }) => {
      const url = serverUrl('https://track.example/c', { clickId: 'abc', offerId: '42', [field]: input });
      if (wire === null) expect(url).toBeNull();
      else expect(new URL(url!).searchParams.get(field)).toBe(wire);
    });
  });

  describe('collector: what reaches /c', () => {
    it.each(cases)('$name → $wire', ({ input, wire, collector }) => {
      // What would reach the collector: the text itself, or the SDK's rendering of a number.
      const text = typeof input === 'string' ? input : (wire ?? String(input));
      const validate = () => validateConversion({ offer_id: '42', [field]: text }, null)[field];
      if (collector === 'absent') expect(validate()).toBeNull();
      else if (wire === null) expect(validate).toThrow(new RegExp(`^${field} must be`));
      else expect(validate()).toBe(Number(wire));
    });
  });
});
