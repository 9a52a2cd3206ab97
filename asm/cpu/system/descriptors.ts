// Segment descriptors: fetching them from the GDT or LDT, decoding their fields, and setting the
// accessed bit (SDM Vol. 3A 3.4.3 to 3.5). The helpers leave the last descriptor in module
// globals (descLo/descHi/descAddr) so that callers can check it field by field without
// allocating.
import { GDTR_BASE, GDTR_LIMIT, SEG_LDTR } from "../../layout";
import { segBase, segLimit, segAttrs, ATTR_P } from "../state";
import { faulted } from "../fault";
import { readLin32, writeLin32, beginSupervisor, endSupervisor } from "../memory";

export let descLo: u32 = 0;
export let descHi: u32 = 0;
export let descAddr: u32 = 0; // linear address of the descriptor's first byte

// Descriptor types (the type field with the S bit, as in attrs bits 0..4).
export const DT_TSS16_AVAIL: u32 = 1;
export const DT_LDT: u32 = 2;
export const DT_TSS16_BUSY: u32 = 3;
export const DT_CALLGATE16: u32 = 4;
export const DT_TASKGATE: u32 = 5;
export const DT_INTGATE16: u32 = 6;
export const DT_TRAPGATE16: u32 = 7;
export const DT_TSS32_AVAIL: u32 = 9;
export const DT_TSS32_BUSY: u32 = 11;
export const DT_CALLGATE32: u32 = 12;
export const DT_INTGATE32: u32 = 14;
export const DT_TRAPGATE32: u32 = 15;

// @ts-ignore: decorator
@inline export function selIndexBits(sel: u32): u32 { return sel & 0xfff8; }
// @ts-ignore: decorator
@inline export function selRpl(sel: u32): u32 { return sel & 3; }
// @ts-ignore: decorator
@inline export function selIsNull(sel: u32): bool { return (sel & 0xfffc) == 0; }

// Fields of the last fetched descriptor.
// @ts-ignore: decorator
@inline export function descAttrs(): u32 { return (descHi >>> 8) & 0xf0ff; }
// @ts-ignore: decorator
@inline export function descType(): u32 { return (descHi >>> 8) & 0x1f; } // S bit + 4-bit type
// @ts-ignore: decorator
@inline export function descDpl(): u32 { return (descHi >>> 13) & 3; }
// @ts-ignore: decorator
@inline export function descPresent(): bool { return (descHi & 0x8000) != 0; }
// @ts-ignore: decorator
@inline export function descIsCodeData(): bool { return (descHi & 0x1000) != 0; }
// @ts-ignore: decorator
@inline export function descIsCode(): bool { return (descHi & 0x1800) == 0x1800; }
// @ts-ignore: decorator
@inline export function descIsConforming(): bool { return (descHi & 0x1c00) == 0x1c00; }
// Code: readable; data: writable.
// @ts-ignore: decorator
@inline export function descRW(): bool { return (descHi & 0x200) != 0; }
export function descBase(): u32 { return (descLo >>> 16) | ((descHi & 0xff) << 16) | (descHi & 0xff000000); }
export function descLimit(): u32 {
  const raw = (descLo & 0xffff) | (descHi & 0xf0000);
  return (descHi & 0x800000) != 0 ? (raw << 12) | 0xfff : raw;
}
// Gates: target selector, offset, parameter count.
// @ts-ignore: decorator
@inline export function gateSelector(): u32 { return descLo >>> 16; }
export function gateOffset(is32: bool): u32 {
  return is32 ? (descLo & 0xffff) | (descHi & 0xffff0000) : descLo & 0xffff;
}
// @ts-ignore: decorator
@inline export function gateParamCount(): u32 { return descHi & 0x1f; }

// Read the descriptor `sel` names into descLo/descHi. Returns false without raising when the
// selector's index lies beyond the GDT/LDT limit (or the LDT is unusable): the caller raises the
// exception its instruction specifies. A page fault on the table read is raised (check
// `faulted`). Descriptor-table reads are implicit supervisor accesses (SDM Vol. 3A 4.6).
export function fetchDescriptor(sel: u32): bool {
  let base: u32, limit: u32;
  if ((sel & 4) != 0) {
    if ((segAttrs(SEG_LDTR) & ATTR_P) == 0) return false;
    base = segBase(SEG_LDTR);
    limit = segLimit(SEG_LDTR);
  } else {
    base = load<u32>(GDTR_BASE);
    limit = load<u32>(GDTR_LIMIT);
  }
  const idx = sel & 0xfff8;
  if (idx + 7 > limit) return false;
  descAddr = base + idx;
  beginSupervisor();
  const lo = readLin32(descAddr);
  const hi = faulted ? <u32>0 : readLin32(descAddr + 4);
  endSupervisor();
  if (faulted) return false;
  descLo = lo;
  descHi = hi;
  return true;
}

// Write back the high dword of the last descriptor with `bits` set (the accessed bit of
// code/data descriptors, or the busy bit of a TSS), unless already set.
export function setDescBits(bits: u32): void {
  if ((descHi & bits) == bits) return;
  descHi |= bits;
  beginSupervisor();
  writeLin32(descAddr + 4, descHi);
  endSupervisor();
}
export function setAccessedBit(): void { setDescBits(0x100); }

// Descriptor high dword of a given selector, rewritten (busy bit toggles in task switches).
export function writeDescHi(addr: u32, hi: u32): void {
  beginSupervisor();
  writeLin32(addr + 4, hi);
  endSupervisor();
}

// Make a descriptor read earlier the current one again (for its accessed-bit write).
export function restoreDescriptor(lo: u32, hi: u32, sel: u32): void {
  descLo = lo;
  descHi = hi;
  descAddr = ((sel & 4) != 0 ? segBase(SEG_LDTR) : load<u32>(GDTR_BASE)) + (sel & 0xfff8);
}
