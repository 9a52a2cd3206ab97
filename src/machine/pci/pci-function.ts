// One PCI function: a 256-byte configuration space with the type 0 header of the PCI Local Bus
// Specification 2.x (chapter 6), per-byte write masks, BARs that move their I/O or MMIO handlers
// when the guest reassigns them, and an expansion-ROM BAR.
//
// Subclasses describe their identity and BARs, extend the schema with their own state, and react
// to writes of their device-specific registers in `configWritten`.
import type { IoBus, MmioBus, MmioHandlers, PortHandlers } from "../io";
import { StateError, type Device, type Schema } from "../state";

export const PCI_COMMAND = 0x04;
export const PCI_STATUS = 0x06;
export const PCI_BAR0 = 0x10;
export const PCI_ROM = 0x30;
export const PCI_INTERRUPT_LINE = 0x3c;
export const PCI_INTERRUPT_PIN = 0x3d;

export const CMD_IO = 0x0001;
export const CMD_MEMORY = 0x0002;
export const CMD_BUS_MASTER = 0x0004;
export const CMD_PARITY = 0x0040;
export const CMD_SERR = 0x0100;
/** PCI 2.3 6.2.2: Interrupt Disable. */
export const CMD_INTX_DISABLE = 0x0400;
/** PCI 2.3 6.2.3: Interrupt Status (read-only, reflects the function's INTx# request). */
export const STATUS_INTERRUPT = 0x0008;

export interface BarSpec {
  kind: "io" | "mem";
  /** Bytes decoded: a power of two, at least 4 for I/O and 16 for memory (PCI 2.x 6.2.5.1). */
  size: number;
  prefetchable?: boolean;
  /** Port handlers, called with the offset from the BAR's base, registered while the BAR decodes. */
  io?: PortHandlers;
  /** MMIO handlers, called with the offset from the BAR's base. */
  mmio?: MmioHandlers;
}

export interface PciIdentity {
  vendorId: number;
  deviceId: number;
  revision: number;
  /** Base class << 16 | subclass << 8 | programming interface. */
  classCode: number;
  /** Bit 7 set on function 0 of a multi-function device. */
  headerType?: number;
  subsystemVendorId?: number;
  subsystemId?: number;
  /** 0 for none, 1-4 for INTA#-INTD#. */
  interruptPin?: number;
  /** Writable command bits; by default I/O and memory enables as the BARs need, plus parity/SERR. */
  commandMask?: number;
}

export interface PciConfigState {
  config: Uint8Array;
}

export const pciConfigSchema: Schema = { config: { type: "bytes", length: 256 } };

/** Where a PciBus lets a function signal its INTx# line. */
export interface PciInterruptSink {
  setIntx(devfn: number, pin: number, level: boolean): void;
}

/** ROM index in bar callbacks. */
export const ROM_BAR = 6;

export abstract class PciFunction<S extends PciConfigState = PciConfigState> implements Device<S> {
  abstract readonly name: string;
  abstract readonly schema: Schema;
  state!: S;
  /** Bits the guest may write, per config byte. */
  protected readonly wmask = new Uint8Array(256);
  /** Bits cleared by writing one, per config byte (status register error bits). */
  protected readonly w1cmask = new Uint8Array(256);
  /** Current decoded base of each BAR (0-5) and the ROM (6), or null: host bookkeeping derived from config. */
  private readonly mapped: (number | null)[] = [null, null, null, null, null, null, null];
  /** Set by PciBus.register. */
  devfn = -1;
  interruptSink: PciInterruptSink | null = null;
  /** Called after a BAR (or the ROM, index 6) starts or stops decoding at a base. */
  onBarMoved?: (index: number, oldBase: number | null, newBase: number | null) => void;

  constructor(
    protected readonly identity: PciIdentity,
    protected readonly bars: (BarSpec | null)[],
    protected readonly io: IoBus | null,
    protected readonly mmio: MmioBus | null,
    /** Expansion ROM image (its length rounded up to a power of two is the ROM BAR size). */
    protected readonly rom: Uint8Array | null = null,
  ) {
    for (const [i, b] of bars.entries()) {
      if (!b) continue;
      const min = b.kind === "io" ? 4 : 16;
      if (b.size < min || (b.size & (b.size - 1)) !== 0) throw new Error(`BAR${i}: size ${b.size} is not a power of two >= ${min}`);
      if (b.kind === "io" && b.size > 256) throw new Error(`BAR${i}: I/O BARs decode at most 256 ports (PCI 2.x 6.2.5.1)`);
    }
  }

  /** Build the power-on config space; subclasses call this from reset() and then set their own registers. */
  protected resetConfig(): Uint8Array {
    const c = new Uint8Array(256);
    const id = this.identity;
    put16(c, 0x00, id.vendorId);
    put16(c, 0x02, id.deviceId);
    c[0x08] = id.revision;
    c[0x09] = id.classCode & 0xff;
    c[0x0a] = (id.classCode >> 8) & 0xff;
    c[0x0b] = (id.classCode >> 16) & 0xff;
    c[0x0e] = id.headerType ?? 0;
    put16(c, 0x2c, id.subsystemVendorId ?? 0);
    put16(c, 0x2e, id.subsystemId ?? 0);
    c[PCI_INTERRUPT_PIN] = id.interruptPin ?? 0;
    for (const [i, b] of this.bars.entries()) {
      if (!b) continue;
      // The read-only low bits of a BAR say what it is: bit 0 I/O; bits 2:1 type 00 (32-bit), bit 3 prefetchable.
      c[PCI_BAR0 + 4 * i] = b.kind === "io" ? 0x01 : b.prefetchable ? 0x08 : 0x00;
    }
    this.buildMasks();
    return c;
  }

  private buildMasks(): void {
    const m = this.wmask;
    m.fill(0);
    this.w1cmask.fill(0);
    let cmd = this.identity.commandMask;
    if (cmd === undefined) {
      cmd = CMD_PARITY | CMD_SERR;
      if (this.bars.some((b) => b?.kind === "io")) cmd |= CMD_IO;
      if (this.bars.some((b) => b?.kind === "mem") || this.rom) cmd |= CMD_MEMORY;
      if (this.identity.interruptPin) cmd |= CMD_INTX_DISABLE;
    }
    put16(m, PCI_COMMAND, cmd);
    // Status: bits 15:11 and 8 are error bits the guest clears by writing one (PCI 2.x 6.2.3).
    put16(this.w1cmask, PCI_STATUS, 0xf900);
    m[0x0c] = 0xff; // cache line size
    m[0x0d] = 0xff; // latency timer
    m[PCI_INTERRUPT_LINE] = 0xff;
    for (const [i, b] of this.bars.entries()) {
      if (!b) continue;
      // Address bits below the size are hardwired to zero, which is how the guest sizes a BAR by
      // writing all ones (PCI 2.x 6.2.5.1). I/O BARs keep all 32 address bits writable: SeaBIOS
      // computes the size from the full dword, and a base above 64 KiB simply never decodes.
      const mask = b.kind === "io" ? ~(b.size - 1) & 0xfffffffc : ~(b.size - 1) & 0xfffffff0;
      put32(m, PCI_BAR0 + 4 * i, mask >>> 0);
    }
    if (this.rom) put32(m, PCI_ROM, ((~(this.romSize() - 1) & 0xfffff800) | 1) >>> 0);
  }

  /** The ROM BAR decodes a power of two of at least 2 KiB (PCI 2.x 6.2.5.2). */
  romSize(): number {
    let size = 2048;
    while (this.rom && size < this.rom.length) size *= 2;
    return size;
  }

  // ---- configuration access (from the bus) ----

  readConfig(offset: number, size: number): number {
    let v = 0;
    for (let i = 0; i < size; i++) v |= this.readConfigByte((offset + i) & 0xff) << (8 * i);
    return v >>> 0;
  }

  /** Subclasses override for registers whose value is computed when read. */
  protected readConfigByte(offset: number): number {
    return this.state.config[offset];
  }

  writeConfig(offset: number, size: number, value: number): void {
    const c = this.state.config;
    for (let i = 0; i < size; i++) {
      const o = (offset + i) & 0xff;
      const v = (value >>> (8 * i)) & 0xff;
      const keep = c[o] & ~this.wmask[o];
      c[o] = (keep | (v & this.wmask[o])) & ~(v & this.w1cmask[o]);
    }
    const end = offset + size;
    const touches = (lo: number, hi: number) => offset < hi && end > lo;
    if (touches(PCI_COMMAND, PCI_COMMAND + 2)) this.updateInterrupt();
    if (touches(PCI_COMMAND, PCI_COMMAND + 2) || touches(PCI_BAR0, PCI_BAR0 + 24) || touches(PCI_ROM, PCI_ROM + 4)) this.remap();
    this.configWritten(offset, size);
  }

  /** Hook for device-specific registers; called after every config write. */
  protected configWritten(_offset: number, _size: number): void {}

  command(): number {
    return get16(this.state.config, PCI_COMMAND);
  }

  /** The base a BAR decodes at now, or null when it does not decode. */
  barBase(index: number): number | null {
    return this.mapped[index];
  }

  // ---- interrupts ----

  /** The function's INTx# request, kept in the status register's Interrupt Status bit, gated by Interrupt Disable. */
  protected setInterrupt(level: boolean): void {
    const c = this.state.config;
    if (level) c[PCI_STATUS] |= STATUS_INTERRUPT;
    else c[PCI_STATUS] &= ~STATUS_INTERRUPT;
    this.updateInterrupt();
  }

  private updateInterrupt(): void {
    const pin = this.state.config[PCI_INTERRUPT_PIN];
    if (pin === 0 || !this.interruptSink) return;
    const level = (this.state.config[PCI_STATUS] & STATUS_INTERRUPT) !== 0 && (this.command() & CMD_INTX_DISABLE) === 0;
    this.interruptSink.setIntx(this.devfn, pin, level);
  }

  // ---- BAR decoding ----

  /** Recompute which BARs decode where and move their handlers. Idempotent. */
  protected remap(): void {
    const c = this.state.config;
    const cmd = this.command();
    for (let i = 0; i <= ROM_BAR; i++) {
      let base: number | null = null;
      if (i < ROM_BAR) {
        const b = this.bars[i];
        if (b) {
          const raw = get32(c, PCI_BAR0 + 4 * i);
          if (b.kind === "io" && cmd & CMD_IO) base = (raw & 0xfffffffc) >>> 0;
          if (b.kind === "mem" && cmd & CMD_MEMORY) base = (raw & 0xfffffff0) >>> 0;
        }
      } else if (this.rom) {
        const raw = get32(c, PCI_ROM);
        if (raw & 1 && cmd & CMD_MEMORY) base = (raw & 0xfffff800) >>> 0;
      }
      // Base 0 is how firmware leaves a BAR unassigned; treat it as not decoding.
      if (base === 0) base = null;
      if (base === this.mapped[i]) continue;
      const old = this.mapped[i];
      if (old !== null) this.unmapBar(i, old);
      this.mapped[i] = base !== null && this.mapBar(i, base) ? base : null;
      this.onBarMoved?.(i, old, this.mapped[i]);
    }
  }

  private barOwner(i: number): string {
    return i === ROM_BAR ? `${this.name}.rom` : `${this.name}.bar${i}`;
  }

  private mapBar(i: number, base: number): boolean {
    try {
      if (i === ROM_BAR) {
        const rom = this.rom!;
        this.mmio?.register(this.barOwner(i), base, this.romSize(), {
          read: (addr, size) => {
            let v = 0;
            for (let k = 0; k < size; k++) v |= (rom[addr - base + k] ?? 0xff) << (8 * k);
            return v >>> 0;
          },
          write: () => {},
        });
        return true;
      }
      const b = this.bars[i]!;
      if (b.kind === "io" && b.io && this.io) {
        if (base + b.size > 0x10000) return false;
        const h = b.io;
        const rel: PortHandlers = {};
        if (h.read8) rel.read8 = (p) => h.read8!(p - base);
        if (h.read16) rel.read16 = (p) => h.read16!(p - base);
        if (h.read32) rel.read32 = (p) => h.read32!(p - base);
        if (h.write8) rel.write8 = (p, v) => h.write8!(p - base, v);
        if (h.write16) rel.write16 = (p, v) => h.write16!(p - base, v);
        if (h.write32) rel.write32 = (p, v) => h.write32!(p - base, v);
        this.io.register(this.barOwner(i), base, b.size, rel);
      } else if (b.kind === "mem" && b.mmio && this.mmio) {
        const h = b.mmio;
        this.mmio.register(this.barOwner(i), base, b.size, {
          read: (addr, size) => h.read(addr - base, size),
          write: (addr, size, v) => h.write(addr - base, size, v),
        });
      }
      return true;
    } catch {
      // Another device already decodes there: a guest mis-assignment. Real hardware would
      // contend on the bus; this function simply does not claim the range.
      return false;
    }
  }

  private unmapBar(i: number, base: number): void {
    if (i === ROM_BAR || this.bars[i]?.kind === "mem") {
      this.mmio?.unregister(this.barOwner(i));
      return;
    }
    const b = this.bars[i]!;
    if (b.io && this.io) this.io.unregister(base, b.size);
  }

  /** Drop every mapping (before reset or restore replaces the config space). */
  protected unmapAll(): void {
    for (let i = 0; i <= ROM_BAR; i++) {
      const old = this.mapped[i];
      if (old === null) continue;
      this.unmapBar(i, old);
      this.mapped[i] = null;
      this.onBarMoved?.(i, old, null);
    }
  }

  // ---- Device ----

  abstract reset(): void;

  /** Check the read-only identity bytes, then re-derive the BAR mappings and the INTx level. */
  postLoad(): void {
    const c = this.state.config;
    const id = this.identity;
    if (get16(c, 0) !== id.vendorId || get16(c, 2) !== id.deviceId) throw new StateError(`${this.name}.config`, `vendor/device ID ${hex(get16(c, 0))}:${hex(get16(c, 2))} is not ${hex(id.vendorId)}:${hex(id.deviceId)}`);
    for (let i = 0; i < 6; i++) {
      const b = this.bars[i];
      const raw = c[PCI_BAR0 + 4 * i];
      const want = !b ? 0 : b.kind === "io" ? 1 : b.prefetchable ? 8 : 0;
      if ((raw & (b?.kind === "io" ? 3 : 0xf)) !== want) throw new StateError(`${this.name}.config`, `BAR${i} type bits ${raw & 0xf} do not match the function`);
    }
    this.remap();
    this.updateInterrupt();
  }

  /** Common reset path: unmap, rebuild config, remap (nothing decodes after reset). */
  protected resetPci(extra: Omit<S, "config">): void {
    this.unmapAll();
    this.state = { ...extra, config: this.resetConfig() } as S;
    this.updateInterrupt();
  }
}

export function get16(a: Uint8Array, o: number): number {
  return a[o] | (a[o + 1] << 8);
}
export function get32(a: Uint8Array, o: number): number {
  return (a[o] | (a[o + 1] << 8) | (a[o + 2] << 16) | (a[o + 3] << 24)) >>> 0;
}
export function put16(a: Uint8Array, o: number, v: number): void {
  a[o] = v & 0xff;
  a[o + 1] = (v >>> 8) & 0xff;
}
export function put32(a: Uint8Array, o: number, v: number): void {
  put16(a, o, v & 0xffff);
  put16(a, o + 2, v >>> 16);
}
function hex(v: number): string {
  return v.toString(16).padStart(4, "0");
}
