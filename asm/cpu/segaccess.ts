// Segmented data access: limit, type and presence checks (SDM Vol. 3A 5.3 and 5.4), then the
// linear accessors of memory.ts. Every explicit memory operand goes through these.
import { segAttrs, segLimit, segBase, ATTR_CODE, ATTR_DC, ATTR_RW, ATTR_P, ATTR_DB } from "./state";
import { SEG_SS } from "../layout";
import { raise, faulted, EXC_GP, EXC_SS } from "./fault";
import {
  readLin8, readLin16, readLin32, readLin64, writeLin8, writeLin16, writeLin32, writeLin64,
  probeWrite, probeRead,
} from "./memory";

function segFault(seg: i32): void { raise(seg == SEG_SS ? EXC_SS : EXC_GP, 0); }

// Returns the linear address of `size` bytes at seg:off, or raises #GP(0)/#SS(0).
// Real and V86 mode segments carry attrs 0x93 (present, writable data), so the type checks
// never fire there and only the limit applies, as on hardware (which is what unreal mode needs).
export function segLin(seg: i32, off: u32, size: u32, write: bool): u32 {
  const a = segAttrs(seg);
  const lim = segLimit(seg);
  if ((a & ATTR_P) == 0) { segFault(seg); return 0; }
  if ((a & (ATTR_CODE | ATTR_DC)) == ATTR_DC) {
    // Expand-down data: valid offsets are limit+1 .. 0xffff or 0xffffffff (the B bit).
    const upper: u32 = (a & ATTR_DB) != 0 ? 0xffffffff : 0xffff;
    if (off <= lim || off > upper - (size - 1)) { segFault(seg); return 0; }
  } else if (lim < size - 1 || off > lim - (size - 1)) { segFault(seg); return 0; }
  if ((a & ATTR_CODE) != 0) {
    if (write || (a & ATTR_RW) == 0) { segFault(seg); return 0; }
  } else if (write && (a & ATTR_RW) == 0) { segFault(seg); return 0; }
  return segBase(seg) + off;
}

export function readSeg8(seg: i32, off: u32): u32 {
  const lin = segLin(seg, off, 1, false); if (faulted) return 0;
  return readLin8(lin);
}
export function readSeg16(seg: i32, off: u32): u32 {
  const lin = segLin(seg, off, 2, false); if (faulted) return 0;
  return readLin16(lin);
}
export function readSeg32(seg: i32, off: u32): u32 {
  const lin = segLin(seg, off, 4, false); if (faulted) return 0;
  return readLin32(lin);
}
export function readSeg64(seg: i32, off: u32): u64 {
  const lin = segLin(seg, off, 8, false); if (faulted) return 0;
  return readLin64(lin);
}
export function writeSeg8(seg: i32, off: u32, v: u32): void {
  const lin = segLin(seg, off, 1, true); if (faulted) return;
  writeLin8(lin, v);
}
export function writeSeg16(seg: i32, off: u32, v: u32): void {
  const lin = segLin(seg, off, 2, true); if (faulted) return;
  writeLin16(lin, v);
}
export function writeSeg32(seg: i32, off: u32, v: u32): void {
  const lin = segLin(seg, off, 4, true); if (faulted) return;
  writeLin32(lin, v);
}
export function writeSeg64(seg: i32, off: u32, v: u64): void {
  const lin = segLin(seg, off, 8, true); if (faulted) return;
  writeLin64(lin, v);
}
// For read-modify-write: check segment and paging for a write of `size` bytes, commit nothing.
export function probeSegWrite(seg: i32, off: u32, size: u32): u32 {
  const lin = segLin(seg, off, size, true); if (faulted) return 0;
  probeWrite(lin, size);
  return lin;
}
export function probeSegRead(seg: i32, off: u32, size: u32): u32 {
  const lin = segLin(seg, off, size, false); if (faulted) return 0;
  probeRead(lin, size);
  return lin;
}
