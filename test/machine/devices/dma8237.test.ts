import { describe, it, expect, beforeEach } from "vitest";
import { IoBus } from "../../../src/machine/io";
import { Dma8237 } from "../../../src/machine/devices/dma8237";
import type { DmaDevice } from "../../../src/machine/dma-api";
import { saveDevice, loadDevice } from "../../../src/machine/state";

let io: IoBus;
let ram: Uint8Array;
let dma: Dma8237;

function make(): { dma: Dma8237; io: IoBus } {
  const d = new Dma8237({
    read: (addr, len) => ram.slice(addr, addr + len),
    write: (addr, data) => ram.set(data, addr),
  });
  const bus = new IoBus();
  d.attach(bus);
  return { dma: d, io: bus };
}

/** A device that produces `source` bytes (device to memory) or collects bytes (memory to device). */
class FakeDevice implements DmaDevice {
  produced = 0;
  sink: number[] = [];
  calls: { max: number; toMemory: boolean }[] = [];
  constructor(public source: Uint8Array, public chunk = Infinity, public releaseAfterChunk?: Dma8237) {}
  dmaTransfer(ch: number, toMemory: boolean, mem: { write(d: Uint8Array): number; read(max: number): Uint8Array }, max: number): number {
    this.calls.push({ max, toMemory });
    const n = Math.min(max, this.chunk);
    if (toMemory) {
      const w = mem.write(this.source.subarray(this.produced, this.produced + n));
      this.produced += w;
      this.releaseAfterChunk?.setDreq(ch, false);
      return w;
    }
    const got = mem.read(n);
    this.sink.push(...got);
    return got.length;
  }
}

function cascade(bus = io): void {
  bus.write(0xd6, 1, 0xc0); // channel 4 cascade
  bus.write(0xd4, 1, 0x00); // unmask channel 4
}

function program(ch: number, mode: number, addr: number, count: number, page: number): void {
  const pagePort = [0x87, 0x83, 0x81, 0x82][ch];
  io.write(0x0a, 1, 0x04 | ch);
  io.write(0x0c, 1, 0);
  io.write(0x0b, 1, mode | ch);
  io.write(ch * 2, 1, addr & 0xff);
  io.write(ch * 2, 1, addr >> 8);
  io.write(pagePort, 1, page);
  io.write(0x0c, 1, 0);
  io.write(ch * 2 + 1, 1, count & 0xff);
  io.write(ch * 2 + 1, 1, count >> 8);
  io.write(0x0a, 1, ch);
}

beforeEach(() => {
  ram = new Uint8Array(0x200000);
  ({ dma, io } = make());
  cascade();
});

describe("8237A DMA", () => {
  it("floppy-style single transfer to memory on channel 2 reaches terminal count and masks the channel", () => {
    const dev = new FakeDevice(Uint8Array.from({ length: 512 }, (_, i) => i & 0xff));
    dma.connect(2, dev);
    program(2, 0x44, 0x1000, 511, 0x01);
    dma.setDreq(2, true);
    expect(ram.subarray(0x11000, 0x11200)).toEqual(dev.source);
    expect(dma.terminalCount(2)).toBe(true);
    expect(io.read(0x08, 1) & 0x0f).toBe(0x04);
    expect(io.read(0x08, 1) & 0x0f).toBe(0x00); // TC bits clear on read
    expect(io.read(0x0f, 1) & 0x04).toBe(0x04); // channel masked at TC
    io.write(0x0c, 1, 0);
    expect(io.read(0x04, 1) | (io.read(0x04, 1) << 8)).toBe(0x1200);
    expect(io.read(0x05, 1) | (io.read(0x05, 1) << 8)).toBe(0xffff);
  });

  it("stops at the 64 KiB address wrap without carrying into the page", () => {
    const dev = new FakeDevice(new Uint8Array(0x20).fill(0xaa));
    dma.connect(2, dev);
    program(2, 0x44, 0xfff0, 0x1f, 0x01);
    dma.setDreq(2, true);
    expect(dev.calls[0].max).toBe(0x10);
    expect(ram[0x1fff0]).toBe(0xaa);
    expect(ram[0x10000]).toBe(0xaa); // wrapped within page 1
    expect(ram[0x20000]).toBe(0);
  });

  it("memory to device with address decrement", () => {
    ram.set([1, 2, 3, 4], 0x2000);
    const dev = new FakeDevice(new Uint8Array());
    dma.connect(1, dev);
    program(1, 0x48 | 0x20, 0x2003, 3, 0);
    dma.setDreq(1, true);
    expect(dev.sink).toEqual([4, 3, 2, 1]);
  });

  it("autoinitialize reloads address and count at terminal count", () => {
    const dev = new FakeDevice(Uint8Array.from([9, 8, 7, 6, 5, 4]), 2);
    dma.connect(3, dev);
    program(3, 0x54, 0x3000, 3, 0);
    dma.setDreq(3, true);
    // Demand runs while DREQ is held: 4 bytes, then reload; the device then has 2 more.
    expect([...ram.subarray(0x3000, 0x3004)]).toEqual([5, 4, 7, 6]);
    expect(io.read(0x0f, 1) & 0x08).toBe(0); // still unmasked
    expect(dma.terminalCount(3)).toBe(true);
  });

  it("16-bit channels address words through the page register's bits 1-7", () => {
    const dev = new FakeDevice(Uint8Array.from([0x11, 0x22, 0x33, 0x44]));
    dma.connect(5, dev);
    io.write(0xd4, 1, 0x05); // mask 5
    io.write(0xd8, 1, 0);
    io.write(0xd6, 1, 0x45);
    io.write(0xc4, 1, 0x00);
    io.write(0xc4, 1, 0x08); // word address 0x0800 -> byte 0x1000
    io.write(0xc6, 1, 1);
    io.write(0xc6, 1, 0); // 2 words
    io.write(0x8b, 1, 0x03); // page: A17-A23 from bits 1-7 -> 0x20000
    io.write(0xd4, 1, 0x01);
    dma.setDreq(5, true);
    expect([...ram.subarray(0x21000, 0x21004)]).toEqual([0x11, 0x22, 0x33, 0x44]);
  });

  it("nothing moves while the channel is masked, the controller disabled, or channel 4 not cascading", () => {
    const dev = new FakeDevice(new Uint8Array(4).fill(1));
    dma.connect(2, dev);
    program(2, 0x44, 0, 3, 0);
    io.write(0x0a, 1, 0x06);
    dma.setDreq(2, true);
    expect(dev.calls.length).toBe(0);
    expect(io.read(0x08, 1) & 0x40).toBe(0x40); // request pending in the status register
    io.write(0x08, 1, 0x04);
    io.write(0x0a, 1, 0x02);
    expect(dev.calls.length).toBe(0);
    io.write(0xd4, 1, 0x04); // mask channel 4
    io.write(0x08, 1, 0x00);
    expect(dev.calls.length).toBe(0);
    io.write(0xd4, 1, 0x00);
    expect(dev.calls.length).toBe(1);
  });

  it("block mode runs to terminal count on one request; software requests work without DREQ", () => {
    const dev = new FakeDevice(Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i), 8, dma);
    dma.connect(1, dev);
    program(1, 0x84, 0x6000, 31, 0); // block, write to memory
    dma.setDreq(1, true); // the device drops DREQ after each 8 bytes; block mode keeps going
    expect(dev.produced).toBe(32);
    expect([...ram.subarray(0x6000, 0x6004)]).toEqual([0x80, 0x81, 0x82, 0x83]);
    expect(io.read(0x08, 1) & 0x22).toBe(0x02); // TC, no request pending
    // A software request (request register) starts a block transfer without DREQ.
    const dev3 = new FakeDevice(Uint8Array.from([1, 2, 3, 4]), 2, dma);
    dma.connect(3, dev3);
    program(3, 0x84, 0x7000, 3, 0);
    io.write(0x09, 1, 0x04 | 3);
    expect([...ram.subarray(0x7000, 0x7004)]).toEqual([1, 2, 3, 4]);
    expect(io.read(0x08, 1) & 0x88).toBe(0x08); // TC on 3, request bit cleared
  });

  it("page registers and the scratch bytes read back", () => {
    io.write(0x81, 1, 0x12);
    io.write(0x84, 1, 0x34);
    expect(io.read(0x81, 1)).toBe(0x12);
    expect(io.read(0x84, 1)).toBe(0x34);
  });

  it("save mid-transfer and restore: the rest of the transfer continues identically", () => {
    const data = Uint8Array.from({ length: 64 }, (_, i) => i + 1);
    // The device drops DREQ after each 16 bytes, as a controller with a 16-byte FIFO does.
    const dev = new FakeDevice(data, 16, dma);
    dma.connect(2, dev);
    program(2, 0x04 | 0x40, 0x5000, 63, 0); // single mode
    dma.setDreq(2, true);
    expect(dev.produced).toBe(16);
    const snap = saveDevice(dma);
    const saveRam = ram.slice();
    const rest = (d: Dma8237, bus: IoBus): number[] => {
      d.setDreq(2, true);
      bus.write(0x0c, 1, 0);
      return [bus.read(0x04, 1), bus.read(0x04, 1), bus.read(0x05, 1), bus.read(0x05, 1), bus.read(0x08, 1)];
    };
    const dev2Source = data.slice(dev.produced);
    const expected = rest(dma, io);
    const ramAfter = ram.slice();
    ram = saveRam;
    const fresh = make();
    const dev2 = new FakeDevice(dev2Source, 16, fresh.dma);
    fresh.dma.connect(2, dev2);
    loadDevice(fresh.dma, snap);
    expect(rest(fresh.dma, fresh.io)).toEqual(expected);
    expect(expected).toEqual([0x20, 0x50, 31, 0, 0x00]); // 32 bytes done, 32 to go, no TC yet
    expect(ram).toEqual(ramAfter);
  });

  it("refuses malformed state naming the field", () => {
    const good = saveDevice(dma);
    const b1 = structuredClone(good);
    b1.chips[0].mask = 0x1f;
    expect(() => loadDevice(dma, b1)).toThrow(/dma\.chips\[0\]\.mask/);
    const b2 = structuredClone(good);
    (b2.channels[3] as unknown as Record<string, unknown>).address = 0x10000;
    expect(() => loadDevice(dma, b2)).toThrow(/channels\[3\]\.address/);
    const b3 = { ...good, pages: new Uint8Array(8) };
    expect(() => loadDevice(dma, b3)).toThrow(/dma\.pages/);
    const b4 = structuredClone(good);
    b4.channels[1].mode = 0x45;
    expect(() => loadDevice(dma, b4)).toThrow(/channels\[1\]\.mode/);
  });
});
