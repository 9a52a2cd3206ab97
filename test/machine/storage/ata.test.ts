import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../../src/machine/block";
import { loadDevice, saveDevice } from "../../../src/machine/state";
import { AtaDisk } from "../../../src/machine/storage/ata/ata-disk";
import { ideRig, patternImage, readWords, DeferredBackend, SparseBackend, DATA, ERROR, FEATURE, NSECT, LBAL, LBAM, LBAH, DEVICE, STATUS, COMMAND, ALTSTATUS, DEVCTL } from "./ide-helpers";

function diskRig(sectors = 4096, image = patternImage(sectors)) {
  const rig = ideRig();
  const backend = new MemoryBackend(image);
  const disk = new AtaDisk(backend).attachTo(rig.ch0, 0);
  rig.ch0.reset();
  return { ...rig, disk, image, backend };
}

function identify(io: ReturnType<typeof ideRig>["io"]): number[] {
  io.write(DEVICE, 1, 0xa0);
  io.write(COMMAND, 1, 0xec);
  expect(io.read(STATUS, 1)).toBe(0x58);
  return readWords(io, 256);
}

function sectorWords(sector: number): number[] {
  return Array.from({ length: 256 }, (_, w) => (sector * 7 + w) & 0xffff);
}

function ataString(words: number[], first: number, count: number): string {
  let s = "";
  for (let i = first; i < first + count; i++) s += String.fromCharCode(words[i] >> 8, words[i] & 0xff);
  return s.trimEnd();
}

describe("ATA disk: IDENTIFY DEVICE", () => {
  it("reports a consistent identify block for a 2 MiB disk", () => {
    const { io, irqCount } = diskRig(4096);
    const w = identify(io);
    expect(irqCount()).toBe(1);
    expect(io.read(STATUS, 1)).toBe(0x50);
    expect(w[0]).toBe(0x0040);
    // 4096 sectors at 16 heads x 63 sectors: 4 whole cylinders.
    expect([w[1], w[3], w[6]]).toEqual([4, 16, 63]);
    expect([w[54], w[55], w[56]]).toEqual([4, 16, 63]);
    expect(w[57] | (w[58] << 16)).toBe(4 * 16 * 63);
    expect(ataString(w, 27, 20)).toBe("LAB86 HARDDISK");
    expect(ataString(w, 23, 4)).toBe("1.0");
    expect(w[47]).toBe(0x8010);
    expect(w[49] & 0x0200).toBe(0x0200); // LBA
    expect(w[49] & 0x0100).toBe(0); // no DMA advertised
    expect(w[53] & 0x0004).toBe(0); // no UDMA word
    expect(w[63]).toBe(0);
    expect(w[88]).toBe(0);
    expect(w[64]).toBe(0x0003);
    expect(w[60] | (w[61] << 16)).toBe(4096);
    expect(w[83] & 0x0400).toBe(0x0400); // 48-bit
    expect(w[83] & 0x3000).toBe(0x3000); // FLUSH CACHE (EXT)
    expect([w[100], w[101], w[102], w[103]]).toEqual([4096, 0, 0, 0]);
    expect(w[59]).toBe(0x0110);
    // Word 255: A5h signature, bytes sum to zero.
    expect(w[255] & 0xff).toBe(0xa5);
    let sum = 0;
    for (const x of w) sum += (x & 0xff) + (x >> 8);
    expect(sum & 0xff).toBe(0);
  });

  it("saturates the LBA28 capacity and CHS geometry of a 1 TiB disk", () => {
    const rig = ideRig();
    new AtaDisk(new SparseBackend(2 ** 40)).attachTo(rig.ch0, 0);
    rig.ch0.reset();
    const w = identify(rig.io);
    expect(w[60] | (w[61] << 16)).toBe(0x0fffffff);
    expect([w[100], w[101], w[102], w[103]]).toEqual([0, 0x8000, 0, 0]); // 2^31 sectors
    expect([w[1], w[3], w[6]]).toEqual([16383, 16, 63]);
    expect(w[57] | (w[58] << 16)).toBe(16383 * 16 * 63);
  });
});

describe("ATA disk: PIO data commands", () => {
  it("reads sectors with LBA28, one interrupt per sector, and reports the last address", () => {
    const { io, irqCount } = diskRig();
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 2);
    io.write(LBAL, 1, 5);
    io.write(LBAM, 1, 0);
    io.write(LBAH, 1, 0);
    io.write(COMMAND, 1, 0x20);
    expect(irqCount()).toBe(1);
    expect(io.read(STATUS, 1)).toBe(0x58);
    expect(readWords(io, 256)).toEqual(sectorWords(5));
    expect(irqCount()).toBe(2);
    expect(io.read(STATUS, 1)).toBe(0x58);
    expect(readWords(io, 256)).toEqual(sectorWords(6));
    expect(irqCount()).toBe(2);
    expect(io.read(STATUS, 1)).toBe(0x50);
    expect(io.read(LBAL, 1)).toBe(6);
    expect(io.read(NSECT, 1)).toBe(0);
  });

  it("reads through 32-bit data port accesses", () => {
    const { io } = diskRig();
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 1);
    io.write(LBAL, 1, 9);
    io.write(LBAM, 1, 0);
    io.write(LBAH, 1, 0);
    io.write(COMMAND, 1, 0x20);
    const words = sectorWords(9);
    for (let i = 0; i < 128; i++) expect(io.read(DATA, 4)).toBe((words[2 * i] | (words[2 * i + 1] << 16)) >>> 0);
    expect(io.read(STATUS, 1)).toBe(0x50);
  });

  it("reads with CHS addressing through the current translation", () => {
    const { io } = diskRig();
    io.write(DEVICE, 1, 0xa1); // head 1, CHS
    io.write(NSECT, 1, 1);
    io.write(LBAL, 1, 3); // sector 3
    io.write(LBAM, 1, 1); // cylinder 1
    io.write(LBAH, 1, 0);
    io.write(COMMAND, 1, 0x20);
    // (1 * 16 + 1) * 63 + 3 - 1 = 1073
    expect(readWords(io, 256)).toEqual(sectorWords(1073));
    io.write(LBAL, 1, 0); // sector 0 does not exist
    io.write(COMMAND, 1, 0x20);
    expect(io.read(STATUS, 1)).toBe(0x51);
    expect(io.read(ERROR, 1)).toBe(0x10);
  });

  it("reads with LBA48 addresses and counts through the HOB registers", () => {
    const rig = ideRig();
    const backend = new SparseBackend(2 ** 48);
    new AtaDisk(backend).attachTo(rig.ch0, 0);
    rig.ch0.reset();
    const { io } = rig;
    const lba = 0x12_3456_789a;
    io.write(DEVICE, 1, 0x40);
    // Each register takes the previous (HOB) byte first, then the current one (ATA-6 6.20.2).
    io.write(NSECT, 1, 0x00);
    io.write(NSECT, 1, 0x02);
    io.write(LBAL, 1, 0x34);
    io.write(LBAL, 1, 0x9a);
    io.write(LBAM, 1, 0x12);
    io.write(LBAM, 1, 0x78);
    io.write(LBAH, 1, 0x00);
    io.write(LBAH, 1, 0x56);
    io.write(COMMAND, 1, 0x24);
    expect(backend.reads[0]).toEqual([lba * 512, 1024]);
    const first = readWords(io, 256);
    const dv = new DataView(new Uint16Array(first.slice(0, 4)).buffer);
    expect(dv.getFloat64(0, true)).toBe(lba);
    readWords(io, 256);
    expect(io.read(STATUS, 1)).toBe(0x50);
    // The last sector read, 0x12_3456_789b, with HOB selecting the high bytes.
    expect([io.read(LBAL, 1), io.read(LBAM, 1), io.read(LBAH, 1)]).toEqual([0x9b, 0x78, 0x56]);
    io.write(DEVCTL, 1, 0x80);
    expect([io.read(LBAL, 1), io.read(LBAM, 1), io.read(LBAH, 1)]).toEqual([0x34, 0x12, 0x00]);
  });

  it("writes sectors: first block without an interrupt, then one per block", () => {
    const { io, irqCount, image } = diskRig();
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 3);
    io.write(LBAL, 1, 10);
    io.write(LBAM, 1, 0);
    io.write(LBAH, 1, 0);
    io.write(COMMAND, 1, 0x30);
    expect(io.read(ALTSTATUS, 1)).toBe(0x58);
    expect(irqCount()).toBe(0);
    for (let s = 0; s < 3; s++) {
      for (let w = 0; w < 256; w++) io.write(DATA, 2, 0xbe00 + s);
      expect(irqCount()).toBe(s + 1);
      expect(io.read(STATUS, 1)).toBe(s < 2 ? 0x58 : 0x50);
    }
    for (let s = 0; s < 3; s++) {
      expect(image[(10 + s) * 512]).toBe(s);
      expect(image[(10 + s) * 512 + 511]).toBe(0xbe);
    }
    expect(image[13 * 512]).toBe((13 * 7) & 0xff); // untouched
  });

  it("interrupts once per block with READ MULTIPLE", () => {
    const { io, irqCount } = diskRig();
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 4);
    io.write(COMMAND, 1, 0xc6); // SET MULTIPLE MODE 4
    expect(io.read(STATUS, 1)).toBe(0x50);
    const before = irqCount();
    io.write(NSECT, 1, 10);
    io.write(LBAL, 1, 100);
    io.write(LBAM, 1, 0);
    io.write(LBAH, 1, 0);
    io.write(COMMAND, 1, 0xc4);
    const seen: number[] = [];
    for (let s = 0; s < 10; s++) {
      if (s % 4 === 0) {
        seen.push(irqCount() - before);
        expect(io.read(STATUS, 1)).toBe(0x58);
      }
      expect(readWords(io, 256)).toEqual(sectorWords(100 + s));
    }
    // Blocks of 4, 4 and 2 sectors: an interrupt before each.
    expect(seen).toEqual([1, 2, 3]);
    expect(irqCount() - before).toBe(3);
    expect(io.read(STATUS, 1)).toBe(0x50);
  });

  it("rejects READ MULTIPLE while multiple mode is disabled and invalid SET MULTIPLE counts", () => {
    const { io } = diskRig();
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 3);
    io.write(COMMAND, 1, 0xc6);
    expect(io.read(STATUS, 1)).toBe(0x51);
    expect(io.read(ERROR, 1)).toBe(0x04);
    io.write(NSECT, 1, 0);
    io.write(COMMAND, 1, 0xc6);
    io.write(NSECT, 1, 1);
    io.write(COMMAND, 1, 0xc4);
    expect(io.read(STATUS, 1)).toBe(0x51);
    expect(io.read(ERROR, 1)).toBe(0x04);
  });

  it("fails addresses past the capacity with IDNF", () => {
    const { io } = diskRig(4096);
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 2);
    io.write(LBAL, 1, 0xff);
    io.write(LBAM, 1, 0x0f);
    io.write(LBAH, 1, 0);
    io.write(COMMAND, 1, 0x20); // 4095 + 2 > 4096
    expect(io.read(STATUS, 1)).toBe(0x51);
    expect(io.read(ERROR, 1)).toBe(0x10);
    io.write(COMMAND, 1, 0x40); // READ VERIFY fails the same way
    expect(io.read(ERROR, 1)).toBe(0x10);
    io.write(NSECT, 1, 1);
    io.write(COMMAND, 1, 0x40);
    expect(io.read(STATUS, 1)).toBe(0x50);
  });

  it("aborts writes to a read-only image", () => {
    const rig = ideRig();
    new AtaDisk(new MemoryBackend(new Uint8Array(512 * 64), true)).attachTo(rig.ch0, 0);
    rig.ch0.reset();
    rig.io.write(DEVICE, 1, 0xe0);
    rig.io.write(NSECT, 1, 1);
    rig.io.write(COMMAND, 1, 0x30);
    expect(rig.io.read(STATUS, 1)).toBe(0x51);
    expect(rig.io.read(ERROR, 1)).toBe(0x04);
  });
});

describe("ATA disk: asynchronous backends", () => {
  function asyncRig() {
    const rig = ideRig();
    const image = patternImage(256);
    const backend = new DeferredBackend(new MemoryBackend(image));
    new AtaDisk(backend).attachTo(rig.ch0, 0);
    rig.ch0.reset();
    return { ...rig, backend, image };
  }

  it("shows BSY while a read is pending, then DRQ and an interrupt after the queue drains", async () => {
    const { io, backend, queue, irqCount } = asyncRig();
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 1);
    io.write(LBAL, 1, 42);
    io.write(LBAM, 1, 0);
    io.write(LBAH, 1, 0);
    io.write(COMMAND, 1, 0x20);
    expect(io.read(ALTSTATUS, 1) & 0x88).toBe(0x80);
    expect(irqCount()).toBe(0);
    await backend.release();
    // The answer waits in the completion queue until the machine drains it.
    expect(io.read(ALTSTATUS, 1) & 0x88).toBe(0x80);
    expect(queue.drain()).toBe(1);
    expect(io.read(ALTSTATUS, 1)).toBe(0x58);
    expect(irqCount()).toBe(1);
    expect(readWords(io, 256)).toEqual(sectorWords(42));
  });

  it("completes FLUSH CACHE only when the backend's flush has completed", async () => {
    const { io, backend, queue, irqCount } = asyncRig();
    io.write(DEVICE, 1, 0xe0);
    io.write(COMMAND, 1, 0xe7);
    expect(backend.pendingOps.map((o) => o.kind)).toEqual(["flush"]);
    expect(io.read(ALTSTATUS, 1) & 0x80).toBe(0x80);
    await backend.release();
    queue.drain();
    expect(io.read(ALTSTATUS, 1)).toBe(0x50);
    expect(irqCount()).toBe(1);
    io.write(COMMAND, 1, 0xea);
    expect(io.read(ALTSTATUS, 1) & 0x80).toBe(0x80);
    await backend.release();
    queue.drain();
    expect(io.read(STATUS, 1)).toBe(0x50);
  });

  it("reports a failed read as an uncorrectable error", async () => {
    const { io, backend, queue } = asyncRig();
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 1);
    io.write(LBAL, 1, 3);
    io.write(COMMAND, 1, 0x20);
    backend.pendingOps.shift()!.reject(new Error("network down"));
    await new Promise((r) => setTimeout(r, 0));
    queue.drain();
    expect(io.read(STATUS, 1)).toBe(0x51);
    expect(io.read(ERROR, 1)).toBe(0x40);
  });

  it("restores a snapshot taken while a read was pending and re-issues the request", async () => {
    const a = asyncRig();
    a.io.write(DEVICE, 1, 0xe0);
    a.io.write(NSECT, 1, 2);
    a.io.write(LBAL, 1, 7);
    a.io.write(COMMAND, 1, 0x20);
    const saved = saveDevice(a.ch0);
    const b = asyncRig();
    loadDevice(b.ch0, saved);
    expect(b.io.read(ALTSTATUS, 1) & 0x80).toBe(0x80);
    expect(b.backend.pendingOps.length).toBe(0);
    b.queue.drain(); // the restart runs at the first drain after restore
    expect(b.backend.pendingOps.map((o) => [o.kind, o.offset, o.length])).toEqual([["read", 7 * 512, 1024]]);
    await b.backend.release();
    b.queue.drain();
    expect(readWords(b.io, 256)).toEqual(sectorWords(7));
    expect(readWords(b.io, 256)).toEqual(sectorWords(8));
    expect(b.io.read(STATUS, 1)).toBe(0x50);
  });
});

describe("ATA disk: register protocol", () => {
  it("shows BSY during SRST and the ATA signature afterwards, without an interrupt", () => {
    const { io, irqCount } = diskRig();
    io.write(NSECT, 1, 0x55);
    io.write(DEVCTL, 1, 0x04);
    expect(io.read(ALTSTATUS, 1)).toBe(0x80);
    io.write(DEVCTL, 1, 0x00);
    expect(io.read(ALTSTATUS, 1)).toBe(0x50);
    expect([io.read(NSECT, 1), io.read(LBAL, 1), io.read(LBAM, 1), io.read(LBAH, 1)]).toEqual([1, 1, 0, 0]);
    expect(io.read(ERROR, 1)).toBe(0x01);
    expect(irqCount()).toBe(0);
  });

  it("holds a pending interrupt while nIEN is set and delivers it when cleared", () => {
    const { io, sink } = diskRig();
    io.write(DEVCTL, 1, 0x02);
    io.write(DEVICE, 1, 0xe0);
    io.write(COMMAND, 1, 0xe5); // CHECK POWER MODE
    expect(sink.level(14)).toBe(false);
    io.write(DEVCTL, 1, 0x00);
    expect(sink.level(14)).toBe(true);
    expect(io.read(ALTSTATUS, 1)).toBe(0x50); // alternate status does not acknowledge
    expect(sink.level(14)).toBe(true);
    io.read(STATUS, 1);
    expect(sink.level(14)).toBe(false);
    expect(io.read(NSECT, 1)).toBe(0xff);
  });

  it("answers for an absent device 1 with status 0 and ignores its commands", () => {
    const { io, irqCount } = diskRig();
    io.write(DEVICE, 1, 0xb0);
    expect(io.read(STATUS, 1)).toBe(0);
    // The Sector Count / LBA Low read-back test of a driver finds nothing there.
    io.write(NSECT, 1, 0x55);
    io.write(LBAL, 1, 0xaa);
    expect([io.read(NSECT, 1), io.read(LBAL, 1), io.read(ERROR, 1)]).toEqual([0xff, 0xff, 0xff]);
    io.write(COMMAND, 1, 0xec);
    expect(io.read(ALTSTATUS, 1)).toBe(0);
    expect(irqCount()).toBe(0);
    // An empty channel floats high.
    expect(io.read(0x177, 1)).toBe(0xff);
  });

  it("reports power modes and aborts unsupported commands", () => {
    const { io } = diskRig();
    io.write(DEVICE, 1, 0xe0);
    io.write(COMMAND, 1, 0xe0); // STANDBY IMMEDIATE
    io.write(COMMAND, 1, 0xe5);
    expect(io.read(NSECT, 1)).toBe(0x00);
    io.write(NSECT, 1, 1);
    io.write(COMMAND, 1, 0x40); // media access spins up
    io.write(COMMAND, 1, 0xe5);
    expect(io.read(NSECT, 1)).toBe(0xff);
    for (const cmd of [0x00, 0xc8, 0xa0, 0xb0]) {
      io.write(COMMAND, 1, cmd);
      expect(io.read(STATUS, 1)).toBe(0x51);
      expect(io.read(ERROR, 1)).toBe(0x04);
    }
    io.write(FEATURE, 1, 0x03);
    io.write(NSECT, 1, 0x0c); // PIO mode 4
    io.write(COMMAND, 1, 0xef);
    expect(io.read(STATUS, 1)).toBe(0x50);
    io.write(NSECT, 1, 0x45); // UDMA mode 5: not supported
    io.write(COMMAND, 1, 0xef);
    expect(io.read(STATUS, 1)).toBe(0x51);
  });

  it("reads the native max address and sets a volatile Host Protected Area", () => {
    const { io } = diskRig(4096);
    io.write(DEVICE, 1, 0xe0);
    io.write(COMMAND, 1, 0xf8);
    expect([io.read(LBAL, 1), io.read(LBAM, 1), io.read(LBAH, 1), io.read(DEVICE, 1) & 0x0f]).toEqual([0xff, 0x0f, 0, 0]);
    io.write(LBAL, 1, 0xe7);
    io.write(LBAM, 1, 0x03); // max LBA 999
    io.write(LBAH, 1, 0);
    io.write(FEATURE, 1, 0);
    io.write(COMMAND, 1, 0xf9);
    expect(io.read(STATUS, 1)).toBe(0x50);
    const w = identify(io);
    expect(w[60] | (w[61] << 16)).toBe(1000);
    expect(w[100]).toBe(1000);
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 1);
    io.write(LBAL, 1, 0xe8);
    io.write(LBAM, 1, 0x03);
    io.write(COMMAND, 1, 0x20); // LBA 1000 is now beyond the user area
    expect(io.read(ERROR, 1)).toBe(0x10);
    // SET MAX without a preceding READ NATIVE MAX is aborted.
    io.write(COMMAND, 1, 0xf9);
    expect(io.read(ERROR, 1)).toBe(0x04);
  });

  it("round-trips a transfer interrupted mid-sector", () => {
    const a = diskRig();
    a.io.write(DEVICE, 1, 0xe0);
    a.io.write(NSECT, 1, 2);
    a.io.write(LBAL, 1, 20);
    a.io.write(COMMAND, 1, 0x20);
    const first = readWords(a.io, 100);
    const saved = saveDevice(a.ch0);
    const b = diskRig();
    loadDevice(b.ch0, saved);
    const rest = readWords(b.io, 156 + 256);
    expect([...first, ...rest]).toEqual([...sectorWords(20), ...sectorWords(21)]);
    expect(b.io.read(STATUS, 1)).toBe(0x50);
  });

  it("refuses malformed state, naming the field", () => {
    const { ch0 } = diskRig();
    const good = saveDevice(ch0);
    const bad1 = saveDevice(ch0);
    bad1.drives[0].multiple = 3;
    expect(() => loadDevice(ch0, bad1)).toThrow(/ide0\.drives\[0\]\.multiple/);
    const bad2 = saveDevice(ch0);
    bad2.phase = 1;
    bad2.blockEnd = 10;
    bad2.pos = 12;
    expect(() => loadDevice(ch0, bad2)).toThrow(/ide0\.pos/);
    const bad3 = saveDevice(ch0);
    bad3.drives[0].userSectors = 5000;
    expect(() => loadDevice(ch0, bad3)).toThrow(/ide0\.drives\[0\]\.userSectors/);
    expect(() => loadDevice(ch0, { ...good, buffer: new Uint8Array(5) })).toThrow(/ide0\.buffer/);
    loadDevice(ch0, good);
  });
});

describe("ATA disk: 48-bit Host Protected Area", () => {
  it("reads the native max address and sets a new one with the EXT commands", () => {
    const rig = ideRig();
    new AtaDisk(new SparseBackend(2 ** 40)).attachTo(rig.ch0, 0); // 2^31 sectors
    const { io } = rig;
    io.write(DEVICE, 1, 0x40);
    io.write(COMMAND, 1, 0x27); // READ NATIVE MAX ADDRESS EXT
    expect(io.read(STATUS, 1)).toBe(0x50);
    expect([io.read(LBAL, 1), io.read(LBAM, 1), io.read(LBAH, 1)]).toEqual([0xff, 0xff, 0xff]);
    io.write(DEVCTL, 1, 0x80);
    expect([io.read(LBAL, 1), io.read(LBAM, 1), io.read(LBAH, 1)]).toEqual([0x7f, 0x00, 0x00]);
    io.write(DEVCTL, 1, 0x00);
    // New maximum LBA 0x12345678: previous (HOB) byte first, then the current one.
    for (const [port, hi, lo] of [[LBAL, 0x12, 0x78], [LBAM, 0x00, 0x56], [LBAH, 0x00, 0x34]] as const) {
      io.write(port, 1, hi);
      io.write(port, 1, lo);
    }
    io.write(DEVICE, 1, 0x40);
    io.write(COMMAND, 1, 0x37); // SET MAX ADDRESS EXT
    expect(io.read(STATUS, 1)).toBe(0x50);
    io.write(DEVICE, 1, 0xa0);
    io.write(COMMAND, 1, 0xec);
    const w = readWords(io, 256);
    expect(w[100] + w[101] * 0x10000).toBe(0x12345678 + 1);
    expect(w[60] | (w[61] << 16)).toBe(0x0fffffff);
  });
});

describe("ATA disk: CHS translation", () => {
  it("uses the translation set by INITIALIZE DEVICE PARAMETERS", () => {
    const { io } = diskRig(4096);
    io.write(DEVICE, 1, 0xa7); // 8 heads (max head 7)
    io.write(NSECT, 1, 32);
    io.write(COMMAND, 1, 0x91);
    expect(io.read(STATUS, 1)).toBe(0x50);
    const w = identify(io);
    // 4096 sectors / (8 * 32) = 16 cylinders.
    expect([w[54], w[55], w[56]]).toEqual([16, 8, 32]);
    expect(w[57] | (w[58] << 16)).toBe(4096);
    expect([w[1], w[3], w[6]]).toEqual([4, 16, 63]); // the default geometry is unchanged
    io.write(DEVICE, 1, 0xa2); // CHS, head 2
    io.write(NSECT, 1, 1);
    io.write(LBAL, 1, 5); // sector 5
    io.write(LBAM, 1, 3); // cylinder 3
    io.write(LBAH, 1, 0);
    io.write(COMMAND, 1, 0x20);
    // (3 * 8 + 2) * 32 + 5 - 1 = 836
    expect(readWords(io, 256)).toEqual(sectorWords(836));
    // A translation with zero sectors per track is refused and CHS commands then fail with IDNF.
    io.write(NSECT, 1, 0);
    io.write(COMMAND, 1, 0x91);
    expect(io.read(STATUS, 1)).toBe(0x51);
    io.write(NSECT, 1, 1);
    io.write(LBAL, 1, 1);
    io.write(COMMAND, 1, 0x20);
    expect(io.read(ERROR, 1)).toBe(0x10);
  });
});
