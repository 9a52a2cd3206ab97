// The PC physical address map as the CPU's physical page table sees it: RAM, the legacy VGA
// hole, the BIOS ROM aliases, and RAM-backed shadow areas whose read/write routing the i440FX PAM
// registers control (SeaBIOS copies itself into shadow RAM and then write-protects it).
//
// The legacy VGA hole (0xA0000-0xBFFFF) shows either the VGA (its MMIO window, or the pages the
// VGA maps straight to VRAM, which it maps through `vgaSide`) or, while the host bridge makes
// SMRAM visible, the DRAM underneath (setSmramVisible). The VGA side's mappings are remembered
// while SMRAM hides them and put back when it closes.
import * as L from "../../asm/layout";
import type { Cpu } from "./cpu";
import type { MmioBus } from "./io";

export const VGA_HOLE_START = 0xa0000;
export const VGA_HOLE_END = 0xc0000;
const VGA_HOLE_PAGES = (VGA_HOLE_END - VGA_HOLE_START) >>> 12;
export const SHADOW_START = 0xc0000;
export const LOW_MEMORY_END = 0x100000;
export const PCI_HOLE_START = 0xe0000000;

/** How a 16 KiB (or 64 KiB) shadow segment of 0xC0000-0xFFFFF is routed (PAM register values). */
export const enum PamMode {
  /** Reads and writes go to the ROM/PCI side (writes to ROM are dropped). */
  Rom = 0,
  /** Reads from ROM, writes to RAM. */
  WriteRam = 1,
  /** Reads from RAM, writes dropped (write-protected shadow). */
  ReadRam = 2,
  /** RAM, read and write. */
  Ram = 3,
}

export class PhysicalMap {
  /** The ROM image mapped at the top of the first megabyte (its last 128 KiB at most) and below 4 GiB. */
  private biosSize = 0;
  /** Option ROM images copied into the ROM area, by physical address. */
  private readonly pamModes = new Uint8Array((LOW_MEMORY_END - SHADOW_START) >>> 14);

  /** What the VGA side maps at each page of the hole: host offset and PHYS_* flags. */
  private readonly vgaHostOff = new Uint32Array(VGA_HOLE_PAGES);
  private readonly vgaFlags = new Uint32Array(VGA_HOLE_PAGES).fill(L.PHYS_MMIO);
  private smramVisible = false;

  constructor(private readonly cpu: Cpu, private readonly mmio: MmioBus) {}

  /**
   * The physical map as the VGA adapter may change it (src/machine/vga/direct-map.ts maps VRAM
   * pages and puts MMIO back): pages in the legacy hole are recorded and applied only while SMRAM
   * is not visible; everything else passes through.
   */
  readonly vgaSide = {
    mapPhys: (phys: number, bytes: number, hostOff: number, flags: number): void => {
      const end = phys + bytes;
      const lo = Math.max(phys, VGA_HOLE_START);
      const hi = Math.min(end, VGA_HOLE_END);
      if (lo >= hi) {
        this.cpu.mapPhys(phys, bytes, hostOff, flags);
        return;
      }
      if (phys < lo) this.cpu.mapPhys(phys, lo - phys, hostOff, flags);
      for (let a = lo; a < hi; a += 0x1000) {
        const i = (a - VGA_HOLE_START) >>> 12;
        this.vgaHostOff[i] = flags & L.PHYS_MMIO ? 0 : hostOff + (a - phys);
        this.vgaFlags[i] = flags;
      }
      if (!this.smramVisible) this.applyVgaSide(lo, hi);
      if (hi < end) this.cpu.mapPhys(hi, end - hi, flags & L.PHYS_MMIO ? 0 : hostOff + (hi - phys), flags);
    },
  };

  /**
   * Show the DRAM under the VGA hole (SMRAM on the i440FX: open, or the CPU in SMM) or the VGA.
   * The host bridge's SMRAM register and the CPU's SMM state decide (src/machine/pc.ts).
   */
  setSmramVisible(visible: boolean): void {
    if (visible === this.smramVisible) return;
    this.smramVisible = visible;
    if (visible) this.cpu.mapPhys(VGA_HOLE_START, VGA_HOLE_END - VGA_HOLE_START, this.cpu.ramOffset + VGA_HOLE_START, 0);
    else this.applyVgaSide(VGA_HOLE_START, VGA_HOLE_END);
  }

  get smramIsVisible(): boolean {
    return this.smramVisible;
  }

  /** Map the VGA side's recorded pages of [lo, hi), one call per run of contiguous pages. */
  private applyVgaSide(lo: number, hi: number): void {
    let a = lo;
    while (a < hi) {
      const i = (a - VGA_HOLE_START) >>> 12;
      let n = 1;
      while (a + n * 0x1000 < hi) {
        const j = i + n;
        const sameFlags = this.vgaFlags[j] === this.vgaFlags[i];
        const contiguous = this.vgaFlags[i] & L.PHYS_MMIO || this.vgaHostOff[j] === this.vgaHostOff[i] + n * 0x1000;
        if (!sameFlags || !contiguous) break;
        n++;
      }
      this.cpu.mapPhys(a, n * 0x1000, this.vgaHostOff[i], this.vgaFlags[i]);
      a += n * 0x1000;
    }
  }

  get ramBytes(): number {
    return this.cpu.ramBytes;
  }

  /** Map RAM, leaving the legacy VGA/ROM hole (0xA0000-0xFFFFF) to MMIO and shadow handling. */
  mapRam(): void {
    const cpu = this.cpu;
    const below4g = Math.min(cpu.ramBytes, PCI_HOLE_START);
    cpu.mapPhys(0, VGA_HOLE_START, cpu.ramOffset, 0);
    if (below4g > LOW_MEMORY_END) cpu.mapPhys(LOW_MEMORY_END, below4g - LOW_MEMORY_END, cpu.ramOffset + LOW_MEMORY_END, 0);
  }

  /**
   * Load the system firmware. Its last 128 KiB (or all of a 64/128 KiB image) appear at the
   * top of the first megabyte; the whole image appears just below 4 GiB (the reset vector).
   */
  loadBios(image: Uint8Array): void {
    const size = image.length;
    if (size !== 0x10000 && size !== 0x20000 && size !== 0x40000) {
      throw new Error(`BIOS image must be 64, 128 or 256 KiB (got ${size} bytes)`);
    }
    this.biosSize = size;
    this.cpu.u8.set(image, L.ROM_SIZE - size + L.ROM);
    this.cpu.mapPhys(0x1_0000_0000 - size, size, L.ROM + L.ROM_SIZE - size, L.PHYS_READONLY);
    // Shadow area starts with everything routed to ROM (PAM reset value 0).
    this.pamModes.fill(PamMode.Rom);
    this.applyPam(SHADOW_START, LOW_MEMORY_END - SHADOW_START);
  }

  /** Copy an option ROM (e.g. the VGA BIOS at 0xC0000) into the ROM side of the shadow area. */
  loadOptionRom(addr: number, image: Uint8Array): void {
    if (addr < SHADOW_START || addr + image.length > LOW_MEMORY_END - 0x20000) {
      throw new Error(`option ROM at 0x${addr.toString(16)} (${image.length} bytes) does not fit below the BIOS`);
    }
    this.cpu.u8.set(image, this.romSideOffset(addr));
  }

  /** Host offset of the ROM side of a legacy address in 0xC0000-0xFFFFF. */
  private romSideOffset(addr: number): number {
    // The ROM area mirrors 0xC0000-0xFFFFF at ROM + (addr - 0xC0000), except that the BIOS's low
    // alias lives at the end of the ROM area, where the 4 GiB alias of the image also points.
    const biosLow = LOW_MEMORY_END - Math.min(this.biosSize, 0x20000);
    if (addr >= biosLow) return L.ROM + L.ROM_SIZE - (LOW_MEMORY_END - addr);
    return L.ROM + (addr - SHADOW_START);
  }

  /** Set the PAM routing of [addr, addr+size) (16 KiB granularity), as the host bridge does. */
  setPam(addr: number, size: number, mode: PamMode): void {
    for (let a = addr; a < addr + size; a += 0x4000) this.pamModes[(a - SHADOW_START) >>> 14] = mode;
    this.applyPam(addr, size);
  }

  private applyPam(addr: number, size: number): void {
    const cpu = this.cpu;
    for (let a = addr; a < addr + size; a += 0x1000) {
      const mode = this.pamModes[(a - SHADOW_START) >>> 14] as PamMode;
      const ramOff = cpu.ramOffset + a;
      const romOff = this.romSideOffset(a);
      switch (mode) {
        case PamMode.Rom:
          cpu.mapPhys(a, 0x1000, romOff, L.PHYS_READONLY);
          break;
        case PamMode.WriteRam:
          cpu.mapPhys(a, 0x1000, romOff, L.PHYS_READONLY);
          break;
        case PamMode.ReadRam:
          cpu.mapPhys(a, 0x1000, ramOff, L.PHYS_READONLY);
          break;
        case PamMode.Ram:
          cpu.mapPhys(a, 0x1000, ramOff, 0);
          break;
      }
    }
  }

  /**
   * Firmware shadowing: copy the ROM side of [addr, addr+size) into RAM and route the range to RAM,
   * writable (while POST initialises option ROMs) or write-protected afterwards.
   */
  shadow(addr: number, size: number, writable: boolean): void {
    const start = Math.max(addr, SHADOW_START);
    const end = Math.min(addr + size, LOW_MEMORY_END);
    for (let a = start & ~0x3fff; a < end; a += 0x4000) {
      const i = (a - SHADOW_START) >>> 14;
      const mode = this.pamModes[i] as PamMode;
      if (mode === PamMode.Rom || mode === PamMode.WriteRam) {
        const ram = this.cpu.ramOffset + a;
        this.cpu.u8.copyWithin(ram, this.romSideOffset(a), this.romSideOffset(a) + 0x4000);
      }
      this.pamModes[i] = writable ? PamMode.Ram : PamMode.ReadRam;
    }
    this.applyPam(start & ~0x3fff, ((end + 0x3fff) & ~0x3fff) - (start & ~0x3fff));
  }

  /** Writes that reach the host for read-only pages of the shadow area (PAM WriteRam routes them to RAM). */
  shadowWrite(addr: number, size: number, value: number): boolean {
    if (addr < SHADOW_START || addr >= LOW_MEMORY_END) return false;
    const mode = this.pamModes[(addr - SHADOW_START) >>> 14] as PamMode;
    if (mode === PamMode.WriteRam) {
      const off = this.cpu.ramOffset + addr;
      for (let i = 0; i < size; i++) this.cpu.u8[off + i] = (value >>> (8 * i)) & 0xff;
    }
    return true; // handled (dropped or written)
  }

  /** Mark a physical range as MMIO so every access reaches the MmioBus. */
  mapMmio(addr: number, size: number): void {
    this.cpu.mapPhys(addr, size, 0, L.PHYS_MMIO);
  }
}
