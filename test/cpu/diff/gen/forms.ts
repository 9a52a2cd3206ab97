// Operand-form helpers shared by the generators: "r/m, reg" instructions in all their sizes,
// with register or memory operands, optional LOCK and immediates.
import { CaseBuilder } from "./builder";

export type OpSize = 8 | 16 | 32;

export interface RmForm {
  /** Opcode bytes (after prefixes), e.g. [0x01] or [0x0f, 0xaf]. */
  op: number[];
  /** 8: byte operands; "v": 16 or 32 by the 0x66 prefix; 16/32: fixed with/without 0x66. */
  size: 8 | "v" | 16 | 32;
  /** ModRM reg field when it is an opcode extension (/digit); otherwise a random register. */
  digit?: number;
  /** Immediate after ModRM: 8 (imm8), "v" (imm16/32 by operand size), 16. */
  imm?: 8 | "v" | 16;
  /** Memory-only (e.g. BOUND) or register-only forms. */
  mem?: "only" | "never";
  /** LOCK is allowed on the memory form (and is #UD on the register form). */
  lockable?: boolean;
  /** The instruction writes its r/m operand (so a CS override faults). */
  writesRm?: boolean;
  /** 16-bit addressing allowed (default true). */
  addr16?: boolean;
  /** Probability of the memory form (default 0.5). */
  memChance?: number;
}

export interface RmChoice {
  size: OpSize;
  mem: boolean;
  /** Buffer offset of the memory operand. */
  target: number;
  reg: number;
  rm: number;
  locked: boolean;
}

/** Little-endian bytes of `v`. */
export function le(v: number, bytes: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes; i++) out.push((v >>> (8 * i)) & 0xff);
  return out;
}

export function rmInstr(b: CaseBuilder, f: RmForm, immValue?: number): RmChoice {
  const rng = b.rng;
  const size: OpSize = f.size === 8 ? 8 : f.size === 16 ? 16 : f.size === 32 ? 32 : rng.chance(0.3) ? 16 : 32;
  const mem = f.mem === "only" ? true : f.mem === "never" ? false : rng.chance(f.memChance ?? 0.5);
  // LOCK: mostly on lockable memory forms; now and then where it must raise #UD.
  const locked = f.lockable ? (mem ? rng.chance(0.3) : rng.chance(0.05)) : rng.chance(0.02);
  b.prefixes({ o16: size === 8 ? undefined : size === 16, mem, allowCs: !f.writesRm, lock: locked, allowAddr16: f.addr16 ?? true });
  b.emit(...f.op);
  const reg = f.digit ?? rng.below(8);
  let target = -1;
  let rm = -1;
  const bytes = size / 8;
  if (mem) {
    target = b.modrmMem(reg, Math.max(bytes, 4) + 4);
    if (rng.chance(0.5)) b.patch = { off: target, bytes: le(rng.value(size), bytes) };
  } else {
    rm = rng.below(8);
    b.modrmReg(reg, rm);
    randomizeOperand(b, rm, size);
  }
  if (f.digit === undefined) randomizeOperand(b, reg, size);
  if (f.imm !== undefined) {
    const immBits = f.imm === 8 ? 8 : f.imm === 16 ? 16 : size === 8 ? 8 : size;
    b.imm(immBits, immValue ?? rng.value(immBits));
  }
  return { size, mem, target, reg, rm, locked };
}

/**
 * Give register operand `r` (encoding of `size`) a biased random value, unless the register is
 * pinned (an address register, or chosen by the spec) or is ESP (which stays a stack pointer).
 */
export function randomizeOperand(b: CaseBuilder, r: number, size: OpSize): void {
  const rng = b.rng;
  if (size === 8) {
    const full = r & 3;
    if (b.regsPinned(full)) return;
    const shift = r >= 4 ? 8 : 0;
    b.regs[full] = ((b.regs[full] & ~(0xff << shift)) | (rng.value(8) << shift)) >>> 0;
    return;
  }
  if (r === 4 || b.regsPinned(r)) return;
  b.regs[r] = rng.regValue(size);
}
