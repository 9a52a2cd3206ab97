import { describe, it, expect } from "vitest";
import { makeRig } from "./helpers";
import { saveDevice, loadDevice, StateError } from "../../../src/machine/state";
import { collectDirectWrites } from "../../../src/machine/vga/direct-map";
import { VgaPci } from "../../../src/machine/vga/pci-glue";
import { PAGE_DIRTY } from "../../../asm/layout";

describe("VGA device state", () => {
  it("declares every field of its state in the schema", () => {
    const rig = makeRig();
    expect(Object.keys(rig.vga.state).sort()).toEqual(Object.keys(rig.vga.schema).sort());
  });

  it("save and restore reproduce registers, DAC and latches, and the picture", () => {
    const a = makeRig();
    a.setMode("12");
    a.gc(0x05, 0x02);
    a.poke(0xa0000, 0x0c);
    a.peek(0xa0000); // latches hold the pixel
    a.out8(0x3c8, 7);
    a.out8(0x3c9, 0x3f);
    const saved = saveDevice(a.vga);
    const vram = new Uint8Array(a.vga.vram);
    a.vga.render();
    const before = a.pixel(0, 0);

    const b = makeRig();
    b.vga.vram.set(vram);
    loadDevice(b.vga, saved);
    b.vga.render();
    expect(b.pixel(0, 0)).toEqual(before);
    expect(b.vga.state.latch).toBe(a.vga.state.latch);
    // The DAC write in progress (one component of entry 7) continues after the restore.
    b.out8(0x3c9, 0x00);
    b.out8(0x3c9, 0x00);
    expect(b.vga.state.dac.slice(21, 24)).toEqual([0x3f, 0, 0]);
  });

  it("refuses a state with an out-of-range index and keeps the old state", () => {
    const rig = makeRig();
    rig.setMode("03");
    const bad = saveDevice(rig.vga);
    bad.seqIndex = 9;
    expect(() => loadDevice(rig.vga, bad)).toThrow(StateError);
    expect(rig.vga.state.seqIndex).toBeLessThan(8);
    const bad2 = saveDevice(rig.vga);
    bad2.vbe[5] = 300; // bank beyond 16 MiB
    expect(() => loadDevice(rig.vga, bad2)).toThrow(StateError);
  });

  it("reset returns to power-on values and clears video memory", () => {
    const rig = makeRig();
    rig.setMode("13");
    rig.poke(0xa0000, 1);
    rig.vga.reset();
    expect(rig.vga.vram[0]).toBe(0);
    expect(rig.vga.state.seq[4]).toBe(0x02);
    expect(rig.vga.state.vbe[4]).toBe(0);
  });
});

describe("direct mappings", () => {
  it("the chain-4 window and VBE LFB report CPU writes through PAGE_DIRTY", () => {
    const rig = makeRig();
    rig.setMode("13");
    const pageFlags = new Uint8Array(0x100000);
    const invalidated: number[] = [];
    rig.vga.render();
    // The CPU wrote pixel (0, 20) directly (VRAM offset 6400, page 1 of the A0000 window).
    rig.vga.vram[20 * 320] = 0x0f;
    pageFlags[0xa1] = PAGE_DIRTY | 2;
    const n = collectDirectWrites(rig.vga, rig.vga.directMappings(), { pageFlags, invalidateWrites: (p) => invalidated.push(p) });
    expect(n).toBe(1);
    expect(pageFlags[0xa1]).toBe(2);
    expect(invalidated).toEqual([0xa1]);
    expect(rig.vga.render().changed).toEqual({ x: 0, y: 20, width: 1, height: 1 });
  });

  it("the PCI function is 1234:1111 class 0300 with the LFB at BAR0 and the VGA BIOS as its ROM", () => {
    const rig = makeRig();
    const rom = new Uint8Array(0x9000).fill(0xcc);
    rom[0] = 0x55;
    rom[1] = 0xaa;
    const pci = new VgaPci(rig.vga, rig.io, rig.mmio, rom);
    expect(pci.readConfig(0, 4)).toBe(0x11111234);
    expect(pci.readConfig(0x08, 4) >>> 8).toBe(0x030000);
    // BAR0 sizing: all ones reads back the 16 MiB size mask with the prefetchable memory type.
    pci.writeConfig(0x10, 4, 0xffffffff);
    expect(pci.readConfig(0x10, 4)).toBe(0xff000008);
    pci.writeConfig(0x30, 4, 0xfffff800);
    expect(pci.readConfig(0x30, 4)).toBe(0xffff0000); // 36 KiB image -> 64 KiB ROM BAR
    const moves: [number, number | null][] = [];
    pci.onBarMoved = (i, _old, base) => moves.push([i, base]);
    pci.writeConfig(0x10, 4, 0xfd000000);
    pci.writeConfig(0x30, 4, 0xfebe0001);
    pci.writeConfig(0x04, 2, 0x0003);
    expect(moves).toEqual([[0, 0xfd000000], [6, 0xfebe0000]]);
    expect(pci.lfbBase()).toBe(0xfd000000);
    expect(pci.directMappings()).toEqual([{ phys: 0xfd000000, bytes: 16 << 20, vramOffset: 0 }]);
    rig.mmio.write(0xfd000010, 2, 0xbeef);
    expect(rig.vga.vram[0x10]).toBe(0xef);
    expect(rig.mmio.read(0xfebe0000, 2)).toBe(0xaa55);
    // Legacy VGA resources keep decoding with the function disabled.
    pci.writeConfig(0x04, 2, 0x0000);
    expect(pci.lfbBase()).toBeNull();
    rig.setMode("13");
    rig.poke(0xa0000, 0x12);
    expect(rig.peek(0xa0000)).toBe(0x12);
  });

  it("reports when the legacy window becomes mappable", () => {
    const rig = makeRig();
    let remaps = 0;
    rig.vga.onMappingChange = () => remaps++;
    rig.setMode("12");
    expect(remaps).toBe(0);
    rig.setMode("13");
    expect(remaps).toBe(1);
    rig.gc(0x08, 0x0f); // bit mask in use: accesses must go through the device again
    expect(remaps).toBe(2);
    expect(rig.vga.directMappings()).toEqual([]);
  });
});
