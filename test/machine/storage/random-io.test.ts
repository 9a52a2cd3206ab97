// Arbitrary guest programming must never break the storage and PCI models: after thousands of
// random port accesses (biased towards the command sequences drivers send) and random time steps,
// every device's state still validates against its schema and passes its postLoad checks, and
// nothing throws.
import { describe, it, expect } from "vitest";
import { IoBus } from "../../../src/machine/io";
import { IrqLine } from "../../../src/machine/irq";
import { VirtualClock } from "../../../src/machine/clock";
import { MemoryBackend } from "../../../src/machine/block";
import type { DmaController, DmaDevice, PhysicalMemory } from "../../../src/machine/dma-api";
import { loadDevice, saveDevice, type Device } from "../../../src/machine/state";
import { PciBus } from "../../../src/machine/pci/pci-bus";
import { I440fxHostBridge } from "../../../src/machine/pci/i440fx";
import { Piix3IsaBridge } from "../../../src/machine/pci/piix3-isa";
import { PiixIde } from "../../../src/machine/pci/piix-ide";
import { Piix4Pm } from "../../../src/machine/pci/piix4-pm";
import { AcpiPm } from "../../../src/machine/pci/acpi-pm";
import { IdeChannel } from "../../../src/machine/storage/ata/channel";
import { AtaDisk } from "../../../src/machine/storage/ata/ata-disk";
import { AtapiCdrom } from "../../../src/machine/storage/atapi/atapi-cdrom";
import { FloppyController } from "../../../src/machine/storage/floppy/fdc";
import { CompletionQueue } from "../../../src/machine/storage/completion";
import { RecordingSink } from "../pci/helpers";
import { xorshift32 } from "../../support/rng";

class Ram implements PhysicalMemory {
  readonly bytes = new Uint8Array(1 << 20);
  read(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.bytes[(addr + i) & 0xfffff];
    return out;
  }
  write(addr: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.bytes[(addr + i) & 0xfffff] = data[i];
  }
}

/** A DMA controller that grants whatever the device asks, up to a random count. */
class GreedyDma implements DmaController {
  device: DmaDevice | null = null;
  tc = false;
  constructor(
    private readonly ram: Ram,
    private readonly next: () => number,
  ) {}
  connect(_c: number, d: DmaDevice): void {
    this.device = d;
  }
  setDreq(_c: number, level: boolean): void {
    if (!level || !this.device) return;
    const max = (this.next() % 4096) + 1;
    let moved = 0;
    this.device.dmaTransfer(2, (this.next() & 1) === 0, {
      write: (d) => {
        const n = Math.min(d.length, max - moved);
        this.ram.write(0x1000 + moved, d.subarray(0, n));
        moved += n;
        return n;
      },
      read: (want) => {
        const n = Math.min(want, max - moved);
        moved += n;
        return this.ram.read(0x1000, n);
      },
    }, max);
    this.tc = moved === max;
  }
  terminalCount(): boolean {
    return this.tc;
  }
}

const IDE_PORTS = [0x1f0, 0x1f1, 0x1f2, 0x1f3, 0x1f4, 0x1f5, 0x1f6, 0x1f7, 0x3f6, 0x170, 0x171, 0x172, 0x173, 0x174, 0x175, 0x176, 0x177, 0x376];
const FDC_PORTS = [0x3f2, 0x3f3, 0x3f4, 0x3f5, 0x3f7];
const BM_PORTS = [0xc000, 0xc002, 0xc004, 0xc008, 0xc00a, 0xc00c];
const PM_PORTS = [0xb000, 0xb002, 0xb004, 0xb008, 0xb00c, 0xb00e, 0xb010, 0xb018, 0xb020, 0xb028];
/** Commands drivers send, so that random sequences reach the interesting paths. */
const ATA_COMMANDS = [0x20, 0x24, 0x29, 0x30, 0x34, 0x39, 0x40, 0x70, 0x10, 0x90, 0x91, 0xa0, 0xa1, 0xc4, 0xc5, 0xc6, 0xc8, 0xca, 0x25, 0x35, 0xe0, 0xe1, 0xe5, 0xe6, 0xe7, 0xea, 0xec, 0xef, 0xf8, 0xf9, 0x27, 0x37, 0x08, 0xe4, 0xe8];
const FDC_COMMANDS = [0x03, 0x04, 0x07, 0x08, 0x0a, 0x46, 0xc6, 0x45, 0x42, 0x56, 0x4a, 0x4d, 0x0e, 0x0f, 0x8f, 0xcf, 0x10, 0x12, 0x13, 0x14, 0x94];
const SCSI_OPS = [0x00, 0x03, 0x12, 0x1a, 0x5a, 0x1b, 0x1e, 0x25, 0x28, 0xa8, 0xbe, 0x2b, 0x42, 0x43, 0x46, 0x4a, 0x51, 0x52, 0x23, 0xbb, 0xbd, 0x55, 0x15];

describe("random guest programming of PCI, IDE and floppy", () => {
  for (const seed of [11, 12, 13, 14]) {
    it(`keeps every device's state valid (seed ${seed})`, async () => {
      const next = xorshift32(seed * 0x9e3779b9);
      const clock = new VirtualClock();
      const io = new IoBus();
      const sink = new RecordingSink();
      const ram = new Ram();
      const queue = new CompletionQueue();
      const bus = new PciBus(io);
      const host = new I440fxHostBridge(64 << 20);
      bus.register(host, 0, 0);
      const isa = new Piix3IsaBridge(bus, sink);
      bus.register(isa, 1, 0);
      const ch = [new IdeChannel("ide0", new IrqLine(sink, 14), queue), new IdeChannel("ide1", new IrqLine(sink, 15), queue)] as [IdeChannel, IdeChannel];
      new AtaDisk(new MemoryBackend(new Uint8Array(512 * 2048))).attachTo(ch[0], 0);
      new AtaDisk(new MemoryBackend(new Uint8Array(512 * 256), true)).attachTo(ch[0], 1);
      const cd = new AtapiCdrom(new MemoryBackend(new Uint8Array(2048 * 64), true)).attachTo(ch[1], 0);
      const ide = new PiixIde(io, ch, ram);
      bus.register(ide, 1, 1);
      const acpi = new AcpiPm(clock, new IrqLine(sink, 9));
      const pm = new Piix4Pm(io, acpi);
      bus.register(pm, 1, 3);
      const fdc = new FloppyController(io, clock, new IrqLine(sink, 6), new GreedyDma(ram, next), queue);
      fdc.insert(0, new MemoryBackend(new Uint8Array(1474560)));
      const cfg = (dev: number, fn: number, reg: number, size: number, v: number) => {
        io.write(0xcf8, 4, (0x80000000 | (dev << 11) | (fn << 8) | (reg & 0xfc)) >>> 0);
        io.write(0xcfc + (reg & 3), size, v);
      };
      cfg(1, 1, 0x20, 4, 0xc000);
      cfg(1, 1, 0x04, 2, 0x0005);
      cfg(1, 1, 0x40, 2, 0x8000);
      cfg(1, 1, 0x42, 2, 0x8000);
      cfg(1, 3, 0x40, 4, 0xb001);
      cfg(1, 3, 0x80, 1, 1);
      const devices: Device[] = [bus, host, isa, ide, pm, acpi, ch[0], ch[1], fdc];
      for (let step = 0; step < 6000; step++) {
        const r = next();
        const pick = <T>(a: readonly T[]) => a[next() % a.length];
        const size = [1, 2, 4][next() % 3];
        switch (r % 12) {
          case 0:
            io.write(pick(IDE_PORTS) === 0x1f7 ? 0x1f7 : 0x177, 1, pick(ATA_COMMANDS));
            break;
          case 1:
            io.write(pick(IDE_PORTS), size, next());
            break;
          case 2:
            io.read(pick(IDE_PORTS), size);
            break;
          case 3:
            // An ATAPI packet: PACKET, then twelve bytes of CDB.
            io.write(0x176, 1, 0xa0);
            io.write(0x177, 1, 0xa0);
            io.write(0x170, 2, pick(SCSI_OPS) | ((next() & 0xff) << 8));
            for (let i = 0; i < 5; i++) io.write(0x170, 2, next() & 0xffff);
            break;
          case 4:
            io.write(0x3f5, 1, pick(FDC_COMMANDS));
            break;
          case 5:
            io.write(pick(FDC_PORTS), 1, next() & 0xff);
            break;
          case 6:
            io.read(pick(FDC_PORTS), 1);
            break;
          case 7:
            io.write(pick(BM_PORTS), size, next());
            break;
          case 8:
            io.write(pick(PM_PORTS), size, next() & ~0x2000); // no power-off requests
            io.read(pick(PM_PORTS), size);
            break;
          case 9:
            // Config space of the chipset functions, never moving BAR4 or the PM block away.
            cfg(next() % 2, [0, 1, 3][next() % 3], 0x44 + (next() % 0xb8), 1, next() & 0xff);
            break;
          case 10:
            clock.advanceTo(clock.now + (next() % 50_000_000));
            break;
          case 11:
            if (next() % 50 === 0) cd.requestEject();
            else if (next() % 50 === 0) cd.insertMedium(new MemoryBackend(new Uint8Array(2048 * 32), true));
            queue.drain();
            break;
        }
      }
      for (const d of devices) {
        const saved = saveDevice(d);
        expect(() => loadDevice(d, saved), d.name).not.toThrow();
      }
    });
  }
});
