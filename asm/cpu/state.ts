// Register accessors over the CPU_STATE block (asm/layout.ts). Every piece of the CPU reads and
// writes architectural state only through these, so the block stays the single source of truth
// that snapshots and the TypeScript side can read.
import {
  REG32, EIP, SEGS, SEG_SIZE, SEG_SEL, SEG_BASE, SEG_LIMIT, SEG_ATTRS, CPL, CR0, CR4,
} from "../layout";

export const EAX = 0; export const ECX = 1; export const EDX = 2; export const EBX = 3;
export const ESP = 4; export const EBP = 5; export const ESI = 6; export const EDI = 7;

// @ts-ignore: decorator
@inline export function reg32(r: i32): u32 { return load<u32>(REG32 + (r << 2)); }
// @ts-ignore: decorator
@inline export function setReg32(r: i32, v: u32): void { store<u32>(REG32 + (r << 2), v); }
// @ts-ignore: decorator
@inline export function reg16(r: i32): u32 { return load<u16>(REG32 + (r << 2)); }
// @ts-ignore: decorator
@inline export function setReg16(r: i32, v: u32): void { store<u16>(REG32 + (r << 2), v); }
// 8-bit registers in encoding order AL CL DL BL AH CH DH BH.
// @ts-ignore: decorator
@inline export function reg8(r: i32): u32 { return load<u8>(REG32 + ((r & 3) << 2) + (r >> 2)); }
// @ts-ignore: decorator
@inline export function setReg8(r: i32, v: u32): void { store<u8>(REG32 + ((r & 3) << 2) + (r >> 2), v); }

// @ts-ignore: decorator
@inline export function eip(): u32 { return load<u32>(EIP); }
// @ts-ignore: decorator
@inline export function setEip(v: u32): void { store<u32>(EIP, v); }

// @ts-ignore: decorator
@inline export function segSel(s: i32): u32 { return load<u16>(SEGS + s * SEG_SIZE + SEG_SEL); }
// @ts-ignore: decorator
@inline export function segBase(s: i32): u32 { return load<u32>(SEGS + s * SEG_SIZE + SEG_BASE); }
// @ts-ignore: decorator
@inline export function segLimit(s: i32): u32 { return load<u32>(SEGS + s * SEG_SIZE + SEG_LIMIT); }
// @ts-ignore: decorator
@inline export function segAttrs(s: i32): u32 { return load<u32>(SEGS + s * SEG_SIZE + SEG_ATTRS); }
// Set whenever a segment cache is written; decode.ts then revalidates what it derives from the
// caches (the instruction-fetch window, the set of flat data segments) and clears it.
export let segCacheWritten: bool = true;
export function clearSegCacheWritten(): void { segCacheWritten = false; }
// The host wrote a segment cache through memory during a slice (a BIOS service's far jump).
export function markSegCacheWritten(): void { segCacheWritten = true; }
export function setSegCache(s: i32, sel: u32, base: u32, limit: u32, attrs: u32): void {
  segCacheWritten = true;
  const p = SEGS + s * SEG_SIZE;
  store<u32>(p + SEG_SEL, sel & 0xffff);
  store<u32>(p + SEG_BASE, base);
  store<u32>(p + SEG_LIMIT, limit);
  store<u32>(p + SEG_ATTRS, attrs);
}

// Descriptor attribute bits as kept in SEG_ATTRS ((descriptor high dword >> 8) & 0xffff).
export const ATTR_ACCESSED = 0x01;
export const ATTR_RW = 0x02; // data: writable; code: readable
export const ATTR_DC = 0x04; // data: expand-down; code: conforming
export const ATTR_CODE = 0x08;
export const ATTR_S = 0x10; // code/data (not system)
export const ATTR_DPL_SHIFT = 5;
export const ATTR_P = 0x80;
export const ATTR_AVL = 0x1000;
export const ATTR_DB = 0x4000; // default operand/stack size 32
export const ATTR_G = 0x8000;

// @ts-ignore: decorator
@inline export function cpl(): u32 { return load<u32>(CPL); }
// @ts-ignore: decorator
@inline export function cr0(): u32 { return load<u32>(CR0); }
// @ts-ignore: decorator
@inline export function cr4(): u32 { return load<u32>(CR4); }

// CR0 bits (SDM Vol. 3A, 2.5)
export const CR0_PE: u32 = 1 << 0;
export const CR0_MP: u32 = 1 << 1;
export const CR0_EM: u32 = 1 << 2;
export const CR0_TS: u32 = 1 << 3;
export const CR0_ET: u32 = 1 << 4;
export const CR0_NE: u32 = 1 << 5;
export const CR0_WP: u32 = 1 << 16;
export const CR0_AM: u32 = 1 << 18;
export const CR0_NW: u32 = 1 << 29;
export const CR0_CD: u32 = 1 << 30;
export const CR0_PG: u32 = 1 << 31;
// CR4 bits
export const CR4_VME: u32 = 1 << 0;
export const CR4_PVI: u32 = 1 << 1;
export const CR4_TSD: u32 = 1 << 2;
export const CR4_DE: u32 = 1 << 3;
export const CR4_PSE: u32 = 1 << 4;
export const CR4_PAE: u32 = 1 << 5;
export const CR4_MCE: u32 = 1 << 6;
export const CR4_PGE: u32 = 1 << 7;
export const CR4_PCE: u32 = 1 << 8;
export const CR4_OSFXSR: u32 = 1 << 9;
export const CR4_OSXMMEXCPT: u32 = 1 << 10;

// EFLAGS bits (SDM Vol. 1, 3.4.3)
export const FLAG_CF: u32 = 1 << 0;
export const FLAG_PF: u32 = 1 << 2;
export const FLAG_AF: u32 = 1 << 4;
export const FLAG_ZF: u32 = 1 << 6;
export const FLAG_SF: u32 = 1 << 7;
export const FLAG_TF: u32 = 1 << 8;
export const FLAG_IF: u32 = 1 << 9;
export const FLAG_DF: u32 = 1 << 10;
export const FLAG_OF: u32 = 1 << 11;
export const FLAG_IOPL: u32 = 3 << 12;
export const FLAG_NT: u32 = 1 << 14;
export const FLAG_RF: u32 = 1 << 16;
export const FLAG_VM: u32 = 1 << 17;
export const FLAG_AC: u32 = 1 << 18;
export const FLAG_VIF: u32 = 1 << 19;
export const FLAG_VIP: u32 = 1 << 20;
export const FLAG_ID: u32 = 1 << 21;
export const FLAGS_ARITH: u32 = FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF;
