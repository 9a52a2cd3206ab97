import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../../src/machine/block";
import type { PhysicalMemory } from "../../../src/machine/dma-api";
import { loadDevice, saveDevice } from "../../../src/machine/state";
import { AtaDisk } from "../../../src/machine/storage/ata/ata-disk";
import { AtapiCdrom } from "../../../src/machine/storage/atapi/atapi-cdrom";
import { cfgWrite } from "../pci/helpers";
import { ideRig, patternImage, readWords, DeferredBackend, FEATURE, NSECT, LBAL, LBAM, LBAH, DEVICE, STATUS, COMMAND, ALTSTATUS, ERROR } from "./ide-helpers";

class Ram implements PhysicalMemory {
  readonly bytes = new Uint8Array(1 << 20);
  read(addr: number, length: number): Uint8Array {
    return this.bytes.slice(addr, addr + length);
  }
  write(addr: number, data: Uint8Array): void {
    this.bytes.set(data, addr);
  }
}

const BM = 0xc000;

function dmaRig(image = patternImage(4096), backend?: MemoryBackend | DeferredBackend) {
  const ram = new Ram();
  const rig = ideRig(ram);
  cfgWrite(rig.io, 1, 1, 0x20, 4, BM);
  cfgWrite(rig.io, 1, 1, 0x04, 2, 0x0005);
  new AtaDisk(backend ?? new MemoryBackend(image)).attachTo(rig.ch0, 0);
  rig.ch0.reset();
  rig.io.write(BM + 2, 1, 0x26); // drive 0 DMA capable; clear interrupt
  return { ...rig, ram, image };
}

/** Write a PRD table at `at`: [address, bytes] regions, EOT on the last. */
function prdTable(ram: Ram, at: number, regions: [number, number][]): void {
  const dv = new DataView(ram.bytes.buffer);
  regions.forEach(([addr, bytes], i) => {
    dv.setUint32(at + 8 * i, addr, true);
    dv.setUint32(at + 8 * i + 4, (bytes & 0xffff) | (i === regions.length - 1 ? 0x80000000 : 0), true);
  });
}

function sectorBytes(image: Uint8Array, lba: number, n = 1): Uint8Array {
  return image.subarray(lba * 512, (lba + n) * 512);
}

describe("PIIX bus-master IDE", () => {
  it("advertises multiword DMA 0-2 and reports the mode selected with SET FEATURES", () => {
    const { io } = dmaRig();
    io.write(DEVICE, 1, 0xa0);
    io.write(FEATURE, 1, 0x03);
    io.write(NSECT, 1, 0x22);
    io.write(COMMAND, 1, 0xef);
    expect(io.read(STATUS, 1)).toBe(0x50);
    io.write(COMMAND, 1, 0xec);
    const w = readWords(io, 256);
    expect(w[49] & 0x0100).toBe(0x0100);
    expect(w[63]).toBe(0x0407);
    expect(w[88]).toBe(0);
    io.write(NSECT, 1, 0x42); // Ultra DMA 2: the PIIX3 has none
    io.write(COMMAND, 1, 0xef);
    expect(io.read(STATUS, 1)).toBe(0x51);
  });

  it("reads sectors by DMA through a PRD table and interrupts at the end", () => {
    const { io, ram, image, irqCount } = dmaRig();
    prdTable(ram, 0x1000, [
      [0x20000, 1024],
      [0x30000, 512],
    ]);
    io.write(BM + 4, 4, 0x1000);
    io.write(BM, 1, 0x08); // device to memory, not started
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 3);
    io.write(LBAL, 1, 10);
    io.write(LBAM, 1, 0);
    io.write(LBAH, 1, 0);
    io.write(COMMAND, 1, 0xc8);
    expect(io.read(ALTSTATUS, 1) & 0x88).toBe(0x08); // DMARQ pending, waiting for the bus master
    expect(irqCount()).toBe(0);
    io.write(BM, 1, 0x09);
    expect(irqCount()).toBe(1);
    expect(io.read(BM + 2, 1) & 0x07).toBe(0x04); // interrupt, not active: the table matched
    expect(io.read(STATUS, 1)).toBe(0x50);
    io.write(BM, 1, 0x08);
    expect(ram.bytes.subarray(0x20000, 0x20400)).toEqual(sectorBytes(image, 10, 2));
    expect(ram.bytes.subarray(0x30000, 0x30200)).toEqual(sectorBytes(image, 12));
  });

  it("writes sectors by DMA with WRITE DMA EXT", () => {
    const { io, ram, image } = dmaRig();
    for (let i = 0; i < 1024; i++) ram.bytes[0x40000 + i] = (i * 5) & 0xff;
    prdTable(ram, 0x1000, [[0x40000, 1024]]);
    io.write(BM + 4, 4, 0x1000);
    io.write(BM, 1, 0x00); // memory to device
    io.write(DEVICE, 1, 0x40);
    io.write(NSECT, 1, 0);
    io.write(NSECT, 1, 2);
    for (const p of [LBAL, LBAM, LBAH]) io.write(p, 1, 0);
    io.write(LBAL, 1, 100);
    io.write(COMMAND, 1, 0x35);
    io.write(BM, 1, 0x01);
    expect(io.read(BM + 2, 1) & 0x07).toBe(0x04);
    expect(io.read(STATUS, 1)).toBe(0x50);
    expect(sectorBytes(image, 100, 2)).toEqual(ram.bytes.subarray(0x40000, 0x40400));
  });

  it("stays active when the PRD table is longer than the transfer", () => {
    const { io, ram } = dmaRig();
    prdTable(ram, 0x1000, [[0x20000, 4096]]);
    io.write(BM + 4, 4, 0x1000);
    io.write(BM, 1, 0x09);
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 1);
    io.write(COMMAND, 1, 0xc8);
    expect(io.read(BM + 2, 1) & 0x07).toBe(0x05); // interrupt and still active
  });

  it("stops without an interrupt when the PRD table runs out first", () => {
    const { io, ram, irqCount } = dmaRig();
    prdTable(ram, 0x1000, [[0x20000, 512]]);
    io.write(BM + 4, 4, 0x1000);
    io.write(BM, 1, 0x09);
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 2);
    io.write(COMMAND, 1, 0xc8);
    expect(io.read(BM + 2, 1) & 0x07).toBe(0x00);
    expect(irqCount()).toBe(0);
    expect(io.read(ALTSTATUS, 1) & 0x08).toBe(0x08); // the device still has data
  });

  it("moves nothing until the command register enables bus mastering", () => {
    const { io, ram, irqCount } = dmaRig();
    cfgWrite(io, 1, 1, 0x04, 2, 0x0001);
    prdTable(ram, 0x1000, [[0x20000, 512]]);
    io.write(BM + 4, 4, 0x1000);
    io.write(BM, 1, 0x09);
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 1);
    io.write(COMMAND, 1, 0xc8);
    expect(irqCount()).toBe(0);
    cfgWrite(io, 1, 1, 0x04, 2, 0x0005);
    expect(irqCount()).toBe(1);
  });

  it("refuses a direction that disagrees with the command", () => {
    const { io, ram, irqCount } = dmaRig();
    prdTable(ram, 0x1000, [[0x20000, 512]]);
    io.write(BM + 4, 4, 0x1000);
    io.write(BM, 1, 0x01); // memory to device, but READ DMA sends to memory
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 1);
    io.write(COMMAND, 1, 0xc8);
    expect(irqCount()).toBe(0);
    expect(io.read(BM + 2, 1) & 0x01).toBe(0x01);
  });

  it("waits for an asynchronous backend, then completes the DMA read", async () => {
    const image = patternImage(64);
    const backend = new DeferredBackend(new MemoryBackend(image));
    const { io, ram, queue, irqCount } = dmaRig(image, backend);
    prdTable(ram, 0x1000, [[0x20000, 512]]);
    io.write(BM + 4, 4, 0x1000);
    io.write(BM, 1, 0x09);
    io.write(DEVICE, 1, 0xe0);
    io.write(NSECT, 1, 1);
    io.write(LBAL, 1, 5);
    io.write(COMMAND, 1, 0xc8);
    expect(io.read(ALTSTATUS, 1) & 0x80).toBe(0x80);
    await backend.release();
    queue.drain();
    expect(irqCount()).toBe(1);
    expect(ram.bytes.subarray(0x20000, 0x20200)).toEqual(sectorBytes(image, 5));
  });

  it("reads a CD by DMA with PACKET and reports completion in the status phase", () => {
    const ram = new Ram();
    const rig = ideRig(ram);
    cfgWrite(rig.io, 1, 1, 0x20, 4, BM);
    cfgWrite(rig.io, 1, 1, 0x04, 2, 0x0005);
    const disc = new Uint8Array(2048 * 20).map((_, i) => (i >> 11) + 1);
    new AtapiCdrom(new MemoryBackend(disc, true)).attachTo(rig.ch1, 0);
    rig.ch1.reset();
    const io = rig.io;
    prdTable(ram, 0x2000, [[0x50000, 4096]]);
    io.write(BM + 8 + 4, 4, 0x2000);
    io.write(BM + 8, 1, 0x08);
    io.write(0x176, 1, 0xa0);
    io.write(0x171, 1, 0x01); // DMA
    io.write(0x177, 1, 0xa0);
    const cdb = [0x28, 0, 0, 0, 0, 3, 0, 0, 2, 0, 0, 0];
    for (let i = 0; i < 12; i += 2) io.write(0x170, 2, cdb[i] | (cdb[i + 1] << 8));
    io.write(BM + 8, 1, 0x09);
    expect(io.read(0x177, 1)).toBe(0x50);
    expect(io.read(0x172, 1) & 3).toBe(3);
    expect(io.read(BM + 10, 1) & 0x07).toBe(0x04);
    expect(ram.bytes[0x50000]).toBe(4);
    expect(ram.bytes[0x50000 + 2048]).toBe(5);
  });

  it("aborts DMA commands on a controller without a bus master", () => {
    const rig = ideRig();
    new AtaDisk(new MemoryBackend(patternImage(64))).attachTo(rig.ch0, 0);
    rig.io.write(DEVICE, 1, 0xe0);
    rig.io.write(COMMAND, 1, 0xc8);
    expect(rig.io.read(STATUS, 1)).toBe(0x51);
    expect(rig.io.read(ERROR, 1)).toBe(0x04);
  });

  it("saves the PRD cursor and refuses an oversized region", () => {
    const { ide } = dmaRig();
    const s = saveDevice(ide);
    s.prd[1].left = 0x20000;
    expect(() => loadDevice(ide, s)).toThrow(/piix-ide\.prd\[1\]\.left/);
  });
});

describe("PIIX bus-master IDE state", () => {
  it("finishes a DMA read restored from a snapshot taken while the backend was busy", async () => {
    const image = patternImage(64);
    const a = dmaRig(image, new DeferredBackend(new MemoryBackend(image)));
    prdTable(a.ram, 0x1000, [[0x20000, 1024]]);
    a.io.write(BM + 4, 4, 0x1000);
    a.io.write(BM, 1, 0x09);
    a.io.write(DEVICE, 1, 0xe0);
    a.io.write(NSECT, 1, 2);
    a.io.write(LBAL, 1, 20);
    a.io.write(COMMAND, 1, 0xc8);
    const savedIde = saveDevice(a.ide);
    const savedChannel = saveDevice(a.ch0);
    const backend = new DeferredBackend(new MemoryBackend(image));
    const b = dmaRig(image, backend);
    b.ram.bytes.set(a.ram.bytes.subarray(0, 0x2000));
    loadDevice(b.ide, savedIde);
    loadDevice(b.ch0, savedChannel);
    b.queue.drain();
    expect(backend.pendingOps.map((o) => [o.offset, o.length])).toEqual([[20 * 512, 1024]]);
    await backend.release();
    b.queue.drain();
    expect(b.irqCount()).toBe(1);
    expect(b.io.read(BM + 2, 1) & 0x07).toBe(0x04);
    expect(b.ram.bytes.subarray(0x20000, 0x20400)).toEqual(sectorBytes(image, 20, 2));
  });
});
