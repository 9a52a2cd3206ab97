import { describe, it, expect } from "vitest";
import { IoBus } from "../../../src/machine/io";
import { IrqLine } from "../../../src/machine/irq";
import { VirtualClock } from "../../../src/machine/clock";
import { MemoryBackend, type BlockBackend } from "../../../src/machine/block";
import type { DmaController, DmaDevice, PhysicalMemory } from "../../../src/machine/dma-api";
import { loadDevice, saveDevice } from "../../../src/machine/state";
import { CompletionQueue } from "../../../src/machine/storage/completion";
import { FloppyController } from "../../../src/machine/storage/floppy/fdc";
import { geometryForSize } from "../../../src/machine/storage/floppy/geometry";
import { RecordingSink } from "../pci/helpers";
import { DeferredBackend } from "./ide-helpers";

const DOR = 0x3f2;
const MSR = 0x3f4;
const DSR = 0x3f4;
const FIFO = 0x3f5;
const DIR = 0x3f7;
const CCR = 0x3f7;

class FakeMemory implements PhysicalMemory {
  readonly bytes = new Uint8Array(1 << 20);
  read(addr: number, length: number): Uint8Array {
    return this.bytes.slice(addr, addr + length);
  }
  write(addr: number, data: Uint8Array): void {
    this.bytes.set(data, addr);
  }
}

/** One-channel stand-in for the 8237: a programmed address and byte count, terminal count, mask. */
class FakeDma implements DmaController {
  device: DmaDevice | null = null;
  address = 0;
  count = 0;
  toMemory = true;
  tc = false;
  masked = false;
  dreq = false;
  constructor(readonly memory: FakeMemory) {}
  connect(_channel: number, device: DmaDevice): void {
    this.device = device;
  }
  program(address: number, bytes: number, toMemory: boolean): void {
    Object.assign(this, { address, count: bytes, toMemory, tc: false, masked: false });
  }
  setDreq(_channel: number, level: boolean): void {
    this.dreq = level;
    if (level) this.service();
  }
  service(): void {
    while (this.dreq && !this.masked && this.count > 0 && this.device) {
      const max = this.count;
      let moved = 0;
      const port = {
        write: (d: Uint8Array) => {
          const n = Math.min(d.length, max - moved);
          this.memory.write(this.address + moved, d.subarray(0, n));
          moved += n;
          return n;
        },
        read: (want: number) => {
          const n = Math.min(want, max - moved);
          const out = this.memory.read(this.address + moved, n);
          moved += n;
          return out;
        },
      };
      this.device.dmaTransfer(2, this.toMemory, port, max);
      if (moved === 0) break;
      this.address += moved;
      this.count -= moved;
      if (this.count === 0) this.tc = true;
    }
  }
  terminalCount(): boolean {
    return this.tc;
  }
}

/** A 1.44M image whose sector at LBA n holds n (little-endian u16) in every word. */
function floppyImage(bytes = 1474560): Uint8Array {
  const img = new Uint8Array(bytes);
  const dv = new DataView(img.buffer);
  for (let o = 0; o < bytes; o += 2) dv.setUint16(o, o >> 9, true);
  return img;
}

function rig(image: Uint8Array | null = floppyImage(), readOnly = false, backend?: BlockBackend) {
  const io = new IoBus();
  const clock = new VirtualClock();
  const sink = new RecordingSink();
  const memory = new FakeMemory();
  const dma = new FakeDma(memory);
  const queue = new CompletionQueue();
  const fdc = new FloppyController(io, clock, new IrqLine(sink, 6), dma, queue);
  const medium = backend ?? (image ? new MemoryBackend(image, readOnly) : null);
  if (medium) fdc.insert(0, medium);
  const irqs = () => sink.events.filter(([irq, level]) => irq === 6 && level).length;
  return { io, clock, sink, memory, dma, queue, fdc, image, irqs };
}

type Rig = ReturnType<typeof rig>;

function command(io: IoBus, bytes: number[]): void {
  for (const b of bytes) {
    expect(io.read(MSR, 1) & 0xc0).toBe(0x80); // RQM, host to controller
    io.write(FIFO, 1, b);
  }
}

function results(io: IoBus): number[] {
  const out: number[] = [];
  while ((io.read(MSR, 1) & 0xd0) === 0xd0) out.push(io.read(FIFO, 1));
  return out;
}

/** Bring the controller out of reset with drive 0's motor on and absorb the four reset interrupts. */
function start(r: Rig, rateCode = 0): void {
  r.io.write(DOR, 1, 0x1c);
  r.io.write(CCR, 1, rateCode);
  for (let d = 0; d < 4; d++) {
    command(r.io, [0x08]);
    results(r.io);
  }
  command(r.io, [0x03, 0xdf, 0x02]); // SPECIFY: SRT 3 ms, HUT 240 ms, HLT 2 ms, DMA mode
}

function seek(r: Rig, cyl: number, head = 0): number[] {
  command(r.io, [0x0f, head << 2, cyl]);
  r.clock.advanceTo(r.clock.now + 1_000_000_000);
  command(r.io, [0x08]);
  return results(r.io);
}

function finish(r: Rig): number[] {
  r.clock.advanceTo(r.clock.now + 1_000_000_000);
  return results(r.io);
}

function lbaOf(c: number, h: number, s: number): number {
  return (c * 2 + h) * 18 + s - 1;
}

describe("82077AA: reset and housekeeping", () => {
  it("interrupts after reset and answers four SENSE INTERRUPT STATUS commands", () => {
    const r = rig();
    expect(r.io.read(MSR, 1)).toBe(0x00); // held in reset at power-on
    r.io.write(DOR, 1, 0x0c);
    expect(r.sink.level(6)).toBe(true);
    expect(r.io.read(MSR, 1)).toBe(0x80);
    const seen: number[][] = [];
    for (let d = 0; d < 4; d++) {
      command(r.io, [0x08]);
      seen.push(results(r.io));
    }
    expect(seen).toEqual([
      [0xc0, 0],
      [0xc1, 0],
      [0xc2, 0],
      [0xc3, 0],
    ]);
    expect(r.sink.level(6)).toBe(false);
    command(r.io, [0x08]);
    expect(results(r.io)).toEqual([0x80]);
  });

  it("gates IRQ 6 with the DMA gate bit of the DOR", () => {
    const r = rig();
    r.io.write(DOR, 1, 0x04);
    expect(r.sink.level(6)).toBe(false);
    r.io.write(DOR, 1, 0x0c);
    expect(r.sink.level(6)).toBe(true);
  });

  it("reports VERSION, rejects invalid commands and dumps its registers", () => {
    const r = rig();
    start(r);
    command(r.io, [0x10]);
    expect(results(r.io)).toEqual([0x90]);
    command(r.io, [0x1f]);
    expect(results(r.io)).toEqual([0x80]);
    command(r.io, [0x13, 0x00, 0x57, 0x05]); // CONFIGURE: EIS, FIFO off, polling on, threshold 8, pretrk 5
    command(r.io, [0x94]); // LOCK
    expect(results(r.io)).toEqual([0x10]);
    seek(r, 7);
    command(r.io, [0x0e]);
    expect(results(r.io)).toEqual([7, 0, 0, 0, 0xdf, 0x02, 0, 0x80, 0x57, 0x05]);
    // A software reset keeps locked CONFIGURE parameters.
    r.io.write(DSR, 1, 0x80);
    for (let d = 0; d < 4; d++) {
      command(r.io, [0x08]);
      results(r.io);
    }
    command(r.io, [0x0e]);
    expect(results(r.io)[8]).toBe(0x57);
  });

  it("recognises diskette formats by size and rejects others, naming the size", () => {
    expect(geometryForSize(368640).name).toBe("360K");
    expect(geometryForSize(737280).name).toBe("720K");
    expect(geometryForSize(1228800).name).toBe("1.2M");
    expect(geometryForSize(1474560).name).toBe("1.44M");
    expect(geometryForSize(2949120).name).toBe("2.88M");
    expect(() => geometryForSize(1000000)).toThrow(/1000000/);
    const r = rig(null);
    expect(() => r.fdc.insert(0, new MemoryBackend(new Uint8Array(1474560 + 512)))).toThrow(/1475072/);
  });
});

describe("82077AA: seeks", () => {
  it("seeks in the background, then reports seek end through SENSE INTERRUPT STATUS", () => {
    const r = rig();
    start(r);
    expect(r.io.read(DIR, 1) & 0x80).toBe(0x80); // disk change since power-on
    command(r.io, [0x0f, 0x04, 10]);
    expect(r.io.read(MSR, 1)).toBe(0x81); // drive 0 busy, controller ready for commands
    // SRT 0xD at 500 kbit/s: 3 ms per step, 10 steps.
    r.clock.advanceTo(29_999_999);
    expect(r.sink.level(6)).toBe(false);
    r.clock.advanceTo(30_000_000);
    expect(r.sink.level(6)).toBe(true);
    command(r.io, [0x08]);
    expect(results(r.io)).toEqual([0x24, 10]);
    expect(r.sink.level(6)).toBe(false);
    expect(r.io.read(DIR, 1) & 0x80).toBe(0); // a step with a diskette in clears DSKCHG
    command(r.io, [0x07, 0x00]);
    r.clock.advanceTo(r.clock.now + 30_000_000);
    command(r.io, [0x08]);
    expect(results(r.io)).toEqual([0x20, 0]);
  });

  it("fails recalibration of a drive that is not there", () => {
    const r = rig();
    start(r);
    command(r.io, [0x07, 0x03]);
    r.clock.advanceTo(r.clock.now + 10_000_000);
    command(r.io, [0x08]);
    expect(results(r.io)).toEqual([0x73, 0]);
  });

  it("reports write protection and track 0 in SENSE DRIVE STATUS", () => {
    const r = rig(floppyImage(), true);
    start(r);
    command(r.io, [0x04, 0x00]);
    expect(results(r.io)).toEqual([0x78]);
    seek(r, 1);
    command(r.io, [0x04, 0x04]);
    expect(results(r.io)).toEqual([0x6c]);
  });
});

describe("82077AA: data transfer", () => {
  it("reads a sector by DMA into memory and ends normally at terminal count", () => {
    const r = rig();
    start(r);
    seek(r, 2, 1);
    r.dma.program(0x8000, 512, true);
    const before = r.irqs();
    command(r.io, [0x46, 0x04, 2, 1, 5, 2, 18, 0x1b, 0xff]);
    expect(finish(r)).toEqual([0x04, 0x00, 0x00, 2, 1, 6, 2]);
    expect(r.irqs() - before).toBe(1);
    const lba = lbaOf(2, 1, 5);
    expect(Array.from(r.memory.bytes.subarray(0x8000, 0x8006))).toEqual([lba & 0xff, lba >> 8, lba & 0xff, lba >> 8, lba & 0xff, lba >> 8]);
    expect(r.memory.bytes.subarray(0x8000, 0x8200)).toEqual(r.image!.subarray(lba * 512, lba * 512 + 512));
  });

  it("continues on head 1 with multi-track and reports the next sector after terminal count", () => {
    const r = rig();
    start(r);
    seek(r, 3);
    r.dma.program(0x10000, 4 * 512, true);
    command(r.io, [0xc6, 0x00, 3, 0, 17, 2, 18, 0x1b, 0xff]);
    expect(finish(r)).toEqual([0x04, 0x00, 0x00, 3, 1, 3, 2]);
    for (const [i, [h, s]] of [[0, 17], [0, 18], [1, 1], [1, 2]].entries()) {
      const lba = lbaOf(3, h, s);
      expect(r.memory.bytes[0x10000 + i * 512]).toBe(lba & 0xff);
    }
  });

  it("ends abnormally with End of Cylinder when EOT passes without terminal count", () => {
    const r = rig();
    start(r);
    r.dma.program(0x2000, 8192, true);
    command(r.io, [0x46, 0x00, 0, 0, 17, 2, 18, 0x1b, 0xff]);
    expect(finish(r)).toEqual([0x40, 0x80, 0x00, 1, 0, 1, 2]);
    expect(r.dma.count).toBe(8192 - 1024);
  });

  it("writes sectors from memory by DMA", () => {
    const r = rig();
    start(r);
    seek(r, 1);
    for (let i = 0; i < 1024; i++) r.memory.bytes[0x4000 + i] = (i * 3) & 0xff;
    r.dma.program(0x4000, 1024, false);
    command(r.io, [0x45, 0x00, 1, 0, 3, 2, 18, 0x1b, 0xff]);
    expect(finish(r)).toEqual([0x00, 0x00, 0x00, 1, 0, 5, 2]);
    const lba = lbaOf(1, 0, 3);
    expect(r.image!.subarray(lba * 512, lba * 512 + 1024)).toEqual(r.memory.bytes.subarray(0x4000, 0x4400));
    expect(r.image![(lba + 2) * 512]).toBe((lba + 2) & 0xff); // the next sector is untouched
  });

  it("refuses to write a write-protected diskette", () => {
    const r = rig(floppyImage(), true);
    start(r);
    r.dma.program(0x4000, 512, false);
    command(r.io, [0x45, 0x00, 0, 0, 1, 2, 18, 0x1b, 0xff]);
    expect(finish(r)).toEqual([0x40, 0x02, 0x00, 0, 0, 1, 2]);
  });

  it("finds no address mark at the wrong data rate, after two revolutions", () => {
    const r = rig();
    start(r, 2); // 250 kbit/s: a 1.44M diskette needs 500
    r.dma.program(0x4000, 512, true);
    command(r.io, [0x46, 0x00, 0, 0, 1, 2, 18, 0x1b, 0xff]);
    r.clock.advanceTo(r.clock.now + 399_000_000);
    expect(r.io.read(MSR, 1) & 0x80).toBe(0);
    r.clock.advanceTo(r.clock.now + 1_000_000);
    expect(results(r.io)).toEqual([0x40, 0x01, 0x00, 0, 0, 1, 2]);
    r.io.write(CCR, 1, 0);
    command(r.io, [0x4a, 0x00]); // READ ID
    expect(finish(r).slice(0, 3)).toEqual([0x00, 0x00, 0x00]);
  });

  it("reports No Data and Wrong Cylinder for an ID that is not on the track", () => {
    const r = rig();
    start(r);
    r.dma.program(0x4000, 512, true);
    command(r.io, [0x46, 0x00, 5, 0, 1, 2, 18, 0x1b, 0xff]); // head is on cylinder 0
    expect(finish(r)).toEqual([0x40, 0x04, 0x10, 5, 0, 1, 2]);
  });

  it("reads through the FIFO in non-DMA mode", () => {
    const r = rig();
    start(r);
    command(r.io, [0x03, 0xdf, 0x03]); // SPECIFY with ND
    command(r.io, [0x46, 0x00, 0, 0, 2, 2, 2, 0x1b, 0xff]);
    expect(r.sink.level(6)).toBe(true);
    expect(r.io.read(MSR, 1)).toBe(0xf0);
    const data: number[] = [];
    for (let i = 0; i < 512; i++) data.push(r.io.read(FIFO, 1));
    expect(data.slice(0, 4)).toEqual([1, 0, 1, 0]);
    // No terminal count in non-DMA mode: the command ends at EOT with EN.
    expect(finish(r)).toEqual([0x40, 0x80, 0x00, 1, 0, 1, 2]);
  });

  it("formats a track with the filler byte", () => {
    const r = rig();
    start(r);
    seek(r, 4);
    const ids: number[] = [];
    for (let s = 1; s <= 18; s++) ids.push(4, 0, s, 2);
    r.memory.bytes.set(ids, 0x6000);
    r.dma.program(0x6000, ids.length, false);
    command(r.io, [0x4d, 0x00, 2, 18, 0x54, 0xf6]);
    const res = finish(r);
    expect(res.slice(0, 3)).toEqual([0x00, 0x00, 0x00]);
    const first = lbaOf(4, 0, 1) * 512;
    expect(r.image!.subarray(first, first + 18 * 512).every((b) => b === 0xf6)).toBe(true);
    expect(r.image![lbaOf(4, 1, 1) * 512]).toBe(lbaOf(4, 1, 1) & 0xff);
  });
});

describe("82077AA: state", () => {
  it("completes a seek in progress after a restore", () => {
    const a = rig();
    start(a);
    command(a.io, [0x0f, 0x00, 20]);
    a.clock.advanceTo(a.clock.now + 10_000_000);
    const saved = saveDevice(a.fdc);
    const b = rig();
    b.clock.setNow(a.clock.now);
    loadDevice(b.fdc, saved);
    expect(b.io.read(MSR, 1) & 0x01).toBe(0x01);
    b.clock.advanceTo(b.clock.now + 50_000_000);
    command(b.io, [0x08]);
    expect(results(b.io)).toEqual([0x20, 20]);
  });

  it("re-issues a diskette read that was pending when the snapshot was taken", async () => {
    const img = floppyImage();
    const a = rig(null, false, new DeferredBackend(new MemoryBackend(img)));
    start(a);
    a.dma.program(0x3000, 512, true);
    command(a.io, [0x46, 0x00, 0, 0, 9, 2, 18, 0x1b, 0xff]);
    expect(a.io.read(MSR, 1) & 0x90).toBe(0x10); // busy in execution
    const saved = saveDevice(a.fdc);
    const backend = new DeferredBackend(new MemoryBackend(img));
    const b = rig(null, false, backend);
    b.clock.setNow(a.clock.now);
    loadDevice(b.fdc, saved);
    b.dma.program(0x3000, 512, true);
    b.queue.drain();
    expect(backend.pendingOps.map((o) => [o.offset, o.length])).toEqual([[8 * 512, 18 * 512 - 8 * 512]]);
    await backend.release();
    b.queue.drain();
    expect(finish(b)).toEqual([0x00, 0x00, 0x00, 0, 0, 10, 2]);
    expect(b.memory.bytes[0x3000]).toBe(8);
  });

  it("refuses malformed state, naming the field", () => {
    const r = rig();
    start(r);
    const good = saveDevice(r.fdc);
    expect(() => loadDevice(r.fdc, { ...good, bufPos: 10, bufLen: 5 })).toThrow(/fdc\.bufPos/);
    expect(() => loadDevice(r.fdc, { ...good, cmd: new Uint8Array(3) })).toThrow(/fdc\.cmd/);
    const empty = rig(null);
    expect(() => loadDevice(empty.fdc, good)).toThrow(/fdc\.drives\[0\]\.hasMedium/);
    loadDevice(r.fdc, good);
  });
});

describe("82077AA: other commands", () => {
  it("reads a track from sector 1 regardless of R with READ TRACK", () => {
    const r = rig();
    start(r);
    r.dma.program(0x5000, 3 * 512, true);
    command(r.io, [0x42, 0x00, 0, 0, 9, 2, 18, 0x1b, 0xff]);
    expect(finish(r)).toEqual([0x00, 0x00, 0x00, 0, 0, 4, 2]);
    expect(r.memory.bytes[0x5000]).toBe(0);
    expect(r.memory.bytes[0x5000 + 1024]).toBe(2);
  });

  it("verifies sectors without moving data", () => {
    const r = rig();
    start(r);
    r.dma.program(0x5000, 512, true);
    command(r.io, [0x56, 0x00, 0, 0, 1, 2, 18, 0x1b, 0xff]);
    expect(finish(r)).toEqual([0x00, 0x00, 0x00, 1, 0, 1, 2]);
    expect(r.dma.count).toBe(512);
  });

  it("seeks relative to the present cylinder", () => {
    const r = rig();
    start(r);
    seek(r, 10);
    command(r.io, [0xcf, 0x00, 5]);
    r.clock.advanceTo(r.clock.now + 100_000_000);
    command(r.io, [0x08]);
    expect(results(r.io)).toEqual([0x20, 15]);
    command(r.io, [0x8f, 0x00, 3]);
    r.clock.advanceTo(r.clock.now + 100_000_000);
    command(r.io, [0x08]);
    expect(results(r.io)).toEqual([0x20, 12]);
  });

  it("seeks implicitly before a transfer when CONFIGURE enables EIS", () => {
    const r = rig();
    start(r);
    command(r.io, [0x13, 0x00, 0x60, 0x00]);
    r.dma.program(0x7000, 512, true);
    command(r.io, [0x46, 0x04, 6, 1, 3, 2, 18, 0x1b, 0xff]);
    expect(finish(r)).toEqual([0x04, 0x00, 0x00, 6, 1, 4, 2]);
    expect(r.memory.bytes[0x7000]).toBe(lbaOf(6, 1, 3) & 0xff);
    command(r.io, [0x0e]);
    expect(results(r.io)[0]).toBe(6);
  });

  it("reports the sector passing under the head with READ ID", () => {
    const r = rig();
    start(r);
    seek(r, 9, 1);
    // Half a revolution (100 ms) after the index: sector 10 of 18 is under the head.
    r.clock.advanceTo(Math.ceil(r.clock.now / 200_000_000) * 200_000_000 + 100_000_000 - 20_000);
    command(r.io, [0x4a, 0x04]);
    expect(finish(r)).toEqual([0x04, 0x00, 0x00, 9, 1, 10, 2]);
  });
});

describe("82077AA: non-DMA writes", () => {
  it("takes write data through the FIFO when SPECIFY selects non-DMA mode", () => {
    const r = rig();
    start(r);
    command(r.io, [0x03, 0xdf, 0x03]);
    command(r.io, [0x45, 0x00, 0, 0, 4, 2, 4, 0x1b, 0xff]);
    expect(r.io.read(MSR, 1)).toBe(0xb0); // RQM, non-DMA, busy, host to controller
    for (let i = 0; i < 512; i++) r.io.write(FIFO, 1, 0x5a);
    expect(finish(r)).toEqual([0x40, 0x80, 0x00, 1, 0, 1, 2]);
    const lba = lbaOf(0, 0, 4);
    expect(r.image!.subarray(lba * 512, lba * 512 + 512).every((b) => b === 0x5a)).toBe(true);
  });

  it("refuses to format a write-protected diskette", () => {
    const r = rig(floppyImage(), true);
    start(r);
    command(r.io, [0x4d, 0x00, 2, 18, 0x54, 0xf6]);
    const res = finish(r);
    expect(res.slice(0, 2)).toEqual([0x40, 0x02]);
  });
});

describe("82077AA: disk change line", () => {
  it("raises DSKCHG on eject and clears it only by stepping with a diskette in", () => {
    const r = rig();
    start(r);
    seek(r, 1);
    expect(r.io.read(DIR, 1) & 0x80).toBe(0);
    r.fdc.eject(0);
    expect(r.io.read(DIR, 1) & 0x80).toBe(0x80);
    seek(r, 2); // no diskette: the line stays active
    expect(r.io.read(DIR, 1) & 0x80).toBe(0x80);
    r.fdc.insert(0, new MemoryBackend(floppyImage(737280)));
    expect(r.io.read(DIR, 1) & 0x80).toBe(0x80);
    seek(r, 3);
    expect(r.io.read(DIR, 1) & 0x80).toBe(0);
    expect(r.fdc.geometry(0)?.name).toBe("720K");
  });
});
