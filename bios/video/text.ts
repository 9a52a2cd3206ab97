// INT 10h character services: cursor (AH=01h-03h), display page (05h), scrolling (06h/07h),
// character read/write (08h-0Ah), teletype output (0Eh) and write string (13h), after the IBM
// VGA Technical Reference BIOS interface and Ralf Brown's Interrupt List. In graphics modes the
// characters are drawn from the INT 43h font (graphics.ts).
import * as L from "../../asm/layout";
import type { ServiceContext } from "../context";
import type { VideoHw } from "./hw";
import { BDA_VIDEO_PAGE, BDA_VIDEO_PAGE_START, BDA_CURSOR_SHAPE } from "../bda";
import { currentScreen, cursorPos, setCursorPos, setCursorShape, type Screen } from "./screen";
import { drawCharCell, readCharCell, scrollGraphics } from "./graphics";

/** Address of a text cell of `page`. */
function cellAddress(s: Screen, page: number, row: number, col: number): number {
  return (s.segment << 4) + ((page * s.pageSize + (row * s.columns + col) * 2) & 0xffff);
}

/** AH=05h: display page AL. */
export function setActivePage(hw: VideoHw, page: number): void {
  const s = currentScreen(hw);
  if (!s || page >= s.pages) return;
  const start = page * s.pageSize;
  hw.w8(BDA_VIDEO_PAGE, page);
  hw.w16(BDA_VIDEO_PAGE_START, start);
  // The CRTC counts words in the text modes (CR17 bit 6 clear) and bytes in the planar modes.
  const addr = s.model === "text" ? start >> 1 : start;
  hw.setCrtc(0x0c, (addr >> 8) & 0xff);
  hw.setCrtc(0x0d, addr & 0xff);
  const c = cursorPos(hw, page);
  setCursorPos(hw, page, c.row, c.col);
}

/**
 * Scroll a window of `page` (AH=06h up, 07h down): `lines` = 0 blanks it; blank lines take
 * attribute `attr` (text) or colour `attr` (graphics). Coordinates beyond the screen are clipped.
 */
export function scrollWindow(hw: VideoHw, s: Screen, page: number, top: number, left: number, bottom: number, right: number, lines: number, attr: number, up: boolean): void {
  bottom = Math.min(bottom, s.rows - 1);
  right = Math.min(right, s.columns - 1);
  if (top > bottom || left > right) return;
  if (s.model !== "text") {
    scrollGraphics(hw, s, page, top, left, bottom, right, up ? lines : -lines, attr);
    return;
  }
  const height = bottom - top + 1;
  const n = lines === 0 || lines >= height ? height : lines;
  const width = (right - left + 1) * 2;
  const blank = new Uint8Array(width);
  for (let i = 0; i < width; i += 2) {
    blank[i] = 0x20;
    blank[i + 1] = attr;
  }
  if (up) {
    for (let r = top; r + n <= bottom; r++) hw.write(cellAddress(s, page, r, left), hw.read(cellAddress(s, page, r + n, left), width));
    for (let r = bottom - n + 1; r <= bottom; r++) hw.write(cellAddress(s, page, r, left), blank);
  } else {
    for (let r = bottom; r - n >= top; r--) hw.write(cellAddress(s, page, r, left), hw.read(cellAddress(s, page, r - n, left), width));
    for (let r = top; r < top + n; r++) hw.write(cellAddress(s, page, r, left), blank);
  }
}

/** Write `count` copies of ch at the cursor of `page` (AH=09h with attr, 0Ah without: attr = null). */
function writeChars(hw: VideoHw, s: Screen, page: number, ch: number, attr: number | null, count: number, colour: number): void {
  const c = cursorPos(hw, page);
  if (s.model === "text") {
    // The cells are consecutive in display memory (the run may go on past the end of the row):
    // one block write, reading the block first when the attributes are kept.
    const start = cellAddress(s, page, c.row, c.col);
    const end = Math.min((s.segment << 4) + 0x8000, start + count * 2);
    if (end <= start) return;
    const cells = attr === null ? hw.read(start, end - start) : new Uint8Array(end - start);
    for (let i = 0; i < cells.length; i += 2) {
      cells[i] = ch;
      if (attr !== null) cells[i + 1] = attr;
    }
    hw.write(start, cells);
    return;
  }
  // Graphics: cells continue along the row and stop at its end (IBM BIOS).
  for (let i = 0; i < count && c.col + i < s.columns; i++) drawCharCell(hw, s, page, c.col + i, c.row, ch, colour);
}

/**
 * Teletype output of one character on `page` (AH=0Eh, and AH=13h): BEL, BS, LF and CR act,
 * everything else is written (text: character only, the cell keeps its attribute, unless
 * `attr` is given; graphics: in colour `colour`) and the cursor advances, wrapping and
 * scrolling the page up at the bottom. The new line takes the attribute of the cell at the
 * cursor (text) or colour 0 (graphics).
 */
export function teletype(hw: VideoHw, s: Screen, page: number, ch: number, colour: number, attr: number | null = null): void {
  let { row, col } = cursorPos(hw, page);
  switch (ch) {
    case 0x07:
      return; // BEL: nothing is written (AH=0Eh also beeps, see install.ts)
    case 0x08:
      if (col > 0) col--;
      break;
    case 0x0a:
      row++;
      break;
    case 0x0d:
      col = 0;
      break;
    default:
      if (s.model === "text") {
        const a = cellAddress(s, page, row, col);
        if (attr === null) hw.w8(a, ch);
        else hw.write(a, Uint8Array.of(ch, attr));
      } else {
        drawCharCell(hw, s, page, col, row, ch, colour);
      }
      col++;
      if (col >= s.columns) {
        col = 0;
        row++;
      }
  }
  if (row >= s.rows) {
    row = s.rows - 1;
    const fill = s.model === "text" ? hw.r8(cellAddress(s, page, row, col) + 1) : 0;
    scrollWindow(hw, s, page, 0, 0, s.rows - 1, s.columns - 1, 1, fill, true);
  }
  setCursorPos(hw, page, row, col);
}

export function textService(ctx: ServiceContext, hw: VideoHw): boolean {
  const s = currentScreen(hw);
  switch (ctx.ah) {
    case 0x01:
      setCursorShape(hw, ctx.ch, ctx.cl);
      return true;
    case 0x02:
      setCursorPos(hw, ctx.bh, ctx.dh, ctx.dl);
      return true;
    case 0x03: {
      const c = cursorPos(hw, ctx.bh);
      ctx.dx = (c.row << 8) | c.col;
      ctx.cx = hw.r16(BDA_CURSOR_SHAPE);
      return true;
    }
    case 0x05:
      setActivePage(hw, ctx.al);
      return true;
  }
  if (!s) return true;
  switch (ctx.ah) {
    case 0x06:
    case 0x07:
      scrollWindow(hw, s, s.activePage, ctx.ch, ctx.cl, ctx.dh, ctx.dl, ctx.al, ctx.bh, ctx.ah === 0x06);
      return true;
    case 0x08: {
      const c = cursorPos(hw, ctx.bh);
      if (s.model === "text") {
        const v = hw.read(cellAddress(s, ctx.bh, c.row, c.col), 2);
        ctx.ax = v[0] | (v[1] << 8);
      } else {
        ctx.al = readCharCell(hw, s, ctx.bh, c.col, c.row);
        ctx.ah = 0;
      }
      return true;
    }
    case 0x09:
      writeChars(hw, s, ctx.bh, ctx.al, ctx.bl, ctx.cx, ctx.bl);
      return true;
    case 0x0a:
      writeChars(hw, s, ctx.bh, ctx.al, null, ctx.cx, ctx.bl);
      return true;
    case 0x0e:
      teletype(hw, s, s.activePage, ctx.al, ctx.bl);
      return true;
    case 0x13:
      writeString(ctx, hw, s);
      return true;
  }
  return false;
}

/** AH=13h: AL bit 0 = move the cursor, bit 1 = string of (char, attribute) pairs. */
function writeString(ctx: ServiceContext, hw: VideoHw, s: Screen): void {
  const mode = ctx.al;
  if (mode > 3) return;
  const page = ctx.bh;
  const saved = cursorPos(hw, page);
  setCursorPos(hw, page, ctx.dh, ctx.dl);
  const withAttrs = (mode & 2) !== 0;
  const data = hw.read(ctx.lin(L.SEG_ES, ctx.bp), ctx.cx * (withAttrs ? 2 : 1));
  for (let i = 0; i < ctx.cx; i++) {
    const ch = data[withAttrs ? 2 * i : i];
    const attr = withAttrs ? data[2 * i + 1] : ctx.bl;
    teletype(hw, s, page, ch, attr, attr);
  }
  if ((mode & 1) === 0) setCursorPos(hw, page, saved.row, saved.col);
}
