// Arbitrary guest programming must never break a device's invariants: after thousands of random
// port writes and reads (and random time steps), every device's state still validates against
// its schema and passes its own postLoad checks, and nothing throws.
import { describe, it, expect } from "vitest";
import { IoBus, MmioBus } from "../../../src/machine/io";
import { VirtualClock } from "../../../src/machine/clock";
import { LegacyChipset } from "../../../src/machine/devices/legacy-chipset";
import { saveDevice, loadDevice } from "../../../src/machine/state";
import { xorshift32 } from "../../support/rng";

const PORTS = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
  0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1, 0x40, 0x41, 0x42, 0x43, 0x61, 0x70, 0x71, 0x60, 0x64,
  0x81, 0x82, 0x83, 0x87, 0x89, 0x8a, 0x8b, 0x8f, 0xc0, 0xc2, 0xc4, 0xd0, 0xd2, 0xd4, 0xd6, 0xd8, 0xda, 0xdc, 0xde,
  0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff, 0x2f8, 0x2f9, 0x2fa, 0x2fb, 0x2fc, 0x2fd,
  0x92, 0x80,
];
const LAPIC_REGS = [0x20, 0x80, 0xb0, 0xd0, 0xe0, 0xf0, 0x280, 0x300, 0x310, 0x320, 0x350, 0x360, 0x370, 0x380, 0x390, 0x3e0];

describe("random guest programming", () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`keeps every device's state valid (seed ${seed})`, () => {
      const next = xorshift32(seed * 0x9e3779b9);
      const clock = new VirtualClock();
      const io = new IoBus();
      const mmio = new MmioBus();
      const ram = new Uint8Array(1 << 24);
      const cs = new LegacyChipset(io, mmio, clock, {
        apic: true,
        rtcBaseTime: Date.UTC(2024, 0, 1),
        memory: { read: (a, n) => ram.slice(a & 0xffffff, (a & 0xffffff) + n), write: (a, d) => ram.set(d.subarray(0, Math.max(0, 0x1000000 - (a & 0xffffff))), a & 0xffffff) },
        onIntr: () => {},
        onNmi: () => {},
        onA20: () => {},
        onReset: () => {},
      });
      // Devices on the DMA channels that always have data.
      for (const ch of [1, 2, 3, 5, 6, 7]) {
        cs.dma.connect(ch, {
          dmaTransfer: (_c, toMemory, m, max) => (toMemory ? m.write(new Uint8Array(Math.min(max, 64))) : m.read(Math.min(max, 64)).length),
        });
      }
      const before = cs.devices.map((d) => JSON.stringify(saveDevice(d), (_k, v) => (v instanceof Uint8Array ? [...v] : v)));
      for (let i = 0; i < 20000; i++) {
        const r = next();
        const action = r % 16;
        if (action < 9) io.write(PORTS[next() % PORTS.length], 1, next() & 0xff);
        else if (action < 12) io.read(PORTS[next() % PORTS.length], 1);
        else if (action === 12) mmio.write(0xfee00000 + LAPIC_REGS[next() % LAPIC_REGS.length], 4, next());
        else if (action === 13) {
          mmio.write(0xfec00000, 4, next() % 0x40);
          mmio.write(0xfec00010, 4, next());
        } else if (action === 14) {
          const irq = next() % 16;
          cs.router.setIrq(irq, (next() & 1) === 1);
          if (cs.router.intrAsserted()) cs.intrAck();
          cs.dma.setDreq([1, 2, 3, 5, 6, 7][next() % 6], (next() & 1) === 1);
        } else {
          clock.advanceTo(clock.now + (next() % 2_000_000));
          cs.uarts[next() % 4].receive([next() & 0xff]);
          cs.ps2.keyDown(next() & 0x7f);
          cs.ps2.mouseMove((next() % 600) - 300, (next() % 600) - 300, (next() % 5) - 2, next() & 7);
        }
      }
      const changed = cs.devices.filter((d, i) => JSON.stringify(saveDevice(d), (_k, v) => (v instanceof Uint8Array ? [...v] : v)) !== before[i]).map((d) => d.name);
      // The random programming reached every stateful device.
      for (const name of ["pic", "lapic", "ioapic", "pit", "rtc", "com1", "com2", "i8042", "ps2kbd", "ps2mouse", "dma"]) {
        expect(changed).toContain(name);
      }
      for (const d of cs.devices) {
        const snap = saveDevice(d);
        expect(() => loadDevice(d, snap), d.name).not.toThrow();
      }
    });
  }
});
