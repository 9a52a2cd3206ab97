// The video state buffer of INT 10h AH=1Ch and VBE AX=4F04h. The layout is the BIOS's own (the
// interfaces only promise that a buffer saved by one call restores with the other): mask bit 0
// the VGA registers, bit 1 the BDA video fields and the video vectors, bit 2 the DAC, and for
// VBE bit 3 the DISPI registers, each block in that order.
import type { VideoHw } from "./hw";
import type { ServiceContext } from "../context";
import * as L from "../../asm/layout";
import { VBE_XRES, VBE_YRES, VBE_BPP, VBE_ENABLE, VBE_BANK, VBE_VIRT_WIDTH, VBE_X_OFFSET, VBE_Y_OFFSET } from "../../src/machine/vga/vbe";

const HW_BYTES = 5 + 5 + 25 + 21 + 9 + 2;
const BDA_BYTES = 0x1e + 7 + 4 + 12;
const DAC_BYTES = 3 + 768;
const DISPI_REGS = [VBE_XRES, VBE_YRES, VBE_BPP, VBE_BANK, VBE_VIRT_WIDTH, VBE_X_OFFSET, VBE_Y_OFFSET, VBE_ENABLE];
const DISPI_BYTES = DISPI_REGS.length * 2;

export function stateSize(mask: number): number {
  return (mask & 1 ? HW_BYTES : 0) + (mask & 2 ? BDA_BYTES : 0) + (mask & 4 ? DAC_BYTES : 0) + (mask & 8 ? DISPI_BYTES : 0);
}

const VECTORS = [0x1d, 0x1f, 0x43];

export function saveState(hw: VideoHw, mask: number, at: number): void {
  const out: number[] = [];
  if (mask & 1) {
    const crtc = hw.crtcBase;
    const acIndex = (() => {
      hw.in(crtc + 6);
      return hw.in(0x3c0);
    })();
    out.push(hw.in(0x3cc), hw.in(0x3c4), hw.in(crtc), hw.in(0x3ce), acIndex);
    for (let i = 0; i < 5; i++) out.push(hw.seq(i));
    for (let i = 0; i < 25; i++) out.push(hw.crtc(i));
    for (let i = 0; i < 21; i++) out.push(hw.ac(i));
    for (let i = 0; i < 9; i++) out.push(hw.gc(i));
    out.push(crtc & 0xff, crtc >> 8);
  }
  if (mask & 2) {
    out.push(...hw.read(0x449, 0x1e), ...hw.read(0x484, 7), ...hw.read(0x4a8, 4));
    for (const v of VECTORS) out.push(...hw.read(v * 4, 4));
  }
  if (mask & 4) {
    out.push(hw.in(0x3c7) & 3, hw.in(0x3c8), hw.in(0x3c6));
    hw.out(0x3c7, 0);
    for (let i = 0; i < 768; i++) out.push(hw.in(0x3c9));
  }
  if (mask & 8) {
    for (const r of DISPI_REGS) {
      const v = hw.dispi(r);
      out.push(v & 0xff, v >> 8);
    }
  }
  hw.write(at, Uint8Array.from(out));
}

export function restoreState(hw: VideoHw, mask: number, at: number): void {
  const b = hw.read(at, stateSize(mask));
  let p = 0;
  if (mask & 1) {
    const [misc, seqIndex, crtcIndex, gcIndex, acIndex] = b.subarray(0, 5);
    const sr = b.subarray(5, 10), cr = b.subarray(10, 35), ac = b.subarray(35, 56), gr = b.subarray(56, 65);
    const crtc = b[65] | (b[66] << 8);
    hw.setSeq(0, 0x01); // synchronous reset while the clock may change
    for (let i = 1; i < 5; i++) hw.setSeq(i, sr[i]);
    hw.out(0x3c2, misc);
    hw.setSeq(0, sr[0]);
    hw.out(crtc, 0x11);
    hw.out(crtc + 1, cr[0x11] & 0x7f);
    for (let i = 0; i < 25; i++) {
      hw.out(crtc, i);
      hw.out(crtc + 1, i === 0x11 ? cr[i] & 0x7f : cr[i]);
    }
    hw.out(crtc, 0x11);
    hw.out(crtc + 1, cr[0x11]);
    for (let i = 0; i < 21; i++) hw.setAc(i, ac[i]);
    for (let i = 0; i < 9; i++) hw.setGc(i, gr[i]);
    hw.out(0x3c4, seqIndex);
    hw.out(crtc, crtcIndex);
    hw.out(0x3ce, gcIndex);
    hw.in(crtc + 6);
    hw.out(0x3c0, acIndex);
    p = HW_BYTES;
  }
  if (mask & 2) {
    hw.write(0x449, b.subarray(p, p + 0x1e));
    hw.write(0x484, b.subarray(p + 0x1e, p + 0x25));
    hw.write(0x4a8, b.subarray(p + 0x25, p + 0x29));
    VECTORS.forEach((v, i) => hw.write(v * 4, b.subarray(p + 0x29 + 4 * i, p + 0x2d + 4 * i)));
    p += BDA_BYTES;
  }
  if (mask & 4) {
    const [state, index, pel] = b.subarray(p, p + 3);
    hw.out(0x3c8, 0);
    for (let i = 0; i < 768; i++) hw.out(0x3c9, b[p + 3 + i]);
    hw.out(0x3c6, pel);
    // Leave the DAC addressing as it was: a read index (state 3) or a write index.
    if (state === 3) hw.out(0x3c7, (index - 1) & 0xff);
    else hw.out(0x3c8, index);
    p += DAC_BYTES;
  }
  if (mask & 8) {
    const v = (i: number) => b[p + 2 * i] | (b[p + 2 * i + 1] << 8);
    hw.setDispi(VBE_ENABLE, 0);
    for (let i = 0; i < 3; i++) hw.setDispi(DISPI_REGS[i], v(i));
    const enable = v(7);
    // Re-enable without clearing memory, then the registers that only apply to an enabled mode.
    hw.setDispi(VBE_ENABLE, enable & 1 ? enable | 0x80 : enable);
    for (let i = 3; i < 7; i++) hw.setDispi(DISPI_REGS[i], v(i));
  }
}

/**
 * The sub-function both interfaces share: 00h returns in BX the buffer size in 64-byte blocks for
 * the state `mask`, 01h saves to ES:BX, 02h restores from ES:BX. Returns false for any other
 * sub-function, which each caller reports in its own convention.
 */
export function stateOperation(ctx: ServiceContext, hw: VideoHw, op: number, mask: number): boolean {
  switch (op) {
    case 0x00:
      ctx.bx = Math.ceil(stateSize(mask) / 64);
      return true;
    case 0x01:
      saveState(hw, mask, ctx.lin(L.SEG_ES, ctx.bx));
      return true;
    case 0x02:
      restoreState(hw, mask, ctx.lin(L.SEG_ES, ctx.bx));
      return true;
    default:
      return false;
  }
}
