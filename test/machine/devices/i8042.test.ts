import { describe, it, expect, beforeEach } from "vitest";
import { IoBus } from "../../../src/machine/io";
import { IrqLine } from "../../../src/machine/irq";
import { VirtualClock } from "../../../src/machine/clock";
import { Ps2System } from "../../../src/machine/devices/isa-ps2";
import { KEY_PAUSE } from "../../../src/machine/devices/scancodes";
import { saveDevice, loadDevice, type Device } from "../../../src/machine/state";

let io: IoBus;
let ps2: Ps2System;
let irqs: { irq: number; level: boolean }[];
let a20: boolean[];
let resets: number;
let leds: number[];

function make(): { ps2: Ps2System; io: IoBus; irqs: { irq: number; level: boolean }[] } {
  const rec: { irq: number; level: boolean }[] = [];
  const sink = { setIrq: (irq: number, level: boolean) => rec.push({ irq, level }) };
  const p = new Ps2System(new IrqLine(sink, 1), new IrqLine(sink, 12), {
    onA20: (on) => a20.push(on),
    onReset: () => resets++,
    onLeds: (l) => leds.push(l),
  });
  const bus = new IoBus();
  p.attach(bus);
  return { ps2: p, io: bus, irqs: rec };
}

beforeEach(() => {
  a20 = [];
  resets = 0;
  leds = [];
  ({ ps2, io, irqs } = make());
});

const status = (): number => io.read(0x64, 1);
/** Read every byte waiting in the output buffer. */
function drain(bus = io): number[] {
  const out: number[] = [];
  while (bus.read(0x64, 1) & 1) out.push(bus.read(0x60, 1));
  return out;
}
function cmdByte(v: number): void {
  io.write(0x64, 1, 0x60);
  io.write(0x60, 1, v);
}

describe("8042 controller", () => {
  it("self test answers 0x55; interface tests answer 0; command byte reads back", () => {
    io.write(0x64, 1, 0xaa);
    expect(status() & 0x09).toBe(0x09); // OBF and A2 (last write was a command)
    expect(io.read(0x60, 1)).toBe(0x55);
    io.write(0x64, 1, 0xab);
    expect(drain()).toEqual([0x00]);
    io.write(0x64, 1, 0xa9);
    expect(drain()).toEqual([0x00]);
    cmdByte(0x47);
    io.write(0x64, 1, 0x20);
    expect(drain()).toEqual([0x47]);
    expect(status() & 0x04).toBe(0x04); // SYS flag from the command byte
  });

  it("output port: D1 drives A20, D0 reads it back, FE pulses reset", () => {
    io.write(0x64, 1, 0xd1);
    io.write(0x60, 1, 0xdd);
    expect(a20).toEqual([false]);
    io.write(0x64, 1, 0xd0);
    expect(drain()[0] & 0x03).toBe(0x01);
    io.write(0x64, 1, 0xd1);
    io.write(0x60, 1, 0xdf);
    expect(a20).toEqual([false, true]);
    expect(resets).toBe(0);
    io.write(0x64, 1, 0xfe);
    expect(resets).toBe(1);
    io.write(0x64, 1, 0xd1);
    io.write(0x60, 1, 0x02); // bit 0 low: reset
    expect(resets).toBe(2);
  });

  it("input port, password check, output port buffer-full bits", () => {
    io.write(0x64, 1, 0xc0);
    expect(drain()).toEqual([0x80]);
    io.write(0x64, 1, 0xa4);
    expect(drain()).toEqual([0xf1]);
    cmdByte(0x00);
    ps2.keyDown(0x1c); // waits in the output buffer
    // D0's reply replaces it; the buffer-full bit 4 in the reply reflects the keyboard byte.
    io.write(0x64, 1, 0xd0);
    expect(drain()).toEqual([0xc0 | 0x10 | 0x03]);
  });

  it("D2 and D3 place bytes in the output buffer as keyboard or mouse data", () => {
    cmdByte(0x03);
    io.write(0x64, 1, 0xd3);
    io.write(0x60, 1, 0x5a);
    expect(status() & 0x21).toBe(0x21);
    expect(irqs.at(-1)).toEqual({ irq: 12, level: true });
    expect(io.read(0x60, 1)).toBe(0x5a);
    io.write(0x64, 1, 0xd2);
    io.write(0x60, 1, 0xa5);
    expect(status() & 0x21).toBe(0x01);
    expect(irqs.at(-1)).toEqual({ irq: 1, level: true });
  });
});

describe("PS/2 keyboard", () => {
  it("reset answers ACK and BAT, with IRQ 1 while each byte waits", () => {
    cmdByte(0x01); // keyboard interrupt, no translation
    io.write(0x60, 1, 0xff);
    expect(irqs).toEqual([{ irq: 1, level: true }]);
    expect(io.read(0x60, 1)).toBe(0xfa);
    expect(irqs.slice(1)).toEqual([{ irq: 1, level: false }, { irq: 1, level: true }]);
    expect(io.read(0x60, 1)).toBe(0xaa);
    expect(irqs.at(-1)).toEqual({ irq: 1, level: false });
  });

  it("set 2 codes untranslated; the controller's translation gives set 1", () => {
    cmdByte(0x00);
    ps2.keyDown(0x1c);
    ps2.keyUp(0x1c);
    ps2.keyDown(0xe075);
    ps2.keyUp(0xe075);
    expect(drain()).toEqual([0x1c, 0xf0, 0x1c, 0xe0, 0x75, 0xe0, 0xf0, 0x75]);
    cmdByte(0x40);
    ps2.keyDown(0x1c);
    ps2.keyUp(0x1c);
    ps2.keyDown(0xe075);
    ps2.keyUp(0xe075);
    ps2.keyDown(0x83); // F7, the one set 2 make code above 0x7F
    expect(drain()).toEqual([0x1e, 0x9e, 0xe0, 0x48, 0xe0, 0xc8, 0x41]);
    ps2.keyDown(KEY_PAUSE);
    expect(drain()).toEqual([0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5]);
  });

  it("scan code set 1 from the keyboard itself; F0 00 reports the set", () => {
    cmdByte(0x00);
    io.write(0x60, 1, 0xf0);
    io.write(0x60, 1, 0x01);
    expect(drain()).toEqual([0xfa, 0xfa]);
    ps2.keyDown(0x29); // space
    ps2.keyUp(0x29);
    ps2.keyDown(0xe014); // right ctrl
    ps2.keyUp(0xe014);
    expect(drain()).toEqual([0x39, 0xb9, 0xe0, 0x1d, 0xe0, 0x9d]);
    io.write(0x60, 1, 0xf0);
    io.write(0x60, 1, 0x00);
    expect(drain()).toEqual([0xfa, 0xfa, 0x01]);
    io.write(0x60, 1, 0xf0);
    io.write(0x60, 1, 0x03);
    expect(drain()).toEqual([0xfa, 0xfe]);
  });

  it("identify, echo, LEDs, typematic, unknown commands", () => {
    cmdByte(0x00);
    io.write(0x60, 1, 0xf2);
    expect(drain()).toEqual([0xfa, 0xab, 0x83]);
    cmdByte(0x40);
    io.write(0x60, 1, 0xf2);
    expect(drain()).toEqual([0xfa, 0xab, 0x41]); // as Linux sees a translated MF2 keyboard
    io.write(0x60, 1, 0xee);
    expect(drain()).toEqual([0xee]);
    io.write(0x60, 1, 0xed);
    io.write(0x60, 1, 0x06);
    expect(drain()).toEqual([0xfa, 0xfa]);
    expect(leds).toEqual([6]);
    io.write(0x60, 1, 0xf3);
    io.write(0x60, 1, 0x20);
    expect(drain()).toEqual([0xfa, 0xfa]);
    io.write(0x60, 1, 0x01);
    expect(drain()).toEqual([0xfe]);
  });

  it("F5 stops scanning; AD holds keys in the keyboard until AE", () => {
    cmdByte(0x00);
    io.write(0x60, 1, 0xf5);
    expect(drain()).toEqual([0xfa]);
    ps2.keyDown(0x1c);
    expect(drain()).toEqual([]);
    io.write(0x60, 1, 0xf4);
    expect(drain()).toEqual([0xfa]);
    io.write(0x64, 1, 0xad);
    ps2.keyDown(0x1c);
    expect(status() & 1).toBe(0);
    io.write(0x64, 1, 0xae);
    expect(drain()).toEqual([0x1c]);
  });
});

describe("PS/2 mouse", () => {
  function toMouse(...bytes: number[]): void {
    for (const b of bytes) {
      io.write(0x64, 1, 0xd4);
      io.write(0x60, 1, b);
    }
  }

  beforeEach(() => {
    cmdByte(0x03); // both interrupts, both ports enabled, no translation
  });

  it("answers through the auxiliary output buffer with IRQ 12", () => {
    toMouse(0xf2);
    expect(status() & 0x21).toBe(0x21);
    expect(irqs.filter((e) => e.irq === 12)[0]).toEqual({ irq: 12, level: true });
    expect(drain()).toEqual([0xfa, 0x00]);
    toMouse(0xff);
    expect(drain()).toEqual([0xfa, 0xaa, 0x00]);
  });

  it("streams 3-byte packets with sign bits, Y up, buttons", () => {
    toMouse(0xf4);
    drain();
    ps2.mouseMove(5, 3, 0, 1); // right 5, down 3, left button
    expect(drain()).toEqual([0x08 | 0x20 | 0x01, 5, 0xfd]);
    ps2.mouseMove(-300, 0, 0, 2);
    expect(drain()).toEqual([0x18 | 0x02, 0x00, 0x00, 0x18 | 0x02, 0xd4, 0x00]); // -256 then -44
  });

  it("IntelliMouse: 200/100/80 gives ID 3 and 4-byte packets; 200/200/80 then gives ID 4", () => {
    toMouse(0xf3, 200, 0xf3, 100, 0xf3, 80, 0xf2);
    expect(drain()).toEqual([0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0x03]);
    toMouse(0xf4);
    drain();
    ps2.mouseMove(1, -1, 2, 4);
    expect(drain()).toEqual([0x08 | 0x04, 1, 1, 2]);
    ps2.mouseMove(0, 0, -1, 0);
    expect(drain()).toEqual([0x08, 0, 0, 0xff]);
    toMouse(0xf3, 200, 0xf3, 200, 0xf3, 80, 0xf2);
    expect(drain().at(-1)).toBe(0x04);
    ps2.mouseMove(0, 0, 1, 0x08);
    expect(drain()).toEqual([0x08, 0, 0, 0x11]);
  });

  it("status request, resolution, scaling 2:1 in stream mode", () => {
    toMouse(0xe8, 3, 0xe7, 0xf3, 40, 0xe9);
    expect(drain()).toEqual([0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0x10, 3, 40]);
    toMouse(0xf4);
    drain();
    ps2.mouseMove(4, 0, 0, 0);
    expect(drain()).toEqual([0x08, 6, 0]);
    toMouse(0xe6);
    drain();
    ps2.mouseMove(4, 0, 0, 0);
    expect(drain()).toEqual([0x08, 4, 0]);
  });

  it("remote mode accumulates motion until read data (EB)", () => {
    toMouse(0xf0, 0xf4);
    drain();
    ps2.mouseMove(3, 0, 0, 0);
    ps2.mouseMove(4, -2, 0, 0);
    expect(drain()).toEqual([]);
    toMouse(0xeb);
    expect(drain()).toEqual([0xfa, 0x08, 7, 2]);
  });

  it("wrap mode echoes bytes until EC", () => {
    toMouse(0xee, 0x12, 0xe9, 0xec, 0xf2);
    expect(drain()).toEqual([0xfa, 0x12, 0xe9, 0xfa, 0xfa, 0x00]);
  });

  it("A7 holds mouse data until A8", () => {
    toMouse(0xf4);
    drain();
    io.write(0x64, 1, 0xa7);
    ps2.mouseMove(1, 0, 0, 0);
    expect(status() & 1).toBe(0);
    io.write(0x64, 1, 0xa8);
    expect(drain()).toEqual([0x08, 1, 0]);
  });
});

describe("PS/2 mouse paced at its sample rate", () => {
  it("reports at most one packet per sample period, accumulating motion between samples", () => {
    const clock = new VirtualClock();
    const p = new Ps2System(new IrqLine({ setIrq: () => {} }, 1), new IrqLine({ setIrq: () => {} }, 12), { clock });
    const bus = new IoBus();
    p.attach(bus);
    bus.write(0x64, 1, 0x60);
    bus.write(0x60, 1, 0x03);
    const send = (b: number): void => {
      bus.write(0x64, 1, 0xd4);
      bus.write(0x60, 1, b);
    };
    send(0xf3);
    send(50); // 50 samples/s: 20 ms apart
    send(0xf4);
    expect(drain(bus)).toEqual([0xfa, 0xfa, 0xfa]);
    p.mouseMove(5, 0, 0, 0);
    expect(drain(bus)).toEqual([0x08, 5, 0]); // the first report goes at once
    clock.advanceTo(5e6);
    p.mouseMove(3, 0, 0, 0);
    p.mouseMove(4, 0, 0, 0);
    expect(drain(bus)).toEqual([]);
    clock.advanceTo(20e6);
    expect(drain(bus)).toEqual([0x08, 7, 0]);
    clock.advanceTo(30e6);
    p.mouseMove(0, 0, 0, 1); // a button press waits for the next sample
    expect(drain(bus)).toEqual([]);
    clock.advanceTo(40e6);
    expect(drain(bus)).toEqual([0x09, 0, 0]);
    clock.advanceTo(100e6);
    p.mouseMove(-300, 0, 0, 1);
    expect(drain(bus)).toEqual([0x19, 0x00, 0]); // -256 now
    clock.advanceTo(120e6);
    expect(drain(bus)).toEqual([0x19, 0xd4, 0]); // the remaining -44 one sample later
  });
});

describe("8042 save/restore", () => {
  it("restores queued keyboard and mouse data, a pending command and modes", () => {
    cmdByte(0x43);
    io.write(0x64, 1, 0xd4);
    io.write(0x60, 1, 0xf4);
    drain();
    ps2.keyDown(0x1c);
    ps2.keyDown(0xe075);
    ps2.mouseMove(2, 2, 0, 0);
    io.write(0x60, 1, 0xed); // LED command waiting for its parameter
    const snaps = ps2.devices.map((d) => saveDevice(d as Device<object>));
    const script = (bus: IoBus, p: Ps2System): number[] => {
      const out = drain(bus);
      bus.write(0x60, 1, 0x02);
      p.keyUp(0x1c);
      return [...out, ...drain(bus)];
    };
    const expected = script(io, ps2);
    a20 = [];
    const fresh = make();
    fresh.ps2.devices.forEach((d, i) => loadDevice(d as Device<object>, snaps[i]));
    expect(script(fresh.io, fresh.ps2)).toEqual(expected);
    // The first key waits in the output buffer, the rest of its sequence and the ED ack in the
    // keyboard; the keyboard has priority over the mouse packet (dy 2 down = -2, Y sign set).
    expect(expected).toEqual([0x1e, 0xe0, 0x48, 0xfa, 0x28, 2, 0xfe, 0xfa, 0x9e]);
  });

  it("refuses malformed state naming the field", () => {
    const [c, k, m] = ps2.devices;
    const cs = saveDevice(c);
    expect(() => loadDevice(c, { ...cs, pendingCommand: 0xd5 })).toThrow(/i8042\.pendingCommand/);
    expect(() => loadDevice(c, { ...cs, outputPort: 0x02 })).toThrow(/i8042\.outputPort/);
    const ks = saveDevice(k);
    expect(() => loadDevice(k, { ...ks, scanSet: 3 })).toThrow(/ps2kbd\.scanSet/);
    expect(() => loadDevice(k, { ...ks, out: { ...ks.out, count: 40 } })).toThrow(/ps2kbd\.out\.count/);
    const ms = saveDevice(m);
    expect(() => loadDevice(m, { ...ms, id: 2 })).toThrow(/ps2mouse\.id/);
    expect(() => loadDevice(m, { ...ms, dx: 1.5 })).toThrow(/ps2mouse\.dx/);
  });
});
