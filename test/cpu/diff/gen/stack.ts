// Stack instructions: PUSH/POP (register, memory, immediate, segment), PUSHA/POPA, PUSHF/POPF,
// ENTER/LEAVE. ESP always points into the top quarter of the buffer, so everything pushed or
// popped is compared.
import type { Spec } from "../harness";
import { BUF_ADDR, STACK_TOP } from "../layout";
import { EBP, ESP, type CaseBuilder } from "./builder";
import { le, rmInstr } from "./forms";

function stackPatch(b: CaseBuilder, bytes: number[]): void {
  b.patch = { off: b.regs[ESP] - BUF_ADDR, bytes };
}

export const stackSpecs: Spec[] = [
  {
    name: "PUSH r (50+r)", owner: "integer",
    gen: (b, rng) => { b.prefixes({ o16: rng.chance(0.3) }); b.emit(0x50 + rng.below(8)); },
  },
  {
    name: "POP r (58+r)", owner: "integer",
    gen: (b, rng) => { b.prefixes({ o16: rng.chance(0.3) }); b.emit(0x58 + rng.below(8)); },
  },
  { name: "PUSH Iv (68)", owner: "integer", gen: (b, rng) => { const o16 = rng.chance(0.3); b.prefixes({ o16 }); b.emit(0x68); b.imm(o16 ? 16 : 32, rng.value(32)); } },
  { name: "PUSH Ib (6A)", owner: "integer", gen: (b, rng) => { b.prefixes({ o16: rng.chance(0.3) }); b.emit(0x6a, rng.value(8)); } },
  { name: "PUSH Ev (FF /6)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0xff], size: "v", digit: 6 }) },
  // POP [ESP+d] computes the address with the incremented ESP (SDM Vol. 2B POP).
  { name: "POP Ev (8F /0)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x8f], size: "v", digit: 0, writesRm: true }) },
  { name: "PUSHA (60)", owner: "integer", gen: (b, rng) => { b.prefixes({ o16: rng.chance(0.3) }); b.emit(0x60); } },
  { name: "POPA (61)", owner: "integer", gen: (b, rng) => { b.prefixes({ o16: rng.chance(0.3) }); b.emit(0x61); } },
  { name: "PUSHF (9C)", owner: "system", gen: (b, rng) => { b.prefixes({ o16: rng.chance(0.3) }); b.emit(0x9c); } },
  {
    // Values keep IF=1, IOPL=0, TF=0, VM=0, RF=0, VIF=VIP=0: the native side runs at CPL 3 where
    // POPF silently keeps IF and IOPL, so only privilege-independent bits are varied here
    // (including the reserved bits, which must read back fixed).
    name: "POPF (9D)", owner: "system",
    gen: (b, rng) => {
      const o16 = rng.chance(0.3);
      b.prefixes({ o16 });
      b.emit(0x9d);
      const v = ((rng.u32() & (0xffc0_0000 | 0x244cd5 | 0x802a)) | 0x200) >>> 0;
      stackPatch(b, le(v, 4));
    },
  },
  {
    name: "ENTER Iw,Ib (C8)", owner: "integer", count: 128,
    gen: (b, rng) => {
      const o16 = rng.chance(0.25);
      const level = rng.pick([0, 0, 1, 2, 3, rng.below(8), rng.below(32)]);
      const size = rng.pick([0, 4, 8, rng.below(0x100)]);
      // Nested levels copy frame pointers from [EBP-4], [EBP-8]...: EBP points into the stack area.
      b.setReg(EBP, STACK_TOP - rng.below(0x40) * 4);
      b.prefixes({ o16 });
      b.emit(0xc8);
      b.imm16(size);
      b.emit(level);
    },
  },
  {
    name: "LEAVE (C9)", owner: "integer",
    gen: (b, rng) => {
      const o16 = rng.chance(0.25);
      b.setReg(EBP, STACK_TOP - rng.below(0x80) * 2);
      b.prefixes({ o16 });
      b.emit(0xc9);
    },
  },
  // Segment register pushes: a 32-bit push of a selector may write only 16 bits (SDM Vol. 2B
  // PUSH: "either a zero-extended value is pushed... or a 16-bit move"), so the upper two bytes
  // of the slot are model-specific and not compared.
  ...([["PUSH ES (06)", [0x06]], ["PUSH DS (1E)", [0x1e]], ["PUSH FS (0F A0)", [0x0f, 0xa0]]] as const).map(([name, op]): Spec => ({
    name, owner: "system", count: 16,
    gen: (b, rng) => {
      const o16 = rng.chance(0.3);
      b.prefixes({ o16 });
      b.emit(...op);
      if (!o16) b.undefMem = [b.regs[ESP] - BUF_ADDR - 2, b.regs[ESP] - BUF_ADDR];
    },
  })),
  ...([["POP ES (07)", [0x07], [0x2b, 0, 3, 0x23]], ["POP DS (1F)", [0x1f], [0x2b, 0, 3, 0x23]], ["POP FS (0F A1)", [0x0f, 0xa1], [0, 3]]] as const).map(([name, op, sels]): Spec => ({
    name, owner: "system", count: 24,
    gen: (b, rng) => {
      b.prefixes({ o16: rng.chance(0.3) });
      b.emit(...op);
      stackPatch(b, le(rng.pick(sels), 2));
    },
  })),
];
