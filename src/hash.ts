/**
 * A 64-bit non-cryptographic string hash: two 32-bit FNV-1a lanes with different offsets.
 * Deterministic across browsers and Node, so a retried or re-rendered conversion without
 * an order ID gets the same `unique_id` and the collector can dedup it. Not a secret: it
 * only needs to be stable and spread well enough that two sales of one offer never meet.
 */
export function hash(text: string): string {
  if (!__FEATURE_DERIVED_UNIQUE_ID__) return text;
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  // By UTF-16 code unit, as split('') gives them (for…of would give code points).
  for (const unit of text.split('')) {
    a = Math.imul(a ^ unit.charCodeAt(0), 16777619);
    b = Math.imul(b ^ unit.charCodeAt(0), 16777619) ^ (a >>> 15);
  }
  return (a >>> 0).toString(36).padStart(7, '0') + (b >>> 0).toString(36);
}
