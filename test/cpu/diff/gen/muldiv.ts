// MUL IMUL DIV IDIV (F6/F7 /4-/7), IMUL Gv,Ev[,imm] (0F AF, 69, 6B), and the BCD adjustments.
// Undefined flags: see undefined.ts.
import type { Spec } from "../harness";
import { EAX, EDX } from "./builder";
import { UNDEFINED_FLAGS } from "./undefined";
import { le, rmInstr, type OpSize } from "./forms";
import type { CaseBuilder } from "./builder";
import type { Rng } from "./rng";

const MUL_UNDEF = UNDEFINED_FLAGS.mul;

function maskOf(size: OpSize): number {
  return size === 32 ? 0xffffffff : (1 << size) - 1;
}

// Read the current value of the r/m operand of size `size` (register form) as set up so far.
function regOperand(b: CaseBuilder, rm: number, size: OpSize): number {
  if (size === 8) return (b.regs[rm & 3] >>> (rm >= 4 ? 8 : 0)) & 0xff;
  return (b.regs[rm] & maskOf(size)) >>> 0;
}

/**
 * DIV/IDIV: choose the dividend's high half so that the quotient fits most of the time; some
 * cases keep a random high half or a zero divisor to raise #DE.
 */
function divCase(b: CaseBuilder, rng: Rng, digit: number, byte: boolean): void {
  const signed = digit === 7;
  // EAX and EDX are implicit operands: keep them out of the address registers.
  b.pin(EAX);
  b.pin(EDX);
  const f = rmInstr(b, { op: [byte ? 0xf6 : 0xf7], size: byte ? 8 : "v", digit });
  const size = f.size;
  const mode = rng.below(8);
  let divisor: number;
  if (f.mem) {
    divisor = mode === 0 ? 0 : rng.value(size);
    b.patch = { off: f.target, bytes: le(divisor, size / 8) };
  } else {
    divisor = regOperand(b, f.rm, size);
  }
  b.undefFlags = UNDEFINED_FLAGS.div;
  if (mode <= 1) return; // random high half (or zero divisor): often #DE
  // The high half: AH for bytes, DX/EDX otherwise. If the divisor register is that same register
  // the quotient overflows and the host decides; keep it.
  const hiReg = byte ? EAX : EDX;
  const sizeMask = maskOf(size);
  let hi: number;
  if (!signed) {
    hi = divisor === 0 ? 0 : Math.floor(rng.below(0x10000) / 0x10000 * divisor);
  } else {
    // Sign-extend the low half (as CBW/CWD/CDQ would), so |dividend| fits the low half.
    const lo = byte ? b.regs[EAX] & 0xff : b.regs[EAX] & sizeMask;
    const neg = (lo >>> (size - 1)) & 1;
    hi = neg ? sizeMask : 0;
  }
  if (byte) {
    if (!f.mem && (f.rm === 4)) return; // DIV AH
    b.regs[EAX] = ((b.regs[EAX] & ~0xff00) | ((hi & 0xff) << 8)) >>> 0;
  } else {
    if (!f.mem && f.rm === EDX) return;
    b.regs[hiReg] = ((b.regs[hiReg] & ~sizeMask) | (hi & sizeMask)) >>> 0;
  }
}

export const muldivSpecs: Spec[] = [
  { name: "MUL Eb (F6 /4)", owner: "integer", count: 96, gen: (b) => { b.pin(EAX); b.pin(EDX); rmInstr(b, { op: [0xf6], size: 8, digit: 4 }); b.undefFlags = MUL_UNDEF; } },
  { name: "MUL Ev (F7 /4)", owner: "integer", count: 96, gen: (b) => { b.pin(EAX); b.pin(EDX); rmInstr(b, { op: [0xf7], size: "v", digit: 4 }); b.undefFlags = MUL_UNDEF; } },
  { name: "IMUL Eb (F6 /5)", owner: "integer", count: 96, gen: (b) => { b.pin(EAX); b.pin(EDX); rmInstr(b, { op: [0xf6], size: 8, digit: 5 }); b.undefFlags = MUL_UNDEF; } },
  { name: "IMUL Ev (F7 /5)", owner: "integer", count: 96, gen: (b) => { b.pin(EAX); b.pin(EDX); rmInstr(b, { op: [0xf7], size: "v", digit: 5 }); b.undefFlags = MUL_UNDEF; } },
  { name: "DIV Eb (F6 /6)", owner: "integer", count: 128, gen: (b, rng) => divCase(b, rng, 6, true) },
  { name: "DIV Ev (F7 /6)", owner: "integer", count: 128, gen: (b, rng) => divCase(b, rng, 6, false) },
  { name: "IDIV Eb (F6 /7)", owner: "integer", count: 128, gen: (b, rng) => divCase(b, rng, 7, true) },
  { name: "IDIV Ev (F7 /7)", owner: "integer", count: 128, gen: (b, rng) => divCase(b, rng, 7, false) },
  { name: "IMUL Gv,Ev (0F AF)", owner: "integer", count: 96, gen: (b) => { rmInstr(b, { op: [0x0f, 0xaf], size: "v" }); b.undefFlags = MUL_UNDEF; } },
  { name: "IMUL Gv,Ev,Iv (69)", owner: "integer", count: 96, gen: (b) => { rmInstr(b, { op: [0x69], size: "v", imm: "v" }); b.undefFlags = MUL_UNDEF; } },
  { name: "IMUL Gv,Ev,Ib (6B)", owner: "integer", count: 96, gen: (b) => { rmInstr(b, { op: [0x6b], size: "v", imm: 8 }); b.undefFlags = MUL_UNDEF; } },
];

// BCD: AL/AH and the incoming CF/AF matter; the flags input is random.
function bcd(name: string, op: number[], undef: number, imm?: (rng: Rng) => number): Spec {
  return {
    name, owner: "integer", count: 128,
    gen: (b, rng) => {
      b.setReg(EAX, rng.chance(0.5) ? rng.u32() : ((rng.u32() & 0xffff0000) | (rng.below(10) << 12) | (rng.below(10) << 8) | (rng.below(10) << 4) | rng.below(16)) >>> 0);
      b.emit(...op);
      if (imm) b.emit(imm(rng));
      b.undefFlags = undef;
    },
  };
}
const aamImm = (rng: Rng) => (rng.chance(0.6) ? 10 : rng.chance(0.1) ? 0 : rng.below(256));
export const bcdSpecs: Spec[] = [
  bcd("DAA (27)", [0x27], UNDEFINED_FLAGS.daaDas),
  bcd("DAS (2F)", [0x2f], UNDEFINED_FLAGS.daaDas),
  bcd("AAA (37)", [0x37], UNDEFINED_FLAGS.aaaAas),
  bcd("AAS (3F)", [0x3f], UNDEFINED_FLAGS.aaaAas),
  bcd("AAM Ib (D4)", [0xd4], UNDEFINED_FLAGS.aamAad, aamImm),
  bcd("AAD Ib (D5)", [0xd5], UNDEFINED_FLAGS.aamAad, aamImm),
];
