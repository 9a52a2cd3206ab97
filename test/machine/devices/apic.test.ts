import { describe, it, expect, beforeEach } from "vitest";
import { IoBus, MmioBus } from "../../../src/machine/io";
import { VirtualClock } from "../../../src/machine/clock";
import { InterruptRouter } from "../../../src/machine/devices/intr-router";
import { attachPic } from "../../../src/machine/devices/pic8259";
import { saveDevice, loadDevice, type Device } from "../../../src/machine/state";

const LAPIC = 0xfee00000;
const IOAPIC = 0xfec00000;

interface Rig {
  clock: VirtualClock;
  io: IoBus;
  mmio: MmioBus;
  router: InterruptRouter;
  intr: boolean[];
  nmis: number;
  masked: boolean;
}

function rig(apic: boolean, clock = new VirtualClock(), lint0ExtIntAtReset = false): Rig {
  const r = { clock, io: new IoBus(), mmio: new MmioBus(), intr: [] as boolean[], nmis: 0, masked: false } as Rig;
  r.router = new InterruptRouter(clock, {
    apic,
    onIntr: (l) => r.intr.push(l),
    onNmi: () => r.nmis++,
    nmiMasked: () => r.masked,
    lint0ExtIntAtReset,
  });
  attachPic(r.io, r.router.pic);
  r.router.attachMmio(r.mmio);
  return r;
}

let r: Rig;
const lw = (reg: number, v: number): void => r.mmio.write(LAPIC + reg, 4, v);
const lr = (reg: number): number => r.mmio.read(LAPIC + reg, 4);
function rte(pin: number, lo: number, hi = 0): void {
  r.mmio.write(IOAPIC, 4, 0x10 + 2 * pin + 1);
  r.mmio.write(IOAPIC + 0x10, 4, hi);
  r.mmio.write(IOAPIC, 4, 0x10 + 2 * pin);
  r.mmio.write(IOAPIC + 0x10, 4, lo);
}
function rteLo(pin: number): number {
  r.mmio.write(IOAPIC, 4, 0x10 + 2 * pin);
  return r.mmio.read(IOAPIC + 0x10, 4);
}
function initPic(): void {
  for (const [p, v] of [[0x20, 0x11], [0x21, 0x08], [0x21, 0x04], [0x21, 0x01], [0xa0, 0x11], [0xa1, 0x70], [0xa1, 0x02], [0xa1, 0x01]]) r.io.write(p, 1, v);
}
/** Linux-style APIC mode: software enabled, LINT0 masked, LINT1 NMI, PIC fully masked. */
function apicMode(): void {
  initPic();
  r.io.write(0x21, 1, 0xff);
  r.io.write(0xa1, 1, 0xff);
  lw(0xf0, 0x1ff);
  lw(0x350, 0x10700);
  lw(0x360, 0x400);
}

describe("interrupt routing without APIC (--no-apic)", () => {
  beforeEach(() => (r = rig(false)));

  it("8259 INTR drives the CPU directly and INTA returns the 8259 vector", () => {
    initPic();
    r.router.setIrq(1, true);
    expect(r.intr).toEqual([true]);
    expect(r.router.intrAck()).toBe(0x09);
    expect(r.intr).toEqual([true, false]);
    expect(r.mmio.read(LAPIC + 0x30, 4)).toBe(0xffffffff); // no local APIC decodes its page
  });

  it("shared lines combine as wired-OR", () => {
    initPic();
    r.io.write(0x4d0, 1, 0x10); // IRQ 4 level triggered
    const com1 = r.router.line(4);
    const com3 = r.router.line(4);
    com1.raise();
    com3.raise();
    com1.lower();
    expect(r.router.intrAck()).toBe(0x0c);
    r.io.write(0x20, 1, 0x20);
    com3.lower();
    expect(r.router.intrAsserted()).toBe(false);
    // A direct setIrq (a PCI interrupt routed to IRQ 4) shares the line too.
    r.router.setIrq(4, true);
    com1.raise();
    r.router.setIrq(4, false);
    expect(r.router.intrAck()).toBe(0x0c);
    r.io.write(0x20, 1, 0x20);
    com1.lower();
    expect(r.router.intrAsserted()).toBe(false);
  });

  it("NMI sources reach the CPU unless port 0x70 masks them; unmasking delivers a held source", () => {
    r.masked = true;
    r.router.setNmiSource(true);
    expect(r.nmis).toBe(0);
    r.masked = false;
    r.router.nmiMaskChanged();
    expect(r.nmis).toBe(1);
  });
});

describe("local APIC and I/O APIC", () => {
  beforeEach(() => (r = rig(true)));

  it("at reset every LVT is masked: the 8259 reaches the CPU once LINT0 is programmed ExtINT", () => {
    initPic();
    expect(lr(0x30)).toBe(0x00050014);
    expect(lr(0x350)).toBe(0x10000);
    r.router.setIrq(1, true);
    expect(r.intr).toEqual([]);
    lw(0xf0, 0x1ff);
    lw(0x350, 0x700);
    expect(r.intr).toEqual([true]);
    expect(r.router.intrAck()).toBe(0x09);
  });

  it("optionally resets LINT0 to ExtINT for firmware that never programs the APIC", () => {
    r = rig(true, new VirtualClock(), true);
    initPic();
    expect(lr(0x350)).toBe(0x700);
    r.router.setIrq(1, true);
    expect(r.router.intrAck()).toBe(0x09);
  });

  it("ISA IRQ 0 arrives on I/O APIC pin 2 and goes through IRR, ISR and EOI", () => {
    apicMode();
    rte(2, 0x30);
    rte(0, 0x10000 | 0x31);
    r.router.setIrq(0, true);
    expect(r.intr).toEqual([true]);
    expect(lr(0x200 + 0x10)).toBe(1 << 16); // IRR vector 0x30: word 1, bit 16
    expect(r.router.intrAck()).toBe(0x30);
    expect(lr(0x200 + 0x10)).toBe(0);
    expect(lr(0x100 + 0x10)).toBe(1 << 16);
    expect(lr(0xa0)).toBe(0x30); // PPR follows the in-service class
    lw(0xb0, 0);
    expect(lr(0x100 + 0x10)).toBe(0);
    expect(r.intr).toEqual([true, false]);
  });

  it("priority: a vector must be in a class above TPR and the in-service class", () => {
    apicMode();
    rte(5, 0x45);
    rte(6, 0x52);
    lw(0x80, 0x50);
    r.router.setIrq(5, true);
    r.router.setIrq(6, true);
    expect(r.router.intrAsserted()).toBe(false); // 0x52 is in class 5 = TPR class
    lw(0x80, 0x40);
    expect(r.router.intrAck()).toBe(0x52);
    expect(r.router.intrAsserted()).toBe(false); // 0x45 below the in-service 0x52
    expect(lr(0x90)).toBe(0x50); // APR: the in-service and pending classes
    expect(r.router.intrAck()).toBe(0xff); // INTA with nothing deliverable: the spurious vector
    lw(0xb0, 0);
    lw(0x80, 0x00);
    expect(r.router.intrAck()).toBe(0x45);
  });

  it("level-triggered pins set remote IRR and interrupt again after EOI while still asserted", () => {
    apicMode();
    rte(10, 0x8000 | 0x61);
    r.router.setIrq(10, true);
    expect(rteLo(10) & 0x4000).toBe(0x4000);
    expect(r.router.intrAck()).toBe(0x61);
    expect(lr(0x180 + 0x30) & 2).toBe(2); // TMR marks vector 0x61 level
    lw(0xb0, 0); // EOI broadcast: still asserted -> delivered again
    expect(rteLo(10) & 0x4000).toBe(0x4000);
    expect(r.router.intrAck()).toBe(0x61);
    r.router.setIrq(10, false);
    lw(0xb0, 0);
    expect(rteLo(10) & 0x4000).toBe(0);
    expect(r.router.intrAsserted()).toBe(false);
  });

  it("edges on a masked pin are lost; a masked level pin interrupts once unmasked", () => {
    apicMode();
    rte(3, 0x10000 | 0x33);
    r.router.setIrq(3, true);
    rte(3, 0x33);
    expect(r.router.intrAsserted()).toBe(false);
    rte(11, 0x10000 | 0x8000 | 0x3b);
    r.router.setIrq(11, true);
    expect(r.router.intrAsserted()).toBe(false);
    rte(11, 0x8000 | 0x3b);
    expect(r.router.intrAck()).toBe(0x3b);
  });

  it("polarity: an active-low entry reads back but still follows the line's logical state, as QEMU's", () => {
    apicMode();
    rte(9, 0x8000 | 0x2000 | 0x49);
    expect(rteLo(9) & 0x2000).toBe(0x2000);
    expect(r.router.intrAsserted()).toBe(false); // line idle: no interrupt, whatever the polarity
    r.router.setIrq(9, true);
    expect(r.router.intrAck()).toBe(0x49);
    r.router.setIrq(9, false);
    lw(0xb0, 0);
    expect(rteLo(9) & 0x4000).toBe(0); // released: remote IRR clears at EOI, nothing pending
    expect(r.router.intrAsserted()).toBe(false);
  });

  it("destination: physical ID and flat logical mode select the processor", () => {
    apicMode();
    rte(4, 0x34, 0x01 << 24); // physical ID 1: not us
    r.router.setIrq(4, true);
    expect(r.router.intrAsserted()).toBe(false);
    lw(0xd0, 0x01 << 24); // LDR bit 0
    rte(7, 0x800 | 0x37, 0x01 << 24);
    r.router.setIrq(7, true);
    expect(r.router.intrAck()).toBe(0x37);
  });

  it("I/O APIC ID, version and ExtINT through pin 0 (virtual wire mode B)", () => {
    r.mmio.write(IOAPIC, 4, 0);
    r.mmio.write(IOAPIC + 0x10, 4, 0x02000000);
    expect(r.mmio.read(IOAPIC + 0x10, 4)).toBe(0x02000000);
    r.mmio.write(IOAPIC, 4, 1);
    expect(r.mmio.read(IOAPIC + 0x10, 4)).toBe(0x00170011);
    initPic();
    lw(0xf0, 0x1ff);
    lw(0x350, 0x10700); // LINT0 masked
    rte(0, 0x700);
    r.router.setIrq(1, true);
    expect(r.router.intrAck()).toBe(0x09);
  });

  it("self IPIs, illegal vectors in ESR, and the error LVT", () => {
    apicMode();
    lw(0x300, 0x00044050); // fixed, self
    expect(r.router.intrAck()).toBe(0x50);
    lw(0xb0, 0);
    lw(0x370, 0xfe);
    lw(0x300, 0x00044005); // vector 5 is illegal
    lw(0x280, 0);
    expect(lr(0x280)).toBe(0x20);
    expect(r.router.intrAck()).toBe(0xfe);
    lw(0x280, 0);
    expect(lr(0x280)).toBe(0);
    lw(0x300, 0x000c4400); // NMI to all excluding self: nobody
    expect(r.nmis).toBe(0);
    lw(0x300, 0x00084400); // NMI to all including self
    expect(r.nmis).toBe(1);
  });

  it("LINT1 NMI from the platform, gated by port 0x70", () => {
    apicMode();
    r.router.setNmiSource(true);
    expect(r.nmis).toBe(1);
    r.router.setNmiSource(false);
    r.masked = true;
    r.router.setNmiSource(true);
    expect(r.nmis).toBe(1);
  });

  it("INIT resets the APIC but keeps its ID; clearing IA32_APIC_BASE bit 11 hands INTR back to the 8259", () => {
    apicMode();
    lw(0x20, 0x03000000);
    lw(0x80, 0x20);
    r.router.lapic!.init();
    expect(lr(0x20)).toBe(0x03000000);
    expect(lr(0x80)).toBe(0);
    expect(lr(0xf0)).toBe(0xff);
    r.io.write(0x21, 1, 0x00);
    r.router.setApicBase(0xfee00000); // global disable
    expect(r.mmio.read(LAPIC + 0x30, 4)).toBe(0xffffffff);
    r.router.setIrq(1, true);
    expect(r.router.intrAck()).toBe(0x09);
    r.router.setApicBase(0xfee00900);
    expect(lr(0x30)).toBe(0x00050014);
  });

  it("LINT0 in fixed level-triggered mode: remote IRR until EOI, then again while asserted", () => {
    apicMode();
    lw(0x350, 0x8000 | 0x55); // fixed, level, vector 0x55
    r.router.lapic!.setLint(0, true);
    expect(lr(0x350) & 0x4000).toBe(0x4000);
    expect(r.router.intrAck()).toBe(0x55);
    lw(0xb0, 0);
    expect(r.router.intrAck()).toBe(0x55); // still asserted
    r.router.lapic!.setLint(0, false);
    lw(0xb0, 0);
    expect(lr(0x350) & 0x4000).toBe(0);
    expect(r.router.intrAsserted()).toBe(false);
  });

  it("software disable masks every LVT and keeps them masked", () => {
    apicMode();
    lw(0xf0, 0x0ff);
    expect(lr(0x360) & 0x10000).toBe(0x10000);
    lw(0x320, 0x20);
    expect(lr(0x320)).toBe(0x10020);
  });

  it("timer one-shot: count computed from virtual time at 100 MHz, interrupt at zero", () => {
    apicMode();
    lw(0x3e0, 0x0b); // divide by 1
    lw(0x320, 0x40);
    lw(0x380, 1000); // 1000 bus clocks = 10 us
    r.clock.advanceTo(2500);
    expect(lr(0x390)).toBe(750);
    r.clock.advanceTo(9999);
    expect(r.router.intrAsserted()).toBe(false);
    r.clock.advanceTo(10_000);
    expect(r.router.intrAck()).toBe(0x40);
    expect(lr(0x390)).toBe(0);
    r.clock.advanceTo(100_000);
    expect(lr(0x200 + 0x20)).toBe(0);
  });

  it("timer periodic with divide by 16, and a divide change mid-count", () => {
    apicMode();
    lw(0x3e0, 0x03); // divide by 16
    lw(0x320, 0x20000 | 0x41);
    lw(0x380, 625); // 625 * 16 = 10000 bus clocks = 100 us
    const times: number[] = [];
    for (let t = 0; t <= 350_000; t += 10_000) {
      r.clock.advanceTo(t);
      if (r.router.intrAsserted()) {
        times.push(t);
        r.router.intrAck();
        lw(0xb0, 0);
      }
    }
    expect(times).toEqual([100_000, 200_000, 300_000]);
    r.clock.advanceTo(350_000);
    expect(lr(0x390)).toBe(625 - 312); // 5000 bus clocks into the period, 312.5 divided clocks
    lw(0x3e0, 0x0b); // divide by 1 from here: 313 clocks left at 10 ns
    r.clock.advanceTo(350_000 + 3130 - 10);
    expect(r.router.intrAsserted()).toBe(false);
    r.clock.advanceTo(350_000 + 3130);
    expect(r.router.intrAck()).toBe(0x41);
  });

  it("save/restore with the timer armed and a level interrupt in service", () => {
    apicMode();
    rte(10, 0x8000 | 0x61);
    lw(0x3e0, 0x0b);
    lw(0x320, 0x20000 | 0x42);
    lw(0x380, 3000);
    r.router.setIrq(10, true);
    expect(r.router.intrAck()).toBe(0x61);
    r.clock.advanceTo(12_345);
    const snaps = r.router.devices.map((d) => saveDevice(d as Device<object>));
    const script = (x: Rig): number[] => {
      const out: number[] = [];
      x.clock.advanceTo(30_000);
      out.push(x.mmio.read(LAPIC + 0x390, 4), x.mmio.read(LAPIC + 0x200 + 0x20, 4)); // IRR word 2 holds 0x40-0x5f
      x.mmio.write(LAPIC + 0xb0, 4, 0); // EOI 0x61: level line still high
      out.push(x.router.intrAck(), x.router.intrAck());
      return out;
    };
    const expected = script(r);
    const clock2 = new VirtualClock();
    clock2.setNow(12_345);
    const fresh = rig(true, clock2);
    fresh.router.devices.forEach((d, i) => loadDevice(d as Device<object>, snaps[i]));
    fresh.router.refresh(true);
    expect(script(fresh)).toEqual(expected);
    // At 30 us the timer (period 30 us) fired once; the count restarted. 0x61 comes again after
    // EOI; then the timer's 0x42 is below the in-service 0x61 class, so the APIC gives spurious.
    expect(expected).toEqual([3000, 1 << 2, 0x61, 0xff]);
  });

  it("refuses malformed state naming the field", () => {
    const [, lapic, ioapic] = r.router.devices as unknown as Device<Record<string, unknown>>[];
    const ls = saveDevice(lapic);
    expect(() => loadDevice(lapic, { ...ls, base: 0xfee00010 })).toThrow(/lapic\.base/);
    expect(() => loadDevice(lapic, { ...ls, irr: [0, 0] })).toThrow(/lapic\.irr/);
    expect(() => loadDevice(lapic, { ...ls, lvt: [0x1000000, 0, 0, 0, 0, 0] })).toThrow(/lapic\.lvt\[0\]/);
    expect(() => loadDevice(lapic, { ...ls, timerDivide: 4 })).toThrow(/lapic\.timerDivide/);
    const is = saveDevice(ioapic);
    const hi = (is.rteHi as number[]).slice();
    hi[3] = 1;
    expect(() => loadDevice(ioapic, { ...is, rteHi: hi })).toThrow(/ioapic\.rteHi\[3\]/);
    const { pins: _p, ...missing } = is;
    expect(() => loadDevice(ioapic, missing)).toThrow(/pins/);
  });
});

describe("SMI delivery mode", () => {
  it("a self IPI and an I/O APIC entry in SMI mode (010b) reach the processor's SMI input", () => {
    let smis = 0;
    const clock = new VirtualClock();
    const io = new IoBus();
    const mmio = new MmioBus();
    const router = new InterruptRouter(clock, { apic: true, onIntr: () => {}, onNmi: () => {}, onSmi: () => smis++ });
    attachPic(io, router.pic);
    router.attachMmio(mmio);
    mmio.write(LAPIC + 0xf0, 4, 0x1ff);
    mmio.write(LAPIC + 0x300, 4, 0x00044200); // shorthand self, assert, delivery mode SMI
    expect(smis).toBe(1);
    mmio.write(IOAPIC, 4, 0x10 + 2 * 10);
    mmio.write(IOAPIC + 0x10, 4, 0x200); // pin 10: SMI, edge, physical destination 0
    router.setIrq(10, true);
    expect(smis).toBe(2);
    expect(router.intrAsserted()).toBe(false); // no vector was accepted
  });
});
