// The standard BIOS video modes as the INT 10h services see them: which register table
// (src/machine/vga/mode-tables.ts) programs each one, how display memory is organised, and where
// the CPU sees it (IBM VGA Technical Reference, BIOS video modes table).
import { VGA_MODES, type VgaModeParams } from "../../src/machine/vga/mode-tables";

/** How a mode lays out display memory, which decides how pixels and characters are drawn. */
export type MemoryModel =
  | "text"
  /** CGA 320x200, 2 bits per pixel, even lines at B8000, odd lines at BA000. */
  | "cga2"
  /** CGA 640x200, 1 bit per pixel, interleaved like cga2. */
  | "cga1"
  /** EGA/VGA planar: four bit planes behind the graphics controller at A0000. */
  | "planar"
  /** Mode 13h: one byte per pixel, chain-4. */
  | "linear8";

export interface BiosMode {
  mode: number;
  model: MemoryModel;
  /** Segment of the CPU window (B800, B000 or A000). */
  segment: number;
  /** Display pages the mode has (AH=05h accepts 0..pages-1). */
  pages: number;
  /** CGA mode-select register value mirrored in BDA 40:65 (IBM PC Technical Reference). */
  cgaModeSelect: number;
  /** Colours (AH=1Bh dynamic state), 0 for monochrome. */
  colours: number;
}

/** Mode 11h, 640x480 two colours: mode 12h's timing with plane 0 only (IBM VGA parameter table). */
export const MODE_11H: VgaModeParams = {
  ...VGA_MODES["12"], name: "640x480 2-colour",
  ac: [0x00, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x01, 0x00, 0x0f, 0x00],
};

const def = (mode: number, model: MemoryModel, segment: number, pages: number, cgaModeSelect: number, colours: number): BiosMode =>
  ({ mode, model, segment, pages, cgaModeSelect, colours });

export const BIOS_MODES = new Map<number, BiosMode>([
  [0x00, def(0x00, "text", 0xb800, 8, 0x2c, 16)],
  [0x01, def(0x01, "text", 0xb800, 8, 0x28, 16)],
  [0x02, def(0x02, "text", 0xb800, 8, 0x2d, 16)],
  [0x03, def(0x03, "text", 0xb800, 8, 0x29, 16)],
  [0x04, def(0x04, "cga2", 0xb800, 1, 0x2a, 4)],
  [0x05, def(0x05, "cga2", 0xb800, 1, 0x2e, 4)],
  [0x06, def(0x06, "cga1", 0xb800, 1, 0x1e, 2)],
  [0x07, def(0x07, "text", 0xb000, 8, 0x29, 0)],
  [0x0d, def(0x0d, "planar", 0xa000, 8, 0x29, 16)],
  [0x0e, def(0x0e, "planar", 0xa000, 4, 0x29, 16)],
  [0x0f, def(0x0f, "planar", 0xa000, 2, 0x29, 0)],
  [0x10, def(0x10, "planar", 0xa000, 2, 0x29, 16)],
  [0x11, def(0x11, "planar", 0xa000, 1, 0x29, 2)],
  [0x12, def(0x12, "planar", 0xa000, 1, 0x29, 16)],
  [0x13, def(0x13, "linear8", 0xa000, 1, 0x29, 256)],
  // 800x600 16 colours, the VESA-era number for VBE mode 102h (RBIL: AH=00h AL=6Ah).
  [0x6a, def(0x6a, "planar", 0xa000, 1, 0x29, 16)],
]);

/**
 * The register table for a mode. Text modes 00h-03h come in three versions chosen by the scan
 * line setting of AH=12h BL=30h (BDA 40:89 bits 7 and 4): 200 lines (CGA-compatible, 8x8 font),
 * 350 lines (EGA, 8x14) and 400 lines (VGA, 8x16, the default).
 */
export function modeParams(mode: number, scanLines: 200 | 350 | 400): VgaModeParams {
  if (mode <= 0x03) {
    const base = mode <= 1 ? "01" : "03";
    return VGA_MODES[scanLines === 400 ? base : `${base}/${scanLines}`];
  }
  if (mode === 0x11) return MODE_11H;
  return VGA_MODES[mode.toString(16).toUpperCase().padStart(2, "0")];
}
