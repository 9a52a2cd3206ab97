// Accesses that leave the buffer page, with lab86 at CPL 3 and paging on, mapping exactly what
// the native process has: the 4 KiB buffer (0x10000) and the code page, with unmapped pages on
// both sides of the buffer. Each case either stays inside or crosses a page edge, and then both
// sides must take the same #PF (error code, CR2, EIP) and leave no partial result (SDM Vol. 3A
// 6.5: faults are restartable, nothing is written), except REP string instructions, whose
// registers and stores reflect the iterations done before the fault.
import type { Spec } from "../harness";
import { BUF_ADDR, BUF_SIZE, CODE_ADDR } from "../layout";
import { DF, ECX, EDI, ESI, ESP, type CaseBuilder } from "./builder";
import { le, randomizeOperand } from "./forms";
import { doubleShiftUndefined, UNDEFINED_FLAGS } from "./undefined";

/** A buffer offset whose `size`-byte access is near one edge of the page (maybe across it). */
function edgeOffset(b: CaseBuilder, size: number): number {
  const rng = b.rng;
  return rng.chance(0.6) ? BUF_SIZE - size + rng.range(-3, size - 1) : rng.range(-size + 1, 3);
}

type Owner = Spec["owner"];
function memOp(name: string, op: number[], size: number, opts: { o16?: boolean; lockable?: boolean; digit?: number; imm?: number; undef?: (b: CaseBuilder) => number; owner?: Owner } = {}): Spec {
  return {
    name, owner: opts.owner ?? "integer", count: 48,
    gen: (b, rng) => {
      const t = edgeOffset(b, size);
      b.prefixes({ o16: opts.o16, mem: true, allowAddr16: false, lock: opts.lockable && rng.chance(0.3) });
      b.emit(...op);
      const reg = opts.digit ?? rng.below(8);
      b.modrmMem(reg, size, t);
      if (opts.digit === undefined) randomizeOperand(b, reg, size === 1 ? 8 : 32);
      if (opts.imm) b.imm(opts.imm * 8, rng.u32());
      if (opts.undef) b.undefFlags = opts.undef(b);
    },
  };
}

export const pageCrossSpecs: Spec[] = [
  memOp("MOV r8 <- m8 at a page edge", [0x8a], 1),
  memOp("MOV r16 <- m16 at a page edge", [0x8b], 2, { o16: true }),
  memOp("MOV r32 <- m32 at a page edge", [0x8b], 4),
  memOp("MOV m32 <- r32 at a page edge", [0x89], 4),
  memOp("MOV m16 <- imm16 at a page edge", [0xc7], 2, { o16: true, digit: 0, imm: 2 }),
  memOp("ADD m32, r32 at a page edge (read-modify-write)", [0x01], 4, { lockable: true }),
  memOp("XCHG m32, r32 at a page edge", [0x87], 4),
  memOp("CMPXCHG m32, r32 at a page edge", [0x0f, 0xb1], 4, { lockable: true }),
  memOp("CMPXCHG8B m64 at a page edge", [0x0f, 0xc7], 8, { digit: 1, lockable: true }),
  memOp("INC m32 at a page edge", [0xff], 4, { digit: 0, lockable: true }),
  memOp("SHLD m32, r32, CL at a page edge", [0x0f, 0xa5], 4, { undef: (b) => doubleShiftUndefined(b.regs[ECX] & 0xff) }),
  memOp("BTS m32, imm8 at a page edge", [0x0f, 0xba], 4, { digit: 5, imm: 1, undef: () => UNDEFINED_FLAGS.bt }),
  memOp("PUSH m32 at a page edge (source)", [0xff], 4, { digit: 6 }),
  memOp("POP m32 at a page edge (destination)", [0x8f], 4, { digit: 0 }),
  memOp("MOVUPS m128 load at a page edge", [0x0f, 0x10], 16, { owner: "simd" }),
  memOp("MOVUPS m128 store at a page edge", [0x0f, 0x11], 16, { owner: "simd" }),
  memOp("FLD m80 at a page edge", [0xdb], 10, { digit: 5, owner: "fpu" }),
  memOp("FSTP m64 at a page edge", [0xdd], 8, { digit: 3, owner: "fpu" }),
  {
    // The stack at the bottom of the buffer page: pushes run into the unmapped page below.
    // ENTER faults when its final stack top is not writable even if it writes nothing there (the
    // AMD host and Bochs both do; ENTER size,1 below the page edge shows it).
    name: "PUSH, PUSHA, CALL, ENTER near the bottom of the stack page", owner: "integer", count: 96,
    gen: (b, rng) => {
      b.setReg(ESP, BUF_ADDR + rng.range(0, 40));
      const o16 = rng.chance(0.3);
      b.prefixes({ o16 });
      b.emit(...rng.pick([[0x50 + rng.below(8)], [0x60], [0x9c], [0xe8, 0, 0, 0, 0], [0xc8, rng.below(64), 0, rng.below(4)], [0x6a, 1]]));
    },
  },
  {
    // The stack at the top of the buffer page: pops read from the unmapped page above. POPA is
    // left out: AMD processors load some registers before taking the #PF, where the SDM (Vol. 3A
    // 6.5) has a fault leave the state as it was before the instruction.
    name: "POP, RET, LEAVE, POPF near the top of the stack page", owner: "integer", count: 96,
    gen: (b, rng) => {
      const top = BUF_ADDR + BUF_SIZE - rng.range(0, 36);
      b.setReg(ESP, top);
      if (rng.chance(0.3)) b.setReg(5, top + rng.range(-8, 0)); // EBP for LEAVE
      const o16 = rng.chance(0.3);
      b.prefixes({ o16 });
      const op = rng.pick([[0x58 + rng.below(8)], [0xc3], [0xc9], [0x9d]]);
      b.emit(...op);
      if (op[0] === 0xc3) {
        // The return address (the part inside the page) points at the HLT filler: a random one
        // could land on a page the host process happens to map (its stack, libraries).
        const at = b.regs[ESP] - BUF_ADDR;
        b.patch = { off: at, bytes: le(CODE_ADDR + 0x100, 4).slice(0, BUF_SIZE - at) };
      }
    },
  },
  {
    // An instruction whose bytes run off the end of the code page: prefixes, opcode, ModRM or
    // immediate on the unmapped page. #PF on the fetch, CR2 = the next page, EIP = the first byte.
    name: "Instruction fetch running off the code page", owner: "integer", count: 96,
    gen: (b, rng) => {
      const insn = rng.pick([
        [0xb8, 1, 2, 3, 4], [0x66, 0xb8, 1, 2], [0x3e, 0x66, 0x01, 0xc8], [0x0f, 0xaf, 0xc1], [0x81, 0xc1, 1, 2, 3, 4],
        [0x0f, 0x84, 0, 0, 0, 0], [0xf3, 0xa4], [0x8b, 0x84, 0x24, 0, 0, 0, 0], [0xc8, 4, 0, 0],
      ]);
      b.emit(...insn);
      if (insn[0] === 0x0f && insn[1] === 0xaf) b.undefFlags = UNDEFINED_FLAGS.mul;
      b.setReg(ECX, 0);
      b.codeOffset = 4096 - rng.range(1, insn.length + 1);
    },
  },
  {
    // REP string instructions running off the end (or, with DF=1, the start) of the page: the
    // fault comes after the iterations that fit, which stay done.
    name: "REP MOVS/STOS/LODS running off the page", owner: "integer", count: 128,
    gen: (b, rng) => {
      const size = rng.pick([1, 2, 4]);
      const count = rng.range(1, 24);
      const down = rng.chance(0.3);
      b.eflags = down ? b.eflags | DF : b.eflags & ~DF;
      const near = () => (down ? rng.range(0, count * size + 4) : BUF_SIZE - rng.range(0, count * size + 4));
      b.setReg(ECX, count);
      b.setReg(ESI, BUF_ADDR + near());
      b.setReg(EDI, BUF_ADDR + near());
      const op = rng.pick([0xa4, 0xaa, 0xac]);
      b.emit(0xf3, ...(size === 2 ? [0x66] : []), op + (size === 1 ? 0 : 1));
    },
  },
];
