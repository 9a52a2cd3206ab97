import { describe, it, expect } from "vitest";
import { domButtonsToPs2, WheelAccumulator, MotionAccumulator, DOM_DELTA_LINE, DOM_DELTA_PAGE, DOM_DELTA_PIXEL } from "../../src/ui/pointer";

describe("DOM mouse buttons to PS/2", () => {
  it("maps primary, secondary and auxiliary to the left, right and middle bits of the packet", () => {
    expect(domButtonsToPs2(1)).toBe(0b001); // left
    expect(domButtonsToPs2(2)).toBe(0b010); // right
    expect(domButtonsToPs2(4)).toBe(0b100); // middle
    expect(domButtonsToPs2(1 | 2 | 4 | 8 | 16)).toBe(0x1f);
    expect(domButtonsToPs2(32)).toBe(0); // no sixth button on a PS/2 mouse
  });
});

describe("wheel", () => {
  it("makes one click per notch in pixel mode (Chromium: 100 px), positive towards the user", () => {
    const w = new WheelAccumulator();
    expect(w.add(100, DOM_DELTA_PIXEL)).toBe(1);
    expect(w.add(-200, DOM_DELTA_PIXEL)).toBe(-2);
  });

  it("accumulates small touchpad deltas into clicks", () => {
    const w = new WheelAccumulator();
    const clicks = [30, 30, 30, 30, 30].map((d) => w.add(d, DOM_DELTA_PIXEL));
    expect(clicks).toEqual([0, 0, 0, 1, 0]);
  });

  it("counts 3 lines as a click (Firefox) and a page as one click", () => {
    const w = new WheelAccumulator();
    expect(w.add(3, DOM_DELTA_LINE)).toBe(1);
    expect(w.add(-6, DOM_DELTA_LINE)).toBe(-2);
    expect(w.add(1, DOM_DELTA_PAGE)).toBe(1);
  });
});

describe("motion", () => {
  it("accumulates fractional movement so slow motion is not lost", () => {
    const m = new MotionAccumulator();
    expect(m.add(0.5, -0.5)).toEqual([0, 0]);
    expect(m.add(0.5, -0.5)).toEqual([1, -1]);
    expect(m.add(3, 4)).toEqual([3, 4]);
  });
});
