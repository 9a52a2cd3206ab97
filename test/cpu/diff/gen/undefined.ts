// The EFLAGS bits the SDM (Vol. 2, each instruction's "Flags Affected") leaves undefined, by
// instruction. These, and only these, are masked out of the comparison; every other flag must
// match the host bit for bit.
import { AF, ARITH, CF, OF, PF, SF, ZF } from "./builder";

export const UNDEFINED_FLAGS = {
  /** AND OR XOR TEST (00-3D logic forms, 80-83 /1 /4 /6, 84 85 A8 A9 F6/F7 /0 /1) */
  logic: AF,
  /** MUL IMUL, all forms (F6/F7 /4 /5, 0F AF, 69, 6B): CF and OF are defined */
  mul: SF | ZF | AF | PF,
  /** DIV IDIV (F6/F7 /6 /7) */
  div: ARITH,
  /** DAA DAS (27 2F) */
  daaDas: OF,
  /** AAA AAS (37 3F) */
  aaaAas: OF | SF | ZF | PF,
  /** AAM AAD (D4 D5) */
  aamAad: OF | AF | CF,
  /** BT BTS BTR BTC (0F A3 AB B3 BB, 0F BA /4-/7): ZF is unaffected, CF defined */
  bt: OF | SF | AF | PF,
  /** BSF BSR (0F BC BD): only ZF is defined */
  bitScan: CF | OF | SF | AF | PF,
} as const;

/**
 * Shifts and rotates (C0 C1 D0-D3 /0-/7) for a given count operand: a masked count of 0 changes
 * no flag; otherwise OF is undefined unless the masked count is 1, the shifts (/4-/7) leave AF
 * undefined, and SHL/SHR (not SAR) leave CF undefined when the count reaches the operand size.
 */
export function shiftUndefined(subop: number, count: number, size: number): number {
  const m = count & 0x1f;
  if (m === 0) return 0;
  let u = m === 1 ? 0 : OF;
  if (subop >= 4) {
    u |= AF;
    if (subop !== 7 && m >= size) u |= CF;
  }
  return u;
}

/** SHLD SHRD (0F A4 A5 AC AD): as the shifts, CF defined (counts above the size not generated). */
export function doubleShiftUndefined(count: number): number {
  const m = count & 0x1f;
  return m === 0 ? 0 : m === 1 ? AF : AF | OF;
}
