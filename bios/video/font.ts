// The ROM fonts: 256 characters, 8 dots wide, 8, 14 or 16 scanlines tall, one byte per scanline
// (bit 7 = leftmost dot), the layout the VGA's character generator reads from plane 2 and that
// INT 10h AX=1130h hands to programs. Letters, digits and symbols come from our own designs
// (glyphs.ts), stretched to the cell height; the line drawing, shade and block characters
// B0h-DFh are drawn for each height so lines meet the cell edges and join across cells (the
// VGA repeats dot 8 into the ninth column for C0h-DFh, IBM VGA Technical Reference, AC10 bit 2).
import { designRows } from "./glyphs";

export type FontHeight = 8 | 14 | 16;

/** Line arms of the box-drawing characters B3h-DAh: [up, down, left, right], 1 single, 2 double. */
const BOX: Record<number, [number, number, number, number]> = {
  0xb3: [1, 1, 0, 0], 0xb4: [1, 1, 1, 0], 0xb5: [1, 1, 2, 0], 0xb6: [2, 2, 1, 0], 0xb7: [0, 2, 1, 0],
  0xb8: [0, 1, 2, 0], 0xb9: [2, 2, 2, 0], 0xba: [2, 2, 0, 0], 0xbb: [0, 2, 2, 0], 0xbc: [2, 0, 2, 0],
  0xbd: [2, 0, 1, 0], 0xbe: [1, 0, 2, 0], 0xbf: [0, 1, 1, 0], 0xc0: [1, 0, 0, 1], 0xc1: [1, 0, 1, 1],
  0xc2: [0, 1, 1, 1], 0xc3: [1, 1, 0, 1], 0xc4: [0, 0, 1, 1], 0xc5: [1, 1, 1, 1], 0xc6: [1, 1, 0, 2],
  0xc7: [2, 2, 0, 1], 0xc8: [2, 0, 0, 2], 0xc9: [0, 2, 0, 2], 0xca: [2, 0, 2, 2], 0xcb: [0, 2, 2, 2],
  0xcc: [2, 2, 0, 2], 0xcd: [0, 0, 2, 2], 0xce: [2, 2, 2, 2], 0xcf: [1, 0, 2, 2], 0xd0: [2, 0, 1, 1],
  0xd1: [0, 1, 2, 2], 0xd2: [0, 2, 1, 1], 0xd3: [2, 0, 0, 1], 0xd4: [1, 0, 0, 2], 0xd5: [0, 1, 0, 2],
  0xd6: [0, 2, 0, 1], 0xd7: [2, 2, 1, 1], 0xd8: [1, 1, 2, 2], 0xd9: [1, 0, 1, 0], 0xda: [0, 1, 0, 1],
};

/**
 * The scanlines of one box-drawing character in a cell `h` lines tall. A double arm is drawn as a
 * three-dot band from the cell edge into the crossing with its middle line removed, which leaves
 * the two rails and makes corners, tees and crossings join the way the code page 437 shapes do;
 * single arms run to the near rail of a double line that continues through the cell, to the far
 * rail where the double line turns, and straight across where two single arms cross a double line.
 */
function boxGlyph(arms: [number, number, number, number], h: number): number[] {
  const rows = new Array<number>(h).fill(0);
  const midY = (h >> 1) - 1;
  const midX = 3; // dot column of a single vertical line
  const top = midY - 1, bottom = midY + 1, left = midX - 1, right = midX + 1;
  const [up, down, l, r] = arms;
  const vDouble = up === 2 || down === 2;
  const hDouble = l === 2 || r === 2;
  const paint = (x0: number, x1: number, y0: number, y1: number, on: boolean) => {
    for (let y = Math.max(0, y0); y <= Math.min(h - 1, y1); y++) {
      for (let x = Math.max(0, x0); x <= Math.min(7, x1); x++) rows[y] = on ? rows[y] | (0x80 >> x) : rows[y] & ~(0x80 >> x);
    }
  };
  // Double arms: bands, then their middle lines taken out.
  if (up === 2) paint(left, right, 0, hDouble ? bottom : midY, true);
  if (down === 2) paint(left, right, hDouble ? top : midY, h - 1, true);
  if (l === 2) paint(0, vDouble ? right : midX, top, bottom, true);
  if (r === 2) paint(vDouble ? left : midX, 7, top, bottom, true);
  if (up === 2) paint(midX, midX, 0, midY, false);
  if (down === 2) paint(midX, midX, midY, h - 1, false);
  if (l === 2) paint(0, midX, midY, midY, false);
  if (r === 2) paint(midX, 7, midY, midY, false);
  // Single arms.
  const hThrough = l !== 0 && r !== 0;
  const vThrough = up !== 0 && down !== 0;
  // A single line that crosses a double one (both its arms present) runs straight through.
  if (up === 1) paint(midX, midX, 0, !hDouble ? midY : hThrough ? (down === 1 ? midY : top) : bottom, true);
  if (down === 1) paint(midX, midX, !hDouble ? midY : hThrough ? (up === 1 ? midY : bottom) : top, h - 1, true);
  if (l === 1) paint(0, !vDouble ? midX : vThrough ? (r === 1 ? midX : left) : right, midY, midY, true);
  if (r === 1) paint(!vDouble ? midX : vThrough ? (l === 1 ? midX : right) : left, 7, midY, midY, true);
  return rows;
}

/** Light, medium and dark shades B0h-B2h: dot patterns of 1/4, 1/2 and 3/4 coverage. */
function shadeGlyph(level: number, h: number): number[] {
  return Array.from({ length: h }, (_, y) => {
    if (level === 0) return y & 1 ? 0x22 : 0x88;
    if (level === 1) return y & 1 ? 0x55 : 0xaa;
    return y & 1 ? 0xdd : 0x77;
  });
}

/** Stretch an 8-row design to `h` scanlines: a blank top line, rows 0-6 scaled, the descender row last. */
function stretch(d: number[], h: FontHeight): number[] {
  if (h === 8) return d;
  const out = new Array<number>(h).fill(0);
  // One blank line on top, so rows of text keep apart; then the seven rows stretched.
  if (h === 16) {
    for (let i = 0; i < 7; i++) out[1 + 2 * i] = out[2 + 2 * i] = d[i];
  } else {
    for (let r = 1; r < h - 1; r++) out[r] = d[Math.floor(((r - 1) * 7) / (h - 2))];
  }
  out[h - 1] = d[7];
  // Strokes stay one dot wide: widening five-dot designs closes the one-dot gaps of M, W, m, w, @.
  return out;
}

function glyph(code: number, h: FontHeight, designs: Map<number, number[]>): number[] {
  if (code >= 0xb0 && code <= 0xb2) return shadeGlyph(code - 0xb0, h);
  const arms = BOX[code];
  if (arms) return boxGlyph(arms, h);
  switch (code) {
    case 0xdb: return new Array(h).fill(0xff);
    case 0xdc: return Array.from({ length: h }, (_, y) => (y >= h >> 1 ? 0xff : 0));
    case 0xdd: return new Array(h).fill(0xf0);
    case 0xde: return new Array(h).fill(0x0f);
    case 0xdf: return Array.from({ length: h }, (_, y) => (y < h >> 1 ? 0xff : 0));
  }
  const d = designs.get(code);
  return d ? stretch(d, h) : new Array(h).fill(0);
}

const cache = new Map<FontHeight, Uint8Array>();

/** The whole font: 256 glyphs of `h` bytes each. */
export function romFont(h: FontHeight): Uint8Array {
  let f = cache.get(h);
  if (f) return f;
  const designs = designRows();
  f = new Uint8Array(256 * h);
  for (let c = 0; c < 256; c++) f.set(glyph(c, h, designs), c * h);
  cache.set(h, f);
  return f;
}
