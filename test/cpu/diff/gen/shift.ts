// Shifts and rotates (C0 C1 D0-D3, all eight ModRM sub-opcodes including the undocumented SAL
// alias /6) and SHLD/SHRD, with counts 0, 1, 2..size-1, size..31 and >= 32 (masked to 5 bits).
//
// Undefined flags (SDM Vol. 2B SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR, SHLD, SHRD): a masked count of 0
// changes nothing. Otherwise OF is undefined unless the masked count is 1; the shifts also leave
// AF undefined, and SHL/SHR leave CF undefined when the count is at least the operand size.
import type { Spec } from "../harness";
import { ECX } from "./builder";
import { shiftUndefined, doubleShiftUndefined } from "./undefined";
import { rmInstr, randomizeOperand } from "./forms";
import type { Rng } from "./rng";

const NAMES = ["ROL", "ROR", "RCL", "RCR", "SHL", "SHR", "SAL", "SAR"];

function count(rng: Rng): number {
  switch (rng.below(6)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return rng.range(2, 7);
    case 3: return rng.range(8, 31);
    case 4: return rng.range(32, 255);
    default: return rng.below(256);
  }
}

const undef = shiftUndefined;

export const shiftSpecs: Spec[] = [];
for (let op = 0; op < 8; op++) {
  const n = NAMES[op] + (op === 6 ? " (alias)" : "");
  const lock = { writesRm: true };
  shiftSpecs.push(
    {
      name: `${n} Eb,Ib (C0 /${op})`, owner: "integer", count: 96,
      gen: (b, rng) => { const c = count(rng); const f = rmInstr(b, { op: [0xc0], size: 8, digit: op, imm: 8, ...lock }, c); b.undefFlags = undef(op, c, f.size); },
    },
    {
      name: `${n} Ev,Ib (C1 /${op})`, owner: "integer", count: 96,
      gen: (b, rng) => { const c = count(rng); const f = rmInstr(b, { op: [0xc1], size: "v", digit: op, imm: 8, ...lock }, c); b.undefFlags = undef(op, c, f.size); },
    },
    {
      name: `${n} Eb,1 (D0 /${op})`, owner: "integer",
      gen: (b) => { const f = rmInstr(b, { op: [0xd0], size: 8, digit: op, ...lock }); b.undefFlags = undef(op, 1, f.size); },
    },
    {
      name: `${n} Ev,1 (D1 /${op})`, owner: "integer",
      gen: (b) => { const f = rmInstr(b, { op: [0xd1], size: "v", digit: op, ...lock }); b.undefFlags = undef(op, 1, f.size); },
    },
    {
      name: `${n} Eb,CL (D2 /${op})`, owner: "integer", count: 96,
      gen: (b, rng) => { const c = count(rng); b.setRegLow(ECX, 8, c); const f = rmInstr(b, { op: [0xd2], size: 8, digit: op, ...lock }); b.undefFlags = undef(op, b.regs[ECX] & 0xff, f.size); },
    },
    {
      name: `${n} Ev,CL (D3 /${op})`, owner: "integer", count: 96,
      gen: (b, rng) => { const c = count(rng); b.setRegLow(ECX, 8, c); const f = rmInstr(b, { op: [0xd3], size: "v", digit: op, ...lock }); b.undefFlags = undef(op, b.regs[ECX] & 0xff, f.size); },
    },
  );
}

// SHLD/SHRD: with a 16-bit operand and a masked count above 16 the result is undefined, so
// those counts are not generated (SDM Vol. 2B SHLD).
function dcount(rng: Rng, o16: boolean): number {
  const c = count(rng);
  if (o16 && (c & 0x1f) > 16) return (c & ~0x1f) | rng.range(0, 16);
  return c;
}
const dundef = doubleShiftUndefined;
for (const [name, opIb, opCl] of [["SHLD", 0xa4, 0xa5], ["SHRD", 0xac, 0xad]] as const) {
  shiftSpecs.push(
    {
      name: `${name} Ev,Gv,Ib (0F ${opIb.toString(16).toUpperCase()})`, owner: "integer", count: 128,
      gen: (b, rng) => {
        const o16 = rng.chance(0.35);
        const c = dcount(rng, o16);
        rmInstr(b, { op: [0x0f, opIb], size: o16 ? 16 : 32, imm: 8, writesRm: true }, c);
        b.undefFlags = dundef(c);
      },
    },
    {
      name: `${name} Ev,Gv,CL (0F ${opCl.toString(16).toUpperCase()})`, owner: "integer", count: 128,
      gen: (b, rng) => {
        const o16 = rng.chance(0.35);
        const c = dcount(rng, o16);
        b.setRegLow(ECX, 8, c);
        const f = rmInstr(b, { op: [0x0f, opCl], size: o16 ? 16 : 32, writesRm: true });
        // CL may also be the source or destination register; the count is whatever CL holds.
        let cl = b.regs[ECX] & 0xff;
        if (o16 && (cl & 0x1f) > 16) {
          // The register form may have re-randomized CX; keep the count in the defined range.
          b.regs[ECX] = ((b.regs[ECX] & ~0x1f) | rng.range(0, 16)) >>> 0;
          cl = b.regs[ECX] & 0xff;
          if (!f.mem && (f.rm === ECX || f.reg === ECX)) randomizeOperand(b, ECX, 16);
        }
        b.undefFlags = dundef(b.regs[ECX] & 0xff);
      },
    },
  );
}
