// The frame model: an RGBA image of the current picture, brought up to date incrementally.
//
// render() converts only the output lines that may have changed: lines whose VRAM blocks were
// written (VramDirty), lines whose source address or panning moved, all lines after a palette or
// layout change or a font (plane 2) write, and in text mode the lines under the old and new cursor
// and, when the blink phase flips, the lines showing blinking characters. Each candidate line is
// converted into a scratch row and compared with the frame, so the reported rectangle is exactly
// the pixels that changed; when nothing was written and no register changed, render() returns
// without touching a line.
//
// Consumer (the page's worker): call render() once per displayed frame; on `resized` reallocate
// the canvas; if `changed` is set, post copyRect(frame, changed) and paint it at changed.x/y.
import type { Vga } from "./vga";
import { computeGeometry, scanlineSources, beamStatus, crtcAddress, AC_MODE, AC_OVERSCAN, CR_CURSOR_START, CR_CURSOR_END, AC_PLANE_ENABLE, AC_COLOR_SELECT, type VgaGeometry, type ScanlineSource } from "./timing";
import { vbeLayout, type VbeLayout } from "./vbe";
import { renderTextLine, renderGraphicsLine, renderVbeLine, renderVbePlanarLine, blinkPhases, cursorAddress, rgba, type Colours, type BlinkPhases } from "./render-lines";
import { dac6to8 } from "./palettes";
import { planeBase, PLANES_BYTES } from "./planes";
import type { VramDirty } from "./dirty";
export type { TextScreen } from "./render-text";

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type FrameKind = "text" | "graphics" | "vbe" | "blank";

export interface FrameUpdate {
  kind: FrameKind;
  width: number;
  height: number;
  /** The frame was reallocated (new size or kind): the page must resize its canvas. */
  resized: boolean;
  /** The pixels that changed since the previous render, or null. */
  changed: Rect | null;
  /**
   * The overscan (border) colour around the picture, as a packed RGBA word like the frame's pixels
   * (R in the low byte): AC11 through the DAC in legacy modes, black in VBE modes. Demos change it
   * for effects; the page paints it around the canvas.
   */
  border: number;
  /** Scanlines converted by this render (0 when nothing could have changed): a cost measure. */
  convertedLines: number;
  /**
   * Width/height ratio to display the frame at: legacy VGA modes fill a 4:3 monitor whatever their
   * pixel grid (320x200 and 720x400 have non-square pixels); VBE modes have square pixels.
   */
  aspect: number;
}

const MAX_WIDTH = 4096;
const MAX_HEIGHT = 4096;
const BLACK = 0xff000000;

export class VgaRenderer {
  width = 0;
  height = 0;
  kind: FrameKind = "blank";
  private rgba = new Uint8ClampedArray(0);
  private fb = new Uint32Array(0);
  private row = new Uint32Array(MAX_WIDTH + 16);
  private lineKeys = new Float64Array(0);
  private geometry: VgaGeometry | null = null;
  private sources: ScanlineSource[] = [];
  private vbe: VbeLayout | null = null;
  private readonly colours: Colours = { attr: new Uint32Array(16), attrBlinkOff: new Uint32Array(16), dac: new Uint32Array(256) };
  private phases: BlinkPhases = { cursorOn: true, charsOn: true };
  private fontGeneration = -1;
  /** Visible cursor as address | start << 16 | end << 21, or -1; and the one drawn before it. */
  private cursor = -1;
  private previousCursor = -1;

  /** VRAM as 32-bit words for 32 bpp scanout (the Wasm memory does not grow after start-up). */
  private readonly vramWords: Uint32Array | null;

  constructor(private readonly vga: Vga) {
    const v = vga.vram;
    this.vramWords = v.byteOffset % 4 === 0 ? new Uint32Array(v.buffer, v.byteOffset, v.length >>> 2) : null;
  }

  get frame(): { width: number; height: number; rgba: Uint8ClampedArray } {
    return { width: this.width, height: this.height, rgba: this.rgba };
  }

  render(nowNs: number): FrameUpdate {
    const vga = this.vga;
    let full = false;
    let resized = false;
    if (vga.paletteChanged) {
      vga.paletteChanged = false;
      this.updateColours();
      full = true;
    }
    let recheckLines = false;
    if (vga.displayDirty || vga.scrollDirty) {
      // A layout change redraws everything; a scroll (start address, line compare, panning)
      // only the lines whose source moved, found by comparing line keys.
      if (vga.displayDirty) full = true;
      vga.displayDirty = false;
      vga.scrollDirty = false;
      const [kind, w, h] = this.updateShape();
      if (kind !== this.kind || w !== this.width || h !== this.height) {
        this.allocate(kind, w, h);
        resized = true;
        full = true;
      }
      recheckLines = true;
    }
    // Text: blink phases from the frame count, the cursor, and the font in plane 2.
    let cursorMoved = false;
    let blinkToggled = false;
    if (this.kind === "text") {
      const c = vga.state.crtc;
      const phases = blinkPhases(beamStatus(vga.state, nowNs).frame);
      if ((vga.state.ac[AC_MODE] & 0x08) !== 0 && phases.charsOn !== this.phases.charsOn) blinkToggled = true;
      const cursor = (c[CR_CURSOR_START] & 0x20) === 0 && phases.cursorOn ? cursorAddress(c) | ((c[CR_CURSOR_START] & 0x1f) << 16) | ((c[CR_CURSOR_END] & 0x1f) << 21) : -1;
      if (cursor !== this.cursor) {
        this.previousCursor = this.cursor;
        this.cursor = cursor;
        cursorMoved = true;
      }
      this.phases = phases;
      if (vga.fontGeneration !== this.fontGeneration) full = true;
      this.fontGeneration = vga.fontGeneration;
    }
    if (this.kind === "graphics" && (vga.state.ac[AC_MODE] & 0x48) === 0x08) {
      const phases = blinkPhases(beamStatus(vga.state, nowNs).frame);
      if (phases.charsOn !== this.phases.charsOn) full = true;
      this.phases = phases;
    }
    vga.cursorDirty = false;
    if (!full && !recheckLines && !cursorMoved && !blinkToggled && !vga.dirty.any) {
      this.converted = 0;
      return this.update(resized, null);
    }

    this.converted = 0;
    let x0 = this.width, y0 = this.height, x1 = -1, y1 = -1;
    const out = this.row;
    const w = this.width;
    for (let y = 0; y < this.height; y++) {
      const key = this.lineKey(y);
      if (!full && key === this.lineKeys[y] && !this.lineDirty(y) && !(cursorMoved && this.lineHasCursor(y)) && !(blinkToggled && this.lineHasBlink(y))) continue;
      this.lineKeys[y] = key;
      this.convertLine(y, out);
      this.converted++;
      // Compare with what the page has, to report only pixels that really changed.
      const at = y * w;
      let first = -1, last = -1;
      for (let x = 0; x < w; x++) {
        if (this.fb[at + x] !== out[x]) {
          if (first < 0) first = x;
          last = x;
          this.fb[at + x] = out[x];
        }
      }
      if (first < 0) continue;
      if (first < x0) x0 = first;
      if (last > x1) x1 = last;
      if (y < y0) y0 = y;
      y1 = y;
    }
    vga.dirty.clear();
    if (resized) return this.update(true, { x: 0, y: 0, width: w, height: this.height });
    return this.update(false, x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 });
  }

  /** Does text line y show a character with the blink attribute (bit 7)? */
  private lineHasBlink(y: number): boolean {
    const g = this.geometry!;
    const src = this.sources[y * g.lineRepeat];
    if (!src) return false;
    const vram = this.vga.vram;
    for (let col = 0; col <= g.columns; col++) {
      const ma = (src.ma + ((col / g.clocksPerAddress) | 0)) & 0xffff;
      if (vram[planeBase(crtcAddress(g, ma, src.rowScan)) + 1] & 0x80) return true;
    }
    return false;
  }

  /** Does text line y show the current or the previous cursor? */
  private lineHasCursor(y: number): boolean {
    if (this.kind !== "text") return false;
    const g = this.geometry!;
    const src = this.sources[y * g.lineRepeat];
    if (!src) return false;
    for (const cur of [this.cursor, this.previousCursor]) {
      if (cur < 0) continue;
      const at = cur & 0xffff;
      const start = (cur >> 16) & 0x1f;
      const end = (cur >> 21) & 0x1f;
      if (src.rowScan < start || src.rowScan > end) continue;
      if (((at - src.ma) & 0xffff) <= g.columns + 1) return true;
    }
    return false;
  }

  private converted = 0;

  private update(resized: boolean, changed: Rect | null): FrameUpdate {
    const aspect = this.kind === "vbe" ? this.width / Math.max(1, this.height) : 4 / 3;
    const border = this.kind === "vbe" ? BLACK : this.colours.dac[this.vga.state.ac[AC_OVERSCAN]];
    return { kind: this.kind, width: this.width, height: this.height, resized, changed, border, convertedLines: this.converted, aspect };
  }

  private allocate(kind: FrameKind, w: number, h: number): void {
    this.kind = kind;
    this.width = w;
    this.height = h;
    this.rgba = new Uint8ClampedArray(w * h * 4);
    this.fb = new Uint32Array(this.rgba.buffer);
    this.lineKeys = new Float64Array(h).fill(NaN);
  }

  /** Decide what is displayed and at which size, from the registers. */
  private updateShape(): [FrameKind, number, number] {
    const vga = this.vga;
    const s = vga.state;
    this.vbe = null;
    this.geometry = null;
    if (vga.vbeEnabled()) {
      this.vbe = vbeLayout(vga);
      const w = Math.min(MAX_WIDTH, this.vbe.width), h = Math.min(MAX_HEIGHT, this.vbe.height);
      // The attribute controller's palette address source still gates the output: Linux
      // bochs-drm blanks a VBE display by clearing it.
      return [(s.acIndex & 0x20) === 0 ? "blank" : "vbe", w, h];
    }
    const g = computeGeometry(s);
    this.geometry = g;
    this.sources = scanlineSources(g);
    const w = Math.min(MAX_WIDTH, g.width);
    const h = Math.min(MAX_HEIGHT, g.height);
    // Screen off (SR01 bit 5), palette address source clear (the CPU owns the palette: the
    // attribute controller outputs the overscan colour), display RAM disabled (misc bit 1) or the
    // CRTC's sync outputs held in reset (CR17 bit 7 clear): no picture.
    if (s.seq[1] & 0x20 || (s.acIndex & 0x20) === 0 || (s.misc & 0x02) === 0 || (s.crtc[0x17] & 0x80) === 0) return ["blank", w, h];
    return [g.graphics ? "graphics" : "text", w, h];
  }

  private updateColours(): void {
    const s = this.vga.state;
    const eight = this.vga.dac8bit();
    const dac = this.colours.dac;
    for (let i = 0; i < 256; i++) {
      const j = (i & s.pelMask) * 3;
      const r = s.dac[j], g = s.dac[j + 1], b = s.dac[j + 2];
      dac[i] = eight ? rgba(r, g, b) : rgba(dac6to8(r), dac6to8(g), dac6to8(b));
    }
    const mode = s.ac[AC_MODE];
    const select = s.ac[AC_COLOR_SELECT];
    // Pixel value -> colour plane enable (AC12) -> [blink toggles bit 3] -> palette -> colour select.
    const lookup = (v: number): number => {
      const pal = s.ac[v];
      // AC10 bit 7 takes palette bits 4-5 from colour select bits 0-1; bits 6-7 always come from it.
      let index = mode & 0x80 ? (pal & 0x0f) | ((select & 3) << 4) : pal & 0x3f;
      index |= (select & 0x0c) << 4;
      return dac[index];
    };
    const enable = s.ac[AC_PLANE_ENABLE] & 0x0f;
    for (let v = 0; v < 16; v++) {
      this.colours.attr[v] = lookup(v & enable);
      this.colours.attrBlinkOff[v] = lookup((v & enable) ^ 8);
    }
  }

  /** What line y shows; a change of key means the line must be converted again. */
  private lineKey(y: number): number {
    if (this.kind === "blank") return 0;
    if (this.kind === "vbe") return this.vbe!.start + y * this.vbe!.lineBytes;
    const g = this.geometry!;
    const src = this.sources[y * g.lineRepeat];
    if (!src) return -1;
    const pan = src.split && g.panBelowSplitOff ? 0 : g.panning;
    return ((src.ma * 32 + src.rowScan) * 2 + (src.split ? 1 : 0)) * 16 + pan;
  }

  private lineDirty(y: number): boolean {
    const dirty = this.vga.dirty;
    if (!dirty.any) return false;
    if (this.kind === "vbe") {
      const m = this.vbe!;
      if (m.bpp === 4) {
        const lo = m.start + y * m.lineBytes;
        return planesDirty(dirty, lo, lo + (m.width >>> 3));
      }
      return dirty.rangeDirty(m.start + y * m.lineBytes, m.width * m.bytesPerPixel);
    }
    if (this.kind === "blank") return false;
    const g = this.geometry!;
    const src = this.sources[y * g.lineRepeat];
    if (!src) return false;
    const clocks = g.columns + 2;
    const lo = crtcAddress(g, src.ma, src.rowScan);
    const hi = crtcAddress(g, (src.ma + Math.ceil(clocks / g.clocksPerAddress)) & 0xffff, src.rowScan) + 3;
    return planesDirty(dirty, lo, hi);
  }

  private convertLine(y: number, out: Uint32Array): void {
    const w = this.width;
    if (this.kind === "vbe" && this.vbe!.bpp === 4) return renderVbePlanarLine(this.vga.vram, this.vbe!, y, this.colours.attr, out);
    if (this.kind === "vbe") return renderVbeLine(this.vga.vram, this.vramWords, this.vbe!, y, this.colours.dac, out);
    if (this.kind === "blank") {
      out.fill(BLACK, 0, w);
      return;
    }
    const g = this.geometry!;
    const src = this.sources[y * g.lineRepeat];
    if (!src) {
      out.fill(BLACK, 0, w);
      return;
    }
    if (this.kind === "text") renderTextLine(this.vga, g, src, this.colours, this.phases, out, w);
    else renderGraphicsLine(this.vga, g, src, this.colours, (this.vga.state.ac[AC_MODE] & 0x08) !== 0 && !this.phases.charsOn, out, w);
  }
}

/** Were any of the plane bytes at offsets lo..hi written? (Offsets past 64 KiB: planar VBE.) */
function planesDirty(dirty: VramDirty, lo: number, hi: number): boolean {
  if (hi < lo || hi - lo > 0x8000) return dirty.any; // wraps around: not worth being precise
  // Plane offsets lo..hi occupy, in each of the four 64 KiB quarters of a 256 KiB block of the
  // plane layout, the same span (see planeIndex in planes.ts).
  for (let chunk = lo >>> 16; chunk <= hi >>> 16; chunk++) {
    const from = chunk === lo >>> 16 ? lo & 0xfffc : 0;
    const to = chunk === hi >>> 16 ? hi & 0xfffc : 0xfffc;
    for (let q = 0; q < 4; q++) if (dirty.rangeDirty(chunk * PLANES_BYTES + ((q << 16) | from), to - from + 4)) return true;
  }
  return false;
}

/** Copy the pixels of `rect` out of a frame (row by row), e.g. to post them from the worker to the page. */
export function copyRect(frame: { width: number; rgba: Uint8ClampedArray }, rect: Rect): Uint8ClampedArray {
  const out = new Uint8ClampedArray(rect.width * rect.height * 4);
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.y + y) * frame.width + rect.x) * 4;
    out.set(frame.rgba.subarray(from, from + rect.width * 4), y * rect.width * 4);
  }
  return out;
}
