// The current video mode as the BIOS Data Area records it (IBM PC/AT Technical Reference, BDA
// 40:49-40:66 and 40:84-40:8A): every service works from these fields, as a VGA BIOS does, so a
// program that edits them (many set 40:84 themselves) gets the behaviour it expects.
import {
  BDA_VIDEO_MODE, BDA_VIDEO_COLS, BDA_VIDEO_PAGE_SIZE, BDA_VIDEO_PAGE_START, BDA_CURSOR_POS, BDA_CURSOR_SHAPE,
  BDA_VIDEO_PAGE, BDA_VIDEO_ROWS, BDA_CHAR_HEIGHT,
} from "../bda";
import type { VideoHw } from "./hw";
import { BIOS_MODES, type BiosMode } from "./modes-table";

export interface Screen extends BiosMode {
  columns: number;
  rows: number;
  charHeight: number;
  pageSize: number;
  activePage: number;
}

export function currentScreen(hw: VideoHw): Screen | null {
  const m = BIOS_MODES.get(hw.r8(BDA_VIDEO_MODE) & 0x7f);
  if (!m) return null;
  const pageSize = hw.r16(BDA_VIDEO_PAGE_SIZE);
  return {
    ...m,
    // Text pages share the 32 KiB window: 80x50 has room for four.
    pages: m.model === "text" && pageSize > 0 ? Math.max(1, Math.min(m.pages, Math.floor(0x8000 / pageSize))) : m.pages,
    columns: hw.r16(BDA_VIDEO_COLS) || 80,
    rows: hw.r8(BDA_VIDEO_ROWS) + 1,
    charHeight: hw.r8(BDA_CHAR_HEIGHT) || 16,
    pageSize,
    activePage: hw.r8(BDA_VIDEO_PAGE),
  };
}

export function cursorPos(hw: VideoHw, page: number): { row: number; col: number } {
  const v = hw.r16(BDA_CURSOR_POS + 2 * (page & 7));
  return { row: v >> 8, col: v & 0xff };
}

/** Record a cursor position; the hardware cursor follows if `page` is the displayed one. */
export function setCursorPos(hw: VideoHw, page: number, row: number, col: number): void {
  page &= 7;
  hw.w16(BDA_CURSOR_POS + 2 * page, ((row & 0xff) << 8) | (col & 0xff));
  const s = currentScreen(hw);
  if (!s || s.model !== "text" || page !== s.activePage) return;
  const loc = ((hw.r16(BDA_VIDEO_PAGE_START) >> 1) + row * s.columns + col) & 0xffff;
  hw.setCrtc(0x0e, loc >> 8);
  hw.setCrtc(0x0f, loc & 0xff);
}

/**
 * AH=01h: record the cursor shape (CH start, CL end) and program the CRTC. With cursor emulation
 * on (BDA 40:87 bit 0 clear) the values are taken as lines of an 8-line CGA cell and moved to
 * the same place in the real cell (IBM VGA Technical Reference, cursor emulation): a cursor in
 * the lower half keeps its distance from the bottom (leaving the last line clear, as 06h/07h
 * becomes 0Dh/0Eh with 16-line cells), one in the upper half stretches down by the same amount.
 * CH bit 5 (or start > end) hides the cursor and passes through unchanged.
 */
export function setCursorShape(hw: VideoHw, ch: number, cl: number): void {
  hw.w16(BDA_CURSOR_SHAPE, ((ch & 0xff) << 8) | (cl & 0xff));
  const s = currentScreen(hw);
  if (!s || s.model !== "text") return;
  let start = ch & 0x3f;
  let end = cl & 0x1f;
  const emulate = (hw.r8(0x487) & 0x01) === 0;
  const h = s.charHeight;
  if (emulate && h > 8 && (ch & 0x20) === 0 && start <= end && end < 8) {
    const grow = h - 9;
    if (start >= 4) {
      start += grow;
      end += grow;
    } else if (end >= 4) {
      end += grow;
    }
  }
  hw.setCrtc(0x0a, start);
  hw.setCrtc(0x0b, end);
}

