// Bit instructions (BT BTS BTR BTC in register and immediate forms, BSF BSR, BSWAP) and the
// exchanges (XCHG, CMPXCHG, CMPXCHG8B, XADD).
//
// Undefined (SDM Vol. 2A): BT* leave OF SF AF PF undefined (ZF is unaffected); BSF/BSR leave CF OF
// SF AF PF undefined and, for a zero source, the destination; BSWAP of a 16-bit register is
// undefined (so only the 32-bit form is generated).
import type { Spec } from "../harness";
import { EAX, EBX, ECX, EDX, type CaseBuilder } from "./builder";
import { UNDEFINED_FLAGS } from "./undefined";
import { le, rmInstr, randomizeOperand, type OpSize } from "./forms";
import { initialBuffer } from "../layout";

const BT_UNDEF = UNDEFINED_FLAGS.bt;
const h = (v: number) => v.toString(16).toUpperCase();

function regValue(b: CaseBuilder, r: number, size: OpSize): number {
  if (size === 8) return (b.regs[r & 3] >>> (r >= 4 ? 8 : 0)) & 0xff;
  return size === 16 ? b.regs[r] & 0xffff : b.regs[r] >>> 0;
}
function memValue(b: CaseBuilder, off: number, size: OpSize): number {
  const bytes = initialBuffer(b);
  let v = 0;
  for (let i = size / 8 - 1; i >= 0; i--) v = (v * 256 + bytes[off + i]) >>> 0;
  return v;
}
/** The r/m operand's initial value (register or memory). */
export function rmValue(b: CaseBuilder, f: { mem: boolean; target: number; rm: number; size: OpSize }): number {
  return f.mem ? memValue(b, f.target, f.size) : regValue(b, f.rm, f.size);
}

// BT Ev,Gv with a memory operand: the bit offset is a signed register value that can address
// far from the operand (SDM Vol. 2A BT, "bit base"); keep the addressed byte inside the buffer.
function btReg(op: number, writes: boolean): Spec {
  return {
    name: `${["BT", "BTS", "BTR", "BTC"][[0xa3, 0xab, 0xb3, 0xbb].indexOf(op)]} Ev,Gv (0F ${h(op)})`, owner: "integer", count: 96,
    gen: (b, rng) => {
      const mem = rng.chance(0.5);
      const o16 = rng.chance(0.3);
      const size = o16 ? 16 : 32;
      const target = rng.range(0x300, 0x900);
      // ESP as the bit offset of a memory operand would address far outside the buffer.
      const reg = mem ? rng.pick([0, 1, 2, 3, 5, 6, 7]) : rng.below(8);
      // Choose the bit offset first and pin the register, so it is not used for addressing.
      if (reg !== 4) {
        const off = mem ? rng.range(-8 * 0x2f0, 8 * 0x2f0) : rng.value(32);
        b.setReg(reg, o16 ? ((b.regs[reg] & 0xffff0000) | (off & 0xffff)) >>> 0 : off);
      }
      b.prefixes({ o16, mem, lock: writes && mem && rng.chance(0.3), allowCs: !writes });
      b.emit(0x0f, op);
      if (mem) b.modrmMem(reg, 4, target);
      else {
        const rm = rng.below(8);
        b.modrmReg(reg, rm);
        randomizeOperand(b, rm, size);
      }
      b.undefFlags = BT_UNDEF;
    },
  };
}
function btImm(digit: number): Spec {
  const writes = digit !== 4;
  return {
    name: `${["BT", "BTS", "BTR", "BTC"][digit - 4]} Ev,Ib (0F BA /${digit})`, owner: "integer", count: 96,
    gen: (b, rng) => { rmInstr(b, { op: [0x0f, 0xba], size: "v", digit, imm: 8, lockable: writes, writesRm: writes }, rng.below(256)); b.undefFlags = BT_UNDEF; },
  };
}
function bitScan(name: string, op: number): Spec {
  return {
    name: `${name} Gv,Ev (0F ${h(op)})`, owner: "integer", count: 96,
    gen: (b, rng) => {
      const f = rmInstr(b, { op: [0x0f, op], size: "v" });
      if (rng.chance(0.2)) {
        // A zero source sets ZF; the destination is then undefined per the SDM.
        if (f.mem) b.patch = { off: f.target, bytes: le(0, f.size / 8) };
        else if (f.rm !== 4 && !b.regsPinned(f.rm)) b.regs[f.rm] = (b.regs[f.rm] & (f.size === 16 ? 0xffff0000 : 0)) >>> 0;
      }
      if (rmValue(b, f) === 0) b.undefRegs |= 1 << f.reg;
      b.undefFlags = UNDEFINED_FLAGS.bitScan;
    },
  };
}

export const bitSpecs: Spec[] = [
  btReg(0xa3, false), btReg(0xab, true), btReg(0xb3, true), btReg(0xbb, true),
  btImm(4), btImm(5), btImm(6), btImm(7),
  bitScan("BSF", 0xbc), bitScan("BSR", 0xbd),
  {
    name: "BSWAP r32 (0F C8+r)", owner: "integer",
    gen: (b, rng) => { const r = rng.below(8); b.emit(0x0f, 0xc8 + r); randomizeOperand(b, r, 32); },
  },
];

export const xchgSpecs: Spec[] = [
  // XCHG with memory is locked whether or not LOCK is present (SDM Vol. 2B XCHG).
  { name: "XCHG Eb,Gb (86)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x86], size: 8, lockable: true, writesRm: true }) },
  { name: "XCHG Ev,Gv (87)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x87], size: "v", lockable: true, writesRm: true }) },
  {
    name: "XCHG eAX,r (90+r)", owner: "integer",
    gen: (b, rng) => {
      const r = rng.range(1, 7);
      const o16 = rng.chance(0.3);
      b.prefixes({ o16 });
      b.emit(0x90 + r);
      randomizeOperand(b, r, o16 ? 16 : 32);
    },
  },
  { name: "XADD Eb,Gb (0F C0)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x0f, 0xc0], size: 8, lockable: true, writesRm: true }) },
  { name: "XADD Ev,Gv (0F C1)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x0f, 0xc1], size: "v", lockable: true, writesRm: true }) },
  ...([[0xb0, 8], [0xb1, "v"]] as const).map(([op, size]): Spec => ({
    name: `CMPXCHG ${size === 8 ? "Eb,Gb" : "Ev,Gv"} (0F ${h(op)})`, owner: "integer", count: 96,
    gen: (b, rng) => {
      b.pin(EAX);
      const f = rmInstr(b, { op: [0x0f, op], size, lockable: true, writesRm: true });
      // Half the cases compare equal, so both the store and the load path run.
      const cur = rmValue(b, f);
      const m = f.size === 32 ? 0xffffffff : (1 << f.size) - 1;
      if (rng.chance(0.5)) b.regs[EAX] = ((b.regs[EAX] & ~m) | cur) >>> 0;
    },
  })),
  {
    name: "CMPXCHG8B Mq (0F C7 /1)", owner: "integer", count: 96,
    gen: (b, rng) => {
      for (const r of [EAX, EBX, ECX, EDX]) b.pin(r);
      const reg = rng.chance(0.05); // register form: #UD
      b.prefixes({ mem: !reg, lock: rng.chance(0.3), allowCs: false });
      b.emit(0x0f, 0xc7);
      if (reg) { b.modrmReg(1, rng.below(8)); return; }
      const t = b.modrmMem(1, 8);
      if (rng.chance(0.5)) {
        b.regs[EAX] = memValue(b, t, 32);
        b.regs[EDX] = memValue(b, t + 4, 32);
      }
      b.undefFlags = 0;
    },
  },
];
