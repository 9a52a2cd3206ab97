import { describe, it, expect } from "vitest";
import { IoBus, MmioBus } from "../../../src/machine/io";
import { VirtualClock } from "../../../src/machine/clock";
import { LegacyChipset, type ResetKind } from "../../../src/machine/devices/legacy-chipset";
import { saveDevice, loadDevice, validateState, cloneState } from "../../../src/machine/state";

interface Board {
  clock: VirtualClock;
  io: IoBus;
  mmio: MmioBus;
  chipset: LegacyChipset;
  intr: boolean[];
  a20: boolean[];
  resets: ResetKind[];
  serial: string;
  ram: Uint8Array;
}

function board(apic: boolean, clock = new VirtualClock()): Board {
  const b = { clock, io: new IoBus(), mmio: new MmioBus(), intr: [], a20: [], resets: [], serial: "", ram: new Uint8Array(1 << 20) } as unknown as Board;
  b.chipset = new LegacyChipset(b.io, b.mmio, clock, {
    apic,
    rtcBaseTime: Date.UTC(2020, 0, 1),
    memory: { read: (a, n) => b.ram.slice(a, a + n), write: (a, d) => b.ram.set(d, a) },
    onIntr: (l) => b.intr.push(l),
    onNmi: () => {},
    onA20: (on) => b.a20.push(on),
    onReset: (k) => b.resets.push(k),
    onSerialTransmit: (port, byte) => (b.serial += `${port}:${String.fromCharCode(byte)} `),
  });
  return b;
}

function biosPicInit(io: IoBus): void {
  for (const [p, v] of [[0x20, 0x11], [0x21, 0x08], [0x21, 0x04], [0x21, 0x01], [0xa0, 0x11], [0xa1, 0x70], [0xa1, 0x02], [0xa1, 0x01]]) io.write(p, 1, v);
}

describe("legacy chipset wiring", () => {
  it("every device's state matches its schema and survives a save/load round trip", () => {
    const b = board(true);
    for (const d of b.chipset.devices) {
      expect(() => validateState(d.name, d.schema, d.state)).not.toThrow();
      expect(Object.keys(d.state).sort()).toEqual(Object.keys(d.schema).sort());
      const snap = saveDevice(d);
      loadDevice(d, snap);
      expect(cloneState(d.schema, d.state)).toEqual(snap);
    }
    const names = b.chipset.devices.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("PIT counter 0 in mode 2 interrupts through the 8259 as vector 0x08 (no APIC)", () => {
    const b = board(false);
    biosPicInit(b.io);
    b.io.write(0x43, 1, 0x34);
    b.io.write(0x40, 1, 0x9c);
    b.io.write(0x40, 1, 0x2e); // 11932: 100 Hz
    const period = 11932 * 1e9 / 1193182;
    const acks: number[] = [];
    for (let k = 1; k <= 3; k++) {
      b.clock.advanceTo(Math.ceil(k * period + 1e9 / 1193182) + 1);
      acks.push(b.chipset.intrAck());
      b.io.write(0x20, 1, 0x20);
    }
    expect(acks).toEqual([0x08, 0x08, 0x08]);
  });

  it("with APIC, PIT IRQ 0 reaches I/O APIC pin 2 and COM1 IRQ 4 reaches pin 4", () => {
    const b = board(true);
    biosPicInit(b.io);
    b.io.write(0x21, 1, 0xff);
    b.io.write(0xa1, 1, 0xff);
    b.mmio.write(0xfee000f0, 4, 0x1ff);
    const rte = (pin: number, lo: number): void => {
      b.mmio.write(0xfec00000, 4, 0x10 + 2 * pin);
      b.mmio.write(0xfec00010, 4, lo);
    };
    rte(2, 0x30);
    rte(4, 0x34);
    b.io.write(0x43, 1, 0x34);
    b.io.write(0x40, 1, 0x00);
    b.io.write(0x40, 1, 0x10);
    b.clock.advanceTo(4_000_000);
    expect(b.chipset.intrAck()).toBe(0x30);
    b.mmio.write(0xfee000b0, 4, 0);
    b.io.write(0x3fc, 1, 0x08); // OUT2
    b.io.write(0x3f9, 1, 0x02); // THRE interrupt
    expect(b.chipset.intrAck()).toBe(0x34);
    b.io.write(0x3f8, 1, 0x41);
    expect(b.serial).toBe("0:A ");
  });

  it("A20 follows the source written last, as in QEMU and Bochs; resets are classified", () => {
    const b = board(false);
    b.io.write(0x64, 1, 0xd1);
    b.io.write(0x60, 1, 0x01); // 8042 A20 off (port 0x92 still says on): off
    expect(b.a20).toEqual([false]);
    b.io.write(0x92, 1, 0x02); // port 0x92 on: on
    expect(b.a20).toEqual([false, true]);
    b.io.write(0x92, 1, 0x00); // port 0x92 off while the 8042 is off: off
    expect(b.a20).toEqual([false, true, false]);
    b.io.write(0x64, 1, 0xd1);
    b.io.write(0x60, 1, 0x03); // 8042 on: on
    expect(b.a20).toEqual([false, true, false, true]);
    b.io.write(0x64, 1, 0xfe);
    b.io.write(0x92, 1, 0x03);
    b.io.write(0xcf9, 1, 0x06);
    expect(b.resets).toEqual(["cpu", "init", "system"]);
  });

  it("port 0x61 channel check raises NMI unless port 0x70 masks it", () => {
    let nmis = 0;
    const clock = new VirtualClock();
    const io = new IoBus();
    const cs = new LegacyChipset(io, new MmioBus(), clock, {
      apic: false, rtcBaseTime: 0, memory: { read: () => new Uint8Array(), write: () => {} },
      onIntr: () => {}, onNmi: () => nmis++, onA20: () => {}, onReset: () => {},
    });
    io.write(0x70, 1, 0x80);
    cs.portB.signalChannelCheck();
    expect(io.read(0x61, 1) & 0x40).toBe(0x40);
    expect(nmis).toBe(0);
    io.write(0x70, 1, 0x00);
    expect(nmis).toBe(1);
    io.write(0x61, 1, 0x08); // disabling the source clears it
    expect(io.read(0x61, 1) & 0x40).toBe(0);
  });

  it("a whole-chipset snapshot restores into a fresh board with identical timer interrupts", () => {
    const b = board(true);
    biosPicInit(b.io);
    b.mmio.write(0xfee000f0, 4, 0x1ff); // virtual wire mode: the 8259 through LINT0
    b.mmio.write(0xfee00350, 4, 0x700);
    b.io.write(0x43, 1, 0x34);
    b.io.write(0x40, 1, 0x9c);
    b.io.write(0x40, 1, 0x2e);
    b.io.write(0x70, 1, 0x0b);
    b.io.write(0x71, 1, 0x42); // RTC PIE at 1024 Hz
    b.clock.advanceTo(25_000_000);
    const snaps = b.chipset.devices.map((d) => saveDevice(d));
    const run = (x: Board): number[] => {
      const got: number[] = [];
      for (let t = 25_000_000; t <= 60_000_000; t += 500_000) {
        x.clock.advanceTo(t);
        while (x.chipset.router.intrAsserted()) {
          const v = x.chipset.intrAck();
          got.push(t, v);
          if (v === 0x70) {
            x.io.write(0x70, 1, 0x0c);
            x.io.read(0x71, 1);
            x.io.write(0xa0, 1, 0x20);
          }
          x.io.write(0x20, 1, 0x20);
        }
      }
      return got;
    };
    const expected = run(b);
    const clock2 = new VirtualClock();
    clock2.setNow(25_000_000);
    const c = board(true, clock2);
    c.chipset.devices.forEach((d, i) => loadDevice(d, snaps[i]));
    c.chipset.afterRestore();
    expect(run(c)).toEqual(expected);
    expect(expected.filter((v, i) => i % 2 === 1 && v === 0x08).length).toBe(4); // every 10 ms from 20.0 ms (seen at the next 0.5 ms step)
    expect(expected.filter((v, i) => i % 2 === 1 && v === 0x70).length).toBeGreaterThan(30);
  });
});
