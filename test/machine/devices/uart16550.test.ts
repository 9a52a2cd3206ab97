import { describe, it, expect, beforeEach } from "vitest";
import { IoBus } from "../../../src/machine/io";
import { VirtualClock } from "../../../src/machine/clock";
import { IrqLine } from "../../../src/machine/irq";
import { Uart16550 } from "../../../src/machine/devices/uart16550";
import { saveDevice, loadDevice } from "../../../src/machine/state";

const B = 0x3f8;
let io: IoBus;
let clock: VirtualClock;
let uart: Uart16550;
let tx: number[];
let irq: { t: number; level: boolean }[];

function make(c: VirtualClock, txs: number[], irqs: { t: number; level: boolean }[]): { uart: Uart16550; io: IoBus } {
  const bus = new IoBus();
  const line = new IrqLine({ setIrq: (_n, level) => irqs.push({ t: c.now, level }) }, 4);
  const u = new Uart16550("com1", c, line, { onTransmit: (b) => txs.push(b) });
  u.attach(bus, B);
  return { uart: u, io: bus };
}

beforeEach(() => {
  clock = new VirtualClock();
  tx = [];
  irq = [];
  ({ uart, io } = make(clock, tx, irq));
});

/** 115200 baud 8N1 (10 bits): 86805.5 ns per character. */
const CHAR_115200 = (10 * 16 * 1e9) / 1843200;

/** Host input, then let it arrive on the line (one character time each). */
function arrive(bytes: number[]): void {
  uart.receive(bytes);
  clock.advanceTo(clock.now + bytes.length * CHAR_115200 + 1);
}

function init115200(fcr = 0xc7): void {
  io.write(B + 3, 1, 0x80);
  io.write(B + 0, 1, 1);
  io.write(B + 1, 1, 0);
  io.write(B + 3, 1, 0x03);
  io.write(B + 2, 1, fcr);
  io.write(B + 4, 1, 0x0b); // DTR RTS OUT2
}

describe("16550A UART", () => {
  it("divisor latch, LCR, SCR and IIR FIFO bits read back", () => {
    init115200();
    io.write(B + 3, 1, 0x83);
    expect(io.read(B, 1)).toBe(1);
    expect(io.read(B + 1, 1)).toBe(0);
    io.write(B + 3, 1, 0x03);
    io.write(B + 7, 1, 0x5a);
    expect(io.read(B + 7, 1)).toBe(0x5a);
    expect(io.read(B + 2, 1)).toBe(0xc1);
    expect(io.read(B + 5, 1)).toBe(0x60); // THRE + TEMT
  });

  it("delivers transmitted bytes at once but drains the FIFO at the baud rate", () => {
    init115200();
    for (const c of [0x41, 0x42, 0x43]) io.write(B, 1, c);
    expect(tx).toEqual([0x41, 0x42, 0x43]);
    expect(io.read(B + 5, 1) & 0x60).toBe(0);
    clock.advanceTo(2 * CHAR_115200 + 1);
    expect(io.read(B + 5, 1) & 0x60).toBe(0x20); // last byte in the shift register
    clock.advanceTo(3 * CHAR_115200 + 1);
    expect(io.read(B + 5, 1) & 0x60).toBe(0x60);
  });

  it("raises the THRE interrupt when the FIFO empties, cleared by reading IIR", () => {
    init115200();
    io.write(B + 1, 1, 0x02);
    expect(irq.at(-1)?.level).toBe(true); // enabling ETBEI with THR empty interrupts
    expect(io.read(B + 2, 1)).toBe(0xc2);
    expect(irq.at(-1)?.level).toBe(false);
    expect(io.read(B + 2, 1)).toBe(0xc1);
    io.write(B, 1, 1);
    io.write(B, 1, 2);
    io.write(B, 1, 3);
    expect(irq.at(-1)?.level).toBe(false);
    clock.advanceTo(3 * CHAR_115200);
    // The FIFO emptied when the third byte moved into the shift register, after 2 character times.
    expect(irq.at(-1)).toEqual({ t: Math.ceil(0) + 2 * CHAR_115200, level: true });
  });

  it("FIFO mode delays THRE after a lone byte by one character time less the stop bit", () => {
    init115200();
    io.write(B + 1, 1, 0x02);
    expect(io.read(B + 2, 1)).toBe(0xc2); // the enabling interrupt, cleared by this read
    io.write(B, 1, 0x41); // moves straight to the shift register
    expect(io.read(B + 5, 1) & 0x20).toBe(0x20); // THRE itself is set at once
    expect(io.read(B + 2, 1)).toBe(0xc1);
    clock.advanceTo(0.9 * CHAR_115200 - 1); // 8N1: 9 of 10 bit times
    expect(io.read(B + 2, 1)).toBe(0xc1);
    clock.advanceTo(0.9 * CHAR_115200 + 1);
    expect(io.read(B + 2, 1)).toBe(0xc2);
    // Without FIFOs (16450 behaviour) the interrupt is immediate.
    io.write(B + 2, 1, 0x00);
    io.read(B + 2, 1);
    clock.advanceTo(3 * CHAR_115200);
    io.write(B, 1, 0x42);
    expect(io.read(B + 2, 1)).toBe(0x02);
  });

  it("gates the interrupt with OUT2", () => {
    init115200();
    io.write(B + 4, 1, 0x03);
    io.write(B + 1, 1, 0x02);
    expect(irq.filter((e) => e.level)).toEqual([]);
    io.write(B + 4, 1, 0x0b);
    expect(irq.at(-1)?.level).toBe(true);
  });

  it("receive trigger level 14 and the character timeout after 4 character times", () => {
    init115200(0xc7);
    io.write(B + 1, 1, 0x01);
    uart.receive([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    clock.advanceTo(13 * CHAR_115200 + 1);
    expect(io.read(B + 2, 1)).toBe(0xc1); // 13 arrived: below the trigger level
    clock.advanceTo(14 * CHAR_115200 + 1);
    expect(io.read(B + 2, 1)).toBe(0xc4);
    for (let i = 1; i <= 14; i++) expect(io.read(B, 1)).toBe(i);
    expect(io.read(B + 2, 1)).toBe(0xc1);
    const t0 = clock.now;
    uart.receive([0x61]); // arrives one character time later; times out four more after that
    clock.advanceTo(t0 + 5 * CHAR_115200 - 2);
    expect(io.read(B + 2, 1)).toBe(0xc1);
    clock.advanceTo(t0 + 5 * CHAR_115200 + 1);
    expect(io.read(B + 2, 1)).toBe(0xcc);
    expect(io.read(B, 1)).toBe(0x61);
    expect(io.read(B + 2, 1)).toBe(0xc1);
  });

  it("overrun: bytes beyond 16 are lost and OE is reported once as a line status interrupt", () => {
    init115200(0x07); // trigger 1
    io.write(B + 1, 1, 0x05);
    arrive(Array.from({ length: 18 }, (_, i) => i));
    expect(io.read(B + 2, 1)).toBe(0xc6); // line status beats received data
    expect(io.read(B + 5, 1)).toBe(0x63);
    expect(io.read(B + 5, 1)).toBe(0x61);
    expect(io.read(B + 2, 1)).toBe(0xc4);
    const got: number[] = [];
    while (io.read(B + 5, 1) & 1) got.push(io.read(B, 1));
    expect(got).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it("non-FIFO mode holds one character", () => {
    init115200(0x00);
    expect(io.read(B + 2, 1)).toBe(0x01);
    arrive([7, 8]);
    expect(io.read(B + 5, 1) & 0x03).toBe(0x03);
    expect(io.read(B, 1)).toBe(7);
  });

  it("IIR priority: line status > received data > THRE > modem status", () => {
    init115200(0x07);
    io.write(B + 1, 1, 0x0f);
    uart.setModemInputs({ cts: false });
    expect(io.read(B + 2, 1)).toBe(0xc2); // THRE pending from enabling
    expect(io.read(B + 2, 1)).toBe(0xc0); // then modem status
    arrive([1]);
    expect(io.read(B + 2, 1)).toBe(0xc4);
    uart.receiveBreak();
    expect(io.read(B + 2, 1)).toBe(0xc4); // break is behind the first char
    io.read(B, 1);
    expect(io.read(B + 2, 1)).toBe(0xc6);
    expect(io.read(B + 5, 1) & 0x91).toBe(0x91); // DR BI FIFO-error
    expect(io.read(B + 2, 1)).toBe(0xc4);
    expect(io.read(B, 1)).toBe(0);
    expect(io.read(B + 6, 1)).toBe(0xa1); // DCD DSR, DCTS
    expect(io.read(B + 2, 1)).toBe(0xc1);
  });

  it("loopback: MCR outputs appear on MSR with deltas, data returns after one character time", () => {
    init115200(0x07);
    io.write(B + 4, 1, 0x10);
    io.read(B + 6, 1);
    io.write(B + 4, 1, 0x1f);
    expect(io.read(B + 6, 1)).toBe(0xfb); // all inputs high; DCTS DDSR DDCD (no TERI on a rising RI)
    io.write(B + 4, 1, 0x1b);
    expect(io.read(B + 6, 1) & 0x04).toBe(0x04); // TERI on RI's trailing edge
    io.write(B, 1, 0x55);
    expect(tx).toEqual([]);
    expect(io.read(B + 5, 1) & 1).toBe(0);
    clock.advanceTo(CHAR_115200 + 1);
    expect(io.read(B, 1)).toBe(0x55);
  });

  it("save with the receive FIFO half full and a transmission in flight; restore behaves identically", () => {
    init115200(0x87); // trigger 8
    io.write(B + 1, 1, 0x03);
    arrive([1, 2, 3, 4, 5, 6, 7]);
    uart.receive([8, 9]); // two more still on the line at the snapshot
    io.write(B, 1, 0x31);
    io.write(B, 1, 0x32);
    clock.advanceTo(clock.now + CHAR_115200 / 2);
    const snap = saveDevice(uart);
    const from = clock.now;
    const run = (bus: IoBus, c: VirtualClock): number[] => {
      const seen: number[] = [];
      c.advanceTo(from + CHAR_115200);
      seen.push(bus.read(B + 5, 1), bus.read(B + 2, 1));
      c.advanceTo(from + 2 * CHAR_115200);
      seen.push(bus.read(B + 2, 1));
      for (let i = 0; i < 9; i++) seen.push(bus.read(B, 1));
      c.advanceTo(from + 3 * CHAR_115200);
      seen.push(bus.read(B + 5, 1), bus.read(B + 2, 1));
      return seen;
    };
    const expected = run(io, clock);
    const clock2 = new VirtualClock();
    clock2.setNow(from);
    const tx2: number[] = [];
    const irq2: { t: number; level: boolean }[] = [];
    const fresh = make(clock2, tx2, irq2);
    loadDevice(fresh.uart, snap);
    expect(run(fresh.io, clock2)).toEqual(expected);
    // 1.5 character times after the writes the second byte is still shifting (THRE without TEMT)
    // and byte 8 has arrived: the FIFO is at its trigger level, which outranks THRE. The THRE
    // interrupt is still pending at the end, as no IIR read reported (and so cleared) it.
    expect(expected).toEqual([0x20 | 1, 0xc4, 0xc4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x60, 0xc2]);
    expect(tx2).toEqual([]); // nothing is retransmitted on restore
  });

  it("host input arrives one character time apart; a guest reading in time loses nothing", () => {
    init115200(0x01); // FIFO, trigger 1
    const text = Array.from({ length: 100 }, (_, i) => 32 + (i % 90));
    expect(uart.receive(text)).toBe(100);
    const got: number[] = [];
    for (let k = 1; k <= 100; k++) {
      clock.advanceTo(k * CHAR_115200 + 1);
      while (io.read(B + 5, 1) & 1) got.push(io.read(B, 1));
    }
    expect(got).toEqual(text);
    expect(io.read(B + 5, 1) & 0x02).toBe(0); // no overrun
  });

  it("the host buffer refuses input beyond 4096 bytes and reports room later", () => {
    init115200(0x01);
    let told = 0;
    const c = new VirtualClock();
    const u = new Uart16550("com9", c, new IrqLine({ setIrq: () => {} }, 4), { onReceiveSpace: () => told++ });
    expect(u.receive(new Uint8Array(5000))).toBe(4096);
    expect(u.receiveSpace()).toBe(0);
    c.advanceTo(u.charTimeNs() + 1);
    expect(told).toBe(1);
    expect(u.receiveSpace()).toBe(1);
  });

  it("master reset keeps SCR and the divisor latch, clears the rest", () => {
    init115200();
    io.write(B + 7, 1, 0x99);
    io.write(B + 1, 1, 0x0f);
    uart.reset();
    expect(io.read(B + 7, 1)).toBe(0x99);
    expect(io.read(B + 1, 1)).toBe(0);
    expect(io.read(B + 3, 1)).toBe(0);
    expect(io.read(B + 4, 1)).toBe(0);
    expect(io.read(B + 2, 1)).toBe(0x01);
    io.write(B + 3, 1, 0x80);
    expect(io.read(B, 1)).toBe(1);
  });

  it("refuses malformed state naming the field", () => {
    const good = saveDevice(uart);
    expect(() => loadDevice(uart, { ...good, rxCount: 5 })).toThrow(/com1\.rxCount/); // FIFO disabled: 1 max
    expect(() => loadDevice(uart, { ...good, rxFifo: new Uint8Array(3) })).toThrow(/com1\.rxFifo/);
    expect(() => loadDevice(uart, { ...good, ier: 300 })).toThrow(/com1\.ier/);
    expect(() => loadDevice(uart, { ...good, txShifting: true })).toThrow(/com1\.txDoneAt/);
    expect(() => loadDevice(uart, { ...good, lineCount: 3 })).toThrow(/com1\.lineNextAt/);
    const { scr: _s, ...missing } = good;
    expect(() => loadDevice(uart, missing)).toThrow(/scr/);
  });
});
