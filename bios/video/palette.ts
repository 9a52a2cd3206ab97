// INT 10h AH=0Bh (CGA colour palette) and AH=10h (EGA palette registers and VGA DAC), after the
// IBM VGA Technical Reference BIOS interface and Ralf Brown's Interrupt List. Unknown
// subfunctions return with nothing changed.
import * as L from "../../asm/layout";
import type { ServiceContext } from "../context";
import { type VideoHw, BDA_CGA_PALETTE } from "./hw";
import { currentScreen } from "./screen";

/** Replace entries first..first+count-1 of the DAC with their luminance (IBM weights 30/59/11 %). */
export function greySumRange(hw: VideoHw, first: number, count: number): void {
  for (let i = first; i < first + count && i < 256; i++) {
    const [r, g, b] = hw.dac(i);
    const y = (77 * r + 151 * g + 28 * b + 0x80) >> 8;
    hw.setDac(i, y, y, y);
  }
}

/**
 * The Video Save Pointer Table's second entry, when a program sets it (the table is in ROM, so by
 * copying it to RAM and pointing 40:A8 there), is a 256-byte dynamic save area whose first 17
 * bytes receive the palette registers and overscan whenever the BIOS changes them (IBM VGA
 * Technical Reference, Video Save Pointer Table).
 */
export function saveDynamicPalette(hw: VideoHw): void {
  const spt = hw.r16(0x4a8) + (hw.r16(0x4aa) << 4);
  const off = hw.r16(spt + 4), seg = hw.r16(spt + 6);
  if (off === 0 && seg === 0) return;
  const t = new Uint8Array(17);
  for (let i = 0; i < 16; i++) t[i] = hw.ac(i);
  t[16] = hw.ac(0x11);
  hw.write((seg << 4) + off, t);
}

/** AH=12h BL=33h: with summing on (40:89 bit 1), DAC loads through AH=10h are summed too (IBM). */
function greySumming(hw: VideoHw): boolean {
  return (hw.r8(0x489) & 0x02) !== 0;
}

/** AH=0Bh. BH=00h: background (graphics) / border (text) colour BL; BH=01h: CGA palette BL. */
export function cgaPalette(ctx: ServiceContext, hw: VideoHw): void {
  const s = currentScreen(hw);
  let pal = hw.r8(BDA_CGA_PALETTE);
  if (ctx.bh === 0x00) {
    pal = (pal & 0xe0) | (ctx.bl & 0x1f);
  } else if (ctx.bh === 0x01) {
    pal = (pal & 0xdf) | ((ctx.bl & 1) << 5);
  } else {
    return;
  }
  hw.w8(BDA_CGA_PALETTE, pal);
  // BL is an IRGB colour. Modes with the CGA DAC table take intensity in palette bit 4; those
  // with the EGA table (350/400-line text, 0Fh-12h) in bits 3-5 (rgbRGB), as their default
  // attribute palettes do (0x38-0x3F for colours 8-15).
  const cgaDac = s ? (s.model === "text" ? (hw.r8(0x489) & 0x80) !== 0 : s.mode <= 0x0e) : false;
  const colour = (pal & 0x07) | (pal & 0x10 ? (cgaDac ? 0x10 : 0x38) : 0);
  if (!s || s.model === "text") {
    if (ctx.bh === 0x00) hw.setAc(0x11, colour);
    return;
  }
  if (s.model === "linear8") return;
  hw.setAc(0x11, colour);
  if (s.model === "cga2" || s.model === "planar") hw.setAc(0x00, colour);
  if (s.model === "cga2") {
    // Palette 0: green, red, brown; palette 1: cyan, magenta, white; the background's
    // intensity bit brightens the foreground colours too (IBM PC Technical Reference, CGA).
    const base = pal & 0x20 ? 3 : 2;
    const bright = pal & 0x10;
    for (let i = 1; i <= 3; i++) hw.setAc(i, (base + 2 * (i - 1)) | bright);
  }
}

/** AH=10h. */
export function paletteFunctions(ctx: ServiceContext, hw: VideoHw): void {
  const table = () => ctx.lin(L.SEG_ES, ctx.dx);
  switch (ctx.al) {
    case 0x00:
      if (ctx.bl <= 0x14) hw.setAc(ctx.bl, ctx.bh);
      saveDynamicPalette(hw);
      return;
    case 0x01:
      hw.setAc(0x11, ctx.bh);
      saveDynamicPalette(hw);
      return;
    case 0x02: {
      const t = hw.read(table(), 17);
      for (let i = 0; i < 16; i++) hw.setAc(i, t[i]);
      hw.setAc(0x11, t[16]);
      saveDynamicPalette(hw);
      return;
    }
    case 0x03: {
      if (ctx.bl > 1) return;
      hw.setAc(0x10, (hw.ac(0x10) & ~0x08) | (ctx.bl << 3));
      // BDA 40:65 bit 5 mirrors the blink setting (CGA mode select register).
      hw.w8(0x465, (hw.r8(0x465) & ~0x20) | (ctx.bl << 5));
      return;
    }
    case 0x07:
      if (ctx.bl <= 0x14) ctx.bh = hw.ac(ctx.bl);
      return;
    case 0x08:
      ctx.bh = hw.ac(0x11);
      return;
    case 0x09: {
      const t = new Uint8Array(17);
      for (let i = 0; i < 16; i++) t[i] = hw.ac(i);
      t[16] = hw.ac(0x11);
      hw.write(table(), t);
      return;
    }
    case 0x10:
      hw.setDac(ctx.bx & 0xff, ctx.dh, ctx.ch, ctx.cl);
      if (greySumming(hw)) greySumRange(hw, ctx.bx & 0xff, 1);
      return;
    case 0x12: {
      const first = ctx.bx & 0xff;
      const count = Math.min(ctx.cx, 256 - first);
      const t = hw.read(table(), count * 3);
      hw.out(0x3c8, first);
      for (const v of t) hw.out(0x3c9, v);
      if (greySumming(hw)) greySumRange(hw, first, count);
      return;
    }
    case 0x13: {
      const mode = hw.ac(0x10);
      if (ctx.bl === 0x00) {
        hw.setAc(0x10, (mode & 0x7f) | ((ctx.bh & 1) << 7));
      } else if (ctx.bl === 0x01) {
        // AC14 bits 3-2 select one of four 64-entry blocks (AC10 bit 7 clear), bits 3-0 one of
        // sixteen 16-entry blocks (AC10 bit 7 set).
        const sel = mode & 0x80 ? ctx.bh & 0x0f : (ctx.bh & 0x03) << 2;
        hw.setAc(0x14, sel);
      }
      return;
    }
    case 0x15: {
      const [r, g, b] = hw.dac(ctx.bx & 0xff);
      ctx.dh = r;
      ctx.ch = g;
      ctx.cl = b;
      return;
    }
    case 0x17: {
      const first = ctx.bx & 0xff;
      const count = Math.min(ctx.cx, 256 - first);
      const t = new Uint8Array(count * 3);
      hw.out(0x3c7, first);
      for (let i = 0; i < t.length; i++) t[i] = hw.in(0x3c9);
      hw.write(table(), t);
      return;
    }
    case 0x18:
      hw.out(0x3c6, ctx.bl);
      return;
    case 0x19:
      ctx.bl = hw.in(0x3c6);
      return;
    case 0x1a: {
      const mode = hw.ac(0x10);
      const sel = hw.ac(0x14);
      ctx.bl = mode >> 7;
      ctx.bh = mode & 0x80 ? sel & 0x0f : (sel >> 2) & 0x03;
      return;
    }
    case 0x1b:
      greySumRange(hw, ctx.bx & 0xff, ctx.cx);
      return;
  }
}

/**
 * After a mode set: the User Palette Profile a program installed through the Secondary Save
 * Pointer Table (40:A8 -> Save Pointer Table entry 4 -> offset 0Ah; IBM VGA Technical Reference,
 * RBIL table "User Palette Profile Table"): palette registers, DAC registers and underlining
 * for the modes it lists. The dynamic save area keeps the mode's defaults (saved before this).
 */
export function applyPaletteProfile(hw: VideoHw, mode: number, text: boolean, charHeight: number): void {
  const far = (at: number) => {
    const off = hw.r16(at), seg = hw.r16(at + 2);
    return off === 0 && seg === 0 ? null : (seg << 4) + off;
  };
  const spt = far(0x4a8);
  const secondary = spt === null ? null : far(spt + 0x10);
  const profile = secondary === null ? null : far(secondary + 0x0a);
  if (profile === null) return;
  const modes = hw.read(profile + 0x14, 32);
  const end = modes.indexOf(0xff);
  if (![...modes.subarray(0, end < 0 ? 32 : end)].includes(mode)) return;
  const acCount = Math.min(hw.r16(profile + 4), 17);
  const acFirst = hw.r16(profile + 6);
  const acTable = far(profile + 8);
  if (acTable !== null && acCount > 0) {
    const values = hw.read(acTable, acCount);
    // Indexes 0-15 are the palette registers, 16 the overscan register (as in AH=10h AL=02h).
    values.forEach((v, i) => {
      const reg = acFirst + i;
      if (reg < 16) hw.setAc(reg, v);
      else if (reg === 16) hw.setAc(0x11, v);
    });
  }
  const dacCount = Math.min(hw.r16(profile + 0x0c), 256);
  const dacFirst = hw.r16(profile + 0x0e) & 0xff;
  const dacTable = far(profile + 0x10);
  if (dacTable !== null && dacCount > 0) {
    const n = Math.min(dacCount, 256 - dacFirst);
    const t = hw.read(dacTable, n * 3);
    hw.out(0x3c8, dacFirst);
    for (const v of t) hw.out(0x3c9, v);
  }
  // Underlining: 01h in every text mode (CR14 at the cell's last line), FFh in none.
  const underline = hw.r8(profile);
  if (text && (underline === 0x01 || underline === 0xff)) {
    hw.setCrtc(0x14, (hw.crtc(0x14) & 0xe0) | (underline === 0x01 ? (charHeight - 1) & 0x1f : 0x1f));
  }
}
