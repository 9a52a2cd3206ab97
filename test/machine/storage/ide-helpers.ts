// Test scaffolding for the IDE tests: a PIIX IDE function with both channels decoding their
// legacy ports, and guest-driver style helpers on top of the raw ports.
import { IoBus } from "../../../src/machine/io";
import { IrqLine } from "../../../src/machine/irq";
import type { BlockBackend } from "../../../src/machine/block";
import { PciBus } from "../../../src/machine/pci/pci-bus";
import { PiixIde } from "../../../src/machine/pci/piix-ide";
import { Piix3IsaBridge } from "../../../src/machine/pci/piix3-isa";
import { IdeChannel } from "../../../src/machine/storage/ata/channel";
import { CompletionQueue } from "../../../src/machine/storage/completion";
import { RecordingSink, cfgWrite } from "../pci/helpers";

export const DATA = 0x1f0;
export const ERROR = 0x1f1;
export const FEATURE = 0x1f1;
export const NSECT = 0x1f2;
export const LBAL = 0x1f3;
export const LBAM = 0x1f4;
export const LBAH = 0x1f5;
export const DEVICE = 0x1f6;
export const STATUS = 0x1f7;
export const COMMAND = 0x1f7;
export const ALTSTATUS = 0x3f6;
export const DEVCTL = 0x3f6;

export function ideRig(memory: import("../../../src/machine/dma-api").PhysicalMemory | null = null) {
  const io = new IoBus();
  const sink = new RecordingSink();
  const queue = new CompletionQueue();
  const bus = new PciBus(io);
  const ch0 = new IdeChannel("ide0", new IrqLine(sink, 14), queue);
  const ch1 = new IdeChannel("ide1", new IrqLine(sink, 15), queue);
  const ide = new PiixIde(io, [ch0, ch1], memory);
  bus.register(new Piix3IsaBridge(bus, sink), 1, 0);
  bus.register(ide, 1, 1);
  cfgWrite(io, 1, 1, 0x04, 2, 0x0001);
  cfgWrite(io, 1, 1, 0x40, 2, 0x8000);
  cfgWrite(io, 1, 1, 0x42, 2, 0x8000);
  /** Rising edges of IRQ 14 so far. */
  const irqCount = () => sink.events.filter(([irq, level]) => irq === 14 && level).length;
  return { io, sink, queue, ch0, ch1, ide, irqCount };
}

/** An image whose every 16-bit word holds (sector number * 7 + word index) & 0xffff. */
export function patternImage(sectors: number): Uint8Array {
  const img = new Uint8Array(sectors * 512);
  for (let s = 0; s < sectors; s++) for (let w = 0; w < 256; w++) {
    const v = (s * 7 + w) & 0xffff;
    img[s * 512 + 2 * w] = v & 0xff;
    img[s * 512 + 2 * w + 1] = v >> 8;
  }
  return img;
}

export function readWords(io: IoBus, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(io.read(DATA, 2));
  return out;
}

/** A backend whose reads, writes and flushes stay pending until the test releases them. */
export class DeferredBackend implements BlockBackend {
  readonly pendingOps: { kind: string; offset: number; length: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  constructor(
    readonly inner: BlockBackend,
    readonly readOnly = false,
  ) {}
  get byteLength(): number {
    return this.inner.byteLength;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.pendingOps.push({ kind: "read", offset, length, resolve: () => resolve(this.inner.read(offset, length) as Uint8Array), reject });
    });
  }
  write(offset: number, data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingOps.push({ kind: "write", offset, length: data.length, resolve: () => resolve(this.inner.write(offset, data) as void), reject });
    });
  }
  flush(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingOps.push({ kind: "flush", offset: 0, length: 0, resolve: () => resolve(), reject });
    });
  }
  /** Answer the oldest pending request and let its promise callbacks run. */
  async release(): Promise<void> {
    const op = this.pendingOps.shift();
    if (!op) throw new Error("no pending operation");
    op.resolve();
    await new Promise((r) => setTimeout(r, 0));
  }
}

/** A huge sparse disk: reads synthesize each sector from its number, without storing anything. */
export class SparseBackend implements BlockBackend {
  readonly readOnly = false;
  readonly reads: [number, number][] = [];
  constructor(readonly byteLength: number) {}
  read(offset: number, length: number): Uint8Array {
    this.reads.push([offset, length]);
    const out = new Uint8Array(length);
    const dv = new DataView(out.buffer);
    for (let i = 0; i < length; i += 512) dv.setFloat64(i, (offset + i) / 512, true);
    return out;
  }
  write(): void {}
  flush(): void {}
}
