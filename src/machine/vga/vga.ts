// The VGA adapter with the Bochs VBE extensions: the chip's register files and display memory
// (register logic in registers.ts and vbe.ts, memory access in planes.ts) and the frame model the
// page draws (render.ts). Bus glue (ISA ports, the legacy MMIO window, the PCI function in
// pci-glue.ts) only calls the handlers this class exposes.
//
// Wiring (the machine):
//   const vram = new Uint8Array(cpu.memory.buffer, cpu.ramOffset + ramBytes, 16 << 20); // extraBytes
//   const vga = new Vga(vram, clock);               vga.attachIo(io);
//   mmio.register("vga", VGA_WINDOW_BASE, VGA_WINDOW_SIZE, vga.window);  map.mapMmio(0xa0000, 0x20000);
//   const pci = new VgaPci(vga, io, mmio, vgaBiosImage);   // PCI 1234:1111, BAR0 = LFB
//   const mapper = new DirectMapper(cpu, vramHostOffset, () => pci.directMappings());
//   vga.onMappingChange = () => mapper.update();  pci.onBarMoved = () => mapper.update();
//   before each render(): mapper.collect(vga, { pageFlags, invalidateWrites }) (direct-map.ts).
// VRAM is saved with guest RAM (it is a host region of the same Wasm memory); the device state
// holds the registers, DAC, latches and flip-flops.
import type { Device } from "../state";
import { StateError } from "../state";
import type { VirtualClock } from "../clock";
import type { IoBus, MmioHandlers } from "../io";
import { vgaSchema, initialVgaState, type VgaState, SEQ_COUNT, CRTC_COUNT, GC_COUNT, AC_COUNT, VBE_COUNT } from "./state";
import { VramDirty } from "./dirty";
import { planarRead, planarWrite, windowBase, windowSize, chain4IsLinear, PLANES_BYTES } from "./planes";
import { vgaPortRead, vgaPortWrite } from "./registers";
import {
  vbeRead, vbeWrite, VBE_INDEX_PORT, VBE_DATA_PORT, VBE_DATA_PORT_ALT, VBE_ENABLE, VBE_ENABLED, VBE_8BIT_DAC,
  VBE_BANK, VBE_BANK_SIZE, VBE_ID5, VBE_ID, VBE_XRES, VBE_YRES, VBE_BPP, VBE_VIRT_WIDTH, VBE_VALID_BPP, vbeLineBytes,
} from "./vbe";
import { VgaRenderer, type FrameUpdate, type TextScreen } from "./render";
import { readTextScreen } from "./render-text";

export const VGA_WINDOW_BASE = 0xa0000;
export const VGA_WINDOW_SIZE = 0x20000;
export const VRAM_MIN_BYTES = PLANES_BYTES;

/** A range of guest physical addresses that may be mapped straight onto VRAM. */
export interface DirectMapping {
  phys: number;
  bytes: number;
  vramOffset: number;
}

export class Vga implements Device<VgaState> {
  readonly name = "vga";
  readonly schema = vgaSchema;
  state: VgaState = initialVgaState();
  readonly dirty: VramDirty;

  // ---- Derived flags for the renderer (not device state: a restore forces a full redraw) ----
  /** Registers that shape the picture changed: recompute the geometry and redraw every line. */
  displayDirty = true;
  /** Only the start address, line compare or panning moved: lines whose source moved are redrawn. */
  scrollDirty = true;
  /** A cursor register changed: the lines under the old and new cursor are redrawn. */
  cursorDirty = true;
  /** AC palette, colour select, DAC or pel mask changed: recompute colours, redraw everything. */
  paletteChanged = true;
  /** Bumped when the CPU writes plane 2 (the text font), so text is redrawn with the new glyphs. */
  fontGeneration = 0;

  /** Called when directMappings() may have changed (the machine remaps the A0000 window). */
  onMappingChange?: () => void;
  private mappingKey = -1;
  /** Cached chain4IsLinear(state) && !VBE, kept by checkMapping() for the write fast path. */
  private chain4Linear = false;
  private readonly renderer: VgaRenderer;

  /**
   * `vram` is the adapter's memory (a power of two between 256 KiB and 16 MiB), normally a view
   * of the Wasm memory after guest RAM so the CPU can map the linear framebuffer. Its first
   * 256 KiB hold the four VGA planes.
   */
  constructor(readonly vram: Uint8Array, readonly clock: VirtualClock) {
    if (vram.length < VRAM_MIN_BYTES || vram.length > 0x1000000 || (vram.length & (vram.length - 1)) !== 0) {
      throw new Error(`VGA: VRAM must be a power of two between 256 KiB and 16 MiB (got ${vram.length} bytes)`);
    }
    this.dirty = new VramDirty(vram.length);
    this.renderer = new VgaRenderer(this);
  }

  reset(): void {
    this.state = initialVgaState();
    this.vram.fill(0);
    this.afterStateReplaced();
  }

  postLoad(): void {
    const s = this.state;
    const lengths: [keyof VgaState, number][] = [["seq", SEQ_COUNT], ["crtc", CRTC_COUNT], ["gc", GC_COUNT], ["ac", AC_COUNT], ["vbe", VBE_COUNT]];
    for (const [k, n] of lengths) if ((s[k] as number[]).length !== n) throw new StateError(this.name, `${k} must have ${n} entries`);
    if (s.seqIndex > 7) throw new StateError(this.name, `sequencer index ${s.seqIndex} out of range`);
    if (s.gcIndex > 0x0f) throw new StateError(this.name, `graphics index ${s.gcIndex} out of range`);
    if (s.crtcIndex > 0x3f) throw new StateError(this.name, `CRTC index ${s.crtcIndex} out of range`);
    if (s.acIndex > 0x3f) throw new StateError(this.name, `attribute index ${s.acIndex} out of range`);
    if (s.dacWriteComponent > 2 || s.dacReadComponent > 2) throw new StateError(this.name, "DAC component counter out of range");
    if (!(s.vintArmedAt === -1 || (Number.isFinite(s.vintArmedAt) && s.vintArmedAt >= 0))) throw new StateError(this.name, `vintArmedAt ${s.vintArmedAt} invalid`);
    if (s.dacState !== 0 && s.dacState !== 3) throw new StateError(this.name, `DAC state ${s.dacState} is not 0 or 3`);
    if (s.vbe[VBE_ID] < 0xb0c0 || s.vbe[VBE_ID] > VBE_ID5) throw new StateError(this.name, `VBE id ${s.vbe[VBE_ID].toString(16)} invalid`);
    if (s.vbe[VBE_BANK] >= this.vram.length / VBE_BANK_SIZE) throw new StateError(this.name, `VBE bank ${s.vbe[VBE_BANK]} beyond VRAM`);
    if (s.vbe[VBE_ENABLE] & VBE_ENABLED) {
      const bpp = s.vbe[VBE_BPP];
      if (!VBE_VALID_BPP.includes(bpp)) throw new StateError(this.name, `VBE bpp ${bpp} invalid`);
      const bytes = vbeLineBytes(bpp, s.vbe[VBE_VIRT_WIDTH]) * s.vbe[VBE_YRES];
      if (s.vbe[VBE_XRES] === 0 || s.vbe[VBE_VIRT_WIDTH] < s.vbe[VBE_XRES] || bytes > (bpp === 4 ? this.vram.length / 4 : this.vram.length)) {
        throw new StateError(this.name, "VBE mode does not fit in VRAM");
      }
    }
    this.afterStateReplaced();
  }

  private afterStateReplaced(): void {
    this.displayDirty = true;
    this.paletteChanged = true;
    this.fontGeneration++;
    this.dirty.markRange(0, this.vram.length);
    this.checkMapping();
  }

  // ---- Hooks for the register files ----
  displayChanged(): void {
    this.displayDirty = true;
  }
  scrollChanged(): void {
    this.scrollDirty = true;
  }
  cursorChanged(): void {
    this.cursorDirty = true;
  }
  dac8bit(): boolean {
    return (this.state.vbe[VBE_ENABLE] & VBE_8BIT_DAC) !== 0;
  }
  vbeEnabled(): boolean {
    return (this.state.vbe[VBE_ENABLE] & VBE_ENABLED) !== 0;
  }
  /** Plane offset above the window: the VBE bank in the planar (4 bpp) VBE mode, else 0. */
  private planarHigh(): number {
    return this.vbeEnabled() ? this.state.vbe[VBE_BANK] * VBE_BANK_SIZE : 0;
  }
  /** A packed-pixel VBE mode is on: A0000-AFFFF is the banked window onto VRAM. */
  private vbeBanked(): boolean {
    return this.vbeEnabled() && this.state.vbe[VBE_BPP] !== 4;
  }

  // ---- Port I/O ----
  ioRead(port: number): number {
    if (port >= VBE_INDEX_PORT && port <= VBE_DATA_PORT_ALT) return vbeRead(this, port === VBE_DATA_PORT_ALT ? VBE_DATA_PORT : port);
    return vgaPortRead(this, port);
  }
  ioWrite(port: number, value: number): void {
    if (port >= VBE_INDEX_PORT && port <= VBE_DATA_PORT_ALT) vbeWrite(this, port === VBE_DATA_PORT_ALT ? VBE_DATA_PORT : port, value);
    else vgaPortWrite(this, port, value & 0xff);
  }

  /** Claim the VGA's ports (only those the VGA decodes: 0x3BC-0x3BF belong to the parallel port). */
  attachIo(io: IoBus): void {
    const byte = {
      read8: (p: number) => this.ioRead(p),
      write8: (p: number, v: number) => this.ioWrite(p, v),
    };
    for (const p of [0x3b4, 0x3b5, 0x3ba, 0x3d4, 0x3d5, 0x3da]) io.register("vga", p, 1, byte);
    io.register("vga", 0x3c0, 16, byte);
    // DISPI registers are 16 bits wide; byte accesses reach the low byte, as on the Bochs adapter.
    io.register("vga-vbe", VBE_INDEX_PORT, 3, {
      read16: (p) => this.ioRead(p),
      write16: (p, v) => this.ioWrite(p, v),
      read8: (p) => this.ioRead(p) & 0xff,
      write8: (p, v) => this.ioWrite(p, v),
    });
  }

  // ---- The legacy memory window, 0xA0000-0xBFFFF ----
  readonly window: MmioHandlers = {
    read: (addr, size) => {
      let v = 0;
      for (let i = 0; i < size; i++) v |= this.readByte(addr + i) << (8 * i);
      return v >>> 0;
    },
    write: (addr, size, value) => {
      for (let i = 0; i < size; i++) this.writeByte(addr + i, (value >>> (8 * i)) & 0xff);
    },
  };

  readByte(addr: number): number {
    if (this.vbeBanked() && addr >= VGA_WINDOW_BASE && addr < VGA_WINDOW_BASE + VBE_BANK_SIZE) {
      return this.vram[this.state.vbe[VBE_BANK] * VBE_BANK_SIZE + (addr - VGA_WINDOW_BASE)];
    }
    // Miscellaneous Output bit 1 clear disables CPU access to display memory.
    if ((this.state.misc & 0x02) === 0) return 0xff;
    const off = addr - windowBase(this.state);
    if (off < 0 || off >= windowSize(this.state)) return 0xff;
    return planarRead(this.state, this.vram, off, this.planarHigh());
  }

  writeByte(addr: number, value: number): void {
    if (this.vbeBanked() && addr >= VGA_WINDOW_BASE && addr < VGA_WINDOW_BASE + VBE_BANK_SIZE) {
      const i = this.state.vbe[VBE_BANK] * VBE_BANK_SIZE + (addr - VGA_WINDOW_BASE);
      this.vram[i] = value;
      this.dirty.mark(i);
      return;
    }
    if (this.chain4Linear) {
      // Mode 13h's default data path (see chain4IsLinear): the byte lands at VRAM[A].
      const off = (addr - VGA_WINDOW_BASE) & 0xffff;
      if (addr < VGA_WINDOW_BASE || addr >= VGA_WINDOW_BASE + windowSize(this.state)) return;
      this.vram[off] = value;
      this.dirty.mark(off);
      if ((off & 3) === 2) this.fontGeneration++;
      return;
    }
    if ((this.state.misc & 0x02) === 0) return;
    const off = addr - windowBase(this.state);
    if (off < 0 || off >= windowSize(this.state)) return;
    if (planarWrite(this.state, this.vram, this.dirty, off, value, this.planarHigh()) & 4) this.fontGeneration++;
  }

  /**
   * The linear framebuffer as MMIO handlers taking the offset into VRAM (what a PCI BAR's
   * handlers receive), for accesses that reach the host while the BAR is not mapped directly.
   */
  readonly lfb: MmioHandlers = {
    read: (offset, size) => {
      let v = 0;
      for (let k = 0; k < size; k++) v |= (offset + k < this.vram.length ? this.vram[offset + k] : 0xff) << (8 * k);
      return v >>> 0;
    },
    write: (offset, size, value) => {
      for (let k = 0; k < size; k++) if (offset + k < this.vram.length) this.vram[offset + k] = (value >>> (8 * k)) & 0xff;
      this.markVramWritten(offset, size);
    },
  };

  /**
   * Parts of the legacy window that behave as plain VRAM bytes right now, so the machine can map
   * them in the CPU's physical map instead of trapping every access: the VBE bank, or the
   * chain-4 window in its default data path (mode 13h). Pages written through such a mapping must
   * be reported with markVramWritten() (see direct-map.ts). Reads then do not load the latches;
   * no guest that keeps the default data path depends on them.
   */
  directMappings(): DirectMapping[] {
    const s = this.state;
    if (this.vbeBanked()) return [{ phys: VGA_WINDOW_BASE, bytes: VBE_BANK_SIZE, vramOffset: s.vbe[VBE_BANK] * VBE_BANK_SIZE }];
    if (chain4IsLinear(s)) {
      const out = [{ phys: VGA_WINDOW_BASE, bytes: 0x10000, vramOffset: 0 }];
      if (windowSize(s) === 0x20000) out.push({ phys: VGA_WINDOW_BASE + 0x10000, bytes: 0x10000, vramOffset: 0 });
      return out;
    }
    return [];
  }

  /** Tell the machine when directMappings() changes. Cheap: called on every sequencer/GC write. */
  checkMapping(): void {
    const s = this.state;
    let key = 0;
    if (this.vbeBanked()) key = 0x10 + s.vbe[VBE_BANK];
    else if (chain4IsLinear(s)) key = windowSize(s) === 0x20000 ? 2 : 1;
    this.chain4Linear = key === 1 || key === 2;
    if (key === this.mappingKey) return;
    this.mappingKey = key;
    this.onMappingChange?.();
  }

  /** Report VRAM bytes written behind the device's back (direct CPU mappings, DMA). */
  markVramWritten(vramOffset: number, bytes: number): void {
    this.dirty.markRange(vramOffset, bytes);
    if (!this.vbeEnabled() && vramOffset < PLANES_BYTES) this.fontGeneration++;
  }

  // ---- The frame model ----
  /** Bring the RGBA frame up to date; reports the rectangle that changed (null: nothing). */
  render(): FrameUpdate {
    return this.renderer.render(this.clock.now);
  }
  get frame(): { width: number; height: number; rgba: Uint8ClampedArray } {
    return this.renderer.frame;
  }
  /** The text screen as the CRTC shows it (null in graphics and VBE modes). */
  textCells(): TextScreen | null {
    if (this.vbeEnabled()) return null;
    return readTextScreen(this, this.clock.now);
  }

  /** The DISPI registers as a mode description, for the page's status line. */
  vbeMode(): { width: number; height: number; bpp: number; virtualWidth: number } | null {
    if (!this.vbeEnabled()) return null;
    const r = this.state.vbe;
    return { width: r[VBE_XRES], height: r[VBE_YRES], bpp: r[VBE_BPP], virtualWidth: r[VBE_VIRT_WIDTH] };
  }
}
