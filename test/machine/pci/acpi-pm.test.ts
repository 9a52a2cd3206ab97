import { describe, it, expect } from "vitest";
import { IoBus } from "../../../src/machine/io";
import { IrqLine } from "../../../src/machine/irq";
import { VirtualClock } from "../../../src/machine/clock";
import { loadDevice, saveDevice } from "../../../src/machine/state";
import { PciBus } from "../../../src/machine/pci/pci-bus";
import { AcpiPm } from "../../../src/machine/pci/acpi-pm";
import { Piix4Pm } from "../../../src/machine/pci/piix4-pm";
import { RecordingSink, cfgRead, cfgWrite } from "./helpers";

const PMBASE = 0xb000;

function setup(start = 0) {
  const io = new IoBus();
  const clock = new VirtualClock();
  clock.now = start;
  const sink = new RecordingSink();
  const bus = new PciBus(io);
  const pm = new AcpiPm(clock, new IrqLine(sink, 9));
  const fn = new Piix4Pm(io, pm);
  // Function 3 is visible only with a function 0 at the same device: give it a stand-in.
  bus.register(new Piix4Pm(new IoBus(), new AcpiPm(new VirtualClock(), new IrqLine(sink, 5))), 1, 0);
  bus.register(fn, 1, 3);
  // What firmware does (PIIX4 7.1): PMBA, then PMREGMISC.PMIOSE.
  cfgWrite(io, 1, 3, 0x40, 4, PMBASE | 1);
  cfgWrite(io, 1, 3, 0x80, 1, 0x01);
  return { io, clock, sink, pm, fn };
}

describe("PIIX4 PM function", () => {
  it("identifies as 8086:7113 and decodes the PM block only when PMIOSE is set", () => {
    const io = new IoBus();
    const bus = new PciBus(io);
    const fn = new Piix4Pm(io, new AcpiPm(new VirtualClock(), new IrqLine(new RecordingSink(), 9)));
    bus.register(fn, 0, 0);
    expect(cfgRead(io, 0, 0, 0, 4)).toBe(0x71138086);
    expect(cfgRead(io, 0, 0, 0x40, 4)).toBe(0x00000001);
    cfgWrite(io, 0, 0, 0x40, 4, 0xffffffff);
    expect(cfgRead(io, 0, 0, 0x40, 4)).toBe(0x0000ffc1); // 64-byte block
    cfgWrite(io, 0, 0, 0x40, 4, PMBASE);
    expect(io.ownerOf(PMBASE + 8)).toBeUndefined();
    cfgWrite(io, 0, 0, 0x80, 1, 1);
    expect(io.ownerOf(PMBASE + 8)).toBe("acpi-pm");
    expect(fn.decodedBase()).toBe(PMBASE);
    // SMBus is absent: its base register cannot be programmed.
    cfgWrite(io, 0, 0, 0x90, 4, 0xb101);
    expect(cfgRead(io, 0, 0, 0x90, 4)).toBe(0);
    cfgWrite(io, 0, 0, 0x80, 1, 0);
    expect(io.ownerOf(PMBASE + 8)).toBeUndefined();
  });

  it("counts the PM timer at 3.579545 MHz of virtual time", () => {
    const { io, clock } = setup();
    expect(io.read(PMBASE + 8, 4)).toBe(0);
    clock.advanceTo(1_000_000); // 1 ms = 3579.545 ticks
    expect(io.read(PMBASE + 8, 4)).toBe(3579);
    clock.advanceTo(1_000_000_000); // 1 s
    expect(io.read(PMBASE + 8, 4)).toBe(3579545);
    clock.advanceTo(5_000_000_000); // 5 s = 17897725 ticks, wraps at 2^24
    expect(io.read(PMBASE + 8, 4)).toBe(17897725 - 16777216);
    expect(io.read(PMBASE + 8, 2)).toBe((17897725 - 16777216) & 0xffff);
  });

  it("starts the timer at power-on, not at virtual time zero", () => {
    const { io, clock } = setup(7_000_000_000);
    expect(io.read(PMBASE + 8, 4)).toBe(0);
    clock.advanceTo(7_000_000_280); // 280 ns = 1.0023 ticks
    expect(io.read(PMBASE + 8, 4)).toBe(1);
  });

  it("sets TMROF_STS when bit 23 toggles and raises the SCI when enabled", () => {
    const { io, clock, sink } = setup();
    io.write(PMBASE + 2, 2, 0x0001); // TMROF_EN
    io.write(PMBASE + 4, 2, 0x0001); // SCI_EN
    // 2^23 ticks take 8388608 / 3579545 s.
    const toggle = Math.ceil((8388608 * 1e9) / 3579545);
    clock.advanceTo(toggle - 1);
    expect(io.read(PMBASE, 2) & 1).toBe(0);
    expect(sink.level(9)).toBe(false);
    clock.advanceTo(toggle);
    expect(io.read(PMBASE, 2) & 1).toBe(1);
    expect(io.read(PMBASE + 8, 4)).toBe(0x800000);
    expect(sink.level(9)).toBe(true);
    io.write(PMBASE, 2, 0x0001); // write one to clear
    expect(io.read(PMBASE, 2) & 1).toBe(0);
    expect(sink.level(9)).toBe(false);
    // The next change of bit 23 (1 -> 0) is the 2^24 wrap.
    clock.advanceTo(Math.ceil((16777216 * 1e9) / 3579545));
    expect(io.read(PMBASE, 2) & 1).toBe(1);
  });

  it("keeps the SCI low while SCI_EN is clear", () => {
    const { io, sink, pm } = setup();
    io.write(PMBASE + 2, 2, 0x0100); // PWRBTN_EN
    pm.pressPowerButton();
    expect(io.read(PMBASE, 2) & 0x0100).toBe(0x0100);
    expect(sink.level(9)).toBe(false);
    io.write(PMBASE + 4, 1, 0x01);
    expect(sink.level(9)).toBe(true);
  });

  it("powers off when SLP_EN is written with the S5 type, and reports other sleep types", () => {
    const { io, pm } = setup();
    const events: string[] = [];
    pm.onPowerOff = () => void events.push("off");
    pm.onSleep = (t) => void events.push(`sleep${t}`);
    io.write(PMBASE + 4, 2, 0x0001 | (0 << 10)); // SUS_TYP without SUS_EN: nothing
    expect(events).toEqual([]);
    io.write(PMBASE + 4, 2, 0x0001 | (1 << 10) | 0x2000);
    expect(events).toEqual(["sleep1"]);
    expect(io.read(PMBASE + 4, 2)).toBe(0x0001 | (1 << 10)); // SUS_EN reads as zero
    io.write(PMBASE + 4, 2, 0x0001 | (0 << 10) | 0x2000);
    expect(events).toEqual(["sleep1", "off"]);
  });

  it("raises the SCI for an enabled RTC alarm", () => {
    const { io, sink, pm } = setup();
    io.write(PMBASE + 4, 2, 1);
    pm.rtcAlarm();
    expect(io.read(PMBASE, 2) & 0x0400).toBe(0x0400);
    expect(sink.level(9)).toBe(false);
    io.write(PMBASE + 2, 2, 0x0400);
    expect(sink.level(9)).toBe(true);
    io.write(PMBASE, 2, 0x0400);
    expect(sink.level(9)).toBe(false);
  });

  it("keeps GPE0 status and enable bits and raises the SCI on an enabled event", () => {
    const { io, sink, pm } = setup();
    io.write(PMBASE + 4, 2, 1);
    io.write(PMBASE + 0x0e, 2, 0x0002);
    pm.raiseGpe(0);
    expect(io.read(PMBASE + 0x0c, 2)).toBe(0x0001);
    expect(sink.level(9)).toBe(false);
    pm.raiseGpe(1);
    expect(sink.level(9)).toBe(true);
    io.write(PMBASE + 0x0c, 2, 0x0002);
    expect(io.read(PMBASE + 0x0c, 2)).toBe(0x0001);
    expect(sink.level(9)).toBe(false);
  });

  it("restores the timer from saved virtual time and re-arms the overflow deadline", () => {
    const a = setup();
    a.io.write(PMBASE + 2, 2, 1);
    a.io.write(PMBASE + 4, 2, 1);
    a.clock.advanceTo(1_500_000_000);
    const saved = saveDevice(a.pm);
    const savedNow = a.clock.now;
    const b = setup();
    b.clock.setNow(savedNow);
    loadDevice(b.pm, saved);
    expect(b.io.read(PMBASE + 8, 4)).toBe(a.io.read(PMBASE + 8, 4));
    b.clock.advanceTo(Math.ceil((8388608 * 1e9) / 3579545));
    expect(b.io.read(PMBASE, 2) & 1).toBe(1);
    expect(b.sink.level(9)).toBe(true);
  });

  it("refuses malformed saved state, naming the field", () => {
    const { pm, clock } = setup();
    clock.advanceTo(1000);
    const good = saveDevice(pm);
    expect(() => loadDevice(pm, { ...good, regs: new Uint8Array(10) })).toThrow(/acpi-pm\.regs/);
    expect(() => loadDevice(pm, { ...good, overflowDeadline: Infinity })).toThrow(/acpi-pm\.overflowDeadline/);
    expect(() => loadDevice(pm, { ...good, timerBase: 5000 })).toThrow(/acpi-pm\.timerBase/);
  });
});
