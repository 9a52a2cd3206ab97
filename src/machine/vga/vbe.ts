// The Bochs VBE "DISPI" interface: index port 0x1CE, data port 0x1CF (0x1D0 is decoded as a
// second data port, which some guests use). Register meanings follow the Bochs VBE interface
// description (vbe_display_api) as implemented by the Bochs/QEMU standard VGA adapters; the
// VESA BIOS (INT 10h AX=4Fxx) and Linux bochs-drm program it.
//
// While ENABLED is set the legacy VGA pipeline is bypassed: the picture is VRAM read linearly
// from (Y_OFFSET * line width + X_OFFSET) in the chosen pixel format, and A0000-AFFFF is a 64 KiB
// window onto VRAM selected by BANK.
import type { Vga } from "./vga";
import { PLANES_BYTES } from "./planes";

export const VBE_INDEX_PORT = 0x1ce;
export const VBE_DATA_PORT = 0x1cf;
export const VBE_DATA_PORT_ALT = 0x1d0;

export const VBE_ID = 0;
export const VBE_XRES = 1;
export const VBE_YRES = 2;
export const VBE_BPP = 3;
export const VBE_ENABLE = 4;
export const VBE_BANK = 5;
export const VBE_VIRT_WIDTH = 6;
export const VBE_VIRT_HEIGHT = 7;
export const VBE_X_OFFSET = 8;
export const VBE_Y_OFFSET = 9;
export const VBE_VIDEO_MEMORY_64K = 10;

export const VBE_ID0 = 0xb0c0;
export const VBE_ID5 = 0xb0c5;

export const VBE_ENABLED = 0x01;
export const VBE_GETCAPS = 0x02;
export const VBE_8BIT_DAC = 0x20;
export const VBE_LFB_ENABLED = 0x40;
export const VBE_NOCLEARMEM = 0x80;

export const VBE_MAX_XRES = 2560;
export const VBE_MAX_YRES = 1600;
export const VBE_MAX_BPP = 32;
export const VBE_BANK_SIZE = 0x10000;

export const VBE_VALID_BPP = [4, 8, 15, 16, 24, 32];

export function vbeBytesPerPixel(bpp: number): number {
  return bpp === 15 ? 2 : bpp >>> 3;
}

/**
 * Bytes per scanline: packed modes count VRAM bytes; the 4 bpp mode is planar (VESA memory model
 * 3, through the VGA's planes and graphics controller) and counts bytes per plane, 8 pixels each.
 */
export function vbeLineBytes(bpp: number, width: number): number {
  return bpp === 4 ? width >>> 3 : width * vbeBytesPerPixel(bpp);
}

/** Memory a mode can use: all of VRAM, or one plane (a quarter of VRAM) for the planar mode. */
function vbeMemory(vga: Vga, bpp: number): number {
  return bpp === 4 ? vga.vram.length / 4 : vga.vram.length;
}

/** The scanout of an enabled DISPI mode. */
export interface VbeLayout {
  width: number;
  height: number;
  bpp: number;
  bytesPerPixel: number;
  lineBytes: number;
  /** VRAM index of the top-left displayed pixel. */
  start: number;
}

export function vbeLayout(vga: Vga): VbeLayout {
  const r = vga.state.vbe;
  const bpp = r[VBE_BPP];
  const bytesPerPixel = vbeBytesPerPixel(bpp);
  const lineBytes = vbeLineBytes(bpp, r[VBE_VIRT_WIDTH]);
  const x = bpp === 4 ? r[VBE_X_OFFSET] >>> 3 : r[VBE_X_OFFSET] * bytesPerPixel;
  return { width: r[VBE_XRES], height: r[VBE_YRES], bpp, bytesPerPixel, lineBytes, start: r[VBE_Y_OFFSET] * lineBytes + x };
}

export function vbeRead(vga: Vga, port: number): number {
  const s = vga.state;
  if (port === VBE_INDEX_PORT) return s.vbeIndex;
  const i = s.vbeIndex;
  if (i >= s.vbe.length) return 0;
  if (s.vbe[VBE_ENABLE] & VBE_GETCAPS) {
    if (i === VBE_XRES) return VBE_MAX_XRES;
    if (i === VBE_YRES) return VBE_MAX_YRES;
    if (i === VBE_BPP) return VBE_MAX_BPP;
  }
  if (i === VBE_VIDEO_MEMORY_64K) return vga.vram.length >>> 16;
  return s.vbe[i];
}

export function vbeWrite(vga: Vga, port: number, v: number): void {
  const s = vga.state;
  if (port === VBE_INDEX_PORT) {
    s.vbeIndex = v & 0xffff;
    return;
  }
  const r = s.vbe;
  const enabled = (r[VBE_ENABLE] & VBE_ENABLED) !== 0;
  switch (s.vbeIndex) {
    case VBE_ID:
      if (v >= VBE_ID0 && v <= VBE_ID5) r[VBE_ID] = v;
      return;
    case VBE_XRES:
      // The geometry registers take effect at the next enable; Bochs refuses them while enabled.
      if (!enabled && v > 0 && v <= VBE_MAX_XRES && (v & 7) === 0) r[VBE_XRES] = v;
      return;
    case VBE_YRES:
      if (!enabled && v > 0 && v <= VBE_MAX_YRES) r[VBE_YRES] = v;
      return;
    case VBE_BPP:
      if (!enabled) {
        const bpp = v === 0 ? 8 : v;
        if (VBE_VALID_BPP.includes(bpp)) r[VBE_BPP] = bpp;
      }
      return;
    case VBE_ENABLE:
      writeEnable(vga, v);
      return;
    case VBE_BANK: {
      const banks = vga.vram.length / VBE_BANK_SIZE;
      r[VBE_BANK] = v % banks;
      vga.checkMapping();
      return;
    }
    case VBE_VIRT_WIDTH:
      setVirtualWidth(vga, v);
      return;
    case VBE_X_OFFSET:
      r[VBE_X_OFFSET] = v;
      clampOffsets(vga);
      vga.scrollChanged();
      return;
    case VBE_Y_OFFSET:
      r[VBE_Y_OFFSET] = v;
      clampOffsets(vga);
      vga.scrollChanged();
      return;
    default:
      return; // VIRT_HEIGHT and VIDEO_MEMORY_64K are computed, writes are ignored
  }
}

function writeEnable(vga: Vga, v: number): void {
  const r = vga.state.vbe;
  const was = (r[VBE_ENABLE] & VBE_ENABLED) !== 0;
  const now = (v & VBE_ENABLED) !== 0;
  if (now && !was) {
    const bpp = r[VBE_BPP];
    const memory = vbeMemory(vga, bpp);
    // A mode that does not fit in video memory falls back to the largest height that does.
    const lineBytes = vbeLineBytes(bpp, r[VBE_XRES]);
    const maxLines = Math.floor(memory / lineBytes);
    if (r[VBE_YRES] > maxLines) r[VBE_YRES] = maxLines;
    r[VBE_VIRT_WIDTH] = r[VBE_XRES];
    r[VBE_VIRT_HEIGHT] = Math.min(0xffff, maxLines);
    r[VBE_X_OFFSET] = 0;
    r[VBE_Y_OFFSET] = 0;
    r[VBE_BANK] = 0;
    if ((v & VBE_NOCLEARMEM) === 0) {
      const used = bpp === 4 ? Math.ceil((lineBytes * r[VBE_YRES]) / 0x10000) * PLANES_BYTES : lineBytes * r[VBE_YRES];
      vga.vram.fill(0, 0, used);
      vga.dirty.markRange(0, used);
    }
    if (bpp === 4) {
      // The planar mode is drawn and accessed through the VGA's graphics controller: map the
      // planes at A0000 (64 KiB, graphics) with the planar shift register, as the Bochs/QEMU
      // adapters do on enable; the bank register then selects 64 KiB of plane offsets.
      const gc = vga.state.gc;
      gc[6] = (gc[6] & ~0x0c) | 0x05;
      gc[5] &= ~0x60;
      vga.state.seq[4] = (vga.state.seq[4] & ~0x08) | 0x04;
    }
  }
  const dacWas = r[VBE_ENABLE] & VBE_8BIT_DAC;
  r[VBE_ENABLE] = v & (VBE_ENABLED | VBE_GETCAPS | VBE_8BIT_DAC | VBE_LFB_ENABLED);
  if (dacWas !== (r[VBE_ENABLE] & VBE_8BIT_DAC)) vga.paletteChanged = true;
  vga.displayChanged();
  vga.checkMapping();
}

function setVirtualWidth(vga: Vga, v: number): void {
  const r = vga.state.vbe;
  if (v < r[VBE_XRES]) return;
  const memory = vbeMemory(vga, r[VBE_BPP]);
  const lineBytes = vbeLineBytes(r[VBE_BPP], v);
  if (lineBytes === 0 || lineBytes > memory) return;
  const lines = Math.floor(memory / lineBytes);
  if (lines < r[VBE_YRES]) return;
  r[VBE_VIRT_WIDTH] = v;
  r[VBE_VIRT_HEIGHT] = Math.min(0xffff, lines);
  clampOffsets(vga);
  vga.displayChanged();
}

/** Keep the displayed rectangle inside the virtual screen (and so inside VRAM). */
function clampOffsets(vga: Vga): void {
  const r = vga.state.vbe;
  if (r[VBE_X_OFFSET] + r[VBE_XRES] > r[VBE_VIRT_WIDTH]) r[VBE_X_OFFSET] = Math.max(0, r[VBE_VIRT_WIDTH] - r[VBE_XRES]);
  if (r[VBE_Y_OFFSET] + r[VBE_YRES] > r[VBE_VIRT_HEIGHT]) r[VBE_Y_OFFSET] = Math.max(0, r[VBE_VIRT_HEIGHT] - r[VBE_YRES]);
}
