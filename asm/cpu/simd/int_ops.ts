// Lane arithmetic of the MMX integer instructions and their SSE/SSE2 extensions (SDM Vol. 2,
// one entry per mnemonic; Vol. 1 9.2.x for saturation and wrap-around). The same code serves the
// 64-bit (MMX register) and 128-bit (XMM register) forms: `n` is the operand width in bytes.
// Operands are in DST (destination, first source) and SRC; the result replaces DST.
import { SRC, DST, TMP } from "./regs";

// @ts-ignore: decorator
@inline function satS8(v: i32): i32 { return v < -128 ? -128 : v > 127 ? 127 : v; }
// @ts-ignore: decorator
@inline function satU8(v: i32): i32 { return v < 0 ? 0 : v > 255 ? 255 : v; }
// @ts-ignore: decorator
@inline function satS16(v: i32): i32 { return v < -32768 ? -32768 : v > 32767 ? 32767 : v; }
// @ts-ignore: decorator
@inline function satU16(v: i32): i32 { return v < 0 ? 0 : v > 65535 ? 65535 : v; }

// Byte-lane operations; kind selects the operation.
const B_ADD = 0; const B_SUB = 1; const B_ADDS = 2; const B_SUBS = 3; const B_ADDUS = 4;
const B_SUBUS = 5; const B_CMPEQ = 6; const B_CMPGT = 7; const B_MINU = 8; const B_MAXU = 9;
const B_AVG = 10;
function bytes(kind: i32, n: i32): void {
  for (let i = 0; i < n; i++) {
    const a = <i32>load<i8>(DST + i), b = <i32>load<i8>(SRC + i);
    const ua = a & 0xff, ub = b & 0xff;
    let r: i32;
    switch (kind) {
      case B_ADD: r = a + b; break;
      case B_SUB: r = a - b; break;
      case B_ADDS: r = satS8(a + b); break;
      case B_SUBS: r = satS8(a - b); break;
      case B_ADDUS: r = satU8(ua + ub); break;
      case B_SUBUS: r = satU8(ua - ub); break;
      case B_CMPEQ: r = a == b ? -1 : 0; break;
      case B_CMPGT: r = a > b ? -1 : 0; break;
      case B_MINU: r = ua < ub ? ua : ub; break;
      case B_MAXU: r = ua > ub ? ua : ub; break;
      default: r = (ua + ub + 1) >> 1; break; // B_AVG
    }
    store<u8>(DST + i, r);
  }
}
const W_ADD = 0; const W_SUB = 1; const W_ADDS = 2; const W_SUBS = 3; const W_ADDUS = 4;
const W_SUBUS = 5; const W_CMPEQ = 6; const W_CMPGT = 7; const W_MINS = 8; const W_MAXS = 9;
const W_AVG = 10; const W_MULL = 11; const W_MULH = 12; const W_MULHU = 13;
function words(kind: i32, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const a = <i32>load<i16>(DST + i), b = <i32>load<i16>(SRC + i);
    const ua = a & 0xffff, ub = b & 0xffff;
    let r: i32;
    switch (kind) {
      case W_ADD: r = a + b; break;
      case W_SUB: r = a - b; break;
      case W_ADDS: r = satS16(a + b); break;
      case W_SUBS: r = satS16(a - b); break;
      case W_ADDUS: r = satU16(ua + ub); break;
      case W_SUBUS: r = satU16(ua - ub); break;
      case W_CMPEQ: r = a == b ? -1 : 0; break;
      case W_CMPGT: r = a > b ? -1 : 0; break;
      case W_MINS: r = a < b ? a : b; break;
      case W_MAXS: r = a > b ? a : b; break;
      case W_AVG: r = (ua + ub + 1) >> 1; break;
      case W_MULL: r = a * b; break;
      case W_MULH: r = (a * b) >> 16; break;
      default: r = <i32>((<u32>ua * <u32>ub) >>> 16); break; // W_MULHU
    }
    store<u16>(DST + i, r);
  }
}
const D_ADD = 0; const D_SUB = 1; const D_CMPEQ = 2; const D_CMPGT = 3;
function dwords(kind: i32, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const a = load<i32>(DST + i), b = load<i32>(SRC + i);
    let r: i32;
    switch (kind) {
      case D_ADD: r = a + b; break;
      case D_SUB: r = a - b; break;
      case D_CMPEQ: r = a == b ? -1 : 0; break;
      default: r = a > b ? -1 : 0; break;
    }
    store<i32>(DST + i, r);
  }
}
const Q_ADD = 0; const Q_SUB = 1; const Q_AND = 2; const Q_ANDN = 3; const Q_OR = 4; const Q_XOR = 5;
const Q_MULUDQ = 6; const Q_SADBW = 7;
function qwords(kind: i32, n: i32): void {
  for (let i = 0; i < n; i += 8) {
    const a = load<u64>(DST + i), b = load<u64>(SRC + i);
    let r: u64;
    switch (kind) {
      case Q_ADD: r = a + b; break;
      case Q_SUB: r = a - b; break;
      case Q_AND: r = a & b; break;
      case Q_ANDN: r = ~a & b; break;
      case Q_OR: r = a | b; break;
      case Q_XOR: r = a ^ b; break;
      case Q_MULUDQ: r = (a & 0xffffffff) * (b & 0xffffffff); break;
      default: { // Q_SADBW: sum of absolute byte differences into the low word
        let s: i32 = 0;
        for (let j = 0; j < 8; j++) {
          const d = <i32>load<u8>(DST + i + j) - <i32>load<u8>(SRC + i + j);
          s += d < 0 ? -d : d;
        }
        r = <u64>s;
      }
    }
    store<u64>(DST + i, r);
  }
}
// PMADDWD: pairs of signed word products summed into dwords. The only overflow case,
// 0x8000 * 0x8000 twice, wraps to 0x80000000 (SDM Vol. 2 PMADDWD).
function maddwd(n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const p0 = <i32>load<i16>(DST + i) * <i32>load<i16>(SRC + i);
    const p1 = <i32>load<i16>(DST + i, 2) * <i32>load<i16>(SRC + i, 2);
    store<i32>(DST + i, p0 + p1);
  }
}

// PACKSSWB / PACKUSWB / PACKSSDW: the destination's elements fill the low half of the result,
// the source's the high half.
function packWB(n: i32, unsigned: bool): void {
  const h = n >> 1;
  for (let i = 0; i < h; i++) {
    const a = <i32>load<i16>(DST + (i << 1)), b = <i32>load<i16>(SRC + (i << 1));
    store<u8>(TMP + i, unsigned ? satU8(a) : satS8(a));
    store<u8>(TMP + h + i, unsigned ? satU8(b) : satS8(b));
  }
  memory.copy(DST, TMP, n);
}
function packDW(n: i32): void {
  const h = n >> 1;
  for (let i = 0; i < h; i += 2) {
    store<u16>(TMP + i, satS16(load<i32>(DST + (i << 1))));
    store<u16>(TMP + h + i, satS16(load<i32>(SRC + (i << 1))));
  }
  memory.copy(DST, TMP, n);
}
// PUNPCKLxx / PUNPCKHxx: interleave elements of `size` bytes from the low or high halves.
function unpack(n: i32, size: i32, high: bool): void {
  const base = high ? n >> 1 : 0;
  for (let i = 0, o = 0; o < n; i += size, o += size << 1) {
    memory.copy(TMP + o, DST + base + i, size);
    memory.copy(TMP + o + size, SRC + base + i, size);
  }
  memory.copy(DST, TMP, n);
}

// Shifts by a count (SDM Vol. 2 PSLLW/PSRLW/PSRAW): the count is the whole 64-bit source; a
// count above the element width clears the element (or fills it with the sign for PSRA).
export const SH_SRL = 0; export const SH_SRA = 1; export const SH_SLL = 2;
export function shift(kind: i32, size: i32, count: u64, n: i32): void {
  const bits = <u64>(size << 3);
  const big = count >= bits;
  const c = big ? 0 : <i32>count;
  for (let i = 0; i < n; i += size) {
    const p = DST + i;
    if (size == 2) {
      const v = <i32>load<i16>(p);
      let r: i32;
      if (kind == SH_SRA) r = v >> (big ? 15 : c);
      else if (big) r = 0;
      else r = kind == SH_SLL ? v << c : (v & 0xffff) >>> c;
      store<u16>(p, r);
    } else if (size == 4) {
      const v = load<i32>(p);
      let r: i32;
      if (kind == SH_SRA) r = v >> (big ? 31 : c);
      else if (big) r = 0;
      else r = kind == SH_SLL ? v << c : <i32>(<u32>v >>> c);
      store<i32>(p, r);
    } else {
      const v = load<u64>(p);
      store<u64>(p, big ? 0 : kind == SH_SLL ? v << c : v >>> c);
    }
  }
}
// PSLLDQ / PSRLDQ: byte shifts of the whole 128-bit register.
export function byteShift(left: bool, count: u32): void {
  const c = <i32>(count > 16 ? 16 : count);
  memory.fill(TMP, 0, 16);
  if (left) memory.copy(TMP + c, DST, 16 - c);
  else memory.copy(TMP, DST + c, 16 - c);
  memory.copy(DST, TMP, 16);
}

// The register-source shift opcodes: the count is the low quadword of SRC.
function shiftBySrc(kind: i32, size: i32, n: i32): void { shift(kind, size, load<u64>(SRC), n); }

// Integer opcodes whose form is "op mm, mm/m64" or "op xmm, xmm/m128" (0F 60-6D, 74-76, D1-FE).
// Returns false for opcodes that are not of this shape.
export function intBinary(op: u32, n: i32): bool {
  switch (op) {
    case 0x60: unpack(n, 1, false); break;
    case 0x61: unpack(n, 2, false); break;
    case 0x62: unpack(n, 4, false); break;
    case 0x63: packWB(n, false); break;
    case 0x64: bytes(B_CMPGT, n); break;
    case 0x65: words(W_CMPGT, n); break;
    case 0x66: dwords(D_CMPGT, n); break;
    case 0x67: packWB(n, true); break;
    case 0x68: unpack(n, 1, true); break;
    case 0x69: unpack(n, 2, true); break;
    case 0x6a: unpack(n, 4, true); break;
    case 0x6b: packDW(n); break;
    case 0x6c: unpack(n, 8, false); break;
    case 0x6d: unpack(n, 8, true); break;
    case 0x74: bytes(B_CMPEQ, n); break;
    case 0x75: words(W_CMPEQ, n); break;
    case 0x76: dwords(D_CMPEQ, n); break;
    case 0xd1: shiftBySrc(SH_SRL, 2, n); break;
    case 0xd2: shiftBySrc(SH_SRL, 4, n); break;
    case 0xd3: shiftBySrc(SH_SRL, 8, n); break;
    case 0xd4: qwords(Q_ADD, n); break;
    case 0xd5: words(W_MULL, n); break;
    case 0xd8: bytes(B_SUBUS, n); break;
    case 0xd9: words(W_SUBUS, n); break;
    case 0xda: bytes(B_MINU, n); break;
    case 0xdb: qwords(Q_AND, n); break;
    case 0xdc: bytes(B_ADDUS, n); break;
    case 0xdd: words(W_ADDUS, n); break;
    case 0xde: bytes(B_MAXU, n); break;
    case 0xdf: qwords(Q_ANDN, n); break;
    case 0xe0: bytes(B_AVG, n); break;
    case 0xe1: shiftBySrc(SH_SRA, 2, n); break;
    case 0xe2: shiftBySrc(SH_SRA, 4, n); break;
    case 0xe3: words(W_AVG, n); break;
    case 0xe4: words(W_MULHU, n); break;
    case 0xe5: words(W_MULH, n); break;
    case 0xe8: bytes(B_SUBS, n); break;
    case 0xe9: words(W_SUBS, n); break;
    case 0xea: words(W_MINS, n); break;
    case 0xeb: qwords(Q_OR, n); break;
    case 0xec: bytes(B_ADDS, n); break;
    case 0xed: words(W_ADDS, n); break;
    case 0xee: words(W_MAXS, n); break;
    case 0xef: qwords(Q_XOR, n); break;
    case 0xf1: shiftBySrc(SH_SLL, 2, n); break;
    case 0xf2: shiftBySrc(SH_SLL, 4, n); break;
    case 0xf3: shiftBySrc(SH_SLL, 8, n); break;
    case 0xf4: qwords(Q_MULUDQ, n); break;
    case 0xf5: maddwd(n); break;
    case 0xf6: qwords(Q_SADBW, n); break;
    case 0xf8: bytes(B_SUB, n); break;
    case 0xf9: words(W_SUB, n); break;
    case 0xfa: dwords(D_SUB, n); break;
    case 0xfb: qwords(Q_SUB, n); break;
    case 0xfc: bytes(B_ADD, n); break;
    case 0xfd: words(W_ADD, n); break;
    case 0xfe: dwords(D_ADD, n); break;
    default: return false;
  }
  return true;
}
