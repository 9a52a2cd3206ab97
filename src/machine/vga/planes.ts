// The VGA's 256 KiB of display memory (four 64 KiB planes) as the CPU sees it through the
// graphics controller: the A0000-BFFFF window, the sequencer's map mask, chain-4 and odd/even
// addressing, the latches, read modes 0-1 and write modes 0-3.
// Facts from the IBM VGA Technical Reference (Graphics Controller registers, "Write Modes",
// "Read Modes") and the FreeVGA documentation.
//
// Layout inside VRAM. Plane p's byte at plane offset o is stored at
//     planeIndex(o, p) = ((o & 3) << 16) | (o & 0xfffc) | p
// so that
//  - the four plane bytes of one offset (what a latch load or the display fetches) are
//    adjacent, and
//  - in chain-4 the CPU byte at window offset A, which real hardware stores in plane A & 3 at
//    offset A & ~3, lands at VRAM index A: mode 13h's 64000 bytes are plain linear bytes that
//    the CPU can map directly (see Vga.directWindow()), while an unchained guest (mode X) still
//    sees exactly the plane contents the hardware would show it.
import type { VgaState } from "./state";
import type { VramDirty } from "./dirty";

export const PLANE_BYTES = 0x10000;
export const PLANES_BYTES = 4 * PLANE_BYTES;

export function planeIndex(offset: number, plane: number): number {
  return ((offset & 3) << 16) | (offset & 0xfffc) | plane;
}

/** Index of plane 0's byte at `offset`; planes 1-3 follow it. */
export function planeBase(offset: number): number {
  return ((offset & 3) << 16) | (offset & 0xfffc);
}

/**
 * The same for plane offsets beyond 64 KiB, which only the planar VBE modes reach (their planes
 * span all of VRAM): each further 64 KiB of plane offsets is another 256 KiB block laid out like
 * the first.
 */
export function planeBaseExt(offset: number): number {
  return (offset >>> 16) * PLANES_BYTES + planeBase(offset & 0xffff);
}

// Sequencer / graphics controller register numbers used here.
export const SR_MAP_MASK = 2;
export const SR_CHAR_MAP = 3;
export const SR_MEMORY_MODE = 4;
export const GR_SET_RESET = 0;
export const GR_ENABLE_SET_RESET = 1;
export const GR_COLOR_COMPARE = 2;
export const GR_DATA_ROTATE = 3;
export const GR_READ_MAP = 4;
export const GR_MODE = 5;
export const GR_MISC = 6;
export const GR_COLOR_DONT_CARE = 7;
export const GR_BIT_MASK = 8;

/** Each of 4 bits expanded to a byte of all ones: bit p -> byte p = 0xff. */
const EXPAND4 = new Uint32Array(16);
for (let i = 0; i < 16; i++) {
  EXPAND4[i] = ((i & 1 ? 0xff : 0) | (i & 2 ? 0xff00 : 0) | (i & 4 ? 0xff0000 : 0) | (i & 8 ? 0xff000000 : 0)) >>> 0;
}

/** First address of the window the graphics controller decodes (GR06 bits 2-3). */
export function windowBase(s: VgaState): number {
  const m = (s.gc[GR_MISC] >> 2) & 3;
  return m === 2 ? 0xb0000 : m === 3 ? 0xb8000 : 0xa0000;
}

/** Size of that window: 128 KiB, 64 KiB, 32 KiB, 32 KiB. */
export function windowSize(s: VgaState): number {
  const m = (s.gc[GR_MISC] >> 2) & 3;
  return m === 0 ? 0x20000 : m === 1 ? 0x10000 : 0x8000;
}

function loadLatch(vram: Uint8Array, base: number): number {
  return (vram[base] | (vram[base + 1] << 8) | (vram[base + 2] << 16) | (vram[base + 3] << 24)) >>> 0;
}

/**
 * A CPU read of window offset `off` (already inside the decoded window). `high` is a plane offset
 * added above the 16-bit window (the VBE bank in planar VBE modes), 0 for the VGA.
 */
export function planarRead(s: VgaState, vram: Uint8Array, off: number, high = 0): number {
  const memMode = s.seq[SR_MEMORY_MODE];
  const gmode = s.gc[GR_MODE];
  let offset: number;
  let plane: number;
  if (memMode & 0x08) {
    // Chain-4: address bits 0-1 select the plane, the plane offset has them cleared.
    plane = off & 3;
    offset = off & 0xfffc;
  } else if (gmode & 0x10) {
    // Odd/even read (GR05 bit 4): A0 picks plane 0/1 (or 2/3 through the read map select's bit 1).
    plane = (s.gc[GR_READ_MAP] & 2) | (off & 1);
    offset = off & 0xfffe;
  } else {
    plane = s.gc[GR_READ_MAP] & 3;
    offset = off & 0xffff;
  }
  const base = high === 0 ? planeBase(offset) : planeBaseExt(high + offset);
  s.latch = loadLatch(vram, base);
  if ((gmode & 0x08) === 0) return vram[base + plane];
  // Read mode 1: a 1 bit for every pixel whose colour matches Color Compare in the planes
  // Color Don't Care selects.
  const care = EXPAND4[s.gc[GR_COLOR_DONT_CARE] & 0x0f];
  const want = EXPAND4[s.gc[GR_COLOR_COMPARE] & 0x0f];
  const diff = ((s.latch ^ want) & care) >>> 0;
  return ~((diff | (diff >>> 8) | (diff >>> 16) | (diff >>> 24)) & 0xff) & 0xff;
}

function rotate(v: number, n: number): number {
  return ((v >>> n) | (v << (8 - n))) & 0xff;
}

/** The ALU (GR03 bits 3-4) and bit mask applied to the four plane bytes `data`. */
function alu(s: VgaState, data: number, bitMask: number): number {
  const latch = s.latch;
  switch ((s.gc[GR_DATA_ROTATE] >> 3) & 3) {
    case 1:
      data &= latch;
      break;
    case 2:
      data |= latch;
      break;
    case 3:
      data ^= latch;
      break;
  }
  const mask = (bitMask * 0x01010101) >>> 0;
  return ((data & mask) | (latch & ~mask)) >>> 0;
}

/** A CPU write of `value` at window offset `off` (`high` as for planarRead); returns the planes written. */
export function planarWrite(s: VgaState, vram: Uint8Array, dirty: VramDirty, off: number, value: number, high = 0): number {
  const memMode = s.seq[SR_MEMORY_MODE];
  let planes = s.seq[SR_MAP_MASK] & 0x0f;
  let offset: number;
  if (memMode & 0x08) {
    planes &= 1 << (off & 3);
    offset = off & 0xfffc;
  } else if ((memMode & 0x04) === 0) {
    // Odd/even write (SR04 bit 2 clear): even addresses reach planes 0 and 2, odd ones 1 and 3.
    planes &= off & 1 ? 0x0a : 0x05;
    offset = off & 0xfffe;
  } else {
    offset = off & 0xffff;
  }
  if (planes === 0) return 0;
  const gmode = s.gc[GR_MODE];
  let bitMask = s.gc[GR_BIT_MASK];
  let result: number;
  switch (gmode & 3) {
    case 0: {
      const rotated = rotate(value, s.gc[GR_DATA_ROTATE] & 7);
      const esr = EXPAND4[s.gc[GR_ENABLE_SET_RESET] & 0x0f];
      const sr = EXPAND4[s.gc[GR_SET_RESET] & 0x0f];
      const data = ((sr & esr) | ((rotated * 0x01010101) & ~esr)) >>> 0;
      result = alu(s, data, bitMask);
      break;
    }
    case 1:
      result = s.latch;
      break;
    case 2:
      result = alu(s, EXPAND4[value & 0x0f], bitMask);
      break;
    default: {
      // Write mode 3: the rotated data ANDed with the bit mask is the mask; set/reset gives the colour.
      bitMask &= rotate(value, s.gc[GR_DATA_ROTATE] & 7);
      result = alu(s, EXPAND4[s.gc[GR_SET_RESET] & 0x0f], bitMask);
      break;
    }
  }
  const base = high === 0 ? planeBase(offset) : planeBaseExt(high + offset);
  if (base + 3 >= vram.length) return 0;
  for (let p = 0; p < 4; p++) {
    if (planes & (1 << p)) vram[base + p] = (result >>> (8 * p)) & 0xff;
  }
  dirty.mark(base);
  return planes;
}

/**
 * True when CPU accesses to the window behave exactly like plain bytes at VRAM[0..64K): chain-4,
 * all planes enabled, write mode 0 with no rotation, set/reset, ALU or bit masking, read mode 0.
 * Then the machine may map the window straight to VRAM (mode 13h's fast path).
 */
export function chain4IsLinear(s: VgaState): boolean {
  return (
    (s.misc & 0x02) !== 0 &&
    (s.seq[SR_MEMORY_MODE] & 0x08) !== 0 &&
    (s.seq[SR_MAP_MASK] & 0x0f) === 0x0f &&
    (s.gc[GR_MODE] & 0x0b) === 0 &&
    (s.gc[GR_ENABLE_SET_RESET] & 0x0f) === 0 &&
    s.gc[GR_DATA_ROTATE] === 0 &&
    s.gc[GR_BIT_MASK] === 0xff &&
    ((s.gc[GR_MISC] >> 2) & 3) <= 1
  );
}
