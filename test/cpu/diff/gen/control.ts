// Conditions and control transfer: CMOVcc, SETcc, Jcc (rel8, rel32), LOOP/LOOPE/LOOPNE/JECXZ,
// JMP/CALL (relative and indirect), RET. Targets always land on the HLT filler after the code
// (the code page is full of HLT), so the final EIP says which way a branch went.
// 16-bit operand-size near transfers truncate EIP to 16 bits and are left to the system tests.
import type { Spec } from "../harness";
import { BUF_ADDR, CODE_ADDR } from "../layout";
import { ECX, type CaseBuilder } from "./builder";
import { le, rmInstr } from "./forms";

const CC = ["O", "NO", "B", "AE", "E", "NE", "BE", "A", "S", "NS", "P", "NP", "L", "GE", "LE", "G"];
const h = (v: number) => v.toString(16).toUpperCase();

/** A forward displacement (0..40) onto the HLT filler. */
function fwd(b: CaseBuilder): number {
  return b.rng.chance(0.5) ? 1 : b.rng.below(41);
}

export const controlSpecs: Spec[] = [];
for (let cc = 0; cc < 16; cc++) {
  controlSpecs.push(
    { name: `CMOV${CC[cc]} Gv,Ev (0F ${h(0x40 + cc)})`, owner: "integer", count: 48, gen: (b) => void rmInstr(b, { op: [0x0f, 0x40 + cc], size: "v" }) },
    { name: `SET${CC[cc]} Eb (0F ${h(0x90 + cc)})`, owner: "integer", count: 48, gen: (b) => void rmInstr(b, { op: [0x0f, 0x90 + cc], size: 8, writesRm: true }) },
    { name: `J${CC[cc]} rel8 (${h(0x70 + cc)})`, owner: "integer", count: 48, gen: (b) => b.emit(0x70 + cc, fwd(b)) },
    { name: `J${CC[cc]} rel32 (0F ${h(0x80 + cc)})`, owner: "integer", count: 48, gen: (b) => { b.emit(0x0f, 0x80 + cc); b.imm32(fwd(b)); } },
  );
}

function loopSpec(name: string, op: number): Spec {
  return {
    name, owner: "integer", count: 96,
    gen: (b, rng) => {
      const a16 = rng.chance(0.25); // 0x67: the counter is CX
      const count = rng.pick([0, 1, 2, rng.u32(), 0x10000, 0x10001]);
      b.setReg(ECX, count);
      if (a16) b.emit(0x67);
      b.emit(op, fwd(b));
    },
  };
}
controlSpecs.push(
  loopSpec("LOOPNE rel8 (E0)", 0xe0),
  loopSpec("LOOPE rel8 (E1)", 0xe1),
  loopSpec("LOOP rel8 (E2)", 0xe2),
  loopSpec("JECXZ rel8 (E3)", 0xe3),
  { name: "JMP rel8 (EB)", owner: "integer", count: 24, gen: (b) => b.emit(0xeb, fwd(b)) },
  { name: "JMP rel32 (E9)", owner: "integer", count: 24, gen: (b) => { b.emit(0xe9); b.imm32(fwd(b)); } },
  { name: "CALL rel32 (E8)", owner: "integer", count: 48, gen: (b) => { b.emit(0xe8); b.imm32(fwd(b)); } },
  ...[["JMP Ev (FF /4)", 4], ["CALL Ev (FF /2)", 2]].map(([name, digit]): Spec => ({
    name: name as string, owner: "integer", count: 96,
    gen: (b, rng) => {
      // The target register or memory word holds an address on the HLT filler.
      const f = rmInstr(b, { op: [0xff], size: 32, digit: digit as number });
      const target = CODE_ADDR + b.bytes.length + rng.below(40);
      if (f.mem) b.patch = { off: f.target, bytes: le(target, 4) };
      else if (f.rm !== 4 && !b.regsPinned(f.rm)) b.setReg(f.rm, target);
      else b.bytes.splice(0, b.bytes.length, 0x90); // JMP ESP would run the stack: use a NOP
    },
  })),
  ...[["RET (C3)", false], ["RET Iw (C2)", true]].map(([name, imm]): Spec => ({
    name: name as string, owner: "integer", count: 48,
    gen: (b, rng) => {
      b.emit(imm ? 0xc2 : 0xc3);
      if (imm) b.imm16(rng.pick([0, 4, 8, rng.below(0x100), rng.below(0x10000)]));
      const target = CODE_ADDR + b.bytes.length + rng.below(40);
      b.patch = { off: b.regs[4] - BUF_ADDR, bytes: le(target, 4) };
    },
  })),
);
