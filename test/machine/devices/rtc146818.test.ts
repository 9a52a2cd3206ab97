import { describe, it, expect, beforeEach } from "vitest";
import { IoBus } from "../../../src/machine/io";
import { VirtualClock } from "../../../src/machine/clock";
import { IrqLine } from "../../../src/machine/irq";
import { Rtc146818 } from "../../../src/machine/devices/rtc146818";
import * as C from "../../../src/machine/devices/cmos-layout";
import { saveDevice, loadDevice } from "../../../src/machine/state";

// 2024-02-28 23:59:58.250 UTC, a Wednesday, the day before a leap day.
const BASE = Date.UTC(2024, 1, 28, 23, 59, 58, 250);
const MS = 1e6;

let io: IoBus;
let clock: VirtualClock;
let rtc: Rtc146818;
let edges: { t: number; level: boolean }[];
let nmi: boolean[];

function make(c: VirtualClock, recorder: { t: number; level: boolean }[]): { rtc: Rtc146818; io: IoBus } {
  const bus = new IoBus();
  const line = new IrqLine({ setIrq: (_i, level) => recorder.push({ t: c.now, level }) }, 8);
  const r = new Rtc146818(c, line, { baseTime: BASE, onNmiMask: (m) => nmi.push(m) });
  r.attach(bus);
  return { rtc: r, io: bus };
}

beforeEach(() => {
  clock = new VirtualClock();
  edges = [];
  nmi = [];
  ({ rtc, io } = make(clock, edges));
});

const rd = (i: number): number => {
  io.write(0x70, 1, i);
  return io.read(0x71, 1);
};
const wr = (i: number, v: number): void => {
  io.write(0x70, 1, i);
  io.write(0x71, 1, v);
};

describe("MC146818 RTC", () => {
  it("starts at the configured time in BCD 24-hour format", () => {
    expect([rd(0), rd(2), rd(4), rd(6), rd(7), rd(8), rd(9), rd(0x32)]).toEqual([0x58, 0x59, 0x23, 0x04, 0x28, 0x02, 0x24, 0x20]);
    expect(rd(0x0a)).toBe(0x26);
    expect(rd(0x0b)).toBe(0x02);
    expect(rd(0x0d)).toBe(0x80);
  });

  it("advances once per virtual second, phase-aligned to the base time, through a leap day", () => {
    clock.advanceTo(749 * MS);
    expect(rd(0)).toBe(0x58);
    clock.advanceTo(750 * MS);
    expect(rd(0)).toBe(0x59);
    clock.advanceTo(1750 * MS);
    expect([rd(0), rd(2), rd(4), rd(6), rd(7), rd(8)]).toEqual([0x00, 0x00, 0x00, 0x05, 0x29, 0x02]);
    clock.advanceTo(1750 * MS + 86400 * 1000 * MS);
    expect([rd(6), rd(7), rd(8)]).toEqual([0x06, 0x01, 0x03]);
  });

  it("reports UIP during the 2228 us before each update", () => {
    clock.advanceTo(750 * MS - 2_229_000);
    expect(rd(0x0a) & 0x80).toBe(0);
    clock.advanceTo(750 * MS - 2_228_000);
    expect(rd(0x0a) & 0x80).toBe(0x80);
    expect(rd(0)).toBe(0x58);
    clock.advanceTo(750 * MS);
    expect(rd(0x0a) & 0x80).toBe(0);
    expect(rd(0)).toBe(0x59);
  });

  it("periodic interrupt at rate 6 every 976.5625 us; register C read clears the flag and IRQ", () => {
    wr(0x0b, 0x42); // PIE
    clock.advanceTo(976_562);
    expect(edges).toEqual([]);
    clock.advanceTo(976_563); // 32 clocks of 32.768 kHz
    expect(edges).toEqual([{ t: 976_563, level: true }]);
    expect(rd(0x0c)).toBe(0xc0);
    expect(edges.at(-1)).toEqual({ t: 976_563, level: false });
    expect(rd(0x0c)).toBe(0x00);
    clock.advanceTo(1_953_125);
    expect(edges.at(-1)).toEqual({ t: 1_953_125, level: true });
  });

  it("periodic rates from register A: rate 3 is 122.07 us, rate 15 is 500 ms, rate 0 is off", () => {
    for (const [rs, ns] of [[3, 122_071], [15, 500_000_000], [1, 3_906_250]] as const) {
      clock = new VirtualClock();
      edges = [];
      ({ rtc, io } = make(clock, edges));
      wr(0x0a, 0x20 | rs);
      wr(0x0b, 0x42);
      clock.advanceTo(ns - 1);
      expect(edges.length).toBe(0);
      clock.advanceTo(ns);
      expect(edges.length).toBe(1);
    }
    wr(0x0a, 0x20);
    rd(0x0c);
    clock.advanceTo(clock.now + 2e9);
    expect(rd(0x0c) & 0x40).toBe(0);
  });

  it("sets PF without interrupting when PIE is clear", () => {
    clock.advanceTo(1_000_000);
    expect(rd(0x0c)).toBe(0x40);
    expect(edges).toEqual([]);
  });

  it("update-ended interrupt once per second, alarm with don't-care bytes", () => {
    wr(0x0b, 0x12); // UIE
    clock.advanceTo(750 * MS);
    expect(edges).toEqual([{ t: 750 * MS, level: true }]);
    expect(rd(0x0c)).toBe(0xd0); // IRQF, UF, and PF: the periodic flag is set even with PIE clear
    wr(0x0b, 0x22); // AIE only
    wr(0x01, 0x05);
    wr(0x03, 0xc0); // any minute
    wr(0x05, 0xff); // any hour
    clock.advanceTo(6749 * MS);
    expect(edges.length).toBe(2);
    clock.advanceTo(6750 * MS); // 00:00:05
    expect(edges.at(-1)).toEqual({ t: 6750 * MS, level: true });
    expect(rd(0x0c) & 0xb0).toBe(0xb0);
  });

  it("SET inhibits updates and clears UIE; binary 12-hour format is honoured by the update", () => {
    wr(0x0b, 0x80 | 0x10 | 0x04); // SET, UIE, binary, 12-hour
    expect(rd(0x0b)).toBe(0x84);
    wr(0x00, 59);
    wr(0x02, 59);
    wr(0x04, 0x80 | 11); // 11 PM
    clock.advanceTo(3000 * MS);
    expect(rd(0x00)).toBe(59);
    expect(rd(0x0a) & 0x80).toBe(0);
    wr(0x0b, 0x04);
    clock.advanceTo(3750 * MS);
    expect([rd(0x00), rd(0x02), rd(0x04)]).toEqual([0, 0, 12]); // 12 AM
  });

  it("daylight saving: April skips 2 AM, October repeats 1 AM once", () => {
    wr(0x0b, 0x80 | 0x03); // SET, 24 h, BCD, DSE
    const setDate = (month: number, day: number): void => {
      wr(0x00, 0x59); wr(0x02, 0x59); wr(0x04, 0x01); wr(0x06, 0x01); wr(0x07, day); wr(0x08, month); wr(0x09, 0x24);
    };
    setDate(0x04, 0x28); // Sunday 28 April 2024
    wr(0x0b, 0x03);
    clock.advanceTo(750 * MS);
    expect([rd(4), rd(2), rd(0)]).toEqual([0x03, 0x00, 0x00]);
    wr(0x0b, 0x83);
    setDate(0x10, 0x27); // Sunday 27 October 2024
    wr(0x0b, 0x03);
    clock.advanceTo(1750 * MS);
    expect([rd(4), rd(2), rd(0)]).toEqual([0x01, 0x00, 0x00]);
    clock.advanceTo(1750 * MS + 3599 * 1000 * MS);
    expect([rd(4), rd(2), rd(0)]).toEqual([0x01, 0x59, 0x59]);
    clock.advanceTo(1750 * MS + 3600 * 1000 * MS);
    expect([rd(4), rd(2), rd(0)]).toEqual([0x02, 0x00, 0x00]);
  });

  it("divider reset stops the clock; the first update comes 500 ms after release", () => {
    wr(0x0a, 0x70);
    clock.advanceTo(5000 * MS);
    expect(rd(0)).toBe(0x58);
    wr(0x0a, 0x26);
    clock.advanceTo(5499 * MS);
    expect(rd(0)).toBe(0x58);
    clock.advanceTo(5500 * MS);
    expect(rd(0)).toBe(0x59);
  });

  it("port 0x70 bit 7 masks NMI; index selects CMOS RAM", () => {
    io.write(0x70, 1, 0x80 | 0x40);
    expect(nmi).toEqual([true]);
    expect(rtc.nmiMasked).toBe(true);
    io.write(0x71, 1, 0xab);
    io.write(0x70, 1, 0x40);
    expect(nmi).toEqual([true, false]);
    expect(io.read(0x71, 1)).toBe(0xab);
  });

  it("NVRAM layout helpers and checksum", () => {
    C.setMemorySize(rtc, 128 << 20);
    C.setFloppyTypes(rtc, C.FLOPPY_1440K, C.FLOPPY_NONE);
    C.setEquipment(rtc, { floppies: 1, fpu: true });
    C.setBootOrder(rtc, ["cdrom", "disk", "floppy"]);
    C.setDiskGeometry(rtc, 0, { cylinders: 1024, heads: 16, sectors: 63 });
    C.setCpuCount(rtc, 1);
    C.updateChecksum(rtc);
    expect(rd(0x5f)).toBe(0);
    expect([rd(0x15), rd(0x16)]).toEqual([0x80, 0x02]);
    expect([rd(0x17), rd(0x18), rd(0x30), rd(0x31)]).toEqual([0xff, 0xff, 0xff, 0xff]); // 127 MiB is above what 16 bits of KiB hold
    expect([rd(0x34), rd(0x35)]).toEqual([0x00, 0x07]); // (128-16) MiB / 64 KiB = 1792
    expect(rd(0x10)).toBe(0x40);
    expect(rd(0x14)).toBe(0x03);
    expect(rd(0x3d)).toBe(0x23);
    expect(rd(0x38)).toBe(0x10);
    expect(rd(0x12)).toBe(0xf0);
    expect(rd(0x19)).toBe(47);
    expect([rd(0x1b), rd(0x1c), rd(0x1d), rd(0x23)]).toEqual([0x00, 0x04, 16, 63]);
    let sum = 0;
    for (let i = 0x10; i <= 0x2d; i++) sum += rd(i);
    expect((rd(0x2e) << 8) | rd(0x2f)).toBe(sum);
  });

  it("save with the periodic interrupt armed and restore into a fresh RTC: same interrupts", () => {
    wr(0x0a, 0x2f); // 500 ms
    wr(0x0b, 0x52); // PIE + UIE
    clock.advanceTo(600 * MS);
    rd(0x0c);
    wr(0x40, 0x5a);
    const snap = saveDevice(rtc);
    const from = clock.now;
    clock.advanceTo(4000 * MS);
    const expected = edges.filter((e) => e.t > from);
    const expectedTime = [rd(0), rd(2), rd(4)];

    const clock2 = new VirtualClock();
    clock2.setNow(from);
    const seen: { t: number; level: boolean }[] = [];
    const { rtc: rtc2, io: io2 } = make(clock2, seen);
    loadDevice(rtc2, snap);
    clock2.advanceTo(4000 * MS);
    expect(seen.filter((e) => e.t > from)).toEqual(expected);
    expect(expected.map((e) => e.t)).toEqual([750 * MS]); // UF at 0.75 s; IRQF then stays high
    io2.write(0x70, 1, 0x0c);
    expect(io2.read(0x71, 1)).toBe(0xf0); // AF too: 00:00:00 matched the zeroed alarm bytes
    io2.write(0x70, 1, 0);
    expect(io2.read(0x71, 1)).toBe(expectedTime[0]);
    io2.write(0x70, 1, 0x40);
    expect(io2.read(0x71, 1)).toBe(0x5a);
  });

  it("refuses malformed state naming the field", () => {
    const good = saveDevice(rtc);
    const b1 = { ...good, cmos: new Uint8Array(64) };
    expect(() => loadDevice(rtc, b1)).toThrow(/rtc\.cmos/);
    const b2 = { ...good, flags: 0x80 };
    expect(() => loadDevice(rtc, b2)).toThrow(/rtc\.flags/);
    const b3 = { ...good, nextUpdateNs: Infinity };
    expect(() => loadDevice(rtc, b3)).toThrow(/rtc\.nextUpdateNs/);
    const { index: _drop, ...b4 } = good;
    expect(() => loadDevice(rtc, b4)).toThrow(/index/);
    const b5 = { ...good, pfClearTick: -3 };
    expect(() => loadDevice(rtc, b5)).toThrow(/rtc\.pfClearTick/);
  });
});
