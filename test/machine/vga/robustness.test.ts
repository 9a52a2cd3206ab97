// Whatever a guest writes to the adapter's ports and memory, the device and its renderer must keep
// working: no exception, a frame of sane size, and state that still satisfies its own invariants.
import { describe, it, expect } from "vitest";
import { makeRig } from "./helpers";
import { saveDevice, loadDevice } from "../../../src/machine/state";
import { xorshift32 } from "../../support/rng";

const PORTS = [0x3b4, 0x3b5, 0x3ba, 0x3c0, 0x3c1, 0x3c2, 0x3c3, 0x3c4, 0x3c5, 0x3c6, 0x3c7, 0x3c8, 0x3c9, 0x3ca, 0x3cc, 0x3ce, 0x3cf, 0x3d4, 0x3d5, 0x3da];

describe("robustness against arbitrary guest programming", () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`random register and memory traffic (seed ${seed})`, () => {
      const rig = makeRig();
      rig.setMode(["03", "12", "13", "X"][seed % 4]);
      const rnd = xorshift32(seed * 7919);
      for (let i = 0; i < 8000; i++) {
        const r = rnd();
        const what = r % 16;
        if (what < 7) {
          const port = PORTS[(r >>> 4) % PORTS.length];
          if ((r >>> 12) & 1) rig.in8(port);
          else rig.out8(port, (r >>> 16) & 0xff);
        } else if (what < 12) {
          const addr = 0xa0000 + ((r >>> 4) % 0x20000);
          if ((r >>> 24) & 1) rig.peek(addr, 1 << ((r >>> 25) % 3));
          else rig.poke(addr, rnd(), 1 << ((r >>> 25) % 3));
        } else if (what < 14) {
          // DISPI traffic, mostly plausible values so that modes do get enabled.
          rig.out16(0x1ce, (r >>> 4) % 12);
          const values = [0, 1, 0x41, 0xc1, 4, 8, 15, 16, 24, 32, 320, 640, 800, 1024, 1280, 200, 480, 600, 768, 0xffff];
          rig.out16(0x1cf, values[(r >>> 12) % values.length]);
        } else if (what === 14) {
          rig.clock.advanceTo(rig.clock.now + (r % 5_000_000));
        } else {
          const up = rig.vga.render();
          expect(up.width).toBeGreaterThan(0);
          expect(up.height).toBeGreaterThan(0);
          expect(up.width).toBeLessThanOrEqual(4096);
          expect(rig.vga.frame.rgba.length).toBe(up.width * up.height * 4);
          rig.vga.textCells();
        }
      }
      rig.vga.render();
      // The state still passes its own checks: save and restore it.
      loadDevice(rig.vga, saveDevice(rig.vga));
      rig.vga.render();
    });
  }
});
