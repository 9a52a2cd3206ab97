// Loading character patterns into plane 2 (the text-mode character generator) and resizing the
// text screen to a new character height: INT 10h AH=11h and the mode set's font load. Plane 2
// holds eight 8 KiB character blocks of 256 x 32-byte slots; block n starts at
// (n & 3) * 16 KiB + (n & 4) * 2 KiB (IBM VGA Technical Reference, Character Map Select register).
import type { VideoHw } from "./hw";
import { BDA_VIDEO_COLS, BDA_VIDEO_PAGE_SIZE, BDA_VIDEO_ROWS, BDA_CHAR_HEIGHT } from "../bda";
import { setCursorShape } from "./screen";

export function blockOffset(block: number): number {
  return ((block & 3) << 14) | ((block & 4) << 11);
}

/**
 * Write `count` patterns of `height` bytes (from `glyphs`) for characters first.. into `block`.
 * The sequencer and graphics controller are switched to plane 2 with sequential addressing at
 * A0000 for the copy, as the IBM BIOS does, and put back afterwards.
 */
export function loadFont(hw: VideoHw, glyphs: Uint8Array, first: number, count: number, height: number, block: number): void {
  const saved = { sr2: hw.seq(2), sr4: hw.seq(4), gr4: hw.gc(4), gr5: hw.gc(5), gr6: hw.gc(6) };
  hw.setSeq(2, 0x04);
  hw.setSeq(4, 0x07);
  hw.setGc(4, 0x02);
  hw.setGc(5, 0x00);
  hw.setGc(6, 0x04);
  const h = Math.min(height, 32);
  const n = Math.min(count, 256 - (first & 0xff));
  const buf = new Uint8Array(n * 32);
  // The slot's unused lines keep their old contents except when the whole pattern is rewritten:
  // read them first so a partial load changes only what it was given.
  buf.set(hw.read(0xa0000 + blockOffset(block) + (first & 0xff) * 32, buf.length));
  for (let i = 0; i < n; i++) {
    buf.set(glyphs.subarray(i * height, i * height + h), i * 32);
    if (h < 32) buf.fill(0, i * 32 + h, i * 32 + 32);
  }
  hw.write(0xa0000 + blockOffset(block) + (first & 0xff) * 32, buf);
  hw.setSeq(2, saved.sr2);
  hw.setSeq(4, saved.sr4);
  hw.setGc(4, saved.gr4);
  hw.setGc(5, saved.gr5);
  hw.setGc(6, saved.gr6);
}

/** Scan lines the CRTC displays (Vertical Display End + 1, with its overflow bits in CR07). */
export function displayedLines(hw: VideoHw): number {
  const ov = hw.crtc(0x07);
  return (hw.crtc(0x12) | ((ov & 0x02) << 7) | ((ov & 0x40) << 3)) + 1;
}

/**
 * Make the text screen use `height`-line characters (AH=11h AL=1xh): Maximum Scan Line,
 * cursor, and Vertical Display End set to whole rows, then the BDA's rows, character height and
 * page size, as the IBM BIOS recalculates them. 400 lines give 50 rows of 8, 350 lines 43.
 */
export function recalcTextRows(hw: VideoHw, height: number): void {
  const lines = displayedLines(hw);
  const doubled = (hw.crtc(0x09) & 0x80) !== 0;
  const rows = Math.floor(lines / (height * (doubled ? 2 : 1)));
  hw.setCrtc(0x09, (hw.crtc(0x09) & 0xe0) | ((height - 1) & 0x1f));
  const end = rows * height * (doubled ? 2 : 1) - 1;
  const cr11 = hw.crtc(0x11);
  hw.setCrtc(0x11, cr11 & 0x7f); // CR07 is write-protected while CR11 bit 7 is set
  hw.setCrtc(0x07, (hw.crtc(0x07) & ~0x42) | ((end >> 7) & 0x02) | ((end >> 3) & 0x40));
  hw.setCrtc(0x11, cr11);
  hw.setCrtc(0x12, end & 0xff);
  hw.w8(BDA_VIDEO_ROWS, rows - 1);
  hw.w16(BDA_CHAR_HEIGHT, height);
  const cols = hw.r16(BDA_VIDEO_COLS);
  // Page sizes are whole 2 KiB units, as in the mode tables (80x25 = 1000h, 80x50 = 2000h) and
  // as SeaVGABIOS reports them.
  hw.w16(BDA_VIDEO_PAGE_SIZE, ((rows * cols * 2) + 0x7ff) & ~0x7ff);
  // The cursor goes to the last lines of the cell (06h/07h for 8-line cells).
  setCursorShape(hw, height >= 14 ? height - 3 : height - 2, height >= 14 ? height - 2 : height - 1);
}

/** A far pointer in memory as a linear address, or null when it is 0000:0000. */
function farPointer(hw: VideoHw, at: number): { seg: number; off: number; lin: number } | null {
  const off = hw.r16(at), seg = hw.r16(at + 2);
  return off === 0 && seg === 0 ? null : { seg, off, lin: (seg << 4) + off };
}

/** The FFh-terminated mode list of an override table. */
function modeList(hw: VideoHw, at: number): number[] {
  const bytes = hw.read(at, 32);
  const end = bytes.indexOf(0xff);
  return [...bytes.subarray(0, end < 0 ? 32 : end)];
}

/**
 * After a mode set: the font overrides a program installed through a RAM copy of the Video
 * Save Pointer Table (40:A8; IBM VGA Technical Reference, RBIL tables M045-M047). The
 * alphanumeric override loads its font into plane 2 and resizes the text screen to it; the
 * graphics override becomes INT 43h with its row count. Each applies only to the modes it lists.
 */
export function applyFontOverrides(hw: VideoHw, mode: number, text: boolean): void {
  const spt = farPointer(hw, 0x4a8);
  if (!spt) return;
  if (text) {
    const o = farPointer(hw, spt.lin + 0x08);
    if (!o || !modeList(hw, o.lin + 0x0b).includes(mode)) return;
    const height = hw.r8(o.lin);
    const block = hw.r8(o.lin + 1) & 7;
    const count = Math.min(hw.r16(o.lin + 2), 256);
    const first = hw.r16(o.lin + 4) & 0xff;
    const font = farPointer(hw, o.lin + 6);
    if (!font || height === 0) return;
    loadFont(hw, hw.read(font.lin, count * height), first, count, height, block);
    recalcTextRows(hw, height);
    const rows = hw.r8(o.lin + 0x0a);
    if (rows !== 0xff && rows > 0) hw.w8(BDA_VIDEO_ROWS, rows - 1);
  } else {
    const o = farPointer(hw, spt.lin + 0x0c);
    if (!o || !modeList(hw, o.lin + 0x07).includes(mode)) return;
    const font = farPointer(hw, o.lin + 3);
    if (!font) return;
    hw.setVector(0x43, font.seg, font.off);
    const rows = hw.r8(o.lin);
    if (rows > 0) hw.w8(BDA_VIDEO_ROWS, rows - 1);
    hw.w16(BDA_CHAR_HEIGHT, hw.r16(o.lin + 1));
  }
}
