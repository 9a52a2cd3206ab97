import { describe, it, expect, beforeEach } from "vitest";
import { IoBus } from "../../../src/machine/io";
import { PicPair, attachPic } from "../../../src/machine/devices/pic8259";
import { saveDevice, loadDevice } from "../../../src/machine/state";

let io: IoBus;
let pic: PicPair;
let intr: boolean[];

function init(icw4 = 0x01): void {
  io.write(0x20, 1, 0x11);
  io.write(0x21, 1, 0x08);
  io.write(0x21, 1, 0x04);
  io.write(0x21, 1, icw4);
  io.write(0xa0, 1, 0x11);
  io.write(0xa1, 1, 0x70);
  io.write(0xa1, 1, 0x02);
  io.write(0xa1, 1, icw4 & ~0x10);
}

beforeEach(() => {
  io = new IoBus();
  intr = [];
  pic = new PicPair({ onIntr: (l) => intr.push(l) });
  attachPic(io, pic);
  init();
});

describe("8259A pair", () => {
  it("delivers an edge on IRQ 1 as vector 0x09 and raises/lowers INTR", () => {
    pic.setIrq(1, true);
    expect(pic.hasInterrupt()).toBe(true);
    expect(intr).toEqual([true]);
    expect(io.read(0x20, 1)).toBe(0x02); // IRR
    expect(pic.acknowledge()).toBe(0x09);
    expect(pic.hasInterrupt()).toBe(false);
    expect(intr).toEqual([true, false]);
    io.write(0x20, 1, 0x0b); // OCW3: read ISR
    expect(io.read(0x20, 1)).toBe(0x02);
    io.write(0x20, 1, 0x20); // non-specific EOI
    expect(io.read(0x20, 1)).toBe(0x00);
  });

  it("latches an edge that has already gone low, and needs a new rising edge to request again", () => {
    pic.setIrq(3, true);
    pic.setIrq(3, false);
    expect(pic.acknowledge()).toBe(0x0b);
    io.write(0x20, 1, 0x20);
    pic.setIrq(3, true);
    expect(pic.acknowledge()).toBe(0x0b);
    io.write(0x20, 1, 0x20);
    pic.setIrq(3, true); // still high: no new edge
    expect(pic.hasInterrupt()).toBe(false);
  });

  it("resolves priorities in fully nested mode: a lower request waits for EOI of a higher one", () => {
    pic.setIrq(4, true);
    expect(pic.acknowledge()).toBe(0x0c);
    pic.setIrq(6, true);
    expect(pic.hasInterrupt()).toBe(false); // IR6 below IR4 in service
    pic.setIrq(0, true);
    expect(pic.hasInterrupt()).toBe(true); // IR0 nests
    expect(pic.acknowledge()).toBe(0x08);
    io.write(0x20, 1, 0x20); // clears IR0 (the highest in service)
    expect(pic.hasInterrupt()).toBe(false);
    io.write(0x20, 1, 0x64); // specific EOI for IR4
    expect(pic.acknowledge()).toBe(0x0e);
  });

  it("routes slave IRQs through the cascade with master IR2 in service", () => {
    pic.setIrq(12, true);
    expect(pic.hasInterrupt()).toBe(true);
    expect(pic.acknowledge()).toBe(0x74);
    io.write(0x20, 1, 0x0b);
    io.write(0xa0, 1, 0x0b);
    expect(io.read(0x20, 1)).toBe(0x04);
    expect(io.read(0xa0, 1)).toBe(0x10);
    // A master IR3 request is below IR2 in service.
    pic.setIrq(3, true);
    expect(pic.hasInterrupt()).toBe(false);
    io.write(0xa0, 1, 0x20);
    io.write(0x20, 1, 0x20);
    expect(pic.acknowledge()).toBe(0x0b);
  });

  it("gives spurious IRQ 7 when the request vanished before INTA, without setting ISR", () => {
    io.write(0x4d0, 1, 0x20); // IRQ 5 level triggered
    pic.setIrq(5, true);
    expect(pic.hasInterrupt()).toBe(true);
    pic.setIrq(5, false);
    expect(pic.acknowledge()).toBe(0x0f);
    io.write(0x20, 1, 0x0b);
    expect(io.read(0x20, 1)).toBe(0);
  });

  it("gives spurious IRQ 15 from the slave but sets the master's IR2 in service", () => {
    io.write(0x4d1, 1, 0x02); // IRQ 9 level
    pic.setIrq(9, true);
    // The CPU samples INTR, then the line drops before INTA.
    const mst = pic.state.chips[0];
    pic.setIrq(9, false);
    // Force the master to acknowledge IR2 as if INTA raced the drop.
    mst.irr |= 4;
    mst.lines |= 4;
    expect(pic.acknowledge()).toBe(0x77);
    io.write(0x20, 1, 0x0b);
    expect(io.read(0x20, 1)).toBe(0x04);
    io.write(0xa0, 1, 0x0b);
    expect(io.read(0xa0, 1)).toBe(0x00);
  });

  it("keeps a level-triggered request asserted after EOI while the line is high", () => {
    io.write(0x4d1, 1, 0x08); // IRQ 11 level
    expect(io.read(0x4d1, 1)).toBe(0x08);
    pic.setIrq(11, true);
    expect(pic.acknowledge()).toBe(0x73);
    io.write(0xa0, 1, 0x20);
    io.write(0x20, 1, 0x20);
    expect(pic.hasInterrupt()).toBe(true);
    expect(pic.acknowledge()).toBe(0x73);
    pic.setIrq(11, false);
    io.write(0xa0, 1, 0x20);
    io.write(0x20, 1, 0x20);
    expect(pic.hasInterrupt()).toBe(false);
  });

  it("refuses to make IRQ 0, 1, 2, 8, 13 level triggered (PIIX ELCR reserved bits)", () => {
    io.write(0x4d0, 1, 0xff);
    io.write(0x4d1, 1, 0xff);
    expect(io.read(0x4d0, 1)).toBe(0xf8);
    expect(io.read(0x4d1, 1)).toBe(0xde);
  });

  it("masks with OCW1 and reads IMR back", () => {
    io.write(0x21, 1, 0x02);
    expect(io.read(0x21, 1)).toBe(0x02);
    pic.setIrq(1, true);
    expect(pic.hasInterrupt()).toBe(false);
    io.write(0x21, 1, 0x00);
    expect(pic.acknowledge()).toBe(0x09);
  });

  it("auto-EOI leaves ISR clear and rotates when asked", () => {
    init(0x03);
    io.write(0x20, 1, 0x80); // rotate in AEOI mode
    pic.setIrq(0, true);
    pic.setIrq(1, true);
    expect(pic.acknowledge()).toBe(0x08);
    io.write(0x20, 1, 0x0b);
    expect(io.read(0x20, 1)).toBe(0);
    // IR0 is now lowest: IR1 comes first even against a new IR0 edge.
    pic.setIrq(0, false);
    pic.setIrq(0, true);
    expect(pic.acknowledge()).toBe(0x09);
    expect(pic.acknowledge()).toBe(0x08);
  });

  it("rotates on non-specific EOI and by set-priority", () => {
    pic.setIrq(2 + 1, true);
    expect(pic.acknowledge()).toBe(0x0b);
    io.write(0x20, 1, 0xa0); // rotate on non-specific EOI: IR3 becomes lowest
    pic.setIrq(3, false);
    pic.setIrq(3, true);
    pic.setIrq(5, true);
    expect(pic.acknowledge()).toBe(0x0d); // IR4 highest now, so IR5 beats IR3
    io.write(0x20, 1, 0x20);
    io.write(0x20, 1, 0xc4); // set priority: IR4 lowest, IR5 highest
    pic.setIrq(4, true);
    expect(pic.acknowledge()).toBe(0x0b); // IR3 (rank 6) vs IR4 (rank 7)
    io.write(0x20, 1, 0xe3); // rotate on specific EOI IR3 -> IR3 lowest
    expect(pic.acknowledge()).toBe(0x0c);
  });

  it("special mask mode lets lower levels interrupt a masked in-service level", () => {
    pic.setIrq(3, true);
    expect(pic.acknowledge()).toBe(0x0b);
    io.write(0x21, 1, 0x08); // mask IR3
    io.write(0x20, 1, 0x68); // OCW3: set special mask mode
    pic.setIrq(6, true);
    expect(pic.acknowledge()).toBe(0x0e);
    io.write(0x20, 1, 0x20); // non-specific EOI must clear IR6, not the masked IR3
    io.write(0x20, 1, 0x0b);
    expect(io.read(0x20, 1)).toBe(0x08);
    io.write(0x20, 1, 0x48); // leave special mask mode
    pic.setIrq(5, true);
    expect(pic.hasInterrupt()).toBe(false);
  });

  it("poll mode returns the level and acknowledges it", () => {
    io.write(0x21, 1, 0xff); // polling works with interrupts masked at the CPU, not the PIC
    io.write(0x21, 1, 0x00);
    pic.setIrq(6, true);
    io.write(0x20, 1, 0x0c);
    expect(io.read(0x20, 1)).toBe(0x86);
    io.write(0x20, 1, 0x0b);
    expect(io.read(0x20, 1)).toBe(0x40);
    io.write(0x20, 1, 0x0c);
    expect(io.read(0x20, 1)).toBe(0x00);
  });

  it("special fully nested mode lets a higher slave request nest while IR2 is in service", () => {
    init(0x11);
    pic.setIrq(12, true);
    expect(pic.acknowledge()).toBe(0x74);
    pic.setIrq(9, true);
    expect(pic.hasInterrupt()).toBe(true);
    expect(pic.acknowledge()).toBe(0x71);
    init(0x01);
    pic.setIrq(12, false);
    pic.setIrq(12, true);
    expect(pic.acknowledge()).toBe(0x74);
    pic.setIrq(9, false);
    pic.setIrq(9, true);
    expect(pic.hasInterrupt()).toBe(false);
  });

  it("ICW1 clears masks and in-service bits and needs new edges", () => {
    io.write(0x21, 1, 0xff);
    pic.setIrq(1, true);
    init();
    expect(io.read(0x21, 1)).toBe(0);
    expect(pic.hasInterrupt()).toBe(false);
  });

  it("save/restore mid-activity gives identical behaviour", () => {
    io.write(0x4d1, 1, 0x08);
    pic.setIrq(11, true);
    pic.setIrq(4, true);
    pic.setIrq(1, true);
    expect(pic.acknowledge()).toBe(0x09);
    io.write(0x20, 1, 0x0b);
    const snap = saveDevice(pic);
    const seq = (p: PicPair, bus: IoBus): number[] => {
      const out: number[] = [];
      bus.write(0x20, 1, 0x20);
      out.push(p.acknowledge(), bus.read(0x20, 1));
      bus.write(0xa0, 1, 0x20);
      bus.write(0x20, 1, 0x20);
      bus.write(0x20, 1, 0x20);
      out.push(p.acknowledge(), p.acknowledge());
      return out;
    };
    const expected = seq(pic, io);
    const io2 = new IoBus();
    const fresh = new PicPair();
    attachPic(io2, fresh);
    loadDevice(fresh, snap);
    expect(fresh.hasInterrupt()).toBe(false); // IR1 in service blocks IR2 and IR4
    expect(seq(fresh, io2)).toEqual(expected);
    // IR2 (level IRQ 11) after the EOI, then again while still high; IR4 stays blocked by IR2 in
    // service, so the third INTA is the spurious IR7.
    expect(expected).toEqual([0x73, 0x04, 0x73, 0x0f]);
  });

  it("refuses malformed state naming the field", () => {
    const good = saveDevice(pic);
    const bad1 = structuredClone(good);
    (bad1.chips[0] as unknown as Record<string, unknown>).imr = "x";
    expect(() => loadDevice(pic, bad1)).toThrow(/chips\[0\]\.imr/);
    const bad2 = structuredClone(good);
    bad2.chips[1].vectorBase = 0x71;
    expect(() => loadDevice(pic, bad2)).toThrow(/chips\[1\]\.vectorBase/);
    const bad3 = structuredClone(good);
    delete (bad3.chips[0] as unknown as Record<string, unknown>).isr;
    expect(() => loadDevice(pic, bad3)).toThrow(/isr/);
    const bad4 = structuredClone(good);
    bad4.chips[0].elcr = 0x01;
    expect(() => loadDevice(pic, bad4)).toThrow(/chips\[0\]\.elcr/);
    const bad5 = structuredClone(good);
    bad5.chips[0].lowestPriority = 9;
    expect(() => loadDevice(pic, bad5)).toThrow(/lowestPriority/);
  });
});
