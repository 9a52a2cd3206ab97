// The machine: one CPU, one virtual clock, the I/O and MMIO buses, the physical memory map, and
// the devices wired to them. The same class runs headless in Node (CLI, tests) and in the
// browser's Web Worker.
//
// Time: the virtual clock advances by NS_PER_INSN for every retired instruction. A slice of CPU
// execution never runs past the next timer deadline, so timers fire at exact instruction counts
// and runs are deterministic. When the guest halts with interrupts enabled, the clock jumps to
// the next deadline (headless) or the runner sleeps until it is due (interactive pacing).
import * as L from "../../asm/layout";
import { Cpu } from "./cpu";
import { VirtualClock } from "./clock";
import { IoBus, MmioBus } from "./io";
import { PhysicalMap } from "./memory-map";
import type { Device } from "./state";
import type { PhysicalMemory } from "./dma-api";

export const EXIT_NAMES = ["budget", "hlt", "hlt with interrupts disabled", "triple fault", "internal error", "host request"];

export interface MachineOptions {
  memoryBytes: number;
  /** The CPU module's bytes (build/cpu.wasm) or a compiled module. */
  wasm: BufferSource | WebAssembly.Module;
  /** Extra bytes of Wasm memory after RAM for host regions (VRAM). */
  extraBytes?: number;
  /** Virtual nanoseconds per instruction (default 10: a 100 MIPS virtual CPU). */
  nsPerInstruction?: number;
}

export type StopReason =
  | { kind: "halted" } // HLT with IF=0 and no NMI source: nothing can resume the CPU
  | { kind: "triple-fault" }
  | { kind: "internal-error"; message: string }
  | { kind: "stopped"; why: string } // a device or the host asked to stop (power-off, exit port)
  | { kind: "budget" }; // the caller's instruction or time budget ran out

export class Machine {
  readonly clock = new VirtualClock();
  readonly io = new IoBus();
  readonly mmio = new MmioBus();
  readonly devices: Device[] = [];
  readonly cpu: Cpu;
  readonly map: PhysicalMap;
  nsPerInstruction: number;
  /** Set by devices (power-off, debug-exit) to end the run at the end of the current slice. */
  private stopRequest: StopReason | null = null;
  /** Work run after every slice, on the CPU thread (e.g. completing asynchronous disk requests). */
  readonly onSliceEnd: (() => void)[] = [];
  /** Interrupt acknowledge, supplied by the interrupt router once wired. */
  intrAck: () => number = () => 0xff;
  /** The CPU entered or left SMM (or a loaded CPU state is in or out of SMM): the platform's SMRAM view. */
  onSmmChange: (inSmm: boolean) => void = () => {};
  private sliceStartNs = 0;

  private constructor(cpu: Cpu, nsPerInstruction: number) {
    this.cpu = cpu;
    this.map = new PhysicalMap(cpu, this.mmio);
    this.nsPerInstruction = nsPerInstruction;
  }

  static async create(opts: MachineOptions): Promise<Machine> {
    // The CPU's callbacks need the machine, which needs the CPU: bind late through `self`.
    let self: Machine | null = null;
    const cpu = await Cpu.create(opts.wasm, opts.memoryBytes, opts.extraBytes ?? 0, {
      ioRead: (port, size) => self!.ioRead(port, size),
      ioWrite: (port, size, value) => self!.ioWrite(port, size, value),
      mmioRead: (addr, size) => self!.mmioRead(addr, size),
      mmioWrite: (addr, size, value) => self!.mmioWrite(addr, size, value),
      intrAck: () => self!.intrAck(),
      smmChange: (inSmm) => self!.onSmmChange(inSmm),
      log: (code, a, b) => self!.onCpuLog(code, a, b),
    });
    self = new Machine(cpu, opts.nsPerInstruction ?? 10);
    self.map.mapRam();
    return self;
  }

  addDevice<D extends Device>(dev: D): D {
    if (this.devices.some((d) => d.name === dev.name)) throw new Error(`duplicate device name ${dev.name}`);
    this.devices.push(dev);
    return dev;
  }

  /**
   * Guest physical memory for devices, firmware and loaders: RAM directly (marking pages dirty
   * for incremental snapshots), everything else through the MMIO bus, as a bus master would.
   */
  readonly phys: PhysicalMemory = {
    read: (addr, length) => {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; ) {
        const a = (addr + i) >>> 0;
        const chunk = Math.min(length - i, 0x1000 - (a & 0xfff));
        const host = this.hostOffset(a);
        if (host >= 0) out.set(this.cpu.u8.subarray(host, host + chunk), i);
        else for (let j = 0; j < chunk; j++) out[i + j] = this.mmio.read(a + j, 1);
        i += chunk;
      }
      return out;
    },
    write: (addr, data) => {
      for (let i = 0; i < data.length; ) {
        const a = (addr + i) >>> 0;
        const chunk = Math.min(data.length - i, 0x1000 - (a & 0xfff));
        const m = this.cpu.u32[(L.PHYS_MAP >>> 2) + (a >>> 12)];
        if ((m & 0xfff) === 0) {
          this.cpu.u8.set(data.subarray(i, i + chunk), m + (a & 0xfff));
          this.cpu.u8[L.PAGE_FLAGS + (a >>> 12)] |= L.PAGE_DIRTY;
        } else if ((m & L.PHYS_MMIO) === 0 && this.map.shadowWrite(a, 1, data[i])) {
          for (let j = 1; j < chunk; j++) this.map.shadowWrite(a + j, 1, data[i + j]);
        } else {
          for (let j = 0; j < chunk; j++) this.mmio.write(a + j, 1, data[i + j]);
        }
        i += chunk;
      }
    },
  };

  /** Host offset of a readable RAM/ROM-like physical address, or -1 for MMIO. */
  private hostOffset(addr: number): number {
    const m = this.cpu.u32[(L.PHYS_MAP >>> 2) + (addr >>> 12)];
    if (m & L.PHYS_MMIO) return -1;
    return ((m & ~0xfff) >>> 0) + (addr & 0xfff);
  }

  /** Power-on reset of the CPU and every device. */
  reset(): void {
    for (const d of this.devices) d.reset();
    this.cpu.set(L.NS_PER_INSN, this.nsPerInstruction);
    this.cpu.reset();
  }

  /** Ask the run loop to stop after the current instruction (power-off, debug-exit port...). */
  requestStop(reason: StopReason): void {
    this.stopRequest = reason;
    this.cpu.requestExit();
  }

  /** A platform reset (8042 pulse, port 0x92, 0xCF9, triple fault): CPU and devices, RAM kept. */
  requestReset(): void {
    this.resetPending = true;
    this.cpu.requestExit();
  }
  private resetPending = false;
  /** What a triple fault does: reset the machine like a PC, or stop the run (test ROMs, -no-reboot). */
  tripleFault: "reset" | "stop" = "reset";

  /** Drive the INTR input of the CPU (called by the interrupt router). */
  setIntr(level: boolean): void {
    this.cpu.set(L.INTR_LINE, level ? 1 : 0);
  }
  setNmi(): void {
    this.cpu.set(L.NMI_PENDING, 1);
  }

  /**
   * Assert SMI# (the chipset's APMC port, an APIC message). The CPU latches it and takes it at the
   * start of the next slice, so the current one ends after this instruction.
   */
  raiseSmi(): void {
    this.cpu.set(L.SMI_PENDING, 1);
    this.cpu.requestExit();
  }

  /** An NMI is pending and not blocked by an NMI handler that has not yet executed IRET. */
  private nmiDeliverable(): boolean {
    return this.cpu.get(L.NMI_PENDING) !== 0 && this.cpu.get(L.NMI_BLOCKED) === 0;
  }
  /** An SMI is latched outside SMM: the next slice enters SMM, even from HLT. */
  private smiDeliverable(): boolean {
    return this.cpu.get(L.SMI_PENDING) !== 0 && this.cpu.get(L.IN_SMM) === 0;
  }

  /** The exact virtual time during a slice: the start of the slice plus retired instructions. */
  private syncClock(): void {
    const executed = (this.cpu.exports.sliceExecuted as () => number)();
    const now = this.sliceStartNs + executed * this.nsPerInstruction;
    if (now > this.clock.now) this.clock.advanceTo(now);
  }

  private ioRead(port: number, size: number): number {
    this.syncClock();
    return this.io.read(port, size);
  }
  private ioWrite(port: number, size: number, value: number): void {
    this.syncClock();
    this.io.write(port, size, value);
  }
  private mmioRead(addr: number, size: number): number {
    this.syncClock();
    return this.mmio.read(addr, size);
  }
  private mmioWrite(addr: number, size: number, value: number): void {
    if (this.map.shadowWrite(addr, size, value)) return;
    this.syncClock();
    this.mmio.write(addr, size, value);
  }
  private onCpuLog(code: number, a: number, b: number): void {
    console.error(`cpu log ${code}: 0x${a.toString(16)} 0x${b.toString(16)}`);
  }

  /**
   * Run until `maxNs` of virtual time has passed or the machine stops. Headless: HLT jumps the
   * clock to the next timer deadline. Returns why it stopped.
   */
  runFor(maxNs: number, opts: { maxSlice?: number; onIdle?: () => boolean } = {}): StopReason {
    const end = this.clock.now + maxNs;
    const maxSlice = opts.maxSlice ?? 200_000;
    while (this.clock.now < end) {
      const r = this.runSlice(end, maxSlice);
      if (r) return r;
    }
    return { kind: "budget" };
  }

  /**
   * Execute one slice: up to the next timer deadline (or `limitNs`), at most maxSlice
   * instructions. Returns a StopReason when the run must end, else null.
   */
  runSlice(limitNs: number, maxSlice: number): StopReason | null {
    const cpu = this.cpu;
    const deadline = Math.min(this.clock.nextDeadline(), limitNs);
    const nsPer = this.nsPerInstruction;
    let budget = Math.ceil((deadline - this.clock.now) / nsPer);
    if (budget > maxSlice) budget = maxSlice;
    if (budget < 1) budget = 1;
    this.sliceStartNs = this.clock.now;
    cpu.dv.setBigUint64(L.VIRT_TICKS, BigInt(Math.floor(this.clock.now)), true);
    cpu.set(L.NS_PER_INSN, nsPer);
    const exit = cpu.run(budget);
    const executed = (cpu.exports.sliceExecuted as () => number)();
    this.clock.advanceTo(this.sliceStartNs + executed * nsPer);
    for (const f of this.onSliceEnd) f();
    if (this.resetPending) {
      this.resetPending = false;
      this.reset();
      return null;
    }
    if (this.stopRequest) {
      const r = this.stopRequest;
      this.stopRequest = null;
      return r;
    }
    switch (exit) {
      case L.EXIT_HLT: {
        // An interrupt that was already pending when the CPU halted (STI; HLT with INTR asserted:
        // DOS idle loops) is taken at once, without moving the clock.
        if (this.nmiDeliverable() || this.smiDeliverable() || cpu.get(L.INTR_LINE)) return null;
        // Idle: nothing to do until the next timer. Jump there (headless).
        const next = Math.min(this.clock.nextDeadline(), limitNs);
        if (next === Infinity) return { kind: "halted" };
        this.clock.advanceTo(next);
        return null;
      }
      case L.EXIT_HLT_NOIRQ:
        if (this.nmiDeliverable() || this.smiDeliverable()) return null;
        return { kind: "halted" };
      case L.EXIT_TRIPLE_FAULT:
        if (this.tripleFault === "reset") {
          this.reset();
          return null;
        }
        return { kind: "triple-fault" };
      case L.EXIT_INTERNAL_ERROR:
        return { kind: "internal-error", message: "CPU internal error" };
      default:
        return null;
    }
  }
}
