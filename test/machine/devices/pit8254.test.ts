import { describe, it, expect, beforeEach } from "vitest";
import { IoBus } from "../../../src/machine/io";
import { VirtualClock } from "../../../src/machine/clock";
import { Pit8254 } from "../../../src/machine/devices/pit8254";
import { attachPit, SystemControlPortB } from "../../../src/machine/devices/isa-pit";
import { saveDevice, loadDevice } from "../../../src/machine/state";

// Time of PIT clock edge k: edges sit at k / 1.193182 MHz, rounded up to a whole ns.
const edge = (k: number): number => Math.ceil((k * 1e9) / 1193182);

let io: IoBus;
let clock: VirtualClock;
let pit: Pit8254;
let portB: SystemControlPortB;
let out0: { t: number; level: boolean }[];

function setup(): void {
  io = new IoBus();
  clock = new VirtualClock();
  out0 = [];
  pit = new Pit8254(clock, { onOut0: (level) => out0.push({ t: clock.now, level }) });
  attachPit(io, pit);
  portB = new SystemControlPortB(clock, pit);
  portB.attach(io);
}
beforeEach(setup);

function program(ch: number, control: number, count: number): void {
  io.write(0x43, 1, control);
  io.write(0x40 + ch, 1, count & 0xff);
  io.write(0x40 + ch, 1, count >>> 8);
}
function latchRead(ch: number): number {
  io.write(0x43, 1, ch << 6);
  return io.read(0x40 + ch, 1) | (io.read(0x40 + ch, 1) << 8);
}

describe("8254 PIT", () => {
  it("mode 2: OUT low for one clock every N clocks, first rising edge N+1 clocks after the write", () => {
    program(0, 0x34, 1193);
    expect(out0).toEqual([{ t: 0, level: true }]);
    clock.advanceTo(edge(1194 + 3 * 1193));
    // Counting element loaded at edge 1; low at edge 1 + N - 1, high again at 1 + N (datasheet mode 2).
    expect(out0.slice(1)).toEqual([
      { t: edge(1193), level: false },
      { t: edge(1194), level: true },
      { t: edge(1193 + 1193), level: false },
      { t: edge(1194 + 1193), level: true },
      { t: edge(1193 + 2 * 1193), level: false },
      { t: edge(1194 + 2 * 1193), level: true },
      { t: edge(1193 + 3 * 1193), level: false },
      { t: edge(1194 + 3 * 1193), level: true },
    ]);
  });

  it("mode 2: the count read through a latch is N - (clocks since load mod N)", () => {
    program(0, 0x34, 1000);
    clock.advanceTo(edge(1)); // load edge
    expect(latchRead(0)).toBe(1000);
    clock.advanceTo(edge(1 + 250));
    expect(latchRead(0)).toBe(750);
    clock.advanceTo(edge(1 + 999));
    expect(latchRead(0)).toBe(1);
    clock.advanceTo(edge(1 + 1000));
    expect(latchRead(0)).toBe(1000);
    clock.advanceTo(edge(1 + 1000) + 10_000_000); // 10 ms = 11931.82 clocks later
    const k = Math.floor((edge(1 + 1000) + 10_000_000) * 1193182 / 1e9);
    expect(latchRead(0)).toBe(1000 - ((k - 1) % 1000));
  });

  it("mode 2: a new count takes effect at the next reload without disturbing the current period", () => {
    program(0, 0x34, 100);
    clock.advanceTo(edge(50));
    io.write(0x40, 1, 200 & 0xff);
    io.write(0x40, 1, 0);
    clock.advanceTo(edge(101 + 200 + 1));
    expect(out0.slice(1).map((e) => e.t)).toEqual([edge(100), edge(101), edge(101 + 199), edge(101 + 200)]);
  });

  it("mode 3: square wave, odd count high one clock longer", () => {
    program(0, 0x36, 5);
    clock.advanceTo(edge(1 + 10));
    // High for 3 clocks from the load edge (edge 1), low for 2.
    expect(out0.slice(1)).toEqual([
      { t: edge(4), level: false },
      { t: edge(6), level: true },
      { t: edge(9), level: false },
      { t: edge(11), level: true },
    ]);
    setup();
    program(0, 0x36, 4);
    clock.advanceTo(edge(1));
    expect(latchRead(0)).toBe(4);
    clock.advanceTo(edge(2));
    expect(latchRead(0)).toBe(2); // decrements by two
    clock.advanceTo(edge(3));
    expect(latchRead(0)).toBe(4); // reloaded, OUT low
    expect(out0.at(-1)).toEqual({ t: edge(3), level: false });
  });

  it("mode 3: a new count takes effect at the end of the current half-cycle", () => {
    program(0, 0x36, 10);
    clock.advanceTo(edge(3));
    io.write(0x40, 1, 4);
    io.write(0x40, 1, 0);
    clock.advanceTo(edge(13));
    // High half of 5 clocks from edge 1 ends at 6; the new count 4 continues with its low half.
    expect(out0.slice(1)).toEqual([
      { t: edge(6), level: false },
      { t: edge(8), level: true },
      { t: edge(10), level: false },
      { t: edge(12), level: true },
    ]);
  });

  it("mode 0: OUT low on the control word, high N+1 clocks after the count write, then stays high", () => {
    clock.advanceTo(5000);
    const k0 = Math.floor((5000 * 1193182) / 1e9);
    program(0, 0x30, 100);
    clock.advanceTo(edge(k0 + 1 + 100) + 1_000_000);
    expect(out0).toEqual([{ t: edge(k0 + 101), level: true }]); // starts low: no change reported at 0
    expect(latchRead(0)).toBe((0x10000 + 100 - (Math.floor(clock.now * 1193182 / 1e9) - k0 - 1)) & 0xffff);
  });

  it("mode 0: writing the first byte of a new count stops counting and lowers OUT", () => {
    program(0, 0x30, 10);
    clock.advanceTo(edge(20));
    expect(pit.out(0)).toBe(true);
    io.write(0x40, 1, 50);
    expect(pit.out(0)).toBe(false);
    const held = latchRead(0);
    clock.advanceTo(edge(40));
    expect(latchRead(0)).toBe(held);
    io.write(0x40, 1, 0);
    clock.advanceTo(edge(40 + 50));
    expect(pit.out(0)).toBe(false);
    clock.advanceTo(edge(40 + 51));
    expect(pit.out(0)).toBe(true);
  });

  it("mode 4: a one-clock low strobe at terminal count", () => {
    program(0, 0x38, 10);
    clock.advanceTo(edge(100));
    expect(out0).toEqual([
      { t: 0, level: true },
      { t: edge(11), level: false },
      { t: edge(12), level: true },
    ]);
  });

  it("BCD counting wraps at 10000 and reads back in BCD", () => {
    program(0, 0x31, 0x0100); // mode 0, BCD count 100
    clock.advanceTo(edge(1 + 37));
    expect(latchRead(0)).toBe(0x0063);
    clock.advanceTo(edge(1 + 150));
    expect(latchRead(0)).toBe(0x9950);
  });

  it("lo-only and hi-only access modes", () => {
    io.write(0x43, 1, 0x14); // counter 0, LSB only, mode 2
    io.write(0x40, 1, 50);
    clock.advanceTo(edge(11));
    expect(io.read(0x40, 1)).toBe(40);
    io.write(0x43, 1, 0x24); // MSB only
    io.write(0x40, 1, 1); // count 256
    clock.advanceTo(edge(12 + 6));
    expect(io.read(0x40, 1)).toBe(0); // 250 = 0x00FA: MSB
  });

  it("read-back: status with OUT, null count, access and mode; then the latched count", () => {
    io.write(0x43, 1, 0xb4); // counter 2, lohi, mode 2
    io.write(0x43, 1, 0xe8); // read-back status of counter 2
    expect(io.read(0x42, 1)).toBe(0x80 | 0x40 | 0x30 | 0x04);
    io.write(0x42, 1, 0x10);
    io.write(0x42, 1, 0x00);
    io.write(0x61, 1, 0x01); // gate on
    io.write(0x43, 1, 0xe8);
    expect(io.read(0x42, 1) & 0x40).toBe(0x40); // not yet loaded
    clock.advanceTo(edge(5));
    io.write(0x43, 1, 0xc8); // latch status and count
    clock.advanceTo(edge(9));
    expect(io.read(0x42, 1)).toBe(0x80 | 0x30 | 0x04);
    const lo = io.read(0x42, 1);
    const hi = io.read(0x42, 1);
    const t = Math.floor(edge(5) * 1193182 / 1e9);
    expect(lo | (hi << 8)).toBe(0x10 - (t - pit.state.channels[2].loadTick));
    // A second latch while one is pending is ignored; the first value is read.
    io.write(0x43, 1, 0x80);
    clock.advanceTo(edge(12));
    io.write(0x43, 1, 0x80);
    expect(io.read(0x42, 1) | (io.read(0x42, 1) << 8)).toBe(0x10 - (9 - pit.state.channels[2].loadTick));
  });

  it("counter 2 gate and OUT through port 0x61; mode 1 retriggerable one-shot", () => {
    program(2, 0xb2, 20); // counter 2, mode 1
    expect(io.read(0x61, 1) & 0x20).toBe(0x20); // OUT high before trigger
    clock.advanceTo(edge(10));
    io.write(0x61, 1, 0x01); // gate rising edge: load on edge 11
    clock.advanceTo(edge(11));
    expect(io.read(0x61, 1) & 0x21).toBe(0x01); // OUT low, gate readback
    clock.advanceTo(edge(30));
    expect(io.read(0x61, 1) & 0x20).toBe(0);
    io.write(0x61, 1, 0x00);
    io.write(0x61, 1, 0x01); // retrigger at edge 30: restarts from 20
    clock.advanceTo(edge(50));
    expect(io.read(0x61, 1) & 0x20).toBe(0);
    clock.advanceTo(edge(51));
    expect(io.read(0x61, 1) & 0x20).toBe(0x20);
  });

  it("mode 5: a gate trigger starts the count; one-clock strobe at terminal count", () => {
    program(2, 0xba, 10); // counter 2, lohi, mode 5
    clock.advanceTo(edge(20));
    expect(io.read(0x61, 1) & 0x20).toBe(0x20); // no trigger yet: OUT high, nothing counts
    io.write(0x61, 1, 0x01); // trigger at edge 20: loaded on edge 21
    clock.advanceTo(edge(21 + 10 - 1));
    expect(io.read(0x61, 1) & 0x20).toBe(0x20);
    clock.advanceTo(edge(21 + 10));
    expect(io.read(0x61, 1) & 0x20).toBe(0); // strobe
    clock.advanceTo(edge(21 + 11));
    expect(io.read(0x61, 1) & 0x20).toBe(0x20);
  });

  it("mode 2 gate low forces OUT high and stops counting; gate high reloads", () => {
    io.write(0x61, 1, 0x01);
    program(2, 0xb4, 100);
    clock.advanceTo(edge(40));
    io.write(0x61, 1, 0x00);
    const held = latchRead(2);
    expect(held).toBe(100 - 39);
    clock.advanceTo(edge(500));
    expect(latchRead(2)).toBe(held);
    expect(io.read(0x61, 1) & 0x20).toBe(0x20);
    io.write(0x61, 1, 0x01);
    clock.advanceTo(edge(501));
    expect(latchRead(2)).toBe(100);
  });

  it("counter 2 square wave frequency for the speaker, with reprogramming notifications", () => {
    const seen: number[] = [];
    const p = new Pit8254(new VirtualClock(), { onReprogram: (ch) => seen.push(ch) });
    const bus = new IoBus();
    attachPit(bus, p);
    bus.write(0x43, 1, 0xb6);
    bus.write(0x42, 1, 0xa9);
    bus.write(0x42, 1, 0x04); // 1193: about 1000 Hz
    expect(p.squareWaveHz(2)).toBe(0); // gate low: no tone
    p.setGate(2, true);
    expect(p.squareWaveHz(2)).toBeCloseTo(1193182 / 1193, 6);
    expect(seen).toEqual([2, 2, 2]);
  });

  it("port 0x61 refresh bit toggles every 18 PIT clocks (15.085 us)", () => {
    const bit = (): number => (io.read(0x61, 1) >> 4) & 1;
    clock.advanceTo(edge(18 * 7 + 1) );
    const a = bit();
    clock.advanceTo(Math.ceil((18 * 8 * 1e9) / 1193182));
    expect(bit()).toBe(a ^ 1);
    io.write(0x61, 1, 0x03);
    expect(io.read(0x61, 1) & 0x0f).toBe(0x03);
  });

  it("save mid-count and restore into a fresh PIT: same edges afterwards", () => {
    program(0, 0x34, 500);
    io.write(0x61, 1, 0x01);
    program(2, 0xb6, 300);
    clock.advanceTo(edge(777));
    io.write(0x43, 1, 0x00); // latch pending across the snapshot
    const snap = saveDevice(pit);
    const now = clock.now;
    clock.advanceTo(edge(3000));
    const expected = out0.filter((e) => e.t > now);
    const expectedCh2 = latchRead(2);

    const clock2 = new VirtualClock();
    clock2.setNow(now);
    const seen: { t: number; level: boolean }[] = [];
    const pit2 = new Pit8254(clock2, { onOut0: (level) => seen.push({ t: clock2.now, level }) });
    const io2 = new IoBus();
    attachPit(io2, pit2);
    loadDevice(pit2, snap);
    expect(io2.read(0x40, 1) | (io2.read(0x40, 1) << 8)).toBe(500 - ((777 - 1) % 500));
    expect(seen).toEqual([{ t: now, level: true }]); // the restore re-drives IRQ 0 at its saved level
    clock2.advanceTo(edge(3000));
    expect(seen.slice(1)).toEqual(expected);
    expect(expected.length).toBe(9); // falls at 1000..3000 step 500, rises at 1001..2501
    io2.write(0x43, 1, 0x80);
    expect(io2.read(0x42, 1) | (io2.read(0x42, 1) << 8)).toBe(expectedCh2);
  });

  it("port 0x61 state: restore keeps the speaker and check bits; malformed state is refused", () => {
    io.write(0x61, 1, 0x0b);
    const snap = saveDevice(portB);
    const pit2 = new Pit8254(new VirtualClock());
    const b2 = new SystemControlPortB(new VirtualClock(), pit2);
    loadDevice(b2, snap);
    expect(b2.read() & 0x0e).toBe(0x0a);
    expect(() => loadDevice(b2, { ...snap, channelCheck: true })).toThrow(/port61\.channelCheck/);
    expect(() => loadDevice(b2, { ...snap, speakerData: 2 })).toThrow(/port61\.speakerData/);
  });

  it("refuses malformed state naming the field", () => {
    const good = saveDevice(pit);
    const b1 = structuredClone(good);
    b1.channels[1].access = 0;
    expect(() => loadDevice(pit, b1)).toThrow(/channels\[1\]\.access/);
    const b2 = structuredClone(good);
    (b2.channels[0] as unknown as Record<string, unknown>).gate = 1;
    expect(() => loadDevice(pit, b2)).toThrow(/channels\[0\]\.gate/);
    const b3 = structuredClone(good);
    delete (b3.channels[2] as unknown as Record<string, unknown>).loadTick;
    expect(() => loadDevice(pit, b3)).toThrow(/loadTick/);
    const b4 = structuredClone(good);
    b4.channels[0].loadTick = 1.5;
    expect(() => loadDevice(pit, b4)).toThrow(/channels\[0\]\.loadTick/);
  });
});
