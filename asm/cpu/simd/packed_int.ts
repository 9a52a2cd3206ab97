// MMX instructions and the SSE/SSE2 integer instructions, in their 64-bit (MMX register) and
// 128-bit (66 prefix, XMM register) forms (SDM Vol. 2; Vol. 1 chapters 9-11). Every form that
// touches an MMX register puts the x87 unit in MMX state (Vol. 1 9.5.1).
import {
  repPrefix, prefix66, modrmReg, modrmRm, eaIsReg, fetch8, addrsize32, segOverride, lockPrefix, eaSeg, eaOff,
} from "../decode";
import { faulted, raiseUD } from "../fault";
import { reg32, setReg32, EDI } from "../state";
import { SEG_DS } from "../../layout";
import { segLin, readSeg16 } from "../segaccess";
import { probeWrite, writeLin8 } from "../memory";
import {
  SRC, DST, TMP, xmmPtr, xmmLo, setXmmLo, setXmmHi, copy16, checkSse, checkMmx, checkSseMmx,
  fetchXmmSrc128, fetchMmxSrc, mmx, setMmx, readMem64, readMem32, writeMem64, writeMem32,
  writeMem128, mmxEnter,
} from "./regs";
import { intBinary, shift, byteShift, SH_SRL, SH_SRA, SH_SLL } from "./int_ops";
import { move128 } from "./sse_mov";
import { fpuEmms } from "../fpu_api";

// Loads the operands of "op mm, mm/m64" (no 66) or "op xmm, xmm/m128" (66) into DST/SRC.
// Returns the width in bytes, or 0 after a fault.
function loadBinary(): i32 {
  if (prefix66) {
    if (!checkSse()) return 0;
    fetchXmmSrc128(true);
    if (faulted) return 0;
    copy16(DST, xmmPtr(modrmReg));
    return 16;
  }
  if (!checkMmx()) return 0;
  const v = fetchMmxSrc();
  if (faulted) return 0;
  store<u64>(SRC, v);
  store<u64>(DST, mmx(modrmReg));
  return 8;
}
function commit(n: i32): void {
  if (n == 16) copy16(xmmPtr(modrmReg), DST);
  else setMmx(modrmReg, load<u64>(DST));
}

// Two-operand integer arithmetic, logic, compare, pack/unpack and shift-by-register opcodes.
export function intOp(op: u32): void {
  if ((op == 0x6c || op == 0x6d) && !prefix66) { raiseUD(); return; } // PUNPCKxQDQ: 66 only
  const n = loadBinary();
  if (n == 0) return;
  intBinary(op, n);
  commit(n);
}

// 0F 71/72/73 groups: shifts by imm8 of words, dwords, quadwords; 66 0F 73 /3 /7 byte shifts.
export function shiftImm(op: u32): void {
  const r = modrmReg;
  let kind = -1;
  if (r == 2) kind = SH_SRL; else if (r == 4 && op != 0x73) kind = SH_SRA; else if (r == 6) kind = SH_SLL;
  const byteForm = op == 0x73 && (r == 3 || r == 7);
  const imm = fetch8();
  if (faulted) return;
  if (!eaIsReg || (kind < 0 && !byteForm) || (byteForm && !prefix66)) { raiseUD(); return; }
  const wide = prefix66;
  if (wide ? !checkSse() : !checkMmx()) return;
  const n = wide ? 16 : 8;
  if (wide) copy16(DST, xmmPtr(modrmRm)); else store<u64>(DST, mmx(modrmRm));
  if (byteForm) byteShift(r == 7, imm);
  else shift(kind, op == 0x71 ? 2 : op == 0x72 ? 4 : 8, <u64>imm, n);
  if (wide) copy16(xmmPtr(modrmRm), DST); else setMmx(modrmRm, load<u64>(DST));
}

// 0F 6E MOVD mm/xmm, r/m32 (zero-extended).
export function movdLoad(): void {
  const wide = prefix66;
  if (wide ? !checkSse() : !checkMmx()) return;
  const v = eaIsReg ? reg32(modrmRm) : readMem32();
  if (faulted) return;
  if (wide) { setXmmLo(modrmReg, <u64>v); setXmmHi(modrmReg, 0); }
  else setMmx(modrmReg, <u64>v);
}
// 0F 7E: MOVD r/m32, mm/xmm; F3 0F 7E MOVQ xmm, xmm/m64 (upper quadword cleared).
export function movdStore(): void {
  if (repPrefix == 0xf3) {
    if (!checkSse()) return;
    const v = eaIsReg ? xmmLo(modrmRm) : readMem64();
    if (faulted) return;
    setXmmLo(modrmReg, v);
    setXmmHi(modrmReg, 0);
    return;
  }
  const wide = prefix66;
  if (wide ? !checkSse() : !checkMmx()) return;
  const v = wide ? <u32>xmmLo(modrmReg) : <u32>mmx(modrmReg);
  if (eaIsReg) setReg32(modrmRm, v);
  else { writeMem32(v); if (faulted) return; }
  if (!wide) mmxEnter();
}
// 0F 6F: MOVQ mm, mm/m64; 66 MOVDQA; F3 MOVDQU. 0F 7F: the stores.
export function movq(toRm: bool): void {
  if (repPrefix == 0xf3 || prefix66) {
    if (!checkSse()) return;
    move128(toRm, repPrefix != 0xf3);
    return;
  }
  if (!checkMmx()) return;
  if (toRm) {
    const v = mmx(modrmReg);
    if (eaIsReg) setMmx(modrmRm, v);
    else { writeMem64(v); if (faulted) return; mmxEnter(); }
    return;
  }
  const v = fetchMmxSrc();
  if (faulted) return;
  setMmx(modrmReg, v);
}
// 0F D6: 66 MOVQ xmm/m64, xmm; F3 MOVQ2DQ xmm, mm; F2 MOVDQ2Q mm, xmm.
export function opD6(): void {
  if (repPrefix == 0xf3 || repPrefix == 0xf2) {
    if (!eaIsReg) { raiseUD(); return; }
    if (!checkSseMmx()) return;
    if (repPrefix == 0xf3) {
      setXmmLo(modrmReg, mmx(modrmRm)); setXmmHi(modrmReg, 0); mmxEnter();
    } else setMmx(modrmReg, xmmLo(modrmRm));
    return;
  }
  if (!prefix66) { raiseUD(); return; }
  if (!checkSse()) return;
  const v = xmmLo(modrmReg);
  if (eaIsReg) { setXmmLo(modrmRm, v); setXmmHi(modrmRm, 0); }
  else writeMem64(v);
}

// 0F 70: PSHUFW mm, mm/m64, imm8; 66 PSHUFD; F2 PSHUFLW; F3 PSHUFHW.
export function pshuf(): void {
  const imm = fetch8(); // the whole instruction is fetched before any other check
  if (faulted) return;
  if (repPrefix != 0 || prefix66) {
    if (!checkSse()) return;
    fetchXmmSrc128(true);
    if (faulted) return;
    copy16(TMP, SRC);
    if (repPrefix == 0xf2 || repPrefix == 0xf3) {
      const base: usize = repPrefix == 0xf3 ? 8 : 0;
      for (let i = 0; i < 4; i++) store<u16>(TMP + base + (i << 1), load<u16>(SRC + base + (((imm >> (i << 1)) & 3) << 1)));
    } else {
      for (let i = 0; i < 4; i++) store<u32>(TMP + (i << 2), load<u32>(SRC + (((imm >> (i << 1)) & 3) << 2)));
    }
    copy16(xmmPtr(modrmReg), TMP);
    return;
  }
  if (!checkMmx()) return;
  const v = fetchMmxSrc();
  if (faulted) return;
  let r: u64 = 0;
  for (let i = 0; i < 4; i++) r |= ((v >> (<u64>((imm >> (i << 1)) & 3) << 4)) & 0xffff) << <u64>(i << 4);
  setMmx(modrmReg, r);
}

// 0F C4 PINSRW mm/xmm, r32/m16, imm8.
export function pinsrw(): void {
  const imm = fetch8(); // the whole instruction is fetched before any other check
  if (faulted) return;
  const wide = prefix66;
  if (wide ? !checkSse() : !checkMmx()) return;
  let v: u32;
  if (eaIsReg) v = reg32(modrmRm);
  else {
    v = readSeg16(eaSeg, eaOff); // a 16-bit memory operand
    if (faulted) return;
  }
  if (wide) store<u16>(xmmPtr(modrmReg) + ((imm & 7) << 1), v);
  else {
    const s = <u64>((imm & 3) << 4);
    setMmx(modrmReg, (mmx(modrmReg) & ~(<u64>0xffff << s)) | (<u64>(v & 0xffff) << s));
  }
}

// 0F C5 PEXTRW r32, mm/xmm, imm8 (register source only).
export function pextrw(): void {
  const imm = fetch8();
  if (faulted) return;
  if (!eaIsReg) { raiseUD(); return; }
  const wide = prefix66;
  if (wide ? !checkSse() : !checkMmx()) return;
  if (wide) setReg32(modrmReg, load<u16>(xmmPtr(modrmRm) + ((imm & 7) << 1)));
  else { setReg32(modrmReg, <u32>((mmx(modrmRm) >> <u64>((imm & 3) << 4)) & 0xffff)); mmxEnter(); }
}
// 0F D7 PMOVMSKB r32, mm/xmm: the top bit of each byte.
export function pmovmskb(): void {
  if (!eaIsReg) { raiseUD(); return; }
  const wide = prefix66;
  if (wide ? !checkSse() : !checkMmx()) return;
  let m: u32 = 0;
  if (wide) {
    const p = xmmPtr(modrmRm);
    for (let i = 0; i < 16; i++) m |= (<u32>load<u8>(p + i) >> 7) << i;
  } else {
    const v = mmx(modrmRm);
    for (let i = 0; i < 8; i++) m |= <u32>((v >> <u64>(i * 8 + 7)) & 1) << i;
    mmxEnter();
  }
  setReg32(modrmReg, m);
}
// 0F E7 MOVNTQ m64, mm; 66 MOVNTDQ m128, xmm (memory destination only).
export function movntq(): void {
  if (eaIsReg) { raiseUD(); return; }
  if (prefix66) { if (!checkSse()) return; writeMem128(xmmPtr(modrmReg), true); return; }
  if (!checkMmx()) return;
  writeMem64(mmx(modrmReg));
  if (faulted) return;
  mmxEnter();
}
// 0F F7 MASKMOVQ mm, mm; 66 MASKMOVDQU xmm, xmm: bytes whose mask byte has its top bit set are
// stored at DS:(E)DI (segment overridable). All stored bytes are checked before any is written.
export function maskmov(): void {
  if (!eaIsReg) { raiseUD(); return; }
  const wide = prefix66;
  if (wide ? !checkSse() : !checkMmx()) return;
  const n = wide ? 16 : 8;
  if (wide) { copy16(SRC, xmmPtr(modrmReg)); copy16(DST, xmmPtr(modrmRm)); }
  else { store<u64>(SRC, mmx(modrmReg)); store<u64>(DST, mmx(modrmRm)); }
  const seg = segOverride >= 0 ? segOverride : SEG_DS;
  const base = addrsize32 ? reg32(EDI) : reg32(EDI) & 0xffff;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      if ((load<u8>(DST + i) & 0x80) == 0) continue;
      const off = addrsize32 ? base + <u32>i : (base + <u32>i) & 0xffff;
      const lin = segLin(seg, off, 1, true);
      if (faulted) return;
      if (pass == 0) { probeWrite(lin, 1); if (faulted) return; }
      else writeLin8(lin, load<u8>(SRC + i));
    }
  }
  if (!wide) mmxEnter();
}
// 0F 77 EMMS: all x87 tags empty.
export function emms(): void {
  if (!checkMmx()) return;
  fpuEmms();
}
// 0F C3 MOVNTI m32, r32 (SSE2; a general-register store, no CR0/CR4 conditions).
export function movnti(): void {
  if (eaIsReg || prefix66 || repPrefix != 0 || lockPrefix) { raiseUD(); return; }
  writeMem32(reg32(modrmReg));
}
