/**
 * Key–value storage that never throws: `localStorage` where it works, else memory for the
 * page's life (SPEC §4: cookies disabled, storage blocked, sandboxed frames, private modes,
 * a full quota). While consent is not granted, values stay in memory only (SPEC §3).
 */
import { consented } from './settings';

/** Values whose `localStorage` write failed or was held back for consent. */
export const memory: Record<string, string> = Object.create(null);

/** `localStorage` itself throws when blocked (SecurityError), so even the lookup is guarded. */
function local(): Storage | undefined {
  try {
    return localStorage;
  } catch {}
}

export function load(key: string): string | null {
  if (key in memory) return memory[key]!;
  try {
    return local()!.getItem(key);
  } catch {
    return null;
  }
}

export function save(key: string, value: string): void {
  if (consented()) {
    try {
      local()!.setItem(key, value);
      delete memory[key];
      return;
    } catch {}
  }
  memory[key] = value;
}

export function remove(key: string): void {
  delete memory[key];
  try {
    local()!.removeItem(key);
  } catch {}
}

/** Every stored key that starts with `prefix`, from both places. */
export function keys(prefix: string): string[] {
  let stored: string[] = [];
  try {
    stored = Object.keys(local()!);
  } catch {}
  return stored.concat(Object.keys(memory)).filter((key) => key.indexOf(prefix) == 0);
}

/** Writes what consent held back in memory into `localStorage` (after `consent(true)`). */
export function persist(): void {
  for (const key in memory) save(key, memory[key]!);
}
