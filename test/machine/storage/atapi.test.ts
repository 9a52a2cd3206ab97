import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../../src/machine/block";
import type { IoBus } from "../../../src/machine/io";
import { loadDevice, saveDevice } from "../../../src/machine/state";
import { AtapiCdrom } from "../../../src/machine/storage/atapi/atapi-cdrom";
import { ideRig, DeferredBackend } from "./ide-helpers";

const B = 0x170; // secondary channel
const CTRL = 0x376;

/** A disc whose block n holds n in its first 4 bytes (big-endian) and 0xA5 elsewhere. */
function discImage(blocks: number): Uint8Array {
  const img = new Uint8Array(blocks * 2048).fill(0xa5);
  for (let n = 0; n < blocks; n++) new DataView(img.buffer).setUint32(n * 2048, n);
  return img;
}

function cdRig(medium: Uint8Array | null = discImage(100), opts = {}) {
  const rig = ideRig();
  const backend = medium ? new MemoryBackend(medium, true) : null;
  const cd = new AtapiCdrom(backend, opts).attachTo(rig.ch1, 0);
  rig.ch1.reset();
  const irqs = () => rig.sink.events.filter(([irq, level]) => irq === 15 && level).length;
  return { ...rig, cd, irqs };
}

interface PacketResult {
  data: number[];
  blocks: number[];
  status: number;
  error: number;
  reason: number;
}

/** Issue a PACKET command the way a PIO ATAPI driver does and collect the data-in blocks. */
function packet(io: IoBus, cdb: number[], byteLimit = 0xfffe): PacketResult {
  io.write(B + 6, 1, 0xa0);
  io.write(B + 1, 1, 0);
  io.write(B + 4, 1, byteLimit & 0xff);
  io.write(B + 5, 1, byteLimit >> 8);
  io.write(B + 7, 1, 0xa0);
  expect(io.read(CTRL, 1) & 0x88).toBe(0x08); // DRQ, not BSY
  expect(io.read(B + 2, 1) & 3).toBe(1); // CoD: waiting for the packet
  const bytes = [...cdb, ...new Array(12 - cdb.length).fill(0)];
  for (let i = 0; i < 12; i += 2) io.write(B, 2, bytes[i] | (bytes[i + 1] << 8));
  const data: number[] = [];
  const blocks: number[] = [];
  for (;;) {
    const st = io.read(B + 7, 1);
    expect(st & 0x80).toBe(0);
    if (!(st & 0x08)) break;
    expect(io.read(B + 2, 1) & 3).toBe(2); // IO: data to the host
    const n = io.read(B + 4, 1) | (io.read(B + 5, 1) << 8);
    blocks.push(n);
    for (let i = 0; i < n; i += 2) {
      const w = io.read(B, 2);
      data.push(w & 0xff);
      if (i + 1 < n) data.push(w >> 8);
    }
  }
  return { data, blocks, status: io.read(B + 7, 1), error: io.read(B + 1, 1), reason: io.read(B + 2, 1) & 3 };
}

function sense(io: IoBus): [number, number, number] {
  const r = packet(io, [0x03, 0, 0, 0, 18]);
  expect(r.data.length).toBe(18);
  return [r.data[2] & 0x0f, r.data[12], r.data[13]];
}

function be32(d: number[], o: number): number {
  return ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;
}

describe("ATAPI CD-ROM: identification", () => {
  it("posts the packet signature and answers IDENTIFY PACKET DEVICE", () => {
    const { io, irqs } = cdRig();
    expect([io.read(B + 2, 1), io.read(B + 3, 1), io.read(B + 4, 1), io.read(B + 5, 1)]).toEqual([1, 1, 0x14, 0xeb]);
    io.write(B + 6, 1, 0xa0);
    io.write(B + 7, 1, 0xec); // IDENTIFY DEVICE is aborted, leaving the signature
    expect(io.read(B + 7, 1) & 0x01).toBe(0x01);
    expect(io.read(B + 1, 1)).toBe(0x04);
    expect([io.read(B + 4, 1), io.read(B + 5, 1)]).toEqual([0x14, 0xeb]);
    io.write(B + 7, 1, 0xa1);
    expect(io.read(B + 7, 1)).toBe(0x58);
    const w = Array.from({ length: 256 }, () => io.read(B, 2));
    expect(w[0]).toBe(0x85c0); // ATAPI, CD-ROM, removable, accelerated DRQ, 12-byte packets
    expect(w[49] & 0x0300).toBe(0x0200); // LBA, no DMA
    expect(w[82] & 0x0010).toBe(0x0010); // PACKET feature set
    expect(io.read(B + 7, 1)).toBe(0x50);
    expect(irqs()).toBe(2);
  });

  it("returns INQUIRY data for a removable CD/DVD device", () => {
    const { io } = cdRig();
    const r = packet(io, [0x12, 0, 0, 0, 36, 0]);
    expect(r.status & 0x01).toBe(0);
    expect(r.reason).toBe(3);
    expect(r.data.slice(0, 5)).toEqual([0x05, 0x80, 0x00, 0x21, 31]);
    expect(String.fromCharCode(...r.data.slice(8, 16))).toBe("LAB86   ");
    expect(String.fromCharCode(...r.data.slice(16, 32)).trimEnd()).toBe("DVD-ROM");
    // The allocation length cuts the data.
    expect(packet(io, [0x12, 0, 0, 0, 5, 0]).data.length).toBe(5);
  });

  it("resets with DEVICE RESET without an interrupt", () => {
    const { io, irqs } = cdRig();
    io.write(B + 6, 1, 0xa0);
    io.write(B + 4, 1, 0x55);
    io.write(B + 7, 1, 0x08);
    expect(irqs()).toBe(0);
    expect(io.read(B + 7, 1)).toBe(0x00);
    expect([io.read(B + 4, 1), io.read(B + 5, 1)]).toEqual([0x14, 0xeb]);
  });
});

describe("ATAPI CD-ROM: reading", () => {
  it("reports the capacity of a known image", () => {
    const { io } = cdRig(discImage(300));
    const r = packet(io, [0x25]);
    expect(be32(r.data, 0)).toBe(299);
    expect(be32(r.data, 4)).toBe(2048);
  });

  it("reads blocks with READ(10) in byte-count-limited DRQ blocks, one interrupt each", () => {
    const { io, irqs } = cdRig();
    const before = irqs();
    const r = packet(io, [0x28, 0, 0, 0, 0, 3, 0, 0, 2, 0], 0x800);
    expect(r.blocks).toEqual([2048, 2048]);
    expect(be32(r.data, 0)).toBe(3);
    expect(be32(r.data, 2048)).toBe(4);
    expect(r.data[5]).toBe(0xa5);
    expect(r.status).toBe(0x50);
    expect(r.reason).toBe(3);
    expect(irqs() - before).toBe(3); // two data blocks and the status phase
  });

  it("keeps intermediate blocks even when the byte count limit is odd", () => {
    const { io } = cdRig();
    const r = packet(io, [0xa8, 0, 0, 0, 0, 7, 0, 0, 0, 1], 1001);
    expect(r.blocks).toEqual([1000, 1000, 48]);
    expect(be32(r.data, 0)).toBe(7);
    expect(r.data.length).toBe(2048);
  });

  it("fails reads past the last block with ILLEGAL REQUEST / LBA out of range", () => {
    const { io } = cdRig(discImage(100));
    const r = packet(io, [0x28, 0, 0, 0, 0, 99, 0, 0, 2, 0]);
    expect(r.status & 0x01).toBe(1);
    expect(r.error >> 4).toBe(5);
    expect(sense(io)).toEqual([5, 0x21, 0]);
  });

  it("rejects unknown operation codes", () => {
    const { io } = cdRig();
    const r = packet(io, [0xee]);
    expect(r.error >> 4).toBe(5);
    expect(sense(io)).toEqual([5, 0x20, 0]);
    expect(sense(io)).toEqual([0, 0, 0]); // REQUEST SENSE consumed it
  });

  it("shows BSY while an asynchronous read is pending and survives a snapshot", async () => {
    const rig = ideRig();
    const backend = new DeferredBackend(new MemoryBackend(discImage(50), true), true);
    new AtapiCdrom(backend).attachTo(rig.ch1, 0);
    rig.ch1.reset();
    const io = rig.io;
    io.write(B + 6, 1, 0xa0);
    io.write(B + 4, 1, 0x00);
    io.write(B + 5, 1, 0x08);
    io.write(B + 7, 1, 0xa0);
    const cdb = [0x28, 0, 0, 0, 0, 9, 0, 0, 1, 0, 0, 0];
    for (let i = 0; i < 12; i += 2) io.write(B, 2, cdb[i] | (cdb[i + 1] << 8));
    expect(io.read(CTRL, 1) & 0x88).toBe(0x80);
    const saved = saveDevice(rig.ch1);
    // A new machine with the same disc restores the snapshot and asks the backend again.
    const rig2 = ideRig();
    const backend2 = new DeferredBackend(new MemoryBackend(discImage(50), true), true);
    new AtapiCdrom(backend2).attachTo(rig2.ch1, 0);
    loadDevice(rig2.ch1, saved);
    rig2.queue.drain();
    expect(backend2.pendingOps.map((o) => [o.offset, o.length])).toEqual([[9 * 2048, 2048]]);
    await backend2.release();
    rig2.queue.drain();
    expect(rig2.io.read(B + 7, 1)).toBe(0x58);
    expect(rig2.io.read(B + 4, 1) | (rig2.io.read(B + 5, 1) << 8)).toBe(2048);
    const first = [rig2.io.read(B, 2), rig2.io.read(B, 2)];
    expect(first).toEqual([0x0000, 0x0900]); // block 9, big-endian
  });
});

describe("ATAPI CD-ROM: media and sense", () => {
  it("reports NOT READY / medium not present with no disc", () => {
    const { io } = cdRig(null);
    const r = packet(io, [0x00]);
    expect(r.status & 0x01).toBe(1);
    expect(r.error).toBe(0x20);
    expect(sense(io)).toEqual([2, 0x3a, 0x01]);
    expect(packet(io, [0x25]).error).toBe(0x20);
  });

  it("raises unit attention after a disc is inserted, then becomes ready", () => {
    const { io, cd } = cdRig(null);
    cd.insertMedium(new MemoryBackend(discImage(20), true));
    // INQUIRY neither reports nor clears the unit attention.
    expect(packet(io, [0x12, 0, 0, 0, 36]).status & 1).toBe(0);
    const r = packet(io, [0x00]);
    expect(r.error).toBe(0x60);
    expect(sense(io)).toEqual([6, 0x28, 0]);
    expect(packet(io, [0x00]).status & 1).toBe(0);
    expect(be32(packet(io, [0x25]).data, 0)).toBe(19);
  });

  it("ejects with START STOP UNIT, then reports tray open in REQUEST SENSE", () => {
    const { io, cd } = cdRig();
    expect(packet(io, [0x1b, 0, 0, 0, 0x02]).status & 1).toBe(0);
    expect(cd.trayOpen).toBe(true);
    expect(packet(io, [0x00]).error).toBe(0x20);
    expect(sense(io)).toEqual([2, 0x3a, 0x02]);
    // Loading closes the tray: the disc is back, with a unit attention.
    packet(io, [0x1b, 0, 0, 0, 0x03]);
    expect(packet(io, [0x00]).error).toBe(0x60);
    expect(packet(io, [0x00]).status & 1).toBe(0);
  });

  it("refuses ejection while removal is prevented and reports the eject request as an event", () => {
    const { io, cd } = cdRig();
    packet(io, [0x1e, 0, 0, 0, 1]);
    expect(cd.locked).toBe(true);
    expect(packet(io, [0x1b, 0, 0, 0, 0x02]).error >> 4).toBe(5);
    expect(sense(io)).toEqual([5, 0x53, 0x02]);
    expect(cd.requestEject()).toBe(false);
    const ev = packet(io, [0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8]);
    expect(ev.data).toEqual([0, 6, 4, 0x10, 1, 0x02, 0, 0]);
    packet(io, [0x1e, 0, 0, 0, 0]);
    expect(cd.requestEject()).toBe(true);
    const ev2 = packet(io, [0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8]);
    expect(ev2.data.slice(4, 6)).toEqual([3, 0x01]); // media removal, tray open
  });

  it("reports new media through GET EVENT STATUS NOTIFICATION once", () => {
    const { io, cd } = cdRig(null);
    cd.insertMedium(new MemoryBackend(discImage(10), true));
    const a = packet(io, [0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8]);
    expect(a.data).toEqual([0, 6, 4, 0x10, 2, 0x02, 0, 0]);
    const b = packet(io, [0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8]);
    expect(b.data[4]).toBe(0);
    // Asynchronous notification is not supported.
    expect(packet(io, [0x4a, 0, 0, 0, 0x10, 0, 0, 0, 8]).error >> 4).toBe(5);
    // No supported class requested: NEA.
    expect(packet(io, [0x4a, 1, 0, 0, 0x02, 0, 0, 0, 8]).data).toEqual([0, 2, 0x80, 0x10]);
  });
});

describe("ATAPI CD-ROM: disc structure and modes", () => {
  it("reads the TOC in LBA and MSF form", () => {
    const { io } = cdRig(discImage(100));
    const lba = packet(io, [0x43, 0, 0, 0, 0, 0, 0, 0, 100]).data;
    expect(lba.slice(0, 4)).toEqual([0, 18, 1, 1]);
    expect(lba.slice(4, 12)).toEqual([0, 0x14, 1, 0, 0, 0, 0, 0]);
    expect(lba.slice(12, 20)).toEqual([0, 0x14, 0xaa, 0, 0, 0, 0, 100]);
    const msf = packet(io, [0x43, 0x02, 0, 0, 0, 0, 0, 0, 100]).data;
    expect(msf.slice(8, 12)).toEqual([0, 0, 2, 0]); // 00:02:00
    expect(msf.slice(16, 20)).toEqual([0, 0, 3, 25]); // 100 + 150 frames = 00:03:25
    // Starting at the lead-out returns only the lead-out.
    expect(packet(io, [0x43, 0, 0, 0, 0, 0, 0xaa, 0, 100]).data.slice(0, 4)).toEqual([0, 10, 1, 1]);
    expect(packet(io, [0x43, 0, 0, 0, 0, 0, 2, 0, 100]).error >> 4).toBe(5);
  });

  it("reads session info and the full TOC", () => {
    const { io } = cdRig(discImage(100));
    expect(packet(io, [0x43, 0, 1, 0, 0, 0, 0, 0, 12]).data).toEqual([0, 10, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0]);
    const full = packet(io, [0x43, 0x02, 2, 0, 0, 0, 0, 0, 100]).data;
    expect(full.slice(0, 4)).toEqual([0, 46, 1, 1]);
    const points = [0, 1, 2, 3].map((i) => full.slice(4 + 11 * i, 15 + 11 * i));
    expect(points.map((p) => p[3])).toEqual([0xa0, 0xa1, 0xa2, 1]);
    expect(points[2].slice(8)).toEqual([0, 3, 25]);
    expect(points[3].slice(8)).toEqual([0, 2, 0]);
  });

  it("answers MODE SENSE for the capabilities page and all pages, and refuses saved values", () => {
    const { io } = cdRig();
    const cap = packet(io, [0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 64]).data;
    expect(cap.length).toBe(8 + 22);
    expect((cap[0] << 8) | cap[1]).toBe(cap.length - 2);
    expect(cap.slice(8, 10)).toEqual([0x2a, 0x14]);
    expect(cap[8 + 6] & 0x08).toBe(0x08); // eject supported
    const all = packet(io, [0x1a, 0, 0x3f, 0, 255]).data;
    expect(all[0]).toBe(all.length - 1);
    expect(all.length).toBe(4 + 8 + 8 + 16 + 22);
    expect(packet(io, [0x5a, 0, 0xea, 0, 0, 0, 0, 0, 64]).error >> 4).toBe(5);
    expect(sense(io)).toEqual([5, 0x39, 0]);
    expect(packet(io, [0x5a, 0, 0x05, 0, 0, 0, 0, 0, 64]).error >> 4).toBe(5);
  });

  it("accepts MODE SELECT parameter data from the host", () => {
    const { io } = cdRig();
    io.write(B + 6, 1, 0xa0);
    io.write(B + 4, 1, 0xfe);
    io.write(B + 5, 1, 0xff);
    io.write(B + 7, 1, 0xa0);
    const cdb = [0x55, 0x10, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0];
    for (let i = 0; i < 12; i += 2) io.write(B, 2, cdb[i] | (cdb[i + 1] << 8));
    expect(io.read(B + 7, 1) & 0x08).toBe(0x08);
    expect(io.read(B + 2, 1) & 3).toBe(0); // host to device data
    expect(io.read(B + 4, 1)).toBe(24);
    for (let i = 0; i < 12; i++) io.write(B, 2, 0);
    expect(io.read(B + 7, 1)).toBe(0x50);
    expect(io.read(B + 2, 1) & 3).toBe(3);
  });

  it("reports the CD-ROM or DVD-ROM profile in GET CONFIGURATION", () => {
    const cd = cdRig(discImage(100));
    const a = packet(cd.io, [0x46, 0, 0, 0, 0, 0, 0, 0, 255]).data;
    expect((a[6] << 8) | a[7]).toBe(0x0008);
    expect((a[8] << 8) | a[9]).toBe(0x0000); // profile list first
    const one = packet(cd.io, [0x46, 2, 0, 0x1e, 0, 0, 0, 0, 255]).data;
    expect(one.length).toBe(8 + 4 + 4); // header, descriptor header, CD Read data
    expect(((one[8] << 8) | one[9]).toString(16)).toBe("1e");
    expect(one[10] & 1).toBe(1); // current
    const dvd = cdRig(discImage(100), { dvd: true });
    const b = packet(dvd.io, [0x46, 0, 0, 0, 0, 0, 0, 0, 8]).data;
    expect((b[6] << 8) | b[7]).toBe(0x0010);
    const empty = cdRig(null);
    const c = packet(empty.io, [0x46, 0, 0, 0, 0, 0, 0, 0, 8]).data;
    expect((c[6] << 8) | c[7]).toBe(0);
  });

  it("answers READ DISC INFORMATION, MECHANISM STATUS, SET CD SPEED and SEEK", () => {
    const { io } = cdRig(discImage(100));
    const di = packet(io, [0x51, 0, 0, 0, 0, 0, 0, 0, 34]).data;
    expect(di.slice(0, 7)).toEqual([0, 32, 0x0e, 1, 1, 1, 1]);
    expect(packet(io, [0xbd, 0, 0, 0, 0, 0, 0, 0, 0, 8]).data).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(packet(io, [0xbb, 0, 0xff, 0xff, 0xff, 0xff]).status).toBe(0x50);
    expect(packet(io, [0x2b, 0, 0, 0, 0, 50]).status).toBe(0x50);
    expect(packet(io, [0x2b, 0, 0, 0, 0, 100]).error >> 4).toBe(5);
  });
});

describe("ATAPI CD-ROM: state", () => {
  it("refuses a snapshot whose medium does not match the attached disc", () => {
    const { ch1 } = cdRig(discImage(100));
    const bad = saveDevice(ch1);
    bad.drives[0].mediumSectors = 99;
    expect(() => loadDevice(ch1, bad)).toThrow(/ide1\.drives\[0\]\.mediumSectors/);
    const empty = cdRig(null);
    expect(() => loadDevice(empty.ch1, saveDevice(ch1))).toThrow(/ide1\.drives\[0\]\.hasMedium/);
  });

  it("rejects disc images that are not whole 2048-byte blocks, naming the size", () => {
    expect(() => new AtapiCdrom(new MemoryBackend(new Uint8Array(3000)))).toThrow(/3000/);
  });
});

describe("ATAPI CD-ROM: recovery and sharing a channel", () => {
  it("recovers with DEVICE RESET from the middle of a data transfer", () => {
    const { io } = cdRig();
    io.write(B + 6, 1, 0xa0);
    io.write(B + 4, 1, 0x00);
    io.write(B + 5, 1, 0x08);
    io.write(B + 7, 1, 0xa0);
    const cdb = [0x28, 0, 0, 0, 0, 1, 0, 0, 4, 0, 0, 0];
    for (let i = 0; i < 12; i += 2) io.write(B, 2, cdb[i] | (cdb[i + 1] << 8));
    io.read(B, 2);
    expect(io.read(CTRL, 1) & 0x08).toBe(0x08);
    io.write(B + 7, 1, 0x08);
    expect(io.read(CTRL, 1)).toBe(0x00);
    expect(packet(io, [0x00]).status).toBe(0x50);
  });

  it("reads user data with READ CD and rejects raw sector formats", () => {
    const { io } = cdRig();
    const r = packet(io, [0xbe, 0, 0, 0, 0, 12, 0, 0, 1, 0x10, 0, 0]);
    expect(r.data.length).toBe(2048);
    expect(be32(r.data, 0)).toBe(12);
    expect(packet(io, [0xbe, 0, 0, 0, 0, 12, 0, 0, 1, 0xf8, 0, 0]).error >> 4).toBe(5);
  });

  it("reports its serial number in the unit serial number VPD page", () => {
    const { io } = cdRig();
    expect(packet(io, [0x12, 1, 0x00, 0, 255]).data).toEqual([5, 0, 0, 2, 0x00, 0x80]);
    const sn = packet(io, [0x12, 1, 0x80, 0, 255]).data;
    expect(String.fromCharCode(...sn.slice(4))).toBe("LAB86-CD-0001");
    expect(packet(io, [0x12, 1, 0x83, 0, 255]).error >> 4).toBe(5);
  });

  it("shares a channel with a disk: selection, diagnostics and signatures", async () => {
    const { AtaDisk } = await import("../../../src/machine/storage/ata/ata-disk");
    const rig = ideRig();
    new AtaDisk(new MemoryBackend(new Uint8Array(512 * 1024))).attachTo(rig.ch1, 0);
    new AtapiCdrom(new MemoryBackend(discImage(10), true)).attachTo(rig.ch1, 1);
    rig.ch1.reset();
    const io = rig.io;
    io.write(B + 6, 1, 0xb0);
    expect([io.read(B + 4, 1), io.read(B + 5, 1)]).toEqual([0x14, 0xeb]);
    io.write(B + 6, 1, 0xa0);
    expect([io.read(B + 4, 1), io.read(B + 5, 1)]).toEqual([0x00, 0x00]);
    expect(io.read(B + 7, 1)).toBe(0x50);
    io.write(B + 7, 1, 0x90); // EXECUTE DEVICE DIAGNOSTIC
    expect(rig.sink.level(15)).toBe(true);
    expect(io.read(B + 1, 1)).toBe(0x01);
    expect(io.read(B + 6, 1)).toBe(0x00); // device 0 selected afterwards
    io.read(B + 7, 1);
    io.write(B + 6, 1, 0xb0);
    expect([io.read(B + 4, 1), io.read(B + 5, 1)]).toEqual([0x14, 0xeb]);
    // The CD answers packets on device 1; device 0 stays idle.
    io.write(B + 1, 1, 0);
    io.write(B + 4, 1, 0xfe);
    io.write(B + 5, 1, 0xff);
    io.write(B + 7, 1, 0xa1);
    expect(io.read(B + 7, 1)).toBe(0x58);
  });
});

describe("ATAPI CD-ROM: sub-channel", () => {
  it("reports no audio status and the current position with READ SUB-CHANNEL", () => {
    const { io } = cdRig();
    packet(io, [0x28, 0, 0, 0, 0, 9, 0, 0, 1, 0]);
    const q = packet(io, [0x42, 0, 0x40, 0x01, 0, 0, 0, 0, 16]).data;
    expect(q.slice(0, 8)).toEqual([0, 0x15, 0, 12, 0x01, 0x14, 1, 1]);
    expect(q.slice(8, 12)).toEqual([0, 0, 0, 9]);
    expect(packet(io, [0x42, 0, 0x00, 0x01, 0, 0, 0, 0, 16]).data).toEqual([0, 0x15, 0, 0]);
    expect(packet(io, [0x42, 0, 0x40, 0x02, 0, 0, 0, 0, 16]).error >> 4).toBe(5);
  });
});

describe("ATAPI CD-ROM: track information and format capacities", () => {
  it("describes the data track with READ TRACK INFORMATION", () => {
    const { io } = cdRig(discImage(100));
    const t = packet(io, [0x52, 0x01, 0, 0, 0, 1, 0, 0, 36]).data;
    expect(t.slice(0, 7)).toEqual([0, 34, 1, 1, 0, 0x04, 0x01]);
    expect(be32(t, 24)).toBe(100);
    expect(be32(t, 28)).toBe(99);
    expect(packet(io, [0x52, 0x00, 0, 0, 0, 50, 0, 0, 36]).data[2]).toBe(1); // by LBA
    expect(packet(io, [0x52, 0x01, 0, 0, 0, 2, 0, 0, 36]).error >> 4).toBe(5);
  });

  it("reports formatted media capacity, or no media", () => {
    const { io, cd } = cdRig(discImage(100));
    const f = packet(io, [0x23, 0, 0, 0, 0, 0, 0, 0, 12]).data;
    expect(f).toEqual([0, 0, 0, 8, 0, 0, 0, 100, 0x02, 0, 0x08, 0x00]);
    cd.ejectMedium();
    const g = packet(io, [0x23, 0, 0, 0, 0, 0, 0, 0, 12]).data;
    expect(g[8]).toBe(0x03);
  });
});

describe("ATAPI CD-ROM: audio commands on a data disc", () => {
  it("refuses to play the data track and has nothing to pause", () => {
    const { io } = cdRig();
    expect(packet(io, [0x45, 0, 0, 0, 0, 0, 0, 0, 10]).error >> 4).toBe(5);
    expect(sense(io)).toEqual([5, 0x64, 0]);
    expect(packet(io, [0x45, 0, 0, 0, 0, 0, 0, 0, 0]).status).toBe(0x50); // zero length: a seek
    expect(packet(io, [0x47, 0, 0, 0, 2, 0, 0, 3, 0]).error >> 4).toBe(5);
    expect(packet(io, [0x4b, 0, 0, 0, 0, 0, 0, 0, 1]).error >> 4).toBe(5);
    expect(sense(io)).toEqual([5, 0x2c, 0]);
    expect(packet(io, [0x4e]).status).toBe(0x50);
  });
});
