// PLACEHOLDER for the integer interpreter's lazy flags: the public API below is the contract
// (the system code and the host call getEflags/setEflags); the internals are the interpreter's.
import { FLAGS_BITS, FLAGS_LAZY } from "../layout";

// EFLAGS with all lazy bits materialised. Bit 1 is always set.
export function getEflags(): u32 {
  return load<u32>(FLAGS_BITS) | 2;
}
// Replace EFLAGS bits selected by `mask` with `v` (callers apply privilege rules first).
export function setEflagsMasked(v: u32, mask: u32): void {
  const cur = getEflags();
  store<u32>(FLAGS_BITS, ((cur & ~mask) | (v & mask)) | 2);
  store<u32>(FLAGS_LAZY, 0);
}
