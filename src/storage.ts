/**
 * Key–value storage that never throws: `localStorage` where it works, else memory for the
 * page's life (SPEC §4: cookies disabled, storage blocked, sandboxed frames, private modes,
 * a full quota). While consent is not granted, values stay in memory only (SPEC §3).
 * Even reading `window.localStorage` throws when storage is blocked (SecurityError), so
 * every use of it sits inside `attempt`.
 */
import { attempt } from './attempt';
import { consented } from './settings';

/** Values whose `localStorage` write failed or was held back for consent. */
export const memory: Record<string, string> = Object.create(null);

export const load = (key: string): string | null | undefined =>
  key in memory ? memory[key] : attempt(() => localStorage.getItem(key));

export function save(key: string, value: string): void {
  if (consented() && attempt(() => localStorage.setItem(key, value) ?? 1)) delete memory[key];
  else memory[key] = value;
}

export function remove(key: string): void {
  delete memory[key];
  attempt(() => localStorage.removeItem(key));
}

/** Every stored key that starts with `prefix`, from both places. */
export const keys = (prefix: string): string[] =>
  Object.keys(attempt(() => localStorage) || {})
    .concat(Object.keys(memory))
    .filter((key) => !key.indexOf(prefix));

/** Writes what consent held back in memory into `localStorage` (after `consent(true)`). */
export const persist = (): void => Object.keys(memory).forEach((key) => save(key, memory[key]!));
