// INT 10h AH=00h, set video mode (IBM VGA Technical Reference, BIOS interface): program the
// registers from the mode's parameter table, load the DAC (unless default palette loading is
// off) and the text font, clear display memory (unless AL bit 7), and record the mode in the
// BDA. Also the POST video initialisation, which is a mode 03h set.
import {
  BDA_VIDEO_MODE, BDA_VIDEO_COLS, BDA_VIDEO_PAGE_SIZE, BDA_VIDEO_PAGE_START, BDA_CURSOR_POS, BDA_VIDEO_PAGE,
  BDA_CRTC_BASE, BDA_VIDEO_MSR, BDA_VIDEO_ROWS, BDA_CHAR_HEIGHT, BDA_VIDEO_CTL, BDA_VIDEO_SWITCHES,
  BDA_VIDEO_MODESET_CTL, BDA_EQUIPMENT,
} from "../bda";
import { BIOS_SEGMENT } from "../services";
import { programVgaMode, type VgaModeParams } from "../../src/machine/vga/mode-tables";
import { VBE_ENABLE, VBE_XRES, VBE_YRES, VBE_BPP, VBE_ENABLED, VBE_NOCLEARMEM } from "../../src/machine/vga/vbe";
import { type VideoHw, BDA_CGA_PALETTE, BDA_SAVE_POINTER, BDA_DCC_INDEX } from "./hw";
import { BIOS_MODES, modeParams } from "./modes-table";
import { FONT_8X8, FONT_8X14, FONT_8X16, CGA_PARAMS, SAVE_POINTER_TABLE } from "./rom-area";
import { romFont } from "./font";
import { loadFont, applyFontOverrides } from "./fontload";
import { setCursorShape } from "./screen";
import { greySumRange, saveDynamicPalette, applyPaletteProfile } from "./palette";

/** Scan lines selected for text modes by AH=12h BL=30h (BDA 40:89 bit 7 = 200, bit 4 = 400). */
export function textScanLines(hw: VideoHw): 200 | 350 | 400 {
  const ctl = hw.r8(BDA_VIDEO_MODESET_CTL);
  return ctl & 0x80 ? 200 : ctl & 0x10 ? 400 : 350;
}

export function fontOffset(height: number): number {
  return height === 8 ? FONT_8X8 : height === 14 ? FONT_8X14 : FONT_8X16;
}

/**
 * The regen length the BIOS records (40:4C). Mode 13h's is 2000h, not the 64000 bytes the
 * picture takes: the IBM VGA parameter table has 2000h there, and SeaVGABIOS reports the same.
 */
export function biosPageSize(mode: number, tablePageSize: number): number {
  return mode === 0x13 ? 0x2000 : tablePageSize;
}

/** Mode 6Ah's BIOS view: mode 12h's registers and palette with 100x37 characters of 8x16. */
const MODE_6A: VgaModeParams = {
  ...modeParams(0x12, 400), name: "800x600 16-colour", width: 800, height: 600, textColumns: 100, textRows: 37, pageSize: 0xea60,
};

/** Returns false (and changes nothing) for a mode number the adapter does not have. */
export function setMode(hw: VideoHw, al: number): boolean {
  const mode = al & 0x7f;
  const noClear = (al & 0x80) !== 0;
  const m = BIOS_MODES.get(mode);
  if (!m) return false;
  // Leave any VBE mode (the standard modes use the VGA pipeline) and the 8-bit DAC.
  if (hw.dispi(VBE_ENABLE) !== 0) hw.setDispi(VBE_ENABLE, 0);
  const p = mode === 0x6a ? MODE_6A : modeParams(mode, textScanLines(hw));
  const ctl = hw.r8(BDA_VIDEO_MODESET_CTL);
  const io = { out8: (port: number, v: number) => hw.out(port, v), in8: (port: number) => hw.in(port) };
  programVgaMode(io, p, (ctl & 0x08) === 0);
  if ((ctl & 0x08) === 0 && (ctl & 0x02) !== 0) greySumRange(hw, 0, 256);

  const crtcBase = p.misc & 1 ? 0x3d4 : 0x3b4;
  hw.w8(BDA_VIDEO_MODE, mode);
  hw.w16(BDA_VIDEO_COLS, p.textColumns);
  hw.w16(BDA_VIDEO_PAGE_SIZE, biosPageSize(mode, p.pageSize));
  hw.w16(BDA_VIDEO_PAGE_START, 0);
  hw.write(BDA_CURSOR_POS, new Uint8Array(16));
  hw.w8(BDA_VIDEO_PAGE, 0);
  hw.w16(BDA_CRTC_BASE, crtcBase);
  hw.w8(BDA_VIDEO_MSR, m.cgaModeSelect);
  hw.w8(BDA_CGA_PALETTE, mode === 0x06 ? 0x3f : 0x30);
  hw.w8(BDA_VIDEO_ROWS, p.textRows - 1);
  hw.w16(BDA_CHAR_HEIGHT, p.charHeight);
  // 40:87: bit 7 = the last mode set kept memory, bits 6-5 = 256 KiB of video memory.
  hw.w8(BDA_VIDEO_CTL, (hw.r8(BDA_VIDEO_CTL) & 0x1f & ~0x80) | 0x60 | (noClear ? 0x80 : 0));
  // Equipment word bits 5-4: initial video mode, 11b monochrome, 10b 80x25 colour.
  const eq = hw.r16(BDA_EQUIPMENT);
  hw.w16(BDA_EQUIPMENT, (eq & ~0x30) | (mode === 0x07 ? 0x30 : 0x20));

  if (m.model === "text") {
    const font = romFont(p.charHeight as 8 | 14 | 16);
    loadFont(hw, font, 0, 256, p.charHeight, 0);
    hw.setSeq(3, 0x00);
  }
  setCursorShape(hw, 0x06, 0x07);
  hw.setCrtc(0x0e, 0);
  hw.setCrtc(0x0f, 0);
  // INT 43h: the graphics character font for the mode's cell height. (INT 1Fh, a program's
  // choice once set with AX=1120h, is left alone.)
  hw.setVector(0x43, BIOS_SEGMENT, fontOffset(m.model === "text" ? 8 : p.charHeight));
  if (mode === 0x6a) {
    // The picture comes from the DISPI planar mode on top of mode 12h's registers; enabling it
    // clears the planes unless asked not to.
    hw.setDispi(VBE_XRES, 800);
    hw.setDispi(VBE_YRES, 600);
    hw.setDispi(VBE_BPP, 4);
    hw.setDispi(VBE_ENABLE, VBE_ENABLED | (noClear ? VBE_NOCLEARMEM : 0));
  } else if (!noClear) {
    clearDisplayMemory(hw, m.model, m.segment);
  }
  applyFontOverrides(hw, mode, m.model === "text");
  saveDynamicPalette(hw);
  applyPaletteProfile(hw, mode, m.model === "text", hw.r16(BDA_CHAR_HEIGHT));
  return true;
}

function clearDisplayMemory(hw: VideoHw, model: string, segment: number): void {
  const base = segment << 4;
  if (model === "text") {
    const fill = new Uint8Array(0x8000);
    for (let i = 0; i < fill.length; i += 2) {
      fill[i] = 0x20;
      fill[i + 1] = 0x07;
    }
    hw.write(base, fill);
  } else if (model === "planar") {
    const sr2 = hw.seq(2);
    hw.setSeq(2, 0x0f);
    hw.write(base, new Uint8Array(0x10000));
    hw.setSeq(2, sr2);
  } else if (model === "linear8") {
    hw.write(base, new Uint8Array(0x10000));
  } else {
    hw.write(base, new Uint8Array(0x8000));
  }
}

/** POST: the BDA video configuration, the vectors to the video tables, then mode 03h. */
export function initVideo(hw: VideoHw): void {
  // 40:89: VGA active, 400-line text, display switching enabled (IBM POST default).
  hw.w8(BDA_VIDEO_MODESET_CTL, 0x51);
  // 40:88: EGA feature/switch settings as a colour EGA-compatible monitor reports them (0x09).
  hw.w8(BDA_VIDEO_SWITCHES, 0xf9);
  hw.w8(BDA_VIDEO_CTL, 0x60);
  hw.w8(BDA_DCC_INDEX, 0);
  hw.w16(BDA_SAVE_POINTER, SAVE_POINTER_TABLE);
  hw.w16(BDA_SAVE_POINTER + 2, BIOS_SEGMENT);
  hw.setVector(0x1d, BIOS_SEGMENT, CGA_PARAMS);
  // INT 1Fh: the upper half of the 8x8 font (the CGA modes take characters 80h-FFh from there).
  hw.setVector(0x1f, BIOS_SEGMENT, FONT_8X8 + 128 * 8);
  setMode(hw, 0x03);
}
