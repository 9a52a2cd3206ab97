// VBE functions 06h (logical scan line length) and 07h (display start) in the standard VGA
// modes, which VBE 2.0 (4.9, 4.10) says are valid there too: they work on the CRTC Offset
// register (CR13), the start address (CR0C/CR0D), Preset Row Scan (CR08) and the attribute
// controller's Horizontal Pixel Panning (AC13), per the IBM VGA Technical Reference. Text
// modes count pixels as characters times the cell width (VBE 2.0, 4.9).
import type { VideoHw } from "./hw";
import type { Screen } from "./screen";

const OK = 0x004f;
const FAILED = 0x014f;
const TOO_LARGE = 0x024f;
const INVALID_IN_MODE = 0x034f;

interface LineGeometry {
  /** Bytes of display memory per CR13 unit. */
  unit: number;
  /** Pixels per byte of a line (8 planar, 1 for mode 13h; text: cell width per 2 bytes). */
  pixelsPerByte: number;
  /** Display memory the CRTC addresses in this mode. */
  memory: number;
  /** Scan lines per row of the line pitch (the character height in text modes). */
  linesPerRow: number;
}

function geometry(hw: VideoHw, s: Screen): LineGeometry | null {
  switch (s.model) {
    case "text": {
      const cellWidth = hw.seq(0x01) & 0x01 ? 8 : 9;
      // Word mode: CR13 counts two character cells, four bytes (character and attribute).
      return { unit: 4, pixelsPerByte: cellWidth / 2, memory: 0x8000, linesPerRow: s.charHeight };
    }
    case "planar":
      return { unit: 2, pixelsPerByte: 8, memory: 0x10000, linesPerRow: 1 };
    case "linear8":
      return { unit: 8, pixelsPerByte: 1, memory: 0x10000, linesPerRow: 1 };
    default:
      return null; // the CGA modes have fixed interleaved lines
  }
}

export function vgaScanLineLength(hw: VideoHw, s: Screen, bl: number, cx: number): { ax: number; bx?: number; cx?: number; dx?: number } {
  const g = geometry(hw, s);
  if (!g) return { ax: INVALID_IN_MODE };
  let cr13 = hw.crtc(0x13);
  switch (bl) {
    case 0x00:
    case 0x02: {
      let bytes: number;
      if (bl === 0x00) {
        bytes = cx / g.pixelsPerByte;
        // Text lines are whole characters (VBE 2.0, 4.9).
        if (s.model === "text" && !Number.isInteger(bytes / 2)) return { ax: FAILED };
        bytes = Math.ceil(bytes);
      } else {
        bytes = cx;
      }
      const want = Math.ceil(bytes / g.unit);
      if (want === 0) return { ax: FAILED };
      if (want > 0xff || want * g.unit * g.linesPerRow > g.memory) return { ax: TOO_LARGE };
      hw.setCrtc(0x13, want);
      cr13 = want;
      break;
    }
    case 0x01:
      break;
    case 0x03:
      cr13 = Math.min(0xff, Math.floor(g.memory / g.unit / (s.model === "text" ? s.rows : 1)));
      break;
    default:
      return { ax: FAILED };
  }
  const bytes = cr13 * g.unit;
  return { ax: OK, bx: bytes, cx: bytes * g.pixelsPerByte, dx: Math.floor(g.memory / bytes) * g.linesPerRow };
}

export function vgaDisplayStart(hw: VideoHw, s: Screen, bl: number, cx: number, dx: number): { ax: number; cx?: number; dx?: number } {
  const g = geometry(hw, s);
  if (!g) return { ax: INVALID_IN_MODE };
  const pitch = hw.crtc(0x13) * g.unit;
  const visibleLines = s.rows * s.charHeight;
  if (bl === 0x01) {
    const start = (hw.crtc(0x0c) << 8) | hw.crtc(0x0d);
    const pan = hw.ac(0x13);
    if (s.model === "text") {
      const chars = pitch / 2;
      const cellWidth = g.pixelsPerByte * 2;
      return { ax: OK, cx: (start % chars) * cellWidth, dx: Math.floor(start / chars) * s.charHeight + (hw.crtc(0x08) & 0x1f) };
    }
    if (s.model === "planar") return { ax: OK, cx: (start % pitch) * 8 + (pan & 7), dx: Math.floor(start / pitch) };
    const off = start * 4 + ((pan >> 1) & 3);
    return { ax: OK, cx: off % pitch, dx: Math.floor(off / pitch) };
  }
  if (bl !== 0x00 && bl !== 0x80) return { ax: FAILED };
  // A start that leaves no full screen in display memory fails with no change (VBE 2.0, 4.10).
  if (cx * (1 / g.pixelsPerByte) >= pitch || (dx + visibleLines) * (pitch / g.linesPerRow) > g.memory) return { ax: FAILED };
  let start: number;
  let pan = 0;
  let presetRow = 0;
  if (s.model === "text") {
    const cellWidth = g.pixelsPerByte * 2;
    if (cx % cellWidth) return { ax: FAILED };
    start = Math.floor(dx / s.charHeight) * (pitch / 2) + cx / cellWidth;
    presetRow = dx % s.charHeight;
  } else if (s.model === "planar") {
    start = dx * pitch + (cx >> 3);
    pan = cx & 7;
  } else {
    const off = dx * pitch + cx;
    start = off >> 2;
    pan = (off & 3) * 2; // 256-colour panning moves in half-steps (AC13 bit 0 unused)
  }
  hw.setCrtc(0x0c, (start >> 8) & 0xff);
  hw.setCrtc(0x0d, start & 0xff);
  hw.setCrtc(0x08, (hw.crtc(0x08) & 0xe0) | presetRow);
  hw.setAc(0x13, (hw.ac(0x13) & 0xf0) | pan);
  return { ax: OK };
}
