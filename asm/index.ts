// The WebAssembly module's exports: scalars only. The host reads and writes CPU state, TLB and
// RAM directly through the memory (asm/layout.ts); these functions are the only entry points.
import { PHYS_MAP, PHYS_PAGES, PHYS_MMIO, PAGE_FLAGS, RAM, RAM_SIZE, A20_MASK, CPL } from "./layout";
import { run as runLoop, requestExit as hostRequestExit, sliceExecuted as executedInSlice } from "./cpu/run";
import { tlbFlushAll, setCpl } from "./cpu/memory";
import { resetCpu, initCpu } from "./cpu/reset";
import { debugAfterStateLoad } from "./cpu/system/debug";

// Grow memory to hold `ramBytes` of guest RAM plus `extraBytes` of host regions (VRAM...).
// Returns the host offset of RAM. Must be called once, before anything else.
export function init(ramBytes: u32, extraBytes: u32): u32 {
  const need: u64 = <u64>RAM + <u64>ramBytes + <u64>extraBytes;
  const havePages = memory.size();
  const needPages = <i32>((need + 0xffff) >> 16);
  if (needPages > havePages) {
    if (memory.grow(needPages - havePages) < 0) return 0;
  }
  store<u32>(RAM_SIZE, ramBytes);
  // Everything starts unassigned (MMIO: the host answers 0xff); the host maps RAM and ROM.
  for (let i: u32 = 0; i < <u32>PHYS_PAGES; i++) store<u32>(PHYS_MAP + (i << 2), PHYS_MMIO);
  memory.fill(PAGE_FLAGS, 0, PHYS_PAGES);
  return RAM;
}

// Map `pages` physical pages starting at physical page `firstPage` to host offset `hostOff`
// (page aligned) with PHYS_* flags. hostOff is ignored for PHYS_MMIO.
export function mapPhys(firstPage: u32, pages: u32, hostOff: u32, flags: u32): void {
  for (let i: u32 = 0; i < pages; i++) {
    const v = (flags & PHYS_MMIO) != 0 ? PHYS_MMIO : ((hostOff + (i << 12)) | flags);
    store<u32>(PHYS_MAP + ((firstPage + i) << 2), v);
  }
  tlbFlushAll();
}

export function reset(): void { resetCpu(); }
// INIT (SDM Vol. 3A 9.1): a reset that keeps the x87/SSE state, the MSRs and CR0.CD/NW.
export function initReset(): void { initCpu(); }
export function run(budget: i32): i32 { return runLoop(budget); }
export function requestExit(): void { hostRequestExit(); }
export function flushTlb(): void { tlbFlushAll(); }
export function setA20(enabled: bool): void {
  store<u32>(A20_MASK, enabled ? 0xffffffff : 0xffefffff);
  tlbFlushAll();
}

// After the host wrote a saved CPU_STATE block: re-derive everything cached outside it.
export function afterStateLoad(): void {
  setCpl(load<u32>(CPL));
  debugAfterStateLoad(); // DR0-DR7 decide which checks are armed; TF which instruction traps
  tlbFlushAll();
}

// Instructions retired so far in the running slice (valid during host callbacks).
export function sliceExecuted(): i32 { return executedInSlice; }

// EFLAGS with the lazy arithmetic flags folded in, for the host (src/machine/cpu.ts eflags()).
export { getEflags, setEflags } from "./cpu/flags";

// The host rewrote segment caches (or CS:EIP) through memory inside a port or MMIO callback: make
// the decoder re-derive its cached fetch window, CS.D and flat-segment set before the next fetch.
export { markSegCacheWritten as segmentCachesWritten } from "./cpu/state";
