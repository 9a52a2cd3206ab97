// The video data the BIOS ROM carries (segment F000, VIDEO_ROM_AREA..VIDEO_ROM_AREA_END): the
// fonts that INT 10h AX=1130h, INT 1Fh and INT 43h point at, the INT 1Dh video parameter table,
// the Video Parameter Table behind the Video Save Pointer Table (BDA 40:A8), the static
// functionality table of AH=1Bh, the display combination code table, the VBE OEM strings, the
// VBE window function and the VBE protected-mode interface. Built once by rom.ts; the services
// only hand out pointers to it.
import { VIDEO_ROM_AREA, VIDEO_ROM_AREA_END } from "../services";
import { romFont } from "./font";
import { VGA_MODES, encodeParameterTableEntry } from "../../src/machine/vga/mode-tables";
import { MODE_11H } from "./modes-table";
import { buildVbePmTable } from "./vbe-pm";

export const FONT_8X8 = VIDEO_ROM_AREA; // 2048 bytes
export const FONT_8X14 = FONT_8X8 + 0x800; // 3584 bytes
export const FONT_8X16 = FONT_8X14 + 0xe00; // 4096 bytes
/** INT 1Dh: the MC6845 parameter table of the IBM PC (four CRTC sets, page sizes, columns, mode bytes). */
export const CGA_PARAMS = FONT_8X16 + 0x1000;
/** An empty 9-dot alternate glyph table (AX=1130h BH=5/7): only the terminating zero. */
export const EMPTY_ALT_TABLE = CGA_PARAMS + 0x58;
/** AX=1B00h static functionality table (16 bytes). */
export const STATIC_FUNCTIONALITY = CGA_PARAMS + 0x60;
/**
 * The display combination code table (AX=1A00h/1A01h, and the Secondary Save Pointer Table's
 * first pointer): entry count, version, highest display type code, a reserved byte, then
 * [active, alternate] byte pairs (RBIL, INT 10h AX=1A00h and table M047).
 */
export const DCC_TABLE = STATIC_FUNCTIONALITY + 0x10;
export const DCC_ENTRIES = DCC_TABLE + 4;
export const DCC_TABLE_ENTRIES = 16;
/** VBE: OEM string, vendor, product and revision (NUL-terminated), then the window function. */
export const VBE_OEM_STRING = DCC_TABLE + 0x24;
export const VBE_VENDOR = VBE_OEM_STRING + 0x20;
export const VBE_PRODUCT = VBE_VENDOR + 0x10;
export const VBE_REVISION = VBE_PRODUCT + 0x20;
export const VBE_WINDOW_FUNCTION = VBE_REVISION + 0x08;
/** Video Save Pointer Table (BDA 40:A8 points here): seven far pointers, the first to the parameter table. */
export const SAVE_POINTER_TABLE = VBE_WINDOW_FUNCTION + 0x10;
/** Video Parameter Table: 29 entries of 64 bytes in the IBM VGA BIOS order. */
export const PARAMETER_TABLE = SAVE_POINTER_TABLE + 0x20;
const PARAMETER_TABLE_END = PARAMETER_TABLE + 29 * 64;
/** Secondary Save Pointer Table (the VGA's must be valid): its length, then the DCC table pointer. */
export const SECONDARY_SAVE_POINTER_TABLE = PARAMETER_TABLE_END;
/** The VBE protected-mode interface table (AX=4F0Ah, vbe-pm.ts). */
export const VBE_PM_TABLE = (SECONDARY_SAVE_POINTER_TABLE + 0x1a + 15) & ~15;
export const VBE_PM_TABLE_LENGTH = buildVbePmTable().length;

export const VBE_OEM_TEXT = "lab86 VBE 2.0 (Bochs DISPI)";
export const VBE_VENDOR_TEXT = "lab86";
export const VBE_PRODUCT_TEXT = "lab86 standard VGA";
export const VBE_REVISION_TEXT = "1.0";

/** IBM Video Parameter Table entry index of each mode's registers (IBM VGA Technical Reference). */
const PARAMETER_TABLE_ORDER: [number, string][] = [
  [0x00, "01/200"], [0x01, "01/200"], [0x02, "03/200"], [0x03, "03/200"], [0x04, "04"], [0x05, "05"], [0x06, "06"], [0x07, "07"],
  // 08h-0Ch: PCjr and reserved modes, no entry. 0Dh, 0Eh; 0Fh/10h for 64 KiB EGAs are not
  // applicable and get the same registers as the >64 KiB entries.
  [0x0d, "0D"], [0x0e, "0E"], [0x0f, "0F"], [0x10, "10"], [0x11, "0F"], [0x12, "10"],
  [0x13, "01/350"], [0x14, "01/350"], [0x15, "03/350"], [0x16, "03/350"], [0x17, "01"], [0x18, "03"], [0x19, "07"],
  [0x1a, "11"], [0x1b, "12"], [0x1c, "13"],
];

export function buildVideoRomArea(): Uint8Array {
  const out = new Uint8Array(VIDEO_ROM_AREA_END - VIDEO_ROM_AREA);
  if (VBE_PM_TABLE + VBE_PM_TABLE_LENGTH > VIDEO_ROM_AREA_END) throw new Error("video ROM area overflows");
  const at = (off: number) => off - VIDEO_ROM_AREA;
  out.set(romFont(8), at(FONT_8X8));
  out.set(romFont(14), at(FONT_8X14));
  out.set(romFont(16), at(FONT_8X16));
  // INT 1Dh (IBM PC Technical Reference, video parameter table): CRTC R0-R15 for 40x25, 80x25,
  // graphics and monochrome; regen lengths; columns per mode 0-7; CGA mode select values.
  out.set([
    0x38, 0x28, 0x2d, 0x0a, 0x1f, 0x06, 0x19, 0x1c, 0x02, 0x07, 0x06, 0x07, 0x00, 0x00, 0x00, 0x00,
    0x71, 0x50, 0x5a, 0x0a, 0x1f, 0x06, 0x19, 0x1c, 0x02, 0x07, 0x06, 0x07, 0x00, 0x00, 0x00, 0x00,
    0x38, 0x28, 0x2d, 0x0a, 0x7f, 0x06, 0x64, 0x70, 0x02, 0x01, 0x06, 0x07, 0x00, 0x00, 0x00, 0x00,
    0x61, 0x50, 0x52, 0x0f, 0x19, 0x06, 0x19, 0x19, 0x02, 0x0d, 0x0b, 0x0c, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x08, 0x00, 0x10, 0x00, 0x40, 0x00, 0x40,
    40, 40, 80, 80, 40, 40, 80, 80,
    0x2c, 0x28, 0x2d, 0x29, 0x2a, 0x2e, 0x1e, 0x29,
  ], at(CGA_PARAMS));
  // Static functionality (Ralf Brown's Interrupt List, INT 10h AH=1Bh, table 00039): modes 00h-07h,
  // 0Dh-0Fh, 10h-13h; 200/350/400 scan lines in text modes; 8 character blocks, 2 active; every
  // VGA BIOS feature (all modes on all displays, grey summing, fonts, default palette loading,
  // cursor emulation, EGA palette, DAC, colour paging); save/restore state, blink toggle and DCC.
  out.set([0xff, 0xe0, 0x0f, 0, 0, 0, 0, 0x07, 0x08, 0x02, 0xff, 0x0e, 0, 0, 0, 0], at(STATIC_FUNCTIONALITY));
  // Display combination codes (RBIL table 00040): 00 none, 01 MDA, 02 CGA, 04 EGA colour,
  // 05 EGA mono, 06 PGA, 07 VGA mono, 08 VGA colour. Entry 0 is the one POST selects.
  out.set([DCC_TABLE_ENTRIES, 0x01, 0x08, 0x00], at(DCC_TABLE));
  out.set([0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x04, 0x00, 0x05, 0x00, 0x06, 0x00, 0x07, 0x00,
    0x08, 0x07, 0x07, 0x08, 0x08, 0x01, 0x01, 0x08, 0x08, 0x02, 0x02, 0x08, 0x08, 0x04, 0x04, 0x08], at(DCC_ENTRIES));
  const ascii = (s: string, off: number) => out.set([...s].map((c) => c.charCodeAt(0)).concat(0), at(off));
  ascii(VBE_OEM_TEXT, VBE_OEM_STRING);
  ascii(VBE_VENDOR_TEXT, VBE_VENDOR);
  ascii(VBE_PRODUCT_TEXT, VBE_PRODUCT);
  ascii(VBE_REVISION_TEXT, VBE_REVISION);
  // The VBE window function (ModeInfoBlock WinFuncPtr, VBE 2.0 section 4.8): a far routine that
  // takes BH/BL/DX as AX=4F05h does: MOV AX,4F05h; INT 10h; RETF.
  out.set([0xb8, 0x05, 0x4f, 0xcd, 0x10, 0xcb], at(VBE_WINDOW_FUNCTION));
  // Save Pointer Table (RBIL table M045): parameter table; dynamic save area, alphanumeric and
  // graphics font overrides: none; the Secondary Save Pointer Table.
  const far = (off: number) => [off & 0xff, off >> 8, 0x00, 0xf0];
  out.set([...far(PARAMETER_TABLE), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...far(SECONDARY_SAVE_POINTER_TABLE)], at(SAVE_POINTER_TABLE));
  // Secondary Save Pointer Table: length 1Ah, the DCC table; no second alphanumeric override,
  // no user palette profile.
  out.set([0x1a, 0x00, ...far(DCC_TABLE)], at(SECONDARY_SAVE_POINTER_TABLE));
  for (const [i, key] of PARAMETER_TABLE_ORDER) {
    const m = key === "11" ? MODE_11H : VGA_MODES[key];
    const entry = encodeParameterTableEntry(m);
    if (key === "13") entry.set([0x00, 0x20], 3); // regen length 2000h (see biosPageSize)
    out.set(entry, at(PARAMETER_TABLE + i * 64));
  }
  out.set(buildVbePmTable(), at(VBE_PM_TABLE));
  return out;
}
