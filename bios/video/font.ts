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

/** The scanlines of one box-drawing character in a cell `h` lines tall. */
function boxGlyph(arms: [number, number, number, number], h: number): number[] {
  const rows = new Array<number>(h).fill(0);
  const midY = (h >> 1) - 1;
  const midX = 3; // dot column of a single vertical line (bit 4)
  const [up, down, left, right] = arms;
  const vCols = (kind: number) => (kind === 2 ? [midX - 1, midX + 1] : [midX]);
  const hRows = (kind: number) => (kind === 2 ? [midY - 1, midY + 1] : [midY]);
  const set = (x: number, y: number) => (rows[y] |= 0x80 >> x);
  // Each arm runs from the edge of the cell to the far line of the crossing, so corners close.
  const vReach = Math.max(left, right) === 2 ? 1 : 0;
  const hReach = Math.max(up, down) === 2 ? 1 : 0;
  if (up) for (const x of vCols(up)) for (let y = 0; y <= midY + (down ? 0 : vReach); y++) set(x, y);
  if (down) for (const x of vCols(down)) for (let y = midY - (up ? 0 : vReach); y < h; y++) set(x, y);
  if (left) for (const y of hRows(left)) for (let x = 0; x <= midX + (right ? 0 : hReach); x++) set(x, y);
  if (right) for (const y of hRows(right)) for (let x = midX - (left ? 0 : hReach); x < 8; x++) set(x, y);
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

/** Stretch an 8-row design to `h` scanlines: rows 0-6 scaled, the descender row kept last. */
function stretch(d: number[], h: FontHeight): number[] {
  if (h === 8) return d;
  const out = new Array<number>(h).fill(0);
  if (h === 16) {
    for (let i = 0; i < 7; i++) out[1 + 2 * i] = out[2 + 2 * i] = d[i];
  } else {
    for (let r = 0; r < h - 1; r++) out[r] = d[Math.floor((r * 7) / (h - 1))];
  }
  out[h - 1] = d[7];
  // Taller cells get two-dot vertical strokes, as the VGA's own 14- and 16-line fonts have; a dot
  // grows rightwards only where that does not close a one-dot gap (so M, W and @ stay open).
  return out.map((v) => v | ((v >> 1) & ~(v << 1)));
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
