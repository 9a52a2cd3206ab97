import { describe, it, expect } from "vitest";
import { makeRig } from "./helpers";

describe("VGA register files", () => {
  it("attribute controller: 0x3DA resets the flip-flop; index and data alternate on 0x3C0", () => {
    const rig = makeRig();
    rig.in8(0x3da);
    rig.out8(0x3c0, 0x05);
    rig.out8(0x3c0, 0x2a);
    expect(rig.in8(0x3c0)).toBe(0x05);
    expect(rig.in8(0x3c1)).toBe(0x2a);
    // Flip-flop now expects an index: this write selects AC12 with PAS set.
    rig.out8(0x3c0, 0x32);
    rig.out8(0x3c0, 0x0f);
    expect(rig.in8(0x3c0)).toBe(0x32);
    expect(rig.in8(0x3c1)).toBe(0x0f);
    // A stray write leaves the flip-flop on "data"; reading 0x3DA puts it back on "index".
    rig.out8(0x3c0, 0x10);
    rig.in8(0x3da);
    rig.out8(0x3c0, 0x11);
    rig.out8(0x3c0, 0x07);
    expect(rig.vga.state.ac[0x11]).toBe(0x07);
    expect(rig.vga.state.ac[0x10]).toBe(0x00);
  });

  it("attribute palette registers are writable only while the palette address source is clear", () => {
    const rig = makeRig();
    rig.in8(0x3da);
    rig.out8(0x3c0, 0x23); // palette register 3, PAS set: the display owns the palette
    rig.out8(0x3c0, 0x15);
    expect(rig.in8(0x3c1)).toBe(0x00);
    rig.out8(0x3c0, 0x03);
    rig.out8(0x3c0, 0x15);
    expect(rig.in8(0x3c1)).toBe(0x15);
    rig.out8(0x3c0, 0x31); // overscan (AC11) is writable either way
    rig.out8(0x3c0, 0x02);
    expect(rig.in8(0x3c1)).toBe(0x02);
  });

  it("CRTC: CR11 bit 7 write-protects CR00-CR07 except the line compare bit of CR07", () => {
    const rig = makeRig();
    rig.setMode("03");
    rig.crtc(0x11, 0x8e);
    rig.crtc(0x00, 0x12);
    rig.crtc(0x07, 0x00);
    expect(rig.vga.state.crtc[0]).toBe(0x5f);
    expect(rig.vga.state.crtc[7]).toBe(0x1f & ~0x10);
    rig.crtc(0x12, 0x50); // not protected
    expect(rig.vga.state.crtc[0x12]).toBe(0x50);
    rig.crtc(0x11, 0x0e);
    rig.crtc(0x00, 0x12);
    expect(rig.vga.state.crtc[0]).toBe(0x12);
  });

  it("Miscellaneous Output bit 0 moves the CRTC between 0x3Dx and 0x3Bx", () => {
    const rig = makeRig();
    rig.out8(0x3c2, 0x67);
    expect(rig.in8(0x3cc)).toBe(0x67);
    rig.crtc(0x0c, 0x12);
    rig.out8(0x3d4, 0x0c);
    expect(rig.in8(0x3d5)).toBe(0x12);
    expect(rig.in8(0x3b5)).toBe(0xff);
    rig.out8(0x3c2, 0x66);
    rig.out8(0x3b4, 0x0c);
    expect(rig.in8(0x3b5)).toBe(0x12);
    expect(rig.in8(0x3d5)).toBe(0xff);
    // Feature control is written at 0x3BA in mono mode and read back at 0x3CA.
    rig.out8(0x3ba, 0x03);
    expect(rig.in8(0x3ca)).toBe(0x03);
  });

  it("DAC: auto-incrementing read and write indexes, 6-bit components, state register", () => {
    const rig = makeRig();
    rig.out8(0x3c8, 0xff);
    for (const v of [0x01, 0x02, 0x03, 0x41, 0x3f, 0xff]) rig.out8(0x3c9, v);
    expect(rig.in8(0x3c8)).toBe(0x01); // wrapped past 255
    expect(rig.in8(0x3c7)).toBe(0x00);
    rig.out8(0x3c7, 0xff);
    expect(rig.in8(0x3c7)).toBe(0x03);
    expect([rig.in8(0x3c9), rig.in8(0x3c9), rig.in8(0x3c9)]).toEqual([0x01, 0x02, 0x03]);
    expect([rig.in8(0x3c9), rig.in8(0x3c9), rig.in8(0x3c9)]).toEqual([0x01, 0x3f, 0x3f]);
    rig.out8(0x3c6, 0x0f);
    expect(rig.in8(0x3c6)).toBe(0x0f);
  });

  it("sequencer and graphics controller keep only their implemented bits", () => {
    const rig = makeRig();
    rig.seq(0x04, 0xff);
    rig.out8(0x3c4, 0x04);
    expect(rig.in8(0x3c5)).toBe(0x0e);
    rig.gc(0x05, 0xff);
    rig.out8(0x3ce, 0x05);
    expect(rig.in8(0x3cf)).toBe(0x7b);
    rig.out8(0x3ce, 0x0a);
    expect(rig.in8(0x3cf)).toBe(0xff);
  });

  it("Input Status 1 reports vertical retrace and display-disabled from virtual time", () => {
    const rig = makeRig();
    rig.setMode("03");
    // 720x400 timing: 900 dots per line at 28.322 MHz; retrace starts at line 0x19C = 412
    // (CR10 = 0x9C, CR07 bit 2) and ends when the line counter's low 4 bits reach CR11's 0xE (414).
    const lineNs = (900 * 1e9) / 28_322_000;
    const frameNs = lineNs * 449;
    rig.clock.advanceTo(3 * frameNs + 100 * lineNs + 0.1 * lineNs); // line 100, dot 90: displaying
    expect(rig.in8(0x3da) & 0x09).toBe(0x00);
    rig.clock.advanceTo(3 * frameNs + 100 * lineNs + 0.9 * lineNs); // dot 810: horizontal blanking
    expect(rig.in8(0x3da) & 0x09).toBe(0x01);
    rig.clock.advanceTo(3 * frameNs + 412.5 * lineNs);
    expect(rig.in8(0x3da) & 0x09).toBe(0x09);
    rig.clock.advanceTo(3 * frameNs + 413.5 * lineNs);
    expect(rig.in8(0x3da) & 0x08).toBe(0x08);
    rig.clock.advanceTo(3 * frameNs + 414.5 * lineNs);
    expect(rig.in8(0x3da) & 0x09).toBe(0x01); // below the display, retrace over
    rig.clock.advanceTo(4 * frameNs + 0.5 * lineNs);
    expect(rig.in8(0x3da) & 0x08).toBe(0x00);
  });

  it("Input Status 0 bit 7: the CRT interrupt flip-flop set by vertical retrace, cleared by CR11 bit 4", () => {
    const rig = makeRig();
    rig.setMode("03"); // CR11 = 0x8E: bit 4 clear holds the flip-flop clear
    const lineNs = (900 * 1e9) / 28_322_000;
    const frameNs = lineNs * 449;
    rig.clock.advanceTo(2 * frameNs + 500 * lineNs);
    expect(rig.in8(0x3c2) & 0x80).toBe(0);
    rig.clock.advanceTo(3 * frameNs + 10 * lineNs); // a retrace has passed, but the flip-flop is held
    expect(rig.in8(0x3c2) & 0x80).toBe(0);
    rig.crtc(0x11, 0x1e); // allow it (and drop the protection bit)
    rig.clock.advanceTo(3 * frameNs + 400 * lineNs); // before this frame's retrace (line 412)
    expect(rig.in8(0x3c2) & 0x80).toBe(0);
    rig.clock.advanceTo(3 * frameNs + 420 * lineNs);
    expect(rig.in8(0x3c2) & 0x80).toBe(0x80);
    rig.clock.advanceTo(4 * frameNs + 100 * lineNs); // stays set until cleared
    expect(rig.in8(0x3c2) & 0x80).toBe(0x80);
    rig.crtc(0x11, 0x0e);
    expect(rig.in8(0x3c2) & 0x80).toBe(0);
  });

  it("memory outside the decoded window is not claimed; misc bit 1 disables display memory", () => {
    const rig = makeRig();
    rig.setMode("03"); // B8000 window
    rig.poke(0xa0000, 0x55);
    expect(rig.peek(0xa0000)).toBe(0xff);
    rig.poke(0xb8000, 0x41);
    expect(rig.peek(0xb8000)).toBe(0x41);
    rig.out8(0x3c2, 0x65);
    expect(rig.peek(0xb8000)).toBe(0xff);
    rig.poke(0xb8000, 0x42);
    rig.out8(0x3c2, 0x67);
    expect(rig.peek(0xb8000)).toBe(0x41);
  });
});
