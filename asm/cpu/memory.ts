// Linear and physical memory access: the software TLB fast path and its slow paths.
//
// Instruction code uses the readLinN / writeLinN functions (segmentation already applied, see
// segaccess.ts). A hit costs one TLB load, one compare and one memory access. A miss walks the page
// tables (paging.ts), fills the TLB and retries. Pages that are not RAM-like (MMIO, unassigned)
// are never entered in the TLB, so every access to them takes the slow path to the host.
import {
  TLB, TLB_READ_SUP, TLB_WRITE_SUP, TLB_READ_USER, TLB_WRITE_USER, TLB_EXEC_SUP, TLB_EXEC_USER,
  TLB_VALID, TLB_GLOBAL, PHYS_MAP, PHYS_READONLY, PHYS_MMIO, PAGE_FLAGS, PAGE_DIRTY, PAGE_CODE,
  A20_MASK, CPL, FLAGS_BITS,
} from "../layout";
import { hostMmioRead, hostMmioWrite } from "./host";
import { faulted, raise, EXC_AC } from "./fault";
import { cr0, CR0_PG, CR0_AM, FLAG_AC } from "./state";
import { walk, walkPerms, ACCESS_READ, ACCESS_WRITE, ACCESS_EXEC } from "./paging";
import { watchActive, watchPage, watchAccess } from "./system/watch";

// Permission bits a lookup needs at the current privilege. Updated by setCpl() and by
// withSupervisor() for implicit supervisor accesses (descriptor tables, TSS, IDT).
export let readNeed: u32 = TLB_READ_SUP;
export let writeNeed: u32 = TLB_WRITE_SUP;
export let execNeed: u32 = TLB_EXEC_SUP;
let userMode: bool = false;

export function setCpl(n: u32): void {
  store<u32>(CPL, n);
  refreshAlignCheck();
}
// Alignment checking (#AC, SDM Vol. 3A 6.15 interrupt 17): at CPL 3 with CR0.AM and EFLAGS.AC
// set, misaligned data accesses fault. While armed, user data accesses need a TLB bit no entry
// has, so they all take the slow paths below, which check alignment; the fast paths pay nothing.
// The system unit calls refreshAlignCheck() whenever CR0.AM or EFLAGS.AC may have changed
// (MOV CR0, POPF, IRET); setCpl() covers privilege changes.
const NEED_ALIGN_CHECK: u32 = 0x100; // never set in a TLB tag
export let alignCheckArmed: bool = false;
export function refreshAlignCheck(): void {
  alignCheckArmed = load<u32>(CPL) == 3 && (cr0() & CR0_AM) != 0 && (load<u32>(FLAGS_BITS) & FLAG_AC) != 0;
  setAccessMode(load<u32>(CPL) == 3);
}
// @ts-ignore: decorator
@inline function misaligned(lin: u32, mask: u32): bool {
  if (!alignCheckArmed || !userMode || (lin & mask) == 0) return false;
  raise(EXC_AC, 0);
  return true;
}
function setAccessMode(user: bool): void {
  userMode = user;
  const align: u32 = user && alignCheckArmed ? NEED_ALIGN_CHECK : 0;
  readNeed = (user ? TLB_READ_USER : TLB_READ_SUP) | align;
  writeNeed = (user ? TLB_WRITE_USER : TLB_WRITE_SUP) | align;
  execNeed = user ? TLB_EXEC_USER : TLB_EXEC_SUP;
  fetchTag = 1; // invalidate the fetch cache
}
// Implicit supervisor accesses (SDM Vol. 3A 4.6: descriptor tables, TSS, IDT) are checked as
// CPL 0 whatever the CPL is. Bracket them with beginSupervisor()/endSupervisor().
let savedUser: bool = false;
export function beginSupervisor(): void { savedUser = userMode; setAccessMode(false); }
export function endSupervisor(): void { setAccessMode(savedUser); }
export function isUserAccess(): bool { return userMode; }

// ---- TLB maintenance ----
// @ts-ignore: decorator
@inline function tlbEntry(lin: u32): usize { return TLB + (((lin >>> 12) & 0xfff) << 3); }

export function tlbFlushAll(): void {
  memory.fill(TLB, 0, 4096 * 8);
  fetchTag = 1;
}
// CR3 reload: global entries survive when CR4.PGE is set (the caller decides keepGlobal).
export function tlbFlushNonGlobal(): void {
  for (let i: u32 = 0; i < 4096; i++) {
    const e = TLB + (i << 3);
    if ((load<u32>(e) & TLB_GLOBAL) == 0) store<u32>(e, 0);
  }
  fetchTag = 1;
}
export function tlbFlushPage(lin: u32): void {
  store<u32>(tlbEntry(lin), 0);
  fetchTag = 1;
}

// The entry is filled from a successful walk. Write permission is granted only on a write access
// (so the page's dirty bit was set by the walk) and only if the physical page carries no
// translated code; granting it marks the physical page dirty for incremental snapshots.
function tlbFill(lin: u32, phys: u32, perms: u32, access: i32): void {
  const m = load<u32>(PHYS_MAP + ((phys >>> 12) << 2));
  if ((m & PHYS_MMIO) != 0) return;
  // Pages holding an enabled data breakpoint stay on the slow path (system/watch.ts).
  if (watchActive && watchPage(lin)) return;
  let p = perms;
  if (access != ACCESS_WRITE || (m & PHYS_READONLY) != 0) p &= ~(TLB_WRITE_SUP | TLB_WRITE_USER);
  const fl = PAGE_FLAGS + (phys >>> 12);
  if ((p & (TLB_WRITE_SUP | TLB_WRITE_USER)) != 0) {
    if ((load<u8>(fl) & PAGE_CODE) != 0) p &= ~(TLB_WRITE_SUP | TLB_WRITE_USER);
    else store<u8>(fl, load<u8>(fl) | PAGE_DIRTY);
  }
  const e = tlbEntry(lin);
  store<u32>(e, (lin & 0xfffff000) | p | TLB_VALID);
  store<u32>(e, (m & 0xfffff000) - (lin & 0xfffff000), 4);
}

// Translate a linear address for an access; fills the TLB. On a fault returns 0 with `faulted`.
export function translate(lin: u32, access: i32): u32 {
  let phys: u32;
  let perms: u32;
  if ((cr0() & CR0_PG) == 0) {
    phys = lin & load<u32>(A20_MASK);
    perms = TLB_READ_SUP | TLB_WRITE_SUP | TLB_READ_USER | TLB_WRITE_USER | TLB_EXEC_SUP | TLB_EXEC_USER;
  } else {
    phys = walk(lin, access, userMode);
    if (faulted) return 0;
    phys &= load<u32>(A20_MASK);
    perms = walkPerms;
  }
  tlbFill(lin, phys, perms, access);
  return phys;
}

// ---- Physical access (also used by DMA-less host helpers and the page walker) ----
// @ts-ignore: decorator
@inline function physEntry(phys: u32): u32 { return load<u32>(PHYS_MAP + ((phys >>> 12) << 2)); }

export function physRead8(phys: u32): u32 {
  const m = physEntry(phys);
  if ((m & PHYS_MMIO) == 0) return load<u8>((m & 0xfffff000) + (phys & 0xfff));
  return hostMmioRead(phys, 1) & 0xff;
}
export function physRead16(phys: u32): u32 {
  if ((phys & 0xfff) == 0xfff) return physRead8(phys) | (physRead8(phys + 1) << 8);
  const m = physEntry(phys);
  if ((m & PHYS_MMIO) == 0) return load<u16>((m & 0xfffff000) + (phys & 0xfff));
  return hostMmioRead(phys, 2) & 0xffff;
}
export function physRead32(phys: u32): u32 {
  if ((phys & 0xfff) > 0xffc) return physRead16(phys) | (physRead16(phys + 2) << 16);
  const m = physEntry(phys);
  if ((m & PHYS_MMIO) == 0) return load<u32>((m & 0xfffff000) + (phys & 0xfff));
  return <u32>hostMmioRead(phys, 4);
}
function physMarkWrite(phys: u32, m: u32): void {
  const fl = PAGE_FLAGS + (phys >>> 12);
  const f = load<u8>(fl);
  store<u8>(fl, f | PAGE_DIRTY);
  // A write to a page holding translated code must let the JIT drop it (future work).
}
export function physWrite8(phys: u32, v: u32): void {
  const m = physEntry(phys);
  if ((m & (PHYS_MMIO | PHYS_READONLY)) == 0) {
    physMarkWrite(phys, m);
    store<u8>((m & 0xfffff000) + (phys & 0xfff), v);
  } else hostMmioWrite(phys, 1, v & 0xff);
}
export function physWrite16(phys: u32, v: u32): void {
  if ((phys & 0xfff) == 0xfff) { physWrite8(phys, v); physWrite8(phys + 1, v >>> 8); return; }
  const m = physEntry(phys);
  if ((m & (PHYS_MMIO | PHYS_READONLY)) == 0) {
    physMarkWrite(phys, m);
    store<u16>((m & 0xfffff000) + (phys & 0xfff), v);
  } else hostMmioWrite(phys, 2, v & 0xffff);
}
export function physWrite32(phys: u32, v: u32): void {
  if ((phys & 0xfff) > 0xffc) { physWrite16(phys, v); physWrite16(phys + 2, v >>> 16); return; }
  const m = physEntry(phys);
  if ((m & (PHYS_MMIO | PHYS_READONLY)) == 0) {
    physMarkWrite(phys, m);
    store<u32>((m & 0xfffff000) + (phys & 0xfff), v);
  } else hostMmioWrite(phys, 4, v);
}

// ---- Linear access: fast paths ----
// @ts-ignore: decorator
@inline function hit(e: usize, lin: u32, need: u32): bool {
  return (load<u32>(e) & (0xfffff000 | need)) == ((lin & 0xfffff000) | need);
}

// @ts-ignore: decorator
@inline export function readLin8(lin: u32): u32 {
  const e = tlbEntry(lin);
  if (hit(e, lin, readNeed)) return load<u8>(lin + load<u32>(e, 4));
  return readLin8Slow(lin);
}
// @ts-ignore: decorator
@inline export function readLin16(lin: u32): u32 {
  const e = tlbEntry(lin);
  if (hit(e, lin, readNeed) && (lin & 0xfff) != 0xfff) return load<u16>(lin + load<u32>(e, 4));
  return readLin16Slow(lin);
}
// @ts-ignore: decorator
@inline export function readLin32(lin: u32): u32 {
  const e = tlbEntry(lin);
  if (hit(e, lin, readNeed) && (lin & 0xfff) <= 0xffc) return load<u32>(lin + load<u32>(e, 4));
  return readLin32Slow(lin);
}
export function readLin64(lin: u32): u64 {
  const e = tlbEntry(lin);
  if (hit(e, lin, readNeed) && (lin & 0xfff) <= 0xff8) return load<u64>(lin + load<u32>(e, 4));
  if (misaligned(lin, 7)) return 0;
  // Translate both halves before reading either, so a fault leaves nothing behind.
  const lo = readLin32(lin);
  if (faulted) return 0;
  const hi = readLin32(lin + 4);
  return (<u64>hi << 32) | <u64>lo;
}
// @ts-ignore: decorator
@inline export function writeLin8(lin: u32, v: u32): void {
  const e = tlbEntry(lin);
  if (hit(e, lin, writeNeed)) { store<u8>(lin + load<u32>(e, 4), v); return; }
  writeLin8Slow(lin, v);
}
// @ts-ignore: decorator
@inline export function writeLin16(lin: u32, v: u32): void {
  const e = tlbEntry(lin);
  if (hit(e, lin, writeNeed) && (lin & 0xfff) != 0xfff) { store<u16>(lin + load<u32>(e, 4), v); return; }
  writeLin16Slow(lin, v);
}
// @ts-ignore: decorator
@inline export function writeLin32(lin: u32, v: u32): void {
  const e = tlbEntry(lin);
  if (hit(e, lin, writeNeed) && (lin & 0xfff) <= 0xffc) { store<u32>(lin + load<u32>(e, 4), v); return; }
  writeLin32Slow(lin, v);
}
export function writeLin64(lin: u32, v: u64): void {
  if (misaligned(lin, 7)) return;
  probeWrite(lin, 8);
  if (faulted) return;
  writeLin32(lin, <u32>v);
  writeLin32(lin + 4, <u32>(v >>> 32));
}

// Check that `size` bytes at lin are writable (translating and filling the TLB) without
// writing. Read-modify-write instructions and multi-part stores call this first.
// A fault on the second page of a split access reports that page's first byte in CR2, as
// QEMU and Bochs do (the first byte of the access that is on the faulting page).
export function probeWrite(lin: u32, size: u32): void {
  const e = tlbEntry(lin);
  if (!hit(e, lin, writeNeed)) { translate(lin, ACCESS_WRITE); if (faulted) return; }
  const last = lin + size - 1;
  if (((last ^ lin) & 0xfffff000) != 0) {
    const next = last & 0xfffff000;
    const e2 = tlbEntry(next);
    if (!hit(e2, next, writeNeed)) translate(next, ACCESS_WRITE);
  }
}
export function probeRead(lin: u32, size: u32): void {
  const e = tlbEntry(lin);
  if (!hit(e, lin, readNeed)) { translate(lin, ACCESS_READ); if (faulted) return; }
  const last = lin + size - 1;
  if (((last ^ lin) & 0xfffff000) != 0) {
    const next = last & 0xfffff000;
    const e2 = tlbEntry(next);
    if (!hit(e2, next, readNeed)) translate(next, ACCESS_READ);
  }
}

// ---- Linear access: slow paths ----
function readLin8Slow(lin: u32): u32 {
  if (watchActive) watchAccess(lin, 1, false);
  const p = translate(lin, ACCESS_READ);
  if (faulted) return 0;
  return physRead8(p);
}
function readLin16Slow(lin: u32): u32 {
  if (misaligned(lin, 1)) return 0;
  if (watchActive) watchAccess(lin, 2, false);
  if ((lin & 0xfff) == 0xfff) {
    const p0 = translate(lin, ACCESS_READ); if (faulted) return 0;
    const p1 = translate(lin + 1, ACCESS_READ); if (faulted) return 0;
    return physRead8(p0) | (physRead8(p1) << 8);
  }
  const p = translate(lin, ACCESS_READ);
  if (faulted) return 0;
  return physRead16(p);
}
function readLin32Slow(lin: u32): u32 {
  if (misaligned(lin, 3)) return 0;
  if (watchActive) watchAccess(lin, 4, false);
  if ((lin & 0xfff) > 0xffc) {
    const p0 = translate(lin, ACCESS_READ); if (faulted) return 0;
    const p1 = translate((lin + 4) & 0xfffff000, ACCESS_READ); if (faulted) return 0;
    let v: u32 = 0;
    for (let i: u32 = 0; i < 4; i++) {
      const a = lin + i;
      const b = ((a ^ lin) & 0xfffff000) == 0 ? physRead8(p0 + i) : physRead8(p1 + (a & 0xfff));
      v |= b << (i << 3);
    }
    return v;
  }
  const p = translate(lin, ACCESS_READ);
  if (faulted) return 0;
  return physRead32(p);
}
function writeLin8Slow(lin: u32, v: u32): void {
  if (watchActive) watchAccess(lin, 1, true);
  const p = translate(lin, ACCESS_WRITE);
  if (faulted) return;
  physWrite8(p, v);
}
function writeLin16Slow(lin: u32, v: u32): void {
  if (misaligned(lin, 1)) return;
  if (watchActive) watchAccess(lin, 2, true);
  if ((lin & 0xfff) == 0xfff) {
    const p0 = translate(lin, ACCESS_WRITE); if (faulted) return;
    const p1 = translate(lin + 1, ACCESS_WRITE); if (faulted) return;
    physWrite8(p0, v); physWrite8(p1, v >>> 8);
    return;
  }
  const p = translate(lin, ACCESS_WRITE);
  if (faulted) return;
  physWrite16(p, v);
}
function writeLin32Slow(lin: u32, v: u32): void {
  if (misaligned(lin, 3)) return;
  if (watchActive) watchAccess(lin, 4, true);
  if ((lin & 0xfff) > 0xffc) {
    const p0 = translate(lin, ACCESS_WRITE); if (faulted) return;
    const p1 = translate((lin + 4) & 0xfffff000, ACCESS_WRITE); if (faulted) return;
    for (let i: u32 = 0; i < 4; i++) {
      const a = lin + i;
      if (((a ^ lin) & 0xfffff000) == 0) physWrite8(p0 + i, v >>> (i << 3));
      else physWrite8(p1 + (a & 0xfff), v >>> (i << 3));
    }
    return;
  }
  const p = translate(lin, ACCESS_WRITE);
  if (faulted) return;
  physWrite32(p, v);
}

// ---- Instruction fetch ----
// A one-entry cache of the current code page: fetchTag is the linear page, fetchAddend maps it.
// Invalidated (set to an impossible tag, 1) by every TLB flush and privilege change.
export let fetchTag: u32 = 1;
export let fetchAddend: u32 = 0; // exported for decode.ts's fetch window

// @ts-ignore: decorator
@inline export function fetchLin8(lin: u32): u32 {
  if ((lin & 0xfffff000) == fetchTag) return load<u8>(lin + fetchAddend);
  return fetchLin8Slow(lin);
}
function fetchLin8Slow(lin: u32): u32 {
  const e = tlbEntry(lin);
  if (!hit(e, lin, execNeed)) {
    const p = translate(lin, ACCESS_EXEC);
    if (faulted) return 0;
    if (!hit(e, lin, execNeed)) return physRead8(p); // not RAM-like: fetch through the host
  }
  fetchTag = lin & 0xfffff000;
  fetchAddend = load<u32>(e, 4);
  return load<u8>(lin + fetchAddend);
}
