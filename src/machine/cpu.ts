// The TypeScript face of the WebAssembly CPU: instantiates the module over one
// WebAssembly.Memory, wires its imports (port I/O, MMIO, interrupt acknowledge) to the machine,
// and exposes CPU state through typed-array views at the offsets of asm/layout.ts.
import * as L from "../../asm/layout";

export interface CpuHostHandlers {
  ioRead(port: number, size: number): number;
  ioWrite(port: number, size: number, value: number): void;
  mmioRead(addr: number, size: number): number;
  mmioWrite(addr: number, size: number, value: number): void;
  /** INTA: the vector of the highest-priority pending interrupt. */
  intrAck(): number;
  /**
   * The CPU entered (true) or left (false) System Management Mode: the platform switches the
   * view of SMRAM. Also called after loadState() with the loaded state's mode.
   */
  smmChange?(inSmm: boolean): void;
  log?(code: number, a: number, b: number): void;
}

interface CpuExports {
  init(ramBytes: number, extraBytes: number): number;
  mapPhys(firstPage: number, pages: number, hostOff: number, flags: number): void;
  reset(): void;
  run(budget: number): number;
  requestExit(): void;
  flushTlb(): void;
  setA20(enabled: number): void;
  [k: string]: unknown;
}

export const SEG_NAMES = ["es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr"] as const;
export const REG_NAMES = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"] as const;

export class Cpu {
  readonly memory: WebAssembly.Memory;
  readonly exports: CpuExports;
  /** Views over the whole memory; valid after create() (memory does not grow afterwards). */
  u8!: Uint8Array;
  u16!: Uint16Array;
  u32!: Uint32Array;
  i32!: Int32Array;
  dv!: DataView;
  /** Host offset of guest physical address 0. */
  ramOffset = 0;
  ramBytes = 0;

  private constructor(memory: WebAssembly.Memory, exports: CpuExports, private readonly host: CpuHostHandlers) {
    this.memory = memory;
    this.exports = exports;
  }

  /**
   * Instantiate the CPU. `wasm` is the compiled module's bytes (build/cpu.wasm or
   * build/cpu.debug.wasm). `extraBytes` reserves room after RAM for host regions such as VRAM.
   */
  static async create(wasm: BufferSource | WebAssembly.Module, ramBytes: number, extraBytes: number, host: CpuHostHandlers): Promise<Cpu> {
    if (ramBytes % 0x100000 !== 0 || ramBytes < 0x100000) throw new Error(`RAM size must be a whole number of MiB, at least 1 MiB (got ${ramBytes})`);
    const limit = 0x1_0000_0000 - L.RAM - extraBytes;
    if (ramBytes > limit) throw new Error(`RAM size ${ramBytes >>> 20} MiB is too large: at most ${Math.floor(limit / 0x100000)} MiB fit`);
    const memory = new WebAssembly.Memory({ initial: (L.RAM >>> 16) + 1, maximum: 65536 });
    const imports = {
      env: {
        memory,
        io_read: (port: number, size: number) => host.ioRead(port, size) | 0,
        io_write: (port: number, size: number, value: number) => host.ioWrite(port, size, value >>> 0),
        mmio_read: (addr: number, size: number) => host.mmioRead(addr >>> 0, size) | 0,
        mmio_write: (addr: number, size: number, value: number) => host.mmioWrite(addr >>> 0, size, value >>> 0),
        intr_ack: () => host.intrAck() | 0,
        smm_change: (inSmm: number) => host.smmChange?.(inSmm !== 0),
        log: (code: number, a: number, b: number) => host.log?.(code, a >>> 0, b >>> 0),
        abort: (_msg: number, _file: number, line: number, col: number) => {
          throw new Error(`CPU assertion failed at line ${line}:${col}`);
        },
        seed: () => 0,
      },
    };
    const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm);
    const instance = await WebAssembly.instantiate(module, imports);
    const cpu = new Cpu(memory, instance.exports as unknown as CpuExports, host);
    const heapBase = (instance.exports.__heap_base as WebAssembly.Global | undefined)?.value as number | undefined;
    if (heapBase !== undefined && heapBase > L.TLB) throw new Error("CPU module's static data overlaps the TLB");
    const ram = cpu.exports.init(ramBytes, extraBytes) >>> 0;
    if (ram === 0) throw new Error(`could not allocate ${ramBytes >>> 20} MiB of guest RAM`);
    cpu.ramOffset = ram;
    cpu.ramBytes = ramBytes;
    cpu.refreshViews();
    return cpu;
  }

  private refreshViews(): void {
    const b = this.memory.buffer;
    this.u8 = new Uint8Array(b);
    this.u16 = new Uint16Array(b);
    this.u32 = new Uint32Array(b);
    this.i32 = new Int32Array(b);
    this.dv = new DataView(b);
  }

  /** Guest RAM as a view (physical address 0 at index 0). */
  ram(): Uint8Array {
    return new Uint8Array(this.memory.buffer, this.ramOffset, this.ramBytes);
  }

  reset(): void {
    this.exports.reset();
  }
  run(budget: number): number {
    return this.exports.run(budget);
  }
  requestExit(): void {
    this.exports.requestExit();
  }
  setA20(enabled: boolean): void {
    this.exports.setA20(enabled ? 1 : 0);
  }
  mapPhys(phys: number, bytes: number, hostOff: number, flags: number): void {
    if (phys % 4096 || bytes % 4096 || hostOff % 4096) throw new Error("mapPhys: unaligned range");
    this.exports.mapPhys(phys >>> 12, bytes >>> 12, hostOff, flags);
  }

  // ---- register access ----
  get(off: number): number {
    return this.u32[off >>> 2];
  }
  set(off: number, v: number): void {
    this.u32[off >>> 2] = v >>> 0;
  }
  reg(i: number): number {
    return this.u32[(L.REG32 >>> 2) + i];
  }
  setReg(i: number, v: number): void {
    this.u32[(L.REG32 >>> 2) + i] = v >>> 0;
  }
  get eip(): number {
    return this.get(L.EIP);
  }
  /** Setting EIP from the host (inside a callback, too) makes the decoder refetch. */
  set eip(v: number) {
    this.set(L.EIP, v);
    (this.exports.segmentCachesWritten as () => void)();
  }
  seg(i: number): { sel: number; base: number; limit: number; attrs: number } {
    const p = (L.SEGS + i * L.SEG_SIZE) >>> 2;
    return { sel: this.u32[p], base: this.u32[p + 1], limit: this.u32[p + 2], attrs: this.u32[p + 3] };
  }
  setSeg(i: number, sel: number, base: number, limit: number, attrs: number): void {
    const p = (L.SEGS + i * L.SEG_SIZE) >>> 2;
    this.u32[p] = sel & 0xffff;
    this.u32[p + 1] = base >>> 0;
    this.u32[p + 2] = limit >>> 0;
    this.u32[p + 3] = attrs;
    // The CPU keeps what it derives from the segment caches (the fetch window, CS.D, the flat
    // data segments) across instructions of a slice; a host write in the middle of one (a BIOS
    // service jumping to a boot sector or option ROM) must make it look again. A TLB flush
    // invalidates the fetch cache, which revalidates all of them.
    this.exports.flushTlb();
  }
  /** EFLAGS with the lazy arithmetic flags materialised (computed in Wasm). */
  eflags(): number {
    const fn = this.exports.getEflags as (() => number) | undefined;
    return fn ? fn() >>> 0 : this.get(L.FLAGS_BITS);
  }
  setEflags(v: number): void {
    const fn = this.exports.setEflags as ((v: number) => void) | undefined;
    if (fn) fn(v);
    else this.set(L.FLAGS_BITS, v);
  }

  /** The CPU's whole architectural state block, for snapshots. */
  saveState(): Uint8Array {
    return this.u8.slice(L.CPU_STATE, L.CPU_STATE + L.CPU_STATE_USED);
  }
  loadState(block: Uint8Array): void {
    if (block.length !== L.CPU_STATE_USED) throw new Error(`CPU state block has ${block.length} bytes, expected ${L.CPU_STATE_USED}`);
    const ram = this.get(L.RAM_SIZE);
    this.u8.set(block, L.CPU_STATE);
    this.set(L.RAM_SIZE, ram);
    (this.exports.afterStateLoad as () => void)();
    // The platform's SMRAM view follows the loaded mode (whichever of CPU and chipset loads last
    // leaves the view right).
    this.host.smmChange?.(this.get(L.IN_SMM) !== 0);
  }
}
