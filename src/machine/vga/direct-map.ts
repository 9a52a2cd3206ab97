// Dirty tracking for VRAM the CPU writes through direct mappings (the LFB, or the A0000 window in
// mode 13h / a VBE bank), which never reach the device's MMIO handlers.
//
// The CPU marks PAGE_DIRTY (asm/layout.ts) for a physical page when it creates a writable TLB
// entry for it, not on every write. So to see later writes, the machine must clear the flag
// and drop the TLB entries of the pages it reported: collectDirectWrites() does that through the
// callbacks it is given, and tells the caller which pages it cleared, so the snapshot code can
// remember them as written (it relies on the same flag).
import { PAGE_DIRTY, PHYS_MMIO } from "../../../asm/layout";
import type { Vga, DirectMapping } from "./vga";

export interface DirectWriteTracking {
  /** The PAGE_FLAGS byte array (one byte per 4 KiB guest-physical page). */
  pageFlags: Uint8Array;
  /** Drop TLB entries that grant write access to physical page `page` (or flush the whole TLB). */
  invalidateWrites(page: number): void;
  /** Called for every page whose PAGE_DIRTY flag is cleared here. */
  onCleared?(page: number): void;
}

/** Fold the CPU's dirty flags for the directly mapped ranges into the VGA before render(). */
export function collectDirectWrites(vga: Vga, mappings: DirectMapping[], t: DirectWriteTracking): number {
  let found = 0;
  for (const m of mappings) {
    const first = m.phys >>> 12;
    const pages = m.bytes >>> 12;
    for (let i = 0; i < pages; i++) {
      const page = first + i;
      if ((t.pageFlags[page] & PAGE_DIRTY) === 0) continue;
      t.pageFlags[page] &= ~PAGE_DIRTY;
      t.onCleared?.(page);
      t.invalidateWrites(page);
      vga.markVramWritten(m.vramOffset + i * 4096, 4096);
      found++;
    }
  }
  return found;
}

/** The part of the CPU a DirectMapper drives (src/machine/cpu.ts Cpu satisfies it). */
export interface PhysMapper {
  mapPhys(phys: number, bytes: number, hostOff: number, flags: number): void;
}

/**
 * Keeps the CPU's physical map in step with the adapter's direct mappings: call update() from
 * Vga.onMappingChange and VgaPci.onBarMoved, and collect() before each render. Ranges that stop
 * being direct go back to PHYS_MMIO, so the device's handlers see every access again (the legacy
 * window and unassigned PCI space are MMIO in the PC's map).
 */
export class DirectMapper {
  private mapped: DirectMapping[] = [];

  constructor(
    private readonly cpu: PhysMapper,
    /** Host offset (in the Wasm memory) of VRAM byte 0. */
    private readonly vramHostOffset: number,
    private readonly current: () => DirectMapping[],
  ) {}

  update(): void {
    const next = this.current();
    const same = next.length === this.mapped.length && next.every((m, i) => m.phys === this.mapped[i].phys && m.bytes === this.mapped[i].bytes && m.vramOffset === this.mapped[i].vramOffset);
    if (same) return;
    for (const m of this.mapped) this.cpu.mapPhys(m.phys, m.bytes, 0, PHYS_MMIO);
    for (const m of next) this.cpu.mapPhys(m.phys, m.bytes, this.vramHostOffset + m.vramOffset, 0);
    this.mapped = next.map((m) => ({ ...m }));
  }

  /** The ranges mapped now. */
  get mappings(): readonly DirectMapping[] {
    return this.mapped;
  }

  /** Fold CPU writes through the mapped ranges into the adapter's dirty tracking. */
  collect(vga: Vga, tracking: DirectWriteTracking): number {
    return collectDirectWrites(vga, this.mapped, tracking);
  }
}
