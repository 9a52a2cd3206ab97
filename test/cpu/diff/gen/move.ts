// Data movement and miscellaneous one-byte instructions: MOV (all forms), MOVZX/MOVSX, LEA with
// every addressing form (no memory access, so any register values), MOV to/from segment
// registers, CBW/CWDE, CWD/CDQ, XLAT, LAHF/SAHF, CLC/STC/CMC/CLD/STD, NOP forms.
import type { Spec } from "../harness";
import { EAX, EBX, ESP, type CaseBuilder } from "./builder";
import { le, rmInstr, randomizeOperand } from "./forms";
import { BUF_ADDR, DATA_LIMIT } from "../layout";

export const moveSpecs: Spec[] = [
  { name: "MOV Eb,Gb (88)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x88], size: 8, writesRm: true }) },
  { name: "MOV Ev,Gv (89)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x89], size: "v", writesRm: true }) },
  { name: "MOV Gb,Eb (8A)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x8a], size: 8 }) },
  { name: "MOV Gv,Ev (8B)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x8b], size: "v" }) },
  { name: "MOV Eb,Ib (C6 /0)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0xc6], size: 8, digit: 0, imm: 8, writesRm: true }) },
  { name: "MOV Ev,Iv (C7 /0)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0xc7], size: "v", digit: 0, imm: "v", writesRm: true }) },
  { name: "MOV r8,Ib (B0+r)", owner: "integer", gen: (b, rng) => b.emit(0xb0 + rng.below(8), rng.value(8)) },
  {
    name: "MOV r,Iv (B8+r)", owner: "integer",
    gen: (b, rng) => {
      const o16 = rng.chance(0.3);
      b.prefixes({ o16 });
      b.emit(0xb8 + rng.below(8));
      b.imm(o16 ? 16 : 32, rng.value(o16 ? 16 : 32));
    },
  },
  ...[0xa0, 0xa1, 0xa2, 0xa3].map((op): Spec => ({
    name: `MOV ${["AL,Ob", "eAX,Ov", "Ob,AL", "Ov,eAX"][op - 0xa0]} (${op.toString(16).toUpperCase()})`, owner: "integer",
    gen: (b, rng) => {
      // moffs: a bare offset, 16 bits with 0x67 (through FS, the only segment reaching the buffer).
      const a16 = rng.chance(0.25);
      const o16 = rng.chance(0.3);
      const t = rng.below(DATA_LIMIT - 4);
      const seg = a16 ? 0x64 : rng.pick([0, 0, 0x3e, 0x26, 0x36, 0x64]);
      if (o16) b.emit(0x66);
      if (a16) b.emit(0x67);
      if (seg) b.emit(seg);
      b.emit(op);
      const off = seg === 0x64 ? t : BUF_ADDR + t;
      if (a16) b.imm16(off);
      else b.imm32(off);
    },
  })),
  { name: "MOVZX Gv,Eb (0F B6)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x0f, 0xb6], size: "v" }) },
  { name: "MOVZX Gv,Ew (0F B7)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x0f, 0xb7], size: "v" }) },
  { name: "MOVSX Gv,Eb (0F BE)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x0f, 0xbe], size: "v" }) },
  { name: "MOVSX Gv,Ew (0F BF)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x0f, 0xbf], size: "v" }) },
  { name: "LEA Gv,M (8D) 32-bit addressing", owner: "integer", count: 256, gen: (b) => leaCase(b, false) },
  { name: "LEA Gv,M (8D) 16-bit addressing", owner: "integer", count: 128, gen: (b) => leaCase(b, true) },
  {
    name: "LEA Gv,reg (8D, mod=3: #UD)", owner: "integer", count: 8,
    gen: (b, rng) => { b.emit(0x8d, 0xc0 | rng.below(64)); },
  },
  {
    // Reading ES, DS, FS (the selectors both sides agree on); 8C /6 and /7 name no register: #UD.
    name: "MOV Ev,Sreg (8C)", owner: "system",
    gen: (b, rng) => {
      const sreg = rng.pick([0, 3, 4, 0, 3, 6, 7]);
      rmInstr(b, { op: [0x8c], size: "v", digit: sreg, writesRm: true });
    },
  },
  {
    // Loading DS/ES with selectors that mean the same on both sides (null, flat data, flat code);
    // MOV CS is #UD, as are /6 and /7.
    name: "MOV Sreg,Ew (8E)", owner: "system",
    gen: (b, rng) => {
      const sreg = rng.pick([0, 3, 0, 3, 1, 6, 7]);
      const sel = rng.pick([0x2b, 0x2b, 0, 3, 0x23]);
      const f = rmInstr(b, { op: [0x8e], size: "v", digit: sreg, memChance: 0.3 });
      if (f.mem) b.patch = { off: f.target, bytes: le(sel, 2) };
      else if (f.rm !== ESP && !b.regsPinned(f.rm)) b.regs[f.rm] = ((b.regs[f.rm] & 0xffff0000) | sel) >>> 0;
      else b.bytes.splice(0, b.bytes.length, 0x90);
    },
  },
  { name: "CBW/CWDE (98)", owner: "integer", gen: (b, rng) => { b.prefixes({ o16: rng.chance(0.4) }); b.emit(0x98); } },
  { name: "CWD/CDQ (99)", owner: "integer", gen: (b, rng) => { b.prefixes({ o16: rng.chance(0.4) }); b.emit(0x99); } },
  {
    name: "XLAT (D7)", owner: "integer",
    gen: (b, rng) => {
      // [EBX + AL] (BX with 0x67, through FS).
      const a16 = rng.chance(0.25);
      if (a16) {
        b.emit(0x67, 0x64, 0xd7);
        b.setReg(EBX, ((b.regs[EBX] & 0xffff0000) | rng.below(DATA_LIMIT - 256)) >>> 0);
      } else {
        if (rng.chance(0.2)) b.emit(rng.pick([0x26, 0x2e, 0x36, 0x3e]));
        b.emit(0xd7);
        b.setReg(EBX, BUF_ADDR + rng.below(DATA_LIMIT - 256));
      }
    },
  },
  { name: "LAHF (9F)", owner: "integer", gen: (b) => b.emit(0x9f) },
  { name: "SAHF (9E)", owner: "integer", gen: (b) => { randomizeOperand(b, 4, 8); b.emit(0x9e); } },
  { name: "CLC (F8)", owner: "integer", count: 16, gen: (b) => b.emit(0xf8) },
  { name: "STC (F9)", owner: "integer", count: 16, gen: (b) => b.emit(0xf9) },
  { name: "CMC (F5)", owner: "integer", count: 16, gen: (b) => b.emit(0xf5) },
  { name: "CLD (FC)", owner: "integer", count: 16, gen: (b) => b.emit(0xfc) },
  { name: "STD (FD)", owner: "integer", count: 16, gen: (b) => b.emit(0xfd) },
  { name: "NOP (90), PAUSE (F3 90)", owner: "integer", count: 16, gen: (b, rng) => b.emit(...(rng.chance(0.5) ? [0x90] : [0xf3, 0x90])) },
  { name: "NOP Ev (0F 1F /0)", owner: "integer", gen: (b) => void rmInstr(b, { op: [0x0f, 0x1f], size: "v", digit: 0 }) },
];

// LEA computes the address without accessing memory, so every register can be random and the
// 16-bit forms need no segment.
function leaCase(b: CaseBuilder, a16: boolean): void {
  const rng = b.rng;
  const o16 = rng.chance(0.3);
  if (o16) b.emit(0x66);
  if (a16) b.emit(0x67);
  if (rng.chance(0.2)) b.emit(rng.pick([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65])); // ignored by LEA
  b.emit(0x8d);
  const mod = rng.below(3);
  const rm = rng.below(8);
  b.emit((mod << 6) | (rng.below(8) << 3) | rm);
  for (let r = 0; r < 8; r++) if (r !== ESP) b.regs[r] = rng.value(32);
  b.regs[EAX] = rng.value(32);
  if (a16) {
    if (mod === 1) b.emit(rng.u32());
    else if (mod === 2 || (mod === 0 && rm === 6)) b.imm16(rng.u32());
    return;
  }
  if (rm === 4) {
    const sib = rng.below(256);
    b.emit(sib);
    if (mod === 0 && (sib & 7) === 5) b.imm32(rng.value(32));
  }
  if (mod === 1) b.emit(rng.u32());
  else if (mod === 2 || (mod === 0 && rm === 5)) b.imm32(rng.value(32));
}
