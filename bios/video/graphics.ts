// Pixels and characters in the graphics modes (INT 10h AH=0Ch/0Dh, and AH=06h-0Ah/0Eh when the
// screen is a bitmap): CGA interleaved memory at B8000, the planar EGA/VGA modes through the
// graphics controller's write modes, and mode 13h's byte per pixel (IBM VGA Technical Reference,
// graphics controller; CGA memory organisation from the IBM PC Technical Reference).
import type { VideoHw } from "./hw";
import type { Screen } from "./screen";

function cgaOffset(y: number): number {
  return (y & 1) * 0x2000 + (y >> 1) * 80;
}

/** Bytes per scanline of a planar mode (one bit per pixel per plane). */
function planarPitch(s: Screen): number {
  return s.columns;
}

function pageBase(s: Screen, page: number): number {
  return (s.segment << 4) + (s.model === "planar" ? page * s.pageSize : 0);
}

/**
 * The graphics controller as the BIOS's planar drawing expects it, whatever a program left
 * there: write mode 0, read mode 0, no set/reset, no rotation or logical function, all bits.
 */
function planarDefaults(hw: VideoHw): void {
  hw.setGc(0x05, hw.gc(0x05) & 0xf4);
  hw.setGc(0x01, 0x00);
  hw.setGc(0x03, 0x00);
  hw.setGc(0x08, 0xff);
}

/** AH=0Ch. Bit 7 of the colour XORs it onto the screen (CGA and planar modes). */
export function writePixel(hw: VideoHw, s: Screen, page: number, x: number, y: number, colour: number): void {
  const xor = (colour & 0x80) !== 0;
  switch (s.model) {
    case "cga2": {
      if (x >= 320 || y >= 200) return;
      const a = 0xb8000 + cgaOffset(y) + (x >> 2);
      const shift = (3 - (x & 3)) * 2;
      let v = hw.r8(a);
      v = xor ? v ^ ((colour & 3) << shift) : (v & ~(3 << shift)) | ((colour & 3) << shift);
      hw.w8(a, v);
      return;
    }
    case "cga1": {
      if (x >= 640 || y >= 200) return;
      const a = 0xb8000 + cgaOffset(y) + (x >> 3);
      const bit = 0x80 >> (x & 7);
      let v = hw.r8(a);
      v = xor ? v ^ (colour & 1 ? bit : 0) : colour & 1 ? v | bit : v & ~bit;
      hw.w8(a, v);
      return;
    }
    case "planar": {
      const a = pageBase(s, page) + y * planarPitch(s) + (x >> 3);
      // Write mode 2: the colour's bits go to the four planes under the bit mask; the data
      // rotate/function register does the XOR. The read loads the latches for the other dots.
      planarDefaults(hw);
      hw.setSeq(0x02, 0x0f);
      hw.setGc(0x05, 0x02);
      hw.setGc(0x08, 0x80 >> (x & 7));
      if (xor) hw.setGc(0x03, 0x18);
      hw.r8(a);
      hw.w8(a, colour & 0x0f);
      hw.setGc(0x03, 0x00);
      hw.setGc(0x08, 0xff);
      hw.setGc(0x05, 0x00);
      return;
    }
    case "linear8":
      if (x >= 320 || y >= 200) return;
      hw.w8(0xa0000 + y * 320 + x, colour);
      return;
  }
}

/** AH=0Dh. */
export function readPixel(hw: VideoHw, s: Screen, page: number, x: number, y: number): number {
  switch (s.model) {
    case "cga2":
      return (hw.r8(0xb8000 + cgaOffset(y) + (x >> 2)) >> ((3 - (x & 3)) * 2)) & 3;
    case "cga1":
      return (hw.r8(0xb8000 + cgaOffset(y) + (x >> 3)) >> (7 - (x & 7))) & 1;
    case "planar": {
      const a = pageBase(s, page) + y * planarPitch(s) + (x >> 3);
      planarDefaults(hw);
      const gr4 = hw.gc(0x04);
      let v = 0;
      for (let p = 0; p < 4; p++) {
        hw.setGc(0x04, p);
        if (hw.r8(a) & (0x80 >> (x & 7))) v |= 1 << p;
      }
      hw.setGc(0x04, gr4);
      return v;
    }
    case "linear8":
      return hw.r8(0xa0000 + y * 320 + x);
    default:
      return 0;
  }
}

/** The character pattern the BIOS draws for `ch`: INT 43h, or INT 1Fh for 80h-FFh in CGA modes. */
export function glyphFor(hw: VideoHw, s: Screen, ch: number): Uint8Array {
  const h = s.charHeight;
  if ((s.model === "cga2" || s.model === "cga1") && ch >= 0x80) {
    const v = hw.vector(0x1f);
    return hw.read((v.seg << 4) + v.off + (ch - 0x80) * 8, 8);
  }
  const v = hw.vector(0x43);
  return hw.read(((v.seg << 4) + v.off + ch * h) >>> 0, h);
}

/** Cell height in scanlines for character rows of a graphics mode (8 in the CGA modes). */
function cellHeight(s: Screen): number {
  return s.model === "cga2" || s.model === "cga1" ? 8 : s.charHeight;
}

/** Draw one character cell (AH=09h/0Ah/0Eh in graphics modes); bit 7 of colour XORs, except in mode 13h. */
export function drawCharCell(hw: VideoHw, s: Screen, page: number, col: number, row: number, ch: number, colour: number): void {
  const h = cellHeight(s);
  const glyph = glyphFor(hw, s, ch);
  const xor = (colour & 0x80) !== 0;
  switch (s.model) {
    case "cga2": {
      for (let y = 0; y < 8; y++) {
        const a = 0xb8000 + cgaOffset(row * 8 + y) + col * 2;
        let bits = 0;
        for (let x = 0; x < 8; x++) if (glyph[y] & (0x80 >> x)) bits |= (colour & 3) << ((7 - x) * 2);
        const old = xor ? (hw.r8(a) << 8) | hw.r8(a + 1) : 0;
        const v = old ^ bits;
        hw.w8(a, v >> 8);
        hw.w8(a + 1, v & 0xff);
      }
      return;
    }
    case "cga1":
      for (let y = 0; y < 8; y++) {
        const a = 0xb8000 + cgaOffset(row * 8 + y) + col;
        const bits = colour & 1 ? glyph[y] : 0;
        hw.w8(a, xor ? hw.r8(a) ^ bits : bits);
      }
      return;
    case "planar": {
      const pitch = planarPitch(s);
      const base = pageBase(s, page) + row * h * pitch + col;
      planarDefaults(hw);
      const sr2 = hw.seq(0x02);
      for (let y = 0; y < h; y++) {
        const a = base + y * pitch;
        if (xor) {
          hw.setGc(0x03, 0x18);
          hw.r8(a);
          hw.setSeq(0x02, colour & 0x0f);
          hw.w8(a, glyph[y]);
          hw.setGc(0x03, 0x00);
        } else {
          hw.setSeq(0x02, 0x0f);
          hw.w8(a, 0x00);
          hw.setSeq(0x02, colour & 0x0f);
          hw.w8(a, glyph[y]);
        }
      }
      hw.setSeq(0x02, sr2);
      return;
    }
    case "linear8":
      for (let y = 0; y < h; y++) {
        const line = new Uint8Array(8);
        for (let x = 0; x < 8; x++) line[x] = glyph[y] & (0x80 >> x) ? colour : 0;
        hw.write(0xa0000 + (row * h + y) * 320 + col * 8, line);
      }
      return;
  }
}

/** AH=08h in graphics modes: the character whose pattern matches the cell's set dots, or 0. */
export function readCharCell(hw: VideoHw, s: Screen, page: number, col: number, row: number): number {
  const h = cellHeight(s);
  const pattern = new Uint8Array(h);
  for (let y = 0; y < h; y++) {
    let bits = 0;
    for (let x = 0; x < 8; x++) if (readPixel(hw, s, page, col * 8 + x, row * h + y)) bits |= 0x80 >> x;
    pattern[y] = bits;
  }
  for (let ch = 0; ch < 256; ch++) {
    const g = glyphFor(hw, s, ch);
    let same = true;
    for (let y = 0; y < h && same; y++) same = g[y] === pattern[y];
    if (same) return ch;
  }
  return 0;
}

/** Bytes per character column, and the address of a cell row's scanline, for the graphics models. */
function lineAddress(s: Screen, page: number, scanline: number): { addr: number; bytesPerCol: number } {
  switch (s.model) {
    case "cga2":
      return { addr: 0xb8000 + cgaOffset(scanline), bytesPerCol: 2 };
    case "cga1":
      return { addr: 0xb8000 + cgaOffset(scanline), bytesPerCol: 1 };
    case "planar":
      return { addr: pageBase(s, page) + scanline * planarPitch(s), bytesPerCol: 1 };
    default:
      return { addr: 0xa0000 + scanline * 320, bytesPerCol: 8 };
  }
}

/**
 * Scroll a window of character cells in a graphics mode (AH=06h/07h): rows move by `lines`
 * (up when positive), vacated rows fill with colour `fill`. Planar modes copy all four planes at
 * once through the latches (write mode 1), as the IBM BIOS does.
 */
export function scrollGraphics(hw: VideoHw, s: Screen, page: number, top: number, left: number, bottom: number, right: number, lines: number, fill: number): void {
  const h = cellHeight(s);
  const height = bottom - top + 1;
  const n = lines === 0 || Math.abs(lines) >= height ? height : Math.abs(lines);
  const up = lines >= 0;
  const planar = s.model === "planar";
  const copyRow = (dst: number, src: number) => {
    for (let y = 0; y < h; y++) {
      const d = lineAddress(s, page, dst * h + y);
      const sr = lineAddress(s, page, src * h + y);
      const from = sr.addr + left * sr.bytesPerCol;
      const to = d.addr + left * d.bytesPerCol;
      const count = (right - left + 1) * d.bytesPerCol;
      if (planar) {
        for (let i = 0; i < count; i++) {
          hw.r8(from + i);
          hw.w8(to + i, 0);
        }
      } else {
        hw.write(to, hw.read(from, count));
      }
    }
  };
  const clearRow = (r: number) => {
    for (let y = 0; y < h; y++) {
      const d = lineAddress(s, page, r * h + y);
      const count = (right - left + 1) * d.bytesPerCol;
      let byte = fill & 0xff;
      if (s.model === "cga2") byte = (fill & 3) * 0x55;
      else if (s.model === "cga1") byte = fill & 1 ? 0xff : 0;
      hw.write(d.addr + left * d.bytesPerCol, new Uint8Array(count).fill(planar ? fill & 0x0f : byte));
    }
  };
  const sr2 = hw.seq(0x02);
  if (planar) {
    planarDefaults(hw);
    hw.setSeq(0x02, 0x0f);
    hw.setGc(0x05, 0x01);
  }
  if (up) {
    for (let r = top; r + n <= bottom; r++) copyRow(r, r + n);
  } else {
    for (let r = bottom; r - n >= top; r--) copyRow(r, r - n);
  }
  if (planar) {
    hw.setGc(0x05, 0x02); // write mode 2: the fill colour goes to every plane
    hw.setGc(0x08, 0xff);
  }
  if (up) for (let r = bottom - n + 1; r <= bottom; r++) clearRow(r);
  else for (let r = top; r < top + n; r++) clearRow(r);
  if (planar) {
    hw.setGc(0x05, 0x00);
    hw.setSeq(0x02, sr2);
  }
}

