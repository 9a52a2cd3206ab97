// The text screen as data: the character/attribute grid and the cursor, read the way the CRTC
// scans it (start address, offset, word/byte addressing). Tests and the page's accessibility and
// copy-text features use this instead of pixels. The split screen is not reflected here.
import type { Vga } from "./vga";
import { planeBase } from "./planes";
import { cp437ToString } from "./cp437";
import { blinkPhases } from "./render-lines";
import { beamStatus, computeGeometry, crtcAddress, CR_CURSOR_START, CR_CURSOR_END, CR_CURSOR_HI, CR_CURSOR_LO, AC_MODE } from "./timing";

export interface TextCursor {
  row: number;
  column: number;
  /** Enabled (CR0A bit 5 clear, start <= end) and on screen; blinking is reported separately. */
  visible: boolean;
  /** The cursor's blink phase in the current frame. */
  blinkOn: boolean;
  startLine: number;
  endLine: number;
}

export interface TextScreen {
  columns: number;
  rows: number;
  /** Scanlines per character row. */
  charHeight: number;
  /** 8 or 9 dots per character. */
  charWidth: number;
  chars: Uint8Array;
  attrs: Uint8Array;
  cursor: TextCursor;
  /** AC10 bit 3: attribute bit 7 blinks the character instead of selecting a bright background. */
  blinkEnabled: boolean;
  /** The characters of one row, codes 0x20-0x7E as ASCII and anything else as '.'. */
  rowText(row: number): string;
  /** The characters of one row as Unicode through code page 437 (box drawing, accents...). */
  rowUnicode(row: number): string;
}

export function readTextScreen(vga: Vga, nowNs: number): TextScreen | null {
  const s = vga.state;
  const g = computeGeometry(s);
  if (g.graphics) return null;
  const columns = g.columns;
  const rows = Math.floor(g.scanlines / (g.rowHeight * (g.doubleScan ? 2 : 1)));
  const chars = new Uint8Array(columns * rows);
  const attrs = new Uint8Array(columns * rows);
  for (let r = 0; r < rows; r++) {
    const rowStart = g.startAddress + g.bytePanning + r * g.rowAdvance;
    for (let c = 0; c < columns; c++) {
      const ma = (rowStart + ((c / g.clocksPerAddress) | 0)) & 0xffff;
      const base = planeBase(crtcAddress(g, ma, 0));
      chars[r * columns + c] = vga.vram[base];
      attrs[r * columns + c] = vga.vram[base + 1];
    }
  }
  const cr = s.crtc;
  const location = (cr[CR_CURSOR_HI] << 8) | cr[CR_CURSOR_LO];
  const rel = (location - g.startAddress - g.bytePanning) & 0xffff;
  const row = g.rowAdvance > 0 ? Math.floor(rel / g.rowAdvance) : 0;
  const column = g.rowAdvance > 0 ? rel % g.rowAdvance : rel;
  const startLine = cr[CR_CURSOR_START] & 0x1f;
  const endLine = cr[CR_CURSOR_END] & 0x1f;
  const visible = (cr[CR_CURSOR_START] & 0x20) === 0 && startLine <= endLine && row < rows && column < columns;
  const phases = blinkPhases(beamStatus(s, nowNs).frame);
  return {
    columns,
    rows,
    charHeight: g.rowHeight,
    charWidth: g.charWidth,
    chars,
    attrs,
    cursor: { row, column, visible, blinkOn: phases.cursorOn, startLine, endLine },
    blinkEnabled: (s.ac[AC_MODE] & 0x08) !== 0,
    rowText(r: number): string {
      let out = "";
      for (let c = 0; c < columns; c++) {
        const ch = chars[r * columns + c];
        out += ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : ".";
      }
      return out;
    },
    rowUnicode(r: number): string {
      return cp437ToString(chars.subarray(r * columns, (r + 1) * columns));
    },
  };
}
