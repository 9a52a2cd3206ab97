// VESA BIOS Extension 2.0 (VBE Core Functions Standard 2.0), INT 10h AX=4F00h-4F0Ah, on the
// Bochs DISPI interface (src/machine/vga/vbe.ts). Status in AX: 004Fh success, 014Fh failed,
// 024Fh not supported by the hardware, 034Fh invalid in the current video mode (section 4.1).
//
// AX=4F0Ah returns the protected-mode interface table in ROM (vbe-pm.ts).
import * as L from "../../asm/layout";
import type { ServiceContext } from "../context";
import type { VideoHw } from "./hw";
import { BIOS_SEGMENT } from "../services";
import { pciRead } from "../int1a";
import {
  VBE_XRES, VBE_YRES, VBE_BPP, VBE_ENABLE, VBE_BANK, VBE_VIRT_WIDTH, VBE_VIRT_HEIGHT, VBE_X_OFFSET, VBE_Y_OFFSET,
  VBE_VIDEO_MEMORY_64K, VBE_ENABLED, VBE_LFB_ENABLED, VBE_NOCLEARMEM, VBE_8BIT_DAC,
} from "../../src/machine/vga/vbe";
import { VGA_MODES, programVgaMode } from "../../src/machine/vga/mode-tables";
import { BDA_VIDEO_MODE, BDA_VIDEO_COLS, BDA_VIDEO_ROWS, BDA_CHAR_HEIGHT, BDA_VIDEO_CTL } from "../bda";
import { VBE_PM_TABLE, VBE_PM_TABLE_LENGTH, VBE_OEM_STRING, VBE_WINDOW_FUNCTION, VBE_OEM_TEXT, VBE_VENDOR_TEXT, VBE_PRODUCT_TEXT, VBE_REVISION_TEXT } from "./rom-area";
import { vbeModesFor, bytesPerLine, type VbeModeDef } from "./vbe-modes";
import { setMode } from "./modeset";
import { currentScreen } from "./screen";
import { vgaScanLineLength, vgaDisplayStart } from "./vbe-vga";
import { stateOperation } from "./save-state";

const OK = 0x004f;
const FAILED = 0x014f;
const NOT_SUPPORTED = 0x024f;
const INVALID_IN_MODE = 0x034f;

/** The BIOS mode number recorded while a VBE mode is on: no standard mode (AH=0Fh reports FFh, as SeaVGABIOS). */
export const BDA_MODE_VBE = 0xff;

function vramBytes(hw: VideoHw): number {
  return hw.dispi(VBE_VIDEO_MEMORY_64K) * 0x10000;
}

/** The linear framebuffer: BAR0 of the first display controller on bus 0 (POST assigned it). */
export function lfbAddress(hw: VideoHw): number {
  // The caller may be between its own CONFIG_ADDRESS write and data access: keep 0CF8h as it was.
  const io = hw.fw.host.io;
  const configAddress = io.read(0xcf8, 4);
  let base = 0;
  for (let dev = 0; dev < 32 && !base; dev++) {
    const devfn = dev << 3;
    const id = pciRead(hw.fw, 0, devfn, 0, 4);
    if ((id & 0xffff) === 0xffff || id === 0) continue;
    if (pciRead(hw.fw, 0, devfn, 0x0b, 1) === 0x03) base = (pciRead(hw.fw, 0, devfn, 0x10, 4) & 0xfffffff0) >>> 0;
  }
  io.write(0xcf8, 4, configAddress);
  return base;
}

function findMode(hw: VideoHw, n: number): VbeModeDef | undefined {
  return vbeModesFor(vramBytes(hw)).find((m) => m.mode === n);
}

/** VBE 2.0 memory models: 3 planar, 4 packed pixel, 6 direct colour. */
function memoryModel(bpp: number): number {
  return bpp === 4 ? 3 : bpp === 8 ? 4 : 6;
}

/** Red, green, blue and reserved mask sizes and positions of the direct-colour modes. */
function masks(bpp: number): number[] {
  switch (bpp) {
    case 15: return [5, 10, 5, 5, 5, 0, 1, 15];
    case 16: return [5, 11, 6, 5, 5, 0, 0, 0];
    case 24: return [8, 16, 8, 8, 8, 0, 0, 0];
    case 32: return [8, 16, 8, 8, 8, 0, 8, 24];
    default: return [0, 0, 0, 0, 0, 0, 0, 0];
  }
}

function controllerInfo(ctx: ServiceContext, hw: VideoHw): void {
  const at = ctx.lin(L.SEG_ES, ctx.di);
  const vbe2 = String.fromCharCode(...hw.read(at, 4)) === "VBE2";
  const size = vbe2 ? 512 : 256;
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  b.set([0x56, 0x45, 0x53, 0x41]); // "VESA"
  dv.setUint16(0x04, 0x0200, true);
  // Capabilities: bit 0, the DAC can switch to 8 bits per primary (AX=4F08h).
  dv.setUint32(0x0a, 0x00000001, true);
  const far = (o: number, seg: number, off: number) => {
    dv.setUint16(o, off, true);
    dv.setUint16(o + 2, seg, true);
  };
  // The mode list lives in the block's Reserved area (VBE 2.0 allows it), terminated by FFFFh.
  const modes = vbeModesFor(vramBytes(hw));
  modes.forEach((m, i) => dv.setUint16(0x22 + 2 * i, m.mode, true));
  dv.setUint16(0x22 + 2 * modes.length, 0xffff, true);
  far(0x0e, ctx.es, (ctx.di + 0x22) & 0xffff);
  dv.setUint16(0x12, hw.dispi(VBE_VIDEO_MEMORY_64K), true);
  if (vbe2) {
    // VBE 2.0: the OEM strings are copied into OemData so they survive in protected mode.
    dv.setUint16(0x14, 0x0100, true);
    let o = 0x100;
    const put = (field: number, text: string) => {
      b.set([...text].map((c) => c.charCodeAt(0)).concat(0), o);
      far(field, ctx.es, (ctx.di + o) & 0xffff);
      o += text.length + 1;
    };
    put(0x06, VBE_OEM_TEXT);
    put(0x16, VBE_VENDOR_TEXT);
    put(0x1a, VBE_PRODUCT_TEXT);
    put(0x1e, VBE_REVISION_TEXT);
  } else {
    // A VBE 1.x caller gets the OEM string in ROM; 14h-21h stay reserved (zero) for it.
    far(0x06, BIOS_SEGMENT, VBE_OEM_STRING);
  }
  hw.write(at, b);
  ctx.ax = OK;
}

function modeInfo(ctx: ServiceContext, hw: VideoHw): void {
  const m = findMode(hw, ctx.cx & 0x1ff);
  if (!m) {
    ctx.ax = FAILED;
    return;
  }
  const b = new Uint8Array(256);
  const dv = new DataView(b.buffer);
  const pitch = bytesPerLine(m.bpp, m.width);
  const planar = m.bpp === 4;
  // Attributes: supported, optional info present, colour, graphics, not VGA-register compatible
  // (the DISPI registers drive it); linear framebuffer for the packed and direct modes (VBE 2.0,
  // ModeAttributes). BIOS TTY output is not offered.
  dv.setUint16(0x00, planar ? 0x003b : 0x00bb, true);
  b[0x02] = 0x07; // window A: exists, readable, writable
  b[0x03] = 0x00;
  dv.setUint16(0x04, 64, true); // granularity, KiB
  dv.setUint16(0x06, 64, true); // window size, KiB
  dv.setUint16(0x08, 0xa000, true);
  dv.setUint16(0x0a, 0x0000, true);
  dv.setUint16(0x0c, VBE_WINDOW_FUNCTION, true);
  dv.setUint16(0x0e, BIOS_SEGMENT, true);
  dv.setUint16(0x10, pitch, true);
  dv.setUint16(0x12, m.width, true);
  dv.setUint16(0x14, m.height, true);
  b[0x16] = 8;
  b[0x17] = 16;
  b[0x18] = planar ? 4 : 1;
  b[0x19] = m.bpp;
  b[0x1a] = 1;
  b[0x1b] = memoryModel(m.bpp);
  b[0x1c] = 0;
  const memory = planar ? vramBytes(hw) / 4 : vramBytes(hw);
  b[0x1d] = Math.min(255, Math.floor(memory / (pitch * m.height)) - 1);
  b[0x1e] = 1;
  b.set(masks(m.bpp), 0x1f);
  b[0x27] = m.bpp === 15 || m.bpp === 32 ? 0x02 : 0x00; // reserved field usable by the application
  if (!planar) dv.setUint32(0x28, lfbAddress(hw), true);
  hw.write(ctx.lin(L.SEG_ES, ctx.di), b);
  ctx.ax = OK;
}

function setVbeMode(ctx: ServiceContext, hw: VideoHw): void {
  const bx = ctx.bx;
  const n = bx & 0x1ff;
  const lfb = (bx & 0x4000) !== 0;
  const noClear = (bx & 0x8000) !== 0;
  if (n < 0x100) {
    // A standard VGA mode: its D7 "don't clear" is D15 here, and a mode set with D7 fails
    // (VBE 2.0, 4.5). No standard mode has a linear framebuffer: D14 is "not supported" (02h).
    if (bx & 0x80) ctx.ax = FAILED;
    else if (lfb) ctx.ax = NOT_SUPPORTED;
    else ctx.ax = setMode(hw, n | (noClear ? 0x80 : 0)) ? OK : FAILED;
    return;
  }
  const m = findMode(hw, n);
  if (!m) {
    ctx.ax = FAILED;
    return;
  }
  if (lfb && m.bpp === 4) {
    ctx.ax = NOT_SUPPORTED; // the planar modes have no linear framebuffer
    return;
  }
  hw.setDispi(VBE_ENABLE, 0);
  // The VGA side as the DISPI mode needs it: mode 12h's planar pipeline for 4 bpp, mode 13h's
  // otherwise, with its default palette (the 8-bit modes use the DAC).
  const io = { out8: (port: number, v: number) => hw.out(port, v), in8: (port: number) => hw.in(port) };
  programVgaMode(io, VGA_MODES[m.bpp === 4 ? "12" : "13"], (hw.r8(0x489) & 0x08) === 0);
  hw.setDispi(VBE_XRES, m.width);
  hw.setDispi(VBE_YRES, m.height);
  hw.setDispi(VBE_BPP, m.bpp);
  hw.setDispi(VBE_ENABLE, VBE_ENABLED | (lfb ? VBE_LFB_ENABLED : 0) | (noClear ? VBE_NOCLEARMEM : 0));
  hw.w8(BDA_VIDEO_MODE, BDA_MODE_VBE);
  hw.w16(BDA_VIDEO_COLS, m.width >> 3);
  hw.w8(BDA_VIDEO_ROWS, (m.height >> 4) - 1);
  hw.w16(BDA_CHAR_HEIGHT, 16);
  // 40:87 bit 7 records the memory clear bit, which AX=4F03h returns (VBE 2.0, 4.5).
  hw.w8(BDA_VIDEO_CTL, (hw.r8(BDA_VIDEO_CTL) & 0x7f) | (noClear ? 0x80 : 0));
  ctx.ax = OK;
}

function currentMode(ctx: ServiceContext, hw: VideoHw): void {
  const en = hw.dispi(VBE_ENABLE);
  if (en & VBE_ENABLED) {
    const w = hw.dispi(VBE_XRES), h = hw.dispi(VBE_YRES), bpp = hw.dispi(VBE_BPP);
    const m = vbeModesFor(vramBytes(hw)).find((x) => x.width === w && x.height === h && x.bpp === bpp);
    if (!m) {
      ctx.ax = FAILED;
      return;
    }
    ctx.bx = m.mode | (en & VBE_LFB_ENABLED ? 0x4000 : 0);
  } else {
    ctx.bx = hw.r8(BDA_VIDEO_MODE) & 0x7f;
  }
  // VBE 2.0 returns the memory clear flag of the last mode set in D15 (4.6).
  if (hw.r8(BDA_VIDEO_CTL) & 0x80) ctx.bx |= 0x8000;
  ctx.ax = OK;
}

function stateFunction(ctx: ServiceContext, hw: VideoHw): void {
  ctx.ax = stateOperation(ctx, hw, ctx.dl, ctx.cx & 0x0f) ? OK : FAILED;
}

function bankSwitch(ctx: ServiceContext, hw: VideoHw): void {
  // With the linear framebuffer on there is no window to move (VBE 3.0 makes this explicit; 2.0's
  // "invalid in current video mode" status says the same, and SeaVGABIOS answers so).
  const en = hw.dispi(VBE_ENABLE);
  if ((en & VBE_ENABLED) && (en & VBE_LFB_ENABLED)) {
    ctx.ax = INVALID_IN_MODE;
    return;
  }
  if (ctx.bl !== 0) {
    ctx.ax = FAILED; // only window A exists
    return;
  }
  if (ctx.bh === 0x00) {
    if (ctx.dx >= vramBytes(hw) / 0x10000) {
      ctx.ax = FAILED;
      return;
    }
    hw.setDispi(VBE_BANK, ctx.dx);
  } else if (ctx.bh === 0x01) {
    ctx.dx = hw.dispi(VBE_BANK);
  } else {
    ctx.ax = FAILED;
    return;
  }
  ctx.ax = OK;
}

/** Apply a result of the standard-mode versions (vbe-vga.ts) to the caller's registers. */
function vgaResult(ctx: ServiceContext, r: { ax: number; bx?: number; cx?: number; dx?: number }): void {
  if (r.bx !== undefined) ctx.bx = r.bx;
  if (r.cx !== undefined) ctx.cx = r.cx;
  if (r.dx !== undefined) ctx.dx = r.dx;
  ctx.ax = r.ax;
}

function scanLineLength(ctx: ServiceContext, hw: VideoHw): void {
  if (!(hw.dispi(VBE_ENABLE) & VBE_ENABLED)) {
    const s = currentScreen(hw);
    if (!s) ctx.ax = INVALID_IN_MODE;
    else vgaResult(ctx, vgaScanLineLength(hw, s, ctx.bl, ctx.cx));
    return;
  }
  const bpp = hw.dispi(VBE_BPP);
  const pxBytes = bpp === 4 ? 1 / 8 : bpp === 15 ? 2 : bpp >> 3;
  const memory = bpp === 4 ? vramBytes(hw) / 4 : vramBytes(hw);
  const yres = hw.dispi(VBE_YRES);
  const maxPixels = Math.min(0xffff, Math.floor(memory / yres / pxBytes)) & ~7;
  switch (ctx.bl) {
    case 0x00:
    case 0x02: {
      // A line shorter than the screen gets the next value that works: the screen width
      // (VBE 2.0, 4.9: "the next larger value will be selected").
      const pixels = Math.max(hw.dispi(VBE_XRES), ctx.bl === 0x00 ? ctx.cx : Math.ceil(ctx.cx / pxBytes));
      hw.setDispi(VBE_VIRT_WIDTH, pixels);
      if (hw.dispi(VBE_VIRT_WIDTH) !== pixels) {
        ctx.ax = NOT_SUPPORTED; // more than the memory holds at this height (02h, 4.9)
        return;
      }
      break;
    }
    case 0x01:
      break;
    case 0x03:
      ctx.bx = bytesPerLine(bpp, maxPixels);
      ctx.cx = maxPixels;
      ctx.dx = Math.floor(memory / bytesPerLine(bpp, maxPixels));
      ctx.ax = OK;
      return;
    default:
      ctx.ax = FAILED;
      return;
  }
  const width = hw.dispi(VBE_VIRT_WIDTH);
  ctx.bx = bytesPerLine(bpp, width);
  ctx.cx = width;
  ctx.dx = hw.dispi(VBE_VIRT_HEIGHT);
  ctx.ax = OK;
}

function displayStart(ctx: ServiceContext, hw: VideoHw): void {
  if (!(hw.dispi(VBE_ENABLE) & VBE_ENABLED)) {
    const s = currentScreen(hw);
    if (!s) {
      ctx.ax = INVALID_IN_MODE;
      return;
    }
    const r = vgaDisplayStart(hw, s, ctx.bl, ctx.cx, ctx.dx);
    if (ctx.bl === 0x01 && r.ax === OK) ctx.bh = 0;
    vgaResult(ctx, r);
    return;
  }
  switch (ctx.bl) {
    case 0x00:
    case 0x80: {
      // "During vertical retrace": the DISPI registers take effect at the next frame anyway. A
      // start that leaves no full screen inside the logical screen fails with no change (4.10).
      if (ctx.cx + hw.dispi(VBE_XRES) > hw.dispi(VBE_VIRT_WIDTH) || ctx.dx + hw.dispi(VBE_YRES) > hw.dispi(VBE_VIRT_HEIGHT)) {
        ctx.ax = FAILED;
        return;
      }
      hw.setDispi(VBE_X_OFFSET, ctx.cx);
      hw.setDispi(VBE_Y_OFFSET, ctx.dx);
      break;
    }
    case 0x01:
      ctx.bh = 0;
      ctx.cx = hw.dispi(VBE_X_OFFSET);
      ctx.dx = hw.dispi(VBE_Y_OFFSET);
      break;
    default:
      ctx.ax = FAILED;
      return;
  }
  ctx.ax = OK;
}

function dacWidth(ctx: ServiceContext, hw: VideoHw): void {
  const en = hw.dispi(VBE_ENABLE) & ~VBE_NOCLEARMEM;
  // The direct-colour modes do not use the DAC: "invalid in current video mode", as SeaVGABIOS.
  if ((en & VBE_ENABLED) && hw.dispi(VBE_BPP) > 8) {
    ctx.ax = INVALID_IN_MODE;
    return;
  }
  if (ctx.bl === 0x00) {
    // 8 bits when asked for 8 or more, else the standard 6.
    hw.setDispi(VBE_ENABLE, ctx.bh >= 8 ? en | VBE_8BIT_DAC : en & ~VBE_8BIT_DAC);
  } else if (ctx.bl !== 0x01) {
    ctx.ax = FAILED;
    return;
  }
  ctx.bh = hw.dispi(VBE_ENABLE) & VBE_8BIT_DAC ? 8 : 6;
  ctx.ax = OK;
}

function paletteData(ctx: ServiceContext, hw: VideoHw): void {
  const first = ctx.dx & 0xff;
  const count = Math.min(ctx.cx, 256 - first);
  const at = ctx.lin(L.SEG_ES, ctx.di);
  switch (ctx.bl) {
    case 0x00:
    case 0x80: {
      // Entries are blue, green, red, alignment (VBE 2.0, 4F09h).
      const t = hw.read(at, count * 4);
      hw.out(0x3c8, first);
      for (let i = 0; i < count; i++) {
        hw.out(0x3c9, t[4 * i + 2]);
        hw.out(0x3c9, t[4 * i + 1]);
        hw.out(0x3c9, t[4 * i]);
      }
      break;
    }
    case 0x01: {
      const t = new Uint8Array(count * 4);
      hw.out(0x3c7, first);
      for (let i = 0; i < count; i++) {
        t[4 * i + 2] = hw.in(0x3c9);
        t[4 * i + 1] = hw.in(0x3c9);
        t[4 * i] = hw.in(0x3c9);
      }
      hw.write(at, t);
      break;
    }
    case 0x02:
    case 0x03:
      ctx.ax = NOT_SUPPORTED; // no secondary palette
      return;
    default:
      ctx.ax = FAILED;
      return;
  }
  ctx.ax = OK;
}

export function vbeService(ctx: ServiceContext, hw: VideoHw): void {
  switch (ctx.al) {
    case 0x00: return controllerInfo(ctx, hw);
    case 0x01: return modeInfo(ctx, hw);
    case 0x02: return setVbeMode(ctx, hw);
    case 0x03: return currentMode(ctx, hw);
    case 0x04: return stateFunction(ctx, hw);
    case 0x05: return bankSwitch(ctx, hw);
    case 0x06: return scanLineLength(ctx, hw);
    case 0x07: return displayStart(ctx, hw);
    case 0x08: return dacWidth(ctx, hw);
    case 0x09: return paletteData(ctx, hw);
    case 0x0a:
      if (ctx.bl !== 0) {
        ctx.ax = FAILED;
        return;
      }
      ctx.setSeg(L.SEG_ES, BIOS_SEGMENT);
      ctx.di = VBE_PM_TABLE;
      ctx.cx = VBE_PM_TABLE_LENGTH;
      ctx.ax = OK;
      return;
  }
  // Any other AL: not a VBE 2.0 function, AX unchanged (AL != 4Fh tells the caller so).
}
