// Data breakpoints (SDM Vol. 3A 17.2.4 and 17.2.5): DR7 entries with R/W = 01 (writes) or
// 11 (reads and writes) and LEN 1, 2 or 4 bytes. While any is enabled, memory.ts keeps the pages
// holding them out of the TLB so that every access to those pages reaches watchAccess() on the
// slow path; a hit records its B0-B3 bit in DEBUG_TRAP, reported as a #DB trap after the
// instruction (debug.ts). I/O breakpoints (R/W = 10, defined only with CR4.DE) are checked by
// ioAllowed() through ioWatchAccess().
import { DR, DEBUG_TRAP } from "../../layout";
import { cr4, CR4_DE } from "../state";

export let watchActive: bool = false;
// Up to four watched ranges: start (aligned to the length) and length; kind 1 = writes, 3 = any.
let wStart0: u32 = 0, wStart1: u32 = 0, wStart2: u32 = 0, wStart3: u32 = 0;
let wLen0: u32 = 0, wLen1: u32 = 0, wLen2: u32 = 0, wLen3: u32 = 0;
let wKind0: u32 = 0, wKind1: u32 = 0, wKind2: u32 = 0, wKind3: u32 = 0;

// LEN encoding: 00 = 1 byte, 01 = 2 bytes, 11 = 4 bytes (10 is undefined on this processor; we
// treat it as 8 bytes as later processors do).
function lenOf(code: u32): u32 { return code == 0 ? 1 : code == 1 ? 2 : code == 3 ? 4 : 8; }

// Recompute from DR0-DR3 and DR7 (the caller flushes the TLB afterwards).
export function refreshWatch(): void {
  const dr7 = load<u32>(DR + 28);
  let any = false;
  let io: u32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    const enabled = ((dr7 >>> (i << 1)) & 3) != 0;
    const rw = (dr7 >>> (16 + (i << 2))) & 3;
    const len = lenOf((dr7 >>> (18 + (i << 2))) & 3);
    const kind: u32 = enabled && (rw == 1 || rw == 3) ? rw : 0;
    if (enabled && rw == 2) io |= 1 << i;
    const start = load<u32>(DR + (i << 2)) & ~(len - 1);
    if (kind != 0) any = true;
    if (i == 0) { wStart0 = start; wLen0 = len; wKind0 = kind; }
    else if (i == 1) { wStart1 = start; wLen1 = len; wKind1 = kind; }
    else if (i == 2) { wStart2 = start; wLen2 = len; wKind2 = kind; }
    else { wStart3 = start; wLen3 = len; wKind3 = kind; }
  }
  watchActive = any;
  ioWatchMask = io;
}

// @ts-ignore: decorator
@inline function samePage(kind: u32, start: u32, len: u32, lin: u32): bool {
  if (kind == 0) return false;
  const p = lin & 0xfffff000;
  return (start & 0xfffff000) == p || ((start + len - 1) & 0xfffff000) == p;
}
// Must the TLB stay empty for the page holding `lin`?
export function watchPage(lin: u32): bool {
  return samePage(wKind0, wStart0, wLen0, lin) || samePage(wKind1, wStart1, wLen1, lin) ||
    samePage(wKind2, wStart2, wLen2, lin) || samePage(wKind3, wStart3, wLen3, lin);
}

// @ts-ignore: decorator
@inline function hits(kind: u32, start: u32, len: u32, lin: u32, size: u32, write: bool): bool {
  if (kind == 0 || (kind == 1 && !write)) return false;
  // Overlap of [lin, lin+size) and [start, start+len), without wrapping at 4 GiB.
  return lin - start < len || start - lin < size;
}
export function watchAccess(lin: u32, size: u32, write: bool): void {
  let b: u32 = 0;
  if (hits(wKind0, wStart0, wLen0, lin, size, write)) b |= 1;
  if (hits(wKind1, wStart1, wLen1, lin, size, write)) b |= 2;
  if (hits(wKind2, wStart2, wLen2, lin, size, write)) b |= 4;
  if (hits(wKind3, wStart3, wLen3, lin, size, write)) b |= 8;
  if (b != 0) store<u32>(DEBUG_TRAP, load<u32>(DEBUG_TRAP) | b);
}

// ---- I/O breakpoints ----
export let ioWatchMask: u32 = 0; // bit i: DRi is an enabled I/O breakpoint
export function ioWatchAccess(port: u32, size: u32): void {
  if ((cr4() & CR4_DE) == 0) return;
  const dr7 = load<u32>(DR + 28);
  let b: u32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    if ((ioWatchMask & (1 << i)) == 0) continue;
    const len = lenOf((dr7 >>> (18 + (i << 2))) & 3);
    const start = load<u32>(DR + (i << 2)) & 0xffff & ~(len - 1);
    if (port - start < len || start - port < size) b |= 1 << i;
  }
  if (b != 0) store<u32>(DEBUG_TRAP, load<u32>(DEBUG_TRAP) | b);
}
