// Scanline converters: one output line of a text, planar/packed or VBE picture as RGBA words
// (R in the low byte, little-endian, as Uint8ClampedArray/ImageData expects).
import type { Vga } from "./vga";
import { planeBase, planeBaseExt, planeIndex, SR_CHAR_MAP } from "./planes";
import { crtcAddress, AC_MODE, CR_CURSOR_START, CR_CURSOR_END, CR_CURSOR_HI, CR_CURSOR_LO, CR_UNDERLINE, type VgaGeometry, type ScanlineSource } from "./timing";
import type { VbeLayout } from "./vbe";

export interface Colours {
  /** Attribute value 0-15 -> RGBA through colour plane enable, palette, colour select and DAC. */
  attr: Uint32Array;
  /**
   * The same with bit 3 of the value inverted: graphics modes with blinking enabled (AC10 bit 3)
   * show it during the blink's off phase, so that colours differing in bit 3 alternate (mode 0Fh's
   * palette makes value 4 blink between bright and black this way).
   */
  attrBlinkOff: Uint32Array;
  /** DAC index -> RGBA, pel mask applied. */
  dac: Uint32Array;
}

/** Blink phases of the current frame (IBM VGA: cursor toggles every 8 frames, characters every 16). */
export interface BlinkPhases {
  cursorOn: boolean;
  charsOn: boolean;
}

export function blinkPhases(frame: number): BlinkPhases {
  return { cursorOn: ((frame >> 3) & 1) === 0, charsOn: ((frame >> 4) & 1) === 0 };
}

/**
 * The memory address counter value at which the cursor shows: the location register plus the
 * cursor skew (CR0B bits 5-6), which delays the cursor by that many character clocks.
 */
export function cursorAddress(c: number[]): number {
  return (((c[CR_CURSOR_HI] << 8) | c[CR_CURSOR_LO]) + ((c[CR_CURSOR_END] >> 5) & 3)) & 0xffff;
}

/** Plane-2 offset of character map `n` (0-7): maps 0-3 at 16 KiB steps, 4-7 in between. */
export function fontMapBase(n: number): number {
  return ((n & 3) << 14) | ((n >> 2) << 13);
}

/** Character map select (SR03): [map for attribute bit 3 set (A), map for bit 3 clear (B)]. */
export function charMaps(sr3: number): [number, number] {
  const a = (((sr3 >> 5) & 1) << 2) | ((sr3 >> 2) & 3);
  const b = (((sr3 >> 4) & 1) << 2) | (sr3 & 3);
  return [fontMapBase(a), fontMapBase(b)];
}

export function renderTextLine(vga: Vga, g: VgaGeometry, src: ScanlineSource, colours: Colours, phases: BlinkPhases, out: Uint32Array, width: number): void {
  const s = vga.state;
  const vram = vga.vram;
  const c = s.crtc;
  const rowScan = src.rowScan;
  const cursorStart = c[CR_CURSOR_START] & 0x1f;
  const cursorEnd = c[CR_CURSOR_END] & 0x1f;
  // The cursor shows on row scans start..end; start > end gives no cursor on the VGA.
  const cursorHere = (c[CR_CURSOR_START] & 0x20) === 0 && phases.cursorOn && rowScan >= cursorStart && rowScan <= cursorEnd;
  const cursorAt = cursorAddress(c);
  const [fontA, fontB] = charMaps(s.seq[SR_CHAR_MAP]);
  const acMode = s.ac[AC_MODE];
  const blinkEnabled = (acMode & 0x08) !== 0;
  const lineGraphics = (acMode & 0x04) !== 0;
  const underlineRow = c[CR_UNDERLINE] & 0x1f;
  const cw = g.charWidth;
  const attr = colours.attr;
  const pan = src.split && g.panBelowSplitOff ? 0 : g.panning;
  let x = -pan;
  for (let col = 0; x < width; col++) {
    const ma = (src.ma + ((col / g.clocksPerAddress) | 0)) & 0xffff;
    const base = planeBase(crtcAddress(g, ma, rowScan));
    const ch = vram[base];
    const at = vram[base + 1];
    let glyph = vram[planeIndex(((at & 8 ? fontA : fontB) + ch * 32 + rowScan) & 0xffff, 2)];
    // Underline (foreground 1, background 0, on the Underline Location row) and the cursor
    // fill the whole cell width, ninth dot included; blinking hides the underline too.
    const underline = rowScan === underlineRow && (at & 0x77) === 0x01;
    if (underline) glyph = 0xff;
    if (blinkEnabled && at & 0x80 && !phases.charsOn) glyph = 0;
    const cursor = cursorHere && ma === cursorAt;
    if (cursor) glyph = 0xff;
    const fg = attr[at & 0x0f];
    const bg = attr[blinkEnabled ? (at >> 4) & 7 : at >> 4];
    // The ninth dot repeats the eighth for the line-drawing characters C0-DF (AC10 bit 2).
    const ninth = cw === 9 && (cursor || underline || (lineGraphics && (ch & 0xe0) === 0xc0)) ? glyph & 1 : 0;
    if (x >= 0 && x + cw <= width) {
      out[x] = glyph & 0x80 ? fg : bg;
      out[x + 1] = glyph & 0x40 ? fg : bg;
      out[x + 2] = glyph & 0x20 ? fg : bg;
      out[x + 3] = glyph & 0x10 ? fg : bg;
      out[x + 4] = glyph & 0x08 ? fg : bg;
      out[x + 5] = glyph & 0x04 ? fg : bg;
      out[x + 6] = glyph & 0x02 ? fg : bg;
      out[x + 7] = glyph & 0x01 ? fg : bg;
      if (cw === 9) out[x + 8] = ninth ? fg : bg;
      x += cw;
      continue;
    }
    // A cell cut by the left edge (pixel panning) or the right edge.
    for (let b = 7; b >= 0; b--, x++) if (x >= 0 && x < width) out[x] = (glyph >> b) & 1 ? fg : bg;
    if (cw === 9) {
      if (x >= 0 && x < width) out[x] = ninth ? fg : bg;
      x++;
    }
  }
}

export function renderGraphicsLine(vga: Vga, g: VgaGeometry, src: ScanlineSource, colours: Colours, blinkOff: boolean, out: Uint32Array, width: number): void {
  const vram = vga.vram;
  const attr = blinkOff ? colours.attrBlinkOff : colours.attr;
  const eightBit = g.charWidth === 4;
  const nib = NIBBLES;
  const pan = src.split && g.panBelowSplitOff ? 0 : g.panning;
  let x = -pan;
  for (let col = 0; x < width; col++) {
    const ma = (src.ma + ((col / g.clocksPerAddress) | 0)) & 0xffff;
    const base = planeBase(crtcAddress(g, ma, src.rowScan));
    const p0 = vram[base], p1 = vram[base + 1], p2 = vram[base + 2], p3 = vram[base + 3];
    // The shift registers produce eight 4-bit values per character clock (GR05 bits 5-6).
    if (g.shiftMode === 2) {
      nib[0] = p0 >> 4; nib[1] = p0 & 15; nib[2] = p1 >> 4; nib[3] = p1 & 15;
      nib[4] = p2 >> 4; nib[5] = p2 & 15; nib[6] = p3 >> 4; nib[7] = p3 & 15;
    } else if (g.shiftMode === 1) {
      // CGA 4-colour: planes 0/2 give the first four pixels two bits at a time, planes 1/3 the next four.
      for (let i = 0; i < 4; i++) {
        const sh = 6 - 2 * i;
        nib[i] = ((p0 >> sh) & 3) | (((p2 >> sh) & 3) << 2);
        nib[4 + i] = ((p1 >> sh) & 3) | (((p3 >> sh) & 3) << 2);
      }
    } else {
      for (let i = 0; i < 8; i++) {
        const b = 7 - i;
        nib[i] = ((p0 >> b) & 1) | (((p1 >> b) & 1) << 1) | (((p2 >> b) & 1) << 2) | (((p3 >> b) & 1) << 3);
      }
    }
    if (eightBit) {
      // 256-colour mode (AC10 bit 6): pairs of values form one 8-bit DAC index.
      for (let i = 0; i < 8; i += 2, x++) if (x >= 0 && x < width) out[x] = colours.dac[(nib[i] << 4) | nib[i + 1]];
    } else {
      for (let i = 0; i < 8; i++, x++) if (x >= 0 && x < width) out[x] = attr[nib[i]];
    }
  }
}
const NIBBLES = new Uint8Array(8);

/** `words` is VRAM viewed as 32-bit words when its offset allows (null otherwise). */
export function renderVbeLine(vram: Uint8Array, words: Uint32Array | null, mode: VbeLayout, y: number, dac: Uint32Array, out: Uint32Array): void {
  let i = mode.start + y * mode.lineBytes;
  const w = mode.width;
  // Pixels beyond the end of VRAM (a mode larger than memory) show black.
  const n = Math.max(0, Math.min(w, Math.floor((vram.length - i) / mode.bytesPerPixel)));
  out.fill(0xff000000, n, w);
  switch (mode.bpp) {
    case 8:
      for (let x = 0; x < n; x++, i++) out[x] = dac[vram[i]];
      return;
    case 15:
      for (let x = 0; x < n; x++, i += 2) {
        const v = vram[i] | (vram[i + 1] << 8);
        out[x] = rgba(expand5((v >> 10) & 31), expand5((v >> 5) & 31), expand5(v & 31));
      }
      return;
    case 16:
      for (let x = 0; x < n; x++, i += 2) {
        const v = vram[i] | (vram[i + 1] << 8);
        const g6 = (v >> 5) & 63;
        out[x] = rgba(expand5(v >> 11), (g6 << 2) | (g6 >> 4), expand5(v & 31));
      }
      return;
    case 24:
      for (let x = 0; x < n; x++, i += 3) out[x] = (0xff000000 | vram[i + 2] | (vram[i + 1] << 8) | (vram[i] << 16)) >>> 0;
      return;
    default: {
      // 32 bpp is B, G, R, X in memory: swap R and B of each little-endian word.
      if (words && (i & 3) === 0) {
        for (let x = 0, k = i >> 2; x < n; x++, k++) {
          const v = words[k];
          out[x] = (0xff000000 | ((v >>> 16) & 0xff) | (v & 0xff00) | ((v & 0xff) << 16)) >>> 0;
        }
      } else {
        for (let x = 0; x < n; x++, i += 4) out[x] = (0xff000000 | vram[i + 2] | (vram[i + 1] << 8) | (vram[i] << 16)) >>> 0;
      }
    }
  }
}

/** The planar 4 bpp VBE mode: 8 pixels per plane byte, colours through the attribute palette. */
export function renderVbePlanarLine(vram: Uint8Array, mode: VbeLayout, y: number, attr: Uint32Array, out: Uint32Array): void {
  const first = mode.start + y * mode.lineBytes;
  for (let x = 0, k = 0; x < mode.width; k++) {
    const base = planeBaseExt(first + k);
    if (base + 3 >= vram.length) break;
    const p0 = vram[base], p1 = vram[base + 1], p2 = vram[base + 2], p3 = vram[base + 3];
    for (let b = 7; b >= 0 && x < mode.width; b--, x++) {
      out[x] = attr[((p0 >> b) & 1) | (((p1 >> b) & 1) << 1) | (((p2 >> b) & 1) << 2) | (((p3 >> b) & 1) << 3)];
    }
  }
}

function expand5(v: number): number {
  return (v << 3) | (v >> 2);
}

export function rgba(r: number, g: number, b: number): number {
  return (r | (g << 8) | (b << 16) | 0xff000000) >>> 0;
}
