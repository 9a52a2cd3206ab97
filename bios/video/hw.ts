// How the video services reach the adapter: through the same I/O ports and memory window a VGA
// BIOS uses (IBM VGA Technical Reference register descriptions; Bochs VBE DISPI at 0x1CE/0x1CF),
// so the device model stays the only place where the chip's behaviour lives. Also the BDA video
// fields and the interrupt vectors that point at video tables.
import type { BiosFirmware } from "../firmware";
import { BDA_CRTC_BASE } from "../bda";

export const BDA_CGA_PALETTE = 0x466;
export const BDA_DCC_INDEX = 0x48a;
export const BDA_SAVE_POINTER = 0x4a8;

export class VideoHw {
  constructor(readonly fw: BiosFirmware) {}

  out(port: number, v: number): void {
    this.fw.host.io.write(port, 1, v & 0xff);
  }
  in(port: number): number {
    return this.fw.host.io.read(port, 1);
  }

  r8(addr: number): number {
    return this.fw.host.mem.read(addr, 1)[0];
  }
  w8(addr: number, v: number): void {
    this.fw.host.mem.write(addr, Uint8Array.of(v & 0xff));
  }
  r16(addr: number): number {
    const b = this.fw.host.mem.read(addr, 2);
    return b[0] | (b[1] << 8);
  }
  w16(addr: number, v: number): void {
    this.fw.host.mem.write(addr, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff));
  }
  w32(addr: number, v: number): void {
    this.fw.host.mem.write(addr, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff));
  }
  read(addr: number, len: number): Uint8Array {
    return this.fw.host.mem.read(addr, len);
  }
  write(addr: number, data: Uint8Array): void {
    this.fw.host.mem.write(addr, data);
  }

  /** Far pointer in the IVT. */
  vector(n: number): { seg: number; off: number } {
    return { off: this.r16(n * 4), seg: this.r16(n * 4 + 2) };
  }
  setVector(n: number, seg: number, off: number): void {
    this.w16(n * 4, off);
    this.w16(n * 4 + 2, seg);
  }

  seq(i: number): number {
    this.out(0x3c4, i);
    return this.in(0x3c5);
  }
  setSeq(i: number, v: number): void {
    this.out(0x3c4, i);
    this.out(0x3c5, v);
  }
  gc(i: number): number {
    this.out(0x3ce, i);
    return this.in(0x3cf);
  }
  setGc(i: number, v: number): void {
    this.out(0x3ce, i);
    this.out(0x3cf, v);
  }
  get crtcBase(): number {
    const b = this.r16(BDA_CRTC_BASE);
    return b === 0x3b4 ? 0x3b4 : 0x3d4;
  }
  crtc(i: number): number {
    this.out(this.crtcBase, i);
    return this.in(this.crtcBase + 1);
  }
  setCrtc(i: number, v: number): void {
    this.out(this.crtcBase, i);
    this.out(this.crtcBase + 1, v);
  }
  /** Reset the attribute flip-flop by reading Input Status 1 (3BAh/3DAh, whichever is decoded). */
  private acReset(): void {
    this.in((this.in(0x3cc) & 1) ? 0x3da : 0x3ba);
  }
  /**
   * Attribute controller access. Writing the index with Palette Address Source (bit 5) clear
   * blanks the screen while the palette is being changed; the display comes back with the final
   * index write with bit 5 set (IBM VGA Technical Reference, Attribute Address Register).
   */
  ac(i: number): number {
    this.acReset();
    this.out(0x3c0, i & 0x1f);
    const v = this.in(0x3c1);
    this.acReset();
    this.out(0x3c0, 0x20);
    return v;
  }
  setAc(i: number, v: number): void {
    this.acReset();
    this.out(0x3c0, i & 0x1f);
    this.out(0x3c0, v);
    this.out(0x3c0, 0x20);
  }
  setDac(i: number, r: number, g: number, b: number): void {
    this.out(0x3c8, i);
    this.out(0x3c9, r);
    this.out(0x3c9, g);
    this.out(0x3c9, b);
  }
  dac(i: number): [number, number, number] {
    this.out(0x3c7, i);
    return [this.in(0x3c9), this.in(0x3c9), this.in(0x3c9)];
  }

  dispi(i: number): number {
    this.fw.host.io.write(0x1ce, 2, i);
    return this.fw.host.io.read(0x1cf, 2);
  }
  setDispi(i: number, v: number): void {
    this.fw.host.io.write(0x1ce, 2, i);
    this.fw.host.io.write(0x1cf, 2, v & 0xffff);
  }
}
