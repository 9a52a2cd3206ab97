// INT 10h AH=12h (alternate select), AH=1Ah (display combination code), AH=1Bh
// (functionality/state information) and AH=1Ch (save/restore video state), after the IBM VGA
// Technical Reference BIOS interface and Ralf Brown's Interrupt List tables 00039-00046.
import * as L from "../../asm/layout";
import type { ServiceContext } from "../context";
import { type VideoHw, BDA_DCC_INDEX } from "./hw";
import { BIOS_SEGMENT } from "../services";
import { BDA_VIDEO_MODESET_CTL, BDA_VIDEO_CTL, BDA_VIDEO_SWITCHES, BDA_VIDEO_MODE } from "../bda";
import { DCC_ENTRIES, DCC_TABLE_ENTRIES, STATIC_FUNCTIONALITY } from "./rom-area";
import { currentScreen } from "./screen";
import { stateOperation } from "./save-state";

export function alternateSelect(ctx: ServiceContext, hw: VideoHw): void {
  const bl = ctx.bl;
  const al = ctx.al;
  const ctl = hw.r8(BDA_VIDEO_MODESET_CTL);
  const setCtl = (mask: number, on: boolean) => hw.w8(BDA_VIDEO_MODESET_CTL, on ? ctl | mask : ctl & ~mask);
  switch (bl) {
    case 0x10:
      // BH: 0 colour, 1 mono; BL: 3 = 256 KiB; CH: feature bits; CL: switch settings.
      ctx.bh = hw.crtcBase === 0x3b4 ? 1 : 0;
      ctx.bl = 0x03;
      ctx.ch = 0; // no feature connector devices
      ctx.cl = hw.r8(BDA_VIDEO_SWITCHES) & 0x0f;
      return;
    case 0x20: // alternate print screen: ours is the only one
      ctx.al = 0x12;
      return;
    case 0x30: {
      // Text scan lines for the next mode set: 0 = 200, 1 = 350, 2 = 400 (40:89 bits 7 and 4).
      if (al > 2) return;
      const v = (ctl & ~0x90) | (al === 0 ? 0x80 : al === 2 ? 0x10 : 0);
      hw.w8(BDA_VIDEO_MODESET_CTL, v);
      ctx.al = 0x12;
      return;
    }
    case 0x31: // default palette loading on mode set: 0 enable, 1 disable (40:89 bit 3)
      if (al > 1) return;
      setCtl(0x08, al === 1);
      ctx.al = 0x12;
      return;
    case 0x32: // video addressing: Miscellaneous Output bit 1 (RAM enable)
      if (al > 1) return;
      hw.out(0x3c2, (hw.in(0x3cc) & ~0x02) | (al === 0 ? 0x02 : 0));
      ctx.al = 0x12;
      return;
    case 0x33: // grey-scale summing on mode set and palette loads: 0 enable, 1 disable (40:89 bit 1)
      if (al > 1) return;
      setCtl(0x02, al === 0);
      ctx.al = 0x12;
      return;
    case 0x34: // cursor emulation: 0 enable, 1 disable (40:87 bit 0)
      if (al > 1) return;
      hw.w8(BDA_VIDEO_CTL, (hw.r8(BDA_VIDEO_CTL) & ~0x01) | al);
      ctx.al = 0x12;
      return;
    case 0x36: // video refresh: 0 on, 1 off (SR01 bit 5, screen off)
      if (al > 1) return;
      hw.setSeq(0x01, (hw.seq(0x01) & ~0x20) | (al << 5));
      ctx.al = 0x12;
      return;
  }
}

export function displayCombination(ctx: ServiceContext, hw: VideoHw): void {
  if (ctx.al === 0x00) {
    const i = Math.min(hw.r8(BDA_DCC_INDEX), DCC_TABLE_ENTRIES - 1);
    const e = hw.read((BIOS_SEGMENT << 4) + DCC_ENTRIES + 2 * i, 2);
    ctx.bl = e[0];
    ctx.bh = e[1];
    ctx.al = 0x1a;
  } else if (ctx.al === 0x01) {
    const t = hw.read((BIOS_SEGMENT << 4) + DCC_ENTRIES, 2 * DCC_TABLE_ENTRIES);
    for (let i = 0; i < DCC_TABLE_ENTRIES; i++) {
      if (t[2 * i] === ctx.bl && t[2 * i + 1] === ctx.bh) hw.w8(BDA_DCC_INDEX, i);
    }
    ctx.al = 0x1a;
  }
}

/** AH=1Bh BX=0000h: the 64-byte dynamic state table at ES:DI (RBIL table 00039). */
export function functionalityState(ctx: ServiceContext, hw: VideoHw): void {
  if (ctx.bx !== 0) return;
  const s = currentScreen(hw);
  const t = new Uint8Array(64);
  const dv = new DataView(t.buffer);
  dv.setUint16(0x00, STATIC_FUNCTIONALITY, true);
  dv.setUint16(0x02, BIOS_SEGMENT, true);
  // 04h-1Fh mirror BDA 40:49-40:66 (mode, columns, page size/start, cursors, cursor shape, page,
  // CRTC port, 3x8 and 3x9 register values).
  t.set(hw.read(0x449, 0x1e), 0x04);
  // Number of rows (RBIL and the IBM reference say rows; SeaVGABIOS copies 40:84, rows - 1).
  t[0x22] = hw.r8(0x484) + 1;
  dv.setUint16(0x23, hw.r16(0x485), true);
  const i = Math.min(hw.r8(BDA_DCC_INDEX), DCC_TABLE_ENTRIES - 1);
  const dcc = hw.read((BIOS_SEGMENT << 4) + DCC_ENTRIES + 2 * i, 2);
  t[0x25] = dcc[0];
  t[0x26] = dcc[1];
  dv.setUint16(0x27, s ? s.colours : 0, true);
  t[0x29] = s ? s.pages : 1;
  // Scan lines: 0 = 200, 1 = 350, 2 = 400, 3 = 480 (from the CRTC's displayed lines).
  const lines = s && s.model === "text"
    ? (hw.r8(BDA_VIDEO_MODESET_CTL) & 0x80 ? 200 : hw.r8(BDA_VIDEO_MODESET_CTL) & 0x10 ? 400 : 350)
    : [0x0f, 0x10].includes(hw.r8(BDA_VIDEO_MODE)) ? 350 : [0x11, 0x12].includes(hw.r8(BDA_VIDEO_MODE)) ? 480 : 200;
  t[0x2a] = [200, 350, 400, 480].indexOf(lines);
  // Character blocks from the Character Map Select register: the primary font is map B (bits
  // 4,1,0; characters whose attribute bit 3 is clear), the secondary map A (bits 5,3,2).
  const sr3 = hw.seq(0x03);
  t[0x2b] = (sr3 & 3) | ((sr3 >> 2) & 4);
  t[0x2c] = ((sr3 >> 2) & 3) | ((sr3 >> 3) & 4);
  // Misc: bit 0 all modes on all displays, 1 grey summing, 2 mono display, 3 no default palette,
  // 4 cursor emulation, 5 blink (40:89, 40:87 and AC10 state).
  const ctl = hw.r8(BDA_VIDEO_MODESET_CTL);
  t[0x2d] = (ctl & 0x01) | (ctl & 0x02) | (ctl & 0x04) | (ctl & 0x08) | ((hw.r8(BDA_VIDEO_CTL) & 1) ? 0 : 0x10) | (hw.r8(0x465) & 0x20);
  t[0x31] = 0x03; // 256 KiB of video memory
  // Save pointer state: bit 0 512-character set (two different font blocks selected), bits 1-3
  // the dynamic save area and the alphanumeric and graphics font overrides in use (40:A8).
  const spt = (hw.r16(0x4aa) << 4) + hw.r16(0x4a8);
  const used = (i: number) => (hw.r16(spt + 4 * i) | hw.r16(spt + 4 * i + 2)) !== 0;
  t[0x32] = (t[0x2b] !== t[0x2c] ? 0x01 : 0) | (used(1) ? 0x02 : 0) | (used(2) ? 0x04 : 0) | (used(3) ? 0x08 : 0);
  hw.write(ctx.lin(L.SEG_ES, ctx.di), t);
  ctx.al = 0x1b;
}

/** AH=1Ch: AL=00h size in 64-byte blocks for the CX state mask, 01h save to ES:BX, 02h restore. */
export function saveRestore(ctx: ServiceContext, hw: VideoHw): void {
  if (stateOperation(ctx, hw, ctx.al, ctx.cx & 0x07)) ctx.al = 0x1c;
}
