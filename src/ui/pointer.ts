// DOM pointer input to PS/2 mouse reports. With pointer lock the page receives relative motion
// (MouseEvent.movementX/Y, CSS pixels, y down), which is what a PS/2 mouse reports; the device
// model (ps2-mouse.ts) takes dx right, dy down, dz wheel clicks towards the user, and splits
// large motion into packets itself.

/**
 * DOM MouseEvent.buttons (UI Events: 1 primary, 2 secondary, 4 auxiliary, 8 back, 16 forward)
 * to the PS/2 button bits (0 left, 1 right, 2 middle, 3 and 4 the IntelliMouse Explorer's 4th and
 * 5th buttons). The orders happen to coincide; the mask drops anything beyond five buttons.
 */
export function domButtonsToPs2(buttons: number): number {
  return buttons & 0x1f;
}

/** WheelEvent.deltaMode values. */
export const DOM_DELTA_PIXEL = 0;
export const DOM_DELTA_LINE = 1;
export const DOM_DELTA_PAGE = 2;

/**
 * Wheel deltas to whole clicks. Browsers report one notch as about 100 pixels (Chromium, Safari)
 * or 3 lines (Firefox); touchpads send many small pixel deltas, which accumulate until they
 * make a click so that slow scrolling still scrolls.
 */
export class WheelAccumulator {
  private pixels = 0;
  static readonly PIXELS_PER_CLICK = 100;
  static readonly LINES_PER_CLICK = 3;

  /** Feed one WheelEvent's deltaY and deltaMode; returns the clicks to report (positive: towards the user). */
  add(deltaY: number, deltaMode: number): number {
    const perClick = WheelAccumulator.PIXELS_PER_CLICK;
    if (deltaMode === DOM_DELTA_LINE) this.pixels += (deltaY / WheelAccumulator.LINES_PER_CLICK) * perClick;
    else if (deltaMode === DOM_DELTA_PAGE) this.pixels += Math.sign(deltaY) * perClick;
    else this.pixels += deltaY;
    const clicks = Math.trunc(this.pixels / perClick) + 0;
    this.pixels -= clicks * perClick;
    return clicks;
  }
}

/** Sub-pixel motion (high-DPI screens report fractional movementX) accumulated into whole counts. */
export class MotionAccumulator {
  private fx = 0;
  private fy = 0;

  add(movementX: number, movementY: number): [number, number] {
    this.fx += movementX;
    this.fy += movementY;
    const dx = Math.trunc(this.fx) + 0; // + 0 turns -0 into 0
    const dy = Math.trunc(this.fy) + 0;
    this.fx -= dx;
    this.fy -= dy;
    return [dx, dy];
  }
}
