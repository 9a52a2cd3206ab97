// The VGA/VBE device state: every register file, latch and flip-flop, declared for snapshots.
//
// Video memory is not part of this object: the four 64 KiB planes live in the first 256 KiB of
// the VRAM array handed to the device's constructor (a host region of the Wasm memory, after guest
// RAM, so the CPU can map the linear framebuffer directly). The machine saves that region together
// with guest RAM. See planes.ts for how plane bytes are laid out inside it.
import type { Schema } from "../state";

export interface VgaState {
  /** Miscellaneous Output register (write 0x3C2, read 0x3CC). */
  misc: number;
  /** Feature Control (write 0x3BA/0x3DA, read 0x3CA). */
  featureControl: number;
  /** Video subsystem enable (0x3C3), bit 0. */
  videoEnable: number;
  seqIndex: number;
  seq: number[];
  crtcIndex: number;
  crtc: number[];
  gcIndex: number;
  gc: number[];
  /** Attribute controller address register: index in bits 0-4, Palette Address Source in bit 5. */
  acIndex: number;
  /** The attribute flip-flop: false = next write to 0x3C0 is an index, true = data. */
  acFlipFlop: boolean;
  ac: number[];
  /** DAC: 256 entries x {R,G,B}, 6-bit values (8-bit when VBE's DAC 8-bit mode is on). */
  dac: number[];
  dacWriteIndex: number;
  dacReadIndex: number;
  /** Which component (0=R,1=G,2=B) the next data access at 0x3C9 transfers. */
  dacWriteComponent: number;
  dacReadComponent: number;
  /** The components of a DAC write in progress; the entry is updated when blue arrives. */
  dacWriteBuffer: number[];
  /** 0x3C7 read value: 0 after a write-index load (0x3C8), 3 after a read-index load (0x3C7). */
  dacState: number;
  pelMask: number;
  /** The four data latches, plane p in byte p. */
  latch: number;
  /**
   * Virtual time (ns) at which CR11 bit 4 last allowed the CRT interrupt flip-flop to set, or -1
   * while the bit holds it clear. The flip-flop (Input Status 0 bit 7) is set by the first
   * vertical retrace after that time.
   */
  vintArmedAt: number;
  vbeIndex: number;
  /** DISPI registers 0..0x0A, as last accepted. */
  vbe: number[];
}

export const SEQ_COUNT = 8;
export const CRTC_COUNT = 0x19;
export const GC_COUNT = 9;
export const AC_COUNT = 0x15;
export const VBE_COUNT = 0x0b;

export const vgaSchema: Schema = {
  misc: "u8",
  featureControl: "u8",
  videoEnable: "u8",
  seqIndex: "u8",
  seq: { type: "u8[]", length: SEQ_COUNT },
  crtcIndex: "u8",
  crtc: { type: "u8[]", length: CRTC_COUNT },
  gcIndex: "u8",
  gc: { type: "u8[]", length: GC_COUNT },
  acIndex: "u8",
  acFlipFlop: "bool",
  ac: { type: "u8[]", length: AC_COUNT },
  dac: { type: "u8[]", length: 768 },
  dacWriteIndex: "u8",
  dacReadIndex: "u8",
  dacWriteComponent: "u8",
  dacReadComponent: "u8",
  dacWriteBuffer: { type: "u8[]", length: 3 },
  dacState: "u8",
  pelMask: "u8",
  latch: "u32",
  vintArmedAt: "f64",
  vbeIndex: "u16",
  vbe: { type: "u16[]", length: VBE_COUNT },
};

export function initialVgaState(): VgaState {
  return {
    // Power-on: colour I/O addresses (0x3Dx), RAM enabled, 25 MHz clock; the BIOS programs the rest.
    misc: 0x67,
    featureControl: 0,
    videoEnable: 1,
    seqIndex: 0,
    seq: [0x03, 0x00, 0x03, 0x00, 0x02, 0, 0, 0],
    crtcIndex: 0,
    crtc: new Array(CRTC_COUNT).fill(0),
    gcIndex: 0,
    gc: [0, 0, 0, 0, 0, 0x10, 0x0e, 0, 0xff],
    acIndex: 0x20,
    acFlipFlop: false,
    ac: new Array(AC_COUNT).fill(0),
    dac: new Array(768).fill(0),
    dacWriteIndex: 0,
    dacReadIndex: 0,
    dacWriteComponent: 0,
    dacReadComponent: 0,
    dacWriteBuffer: [0, 0, 0],
    dacState: 0,
    pelMask: 0xff,
    latch: 0,
    vintArmedAt: -1,
    vbeIndex: 0,
    vbe: [0xb0c5, 640, 480, 8, 0, 0, 640, 0, 0, 0, 0],
  };
}
