// ALU instructions: ADD OR ADC SBB AND SUB XOR CMP in all eight forms, TEST, INC/DEC, NOT/NEG.
// Undefined flags (SDM Vol. 2): AND OR XOR TEST leave AF undefined; everything else is defined.
import type { Spec } from "../harness";
import { EAX } from "./builder";
import { UNDEFINED_FLAGS } from "./undefined";
import { rmInstr, randomizeOperand, type OpSize } from "./forms";

const h = (v: number) => v.toString(16).padStart(2, "0").toUpperCase();
const ALU: [string, number][] = [["ADD", 0], ["OR", 1], ["ADC", 2], ["SBB", 3], ["AND", 4], ["SUB", 5], ["XOR", 6], ["CMP", 7]];
const logicUndef = (n: number) => (n === 1 || n === 4 || n === 6 ? UNDEFINED_FLAGS.logic : 0);

export const aluSpecs: Spec[] = [];
for (const [name, n] of ALU) {
  const base = n * 8;
  const writes = n !== 7;
  const u = logicUndef(n);
  aluSpecs.push(
    { name: `${name} Eb,Gb (${h(base)})`, owner: "integer", gen: (b) => { rmInstr(b, { op: [base], size: 8, lockable: writes, writesRm: writes }); b.undefFlags = u; } },
    { name: `${name} Ev,Gv (${h(base + 1)})`, owner: "integer", gen: (b) => { rmInstr(b, { op: [base + 1], size: "v", lockable: writes, writesRm: writes }); b.undefFlags = u; } },
    { name: `${name} Gb,Eb (${h(base + 2)})`, owner: "integer", gen: (b) => { rmInstr(b, { op: [base + 2], size: 8 }); b.undefFlags = u; } },
    { name: `${name} Gv,Ev (${h(base + 3)})`, owner: "integer", gen: (b) => { rmInstr(b, { op: [base + 3], size: "v" }); b.undefFlags = u; } },
    {
      name: `${name} AL,Ib (${h(base + 4)})`, owner: "integer",
      gen: (b, rng) => { randomizeOperand(b, EAX, 8); b.emit(base + 4, rng.value(8)); b.undefFlags = u; },
    },
    {
      name: `${name} eAX,Iv (${h(base + 5)})`, owner: "integer",
      gen: (b, rng) => {
        const o16 = rng.chance(0.3);
        b.prefixes({ o16 });
        b.emit(base + 5);
        b.imm(o16 ? 16 : 32, rng.value(o16 ? 16 : 32));
        randomizeOperand(b, EAX, o16 ? 16 : 32);
        b.undefFlags = u;
      },
    },
  );
}
// Group 1 (80 81 82 83): the operation is the ModRM reg field. 82 is an alias of 80 outside
// 64-bit mode (SDM Vol. 2 Table A-6).
for (const [name, n] of ALU) {
  const writes = n !== 7;
  const u = logicUndef(n);
  aluSpecs.push(
    { name: `${name} Eb,Ib (80 /${n})`, owner: "integer", gen: (b) => { rmInstr(b, { op: [0x80], size: 8, digit: n, imm: 8, lockable: writes, writesRm: writes }); b.undefFlags = u; } },
    { name: `${name} Ev,Iv (81 /${n})`, owner: "integer", gen: (b) => { rmInstr(b, { op: [0x81], size: "v", digit: n, imm: "v", lockable: writes, writesRm: writes }); b.undefFlags = u; } },
    { name: `${name} Eb,Ib (82 /${n})`, owner: "integer", count: 24, gen: (b) => { rmInstr(b, { op: [0x82], size: 8, digit: n, imm: 8, lockable: writes, writesRm: writes }); b.undefFlags = u; } },
    { name: `${name} Ev,Ib (83 /${n})`, owner: "integer", gen: (b) => { rmInstr(b, { op: [0x83], size: "v", digit: n, imm: 8, lockable: writes, writesRm: writes }); b.undefFlags = u; } },
  );
}
aluSpecs.push(
  { name: "TEST Eb,Gb (84)", owner: "integer", gen: (b) => { rmInstr(b, { op: [0x84], size: 8 }); b.undefFlags = UNDEFINED_FLAGS.logic; } },
  { name: "TEST Ev,Gv (85)", owner: "integer", gen: (b) => { rmInstr(b, { op: [0x85], size: "v" }); b.undefFlags = UNDEFINED_FLAGS.logic; } },
  { name: "TEST AL,Ib (A8)", owner: "integer", gen: (b, rng) => { randomizeOperand(b, EAX, 8); b.emit(0xa8, rng.value(8)); b.undefFlags = UNDEFINED_FLAGS.logic; } },
  {
    name: "TEST eAX,Iv (A9)", owner: "integer",
    gen: (b, rng) => {
      const o16 = rng.chance(0.3);
      b.prefixes({ o16 });
      b.emit(0xa9);
      b.imm(o16 ? 16 : 32, rng.value(o16 ? 16 : 32));
      randomizeOperand(b, EAX, o16 ? 16 : 32);
      b.undefFlags = UNDEFINED_FLAGS.logic;
    },
  },
  // F6/F7 /1 is an undocumented alias of /0 (TEST) that hardware decodes.
  { name: "TEST Eb,Ib (F6 /0)", owner: "integer", gen: (b) => { rmInstr(b, { op: [0xf6], size: 8, digit: 0, imm: 8 }); b.undefFlags = UNDEFINED_FLAGS.logic; } },
  { name: "TEST Eb,Ib (F6 /1 alias)", owner: "integer", count: 24, gen: (b) => { rmInstr(b, { op: [0xf6], size: 8, digit: 1, imm: 8 }); b.undefFlags = UNDEFINED_FLAGS.logic; } },
  { name: "TEST Ev,Iv (F7 /0)", owner: "integer", gen: (b) => { rmInstr(b, { op: [0xf7], size: "v", digit: 0, imm: "v" }); b.undefFlags = UNDEFINED_FLAGS.logic; } },
  { name: "TEST Ev,Iv (F7 /1 alias)", owner: "integer", count: 24, gen: (b) => { rmInstr(b, { op: [0xf7], size: "v", digit: 1, imm: "v" }); b.undefFlags = UNDEFINED_FLAGS.logic; } },
  { name: "NOT Eb (F6 /2)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0xf6], size: 8, digit: 2, lockable: true, writesRm: true }) },
  { name: "NOT Ev (F7 /2)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0xf7], size: "v", digit: 2, lockable: true, writesRm: true }) },
  { name: "NEG Eb (F6 /3)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0xf6], size: 8, digit: 3, lockable: true, writesRm: true }) },
  { name: "NEG Ev (F7 /3)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0xf7], size: "v", digit: 3, lockable: true, writesRm: true }) },
  { name: "INC Eb (FE /0)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0xfe], size: 8, digit: 0, lockable: true, writesRm: true }) },
  { name: "DEC Eb (FE /1)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0xfe], size: 8, digit: 1, lockable: true, writesRm: true }) },
  { name: "INC Ev (FF /0)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0xff], size: "v", digit: 0, lockable: true, writesRm: true }) },
  { name: "DEC Ev (FF /1)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0xff], size: "v", digit: 1, lockable: true, writesRm: true }) },
  {
    name: "INC r (40+r)", owner: "integer",
    gen: (b, rng) => {
      const r = rng.below(8);
      const size: OpSize = rng.chance(0.3) ? 16 : 32;
      b.prefixes({ o16: size === 16 });
      b.emit(0x40 + r);
      randomizeOperand(b, r, size);
    },
  },
  {
    name: "DEC r (48+r)", owner: "integer",
    gen: (b, rng) => {
      const r = rng.below(8);
      const size: OpSize = rng.chance(0.3) ? 16 : 32;
      b.prefixes({ o16: size === 16 });
      b.emit(0x48 + r);
      randomizeOperand(b, r, size);
    },
  },
);
