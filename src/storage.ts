/**
 * Key–value storage that never throws: `localStorage` where it works, else memory for the
 * page's life (cookies disabled, storage blocked, sandboxed frames, private modes, a full
 * quota). A caller may also hold a value in memory on purpose (`hold`); `persist()` writes
 * those out later and `drop()` forgets them. Storage decides nothing about why.
 * Even reading `window.localStorage` throws when storage is blocked (SecurityError), so
 * every use of it sits inside `attempt`.
 */
import { attempt } from './attempt';

/** Values whose `localStorage` write failed or was held back by the caller. */
const held: Record<string, string> = Object.create(null);

export const load = (key: string): string | null | undefined =>
  key in held ? held[key] : attempt(() => localStorage.getItem(key));

/** Writes `value`, or keeps it in memory when `hold` is set or `localStorage` refuses it. */
export function save(key: string, value: string, hold?: boolean): void {
  if (!hold && attempt(() => localStorage.setItem(key, value) ?? true)) delete held[key];
  else held[key] = value;
}

export function remove(key: string): void {
  delete held[key];
  attempt(() => localStorage.removeItem(key));
}

/** Whether `key`'s value lives in memory only. */
export const isHeld = (key: string): boolean => key in held;

/** Every stored key, from both places. */
export const keys = (): string[] => Object.keys(attempt(() => localStorage) || {}).concat(Object.keys(held));

/** Writes every value held in memory into `localStorage` (where it works). */
export const persist = (): void => Object.keys(held).forEach((key) => save(key, held[key]!));

/** Forgets every value held in memory. */
export const drop = (): void => Object.keys(held).forEach((key) => delete held[key]);
