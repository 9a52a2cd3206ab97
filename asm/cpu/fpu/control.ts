// x87 control instructions and state images: FNINIT, FNCLEX, FLDCW/FNSTCW, FNSTSW, FNSTENV/FLDENV,
// FNSAVE/FRSTOR (SDM Vol. 1 8.1.10, Figures 8-9..8-12), the x87 part of FXSAVE/FXRSTOR
// (Vol. 2A FXSAVE, Table 3-53) and the MMX register aliasing (Vol. 1 9.5).
import {
  FPU_CW, FPU_SW, FPU_TW, FPU_IP, FPU_CS, FPU_DP, FPU_DS, FPU_OPCODE, FPU_FERR, FLAGS_BITS,
} from "../../layout";
import { cr0, CR0_PE, FLAG_VM } from "../state";
import { faulted } from "../fault";
import {
  readSeg16, readSeg32, readSeg64, writeSeg16, writeSeg32, writeSeg64, probeSegWrite,
  probeSegRead,
} from "../segaccess";
import { addrsize32 } from "../decode";
import {
  fpuSw, setFpuSw, fpuTop, setFpuTop, physSig, physSe, writePhys, tagOf, setTag, tagFor,
  refreshEs, TAG_EMPTY,
} from "./regs";

// Offsets within a multi-part memory operand wrap at the address size.
function at(off: u32, delta: u32): u32 {
  const o = off + delta;
  return addrsize32 ? o : o & 0xffff;
}

export function fninit(): void {
  store<u32>(FPU_CW, 0x37f);
  store<u32>(FPU_SW, 0);
  store<u32>(FPU_TW, 0xffff);
  store<u32>(FPU_IP, 0);
  store<u32>(FPU_CS, 0);
  store<u32>(FPU_DP, 0);
  store<u32>(FPU_DS, 0);
  store<u32>(FPU_OPCODE, 0);
  store<u32>(FPU_FERR, 0);
}
// FNCLEX clears the exception flags, SF, ES and B (SDM Vol. 2A FCLEX).
export function fnclex(): void {
  setFpuSw(fpuSw() & 0x7f00);
  store<u32>(FPU_FERR, 0);
}
export function fldcw(v: u32): void {
  // Bits 6, 7 and 13..15 are reserved; bit 6 reads back as 1 on the P6 family (0x037F after FINIT).
  store<u32>(FPU_CW, (v & 0x1f3f) | 0x40);
  refreshEs();
}

// Environment images differ in real/V86 mode (linear 20/32-bit pointers) and protected mode
// (selector:offset), and in 16/32-bit operand size.
function realModeImage(): bool {
  return (cr0() & CR0_PE) == 0 || (load<u32>(FLAGS_BITS) & FLAG_VM) != 0;
}
export function envSize(op32: bool): u32 { return op32 ? 28 : 14; }

// Store the environment at seg:off (the caller probed the whole image for writes).
function writeEnv(seg: i32, off: u32, op32: bool): void {
  const real = realModeImage();
  const cw = load<u32>(FPU_CW), sw = fpuSw(), tw = load<u32>(FPU_TW) & 0xffff;
  let ip = load<u32>(FPU_IP), dp = load<u32>(FPU_DP);
  const cs = load<u32>(FPU_CS) & 0xffff, ds = load<u32>(FPU_DS) & 0xffff;
  const fop = load<u32>(FPU_OPCODE) & 0x7ff;
  if (real) {
    // Real-mode images hold linear addresses (SDM Vol. 1 Figures 8-10 and 8-12).
    ip += cs << 4;
    dp += ds << 4;
  }
  if (op32) {
    // The upper halves of the control, status and tag dwords are reserved, stored as ones.
    writeSeg32(seg, off, cw | 0xffff0000);
    writeSeg32(seg, at(off, 4), sw | 0xffff0000);
    writeSeg32(seg, at(off, 8), tw | 0xffff0000);
    if (real) {
      writeSeg32(seg, at(off, 12), (ip & 0xffff) | 0xffff0000);
      writeSeg32(seg, at(off, 16), ((ip >> 16) << 12) | fop);
      writeSeg32(seg, at(off, 20), (dp & 0xffff) | 0xffff0000);
      writeSeg32(seg, at(off, 24), (dp >> 16) << 12);
    } else {
      writeSeg32(seg, at(off, 12), ip);
      writeSeg32(seg, at(off, 16), cs | (fop << 16));
      writeSeg32(seg, at(off, 20), dp);
      writeSeg32(seg, at(off, 24), ds | 0xffff0000);
    }
  } else {
    writeSeg16(seg, off, cw);
    writeSeg16(seg, at(off, 2), sw);
    writeSeg16(seg, at(off, 4), tw);
    if (real) {
      writeSeg16(seg, at(off, 6), ip & 0xffff);
      writeSeg16(seg, at(off, 8), (((ip >> 16) & 0xf) << 12) | fop);
      writeSeg16(seg, at(off, 10), dp & 0xffff);
      writeSeg16(seg, at(off, 12), ((dp >> 16) & 0xf) << 12);
    } else {
      writeSeg16(seg, at(off, 6), ip & 0xffff);
      writeSeg16(seg, at(off, 8), cs);
      writeSeg16(seg, at(off, 10), dp & 0xffff);
      writeSeg16(seg, at(off, 12), ds);
    }
  }
}

// Read an environment image into these, then commitEnv() once nothing can fault any more.
let eCw: u32 = 0, eSw: u32 = 0, eTw: u32 = 0, eIp: u32 = 0, eCs: u32 = 0, eDp: u32 = 0, eDs: u32 = 0, eOp: u32 = 0;
function readEnv(seg: i32, off: u32, op32: bool): void {
  const real = realModeImage();
  if (op32) {
    eCw = readSeg32(seg, off) & 0xffff;
    eSw = readSeg32(seg, at(off, 4)) & 0xffff;
    eTw = readSeg32(seg, at(off, 8)) & 0xffff;
    const w3 = readSeg32(seg, at(off, 12)), w4 = readSeg32(seg, at(off, 16));
    const w5 = readSeg32(seg, at(off, 20)), w6 = readSeg32(seg, at(off, 24));
    if (real) {
      eIp = (w3 & 0xffff) | (((w4 >> 12) & 0xffff) << 16); eCs = 0; eOp = w4 & 0x7ff;
      eDp = (w5 & 0xffff) | (((w6 >> 12) & 0xffff) << 16); eDs = 0;
    } else {
      eIp = w3; eCs = w4 & 0xffff; eOp = (w4 >> 16) & 0x7ff; eDp = w5; eDs = w6 & 0xffff;
    }
  } else {
    eCw = readSeg16(seg, off);
    eSw = readSeg16(seg, at(off, 2));
    eTw = readSeg16(seg, at(off, 4));
    const w3 = readSeg16(seg, at(off, 6)), w4 = readSeg16(seg, at(off, 8));
    const w5 = readSeg16(seg, at(off, 10)), w6 = readSeg16(seg, at(off, 12));
    if (real) {
      eIp = w3 | ((w4 >> 12) << 16); eCs = 0; eOp = w4 & 0x7ff;
      eDp = w5 | ((w6 >> 12) << 16); eDs = 0;
    } else {
      eIp = w3; eCs = w4; eOp = 0; eDp = w5; eDs = w6;
    }
  }
}
// Loaded tags only say empty or not: the P6 keeps one bit per register and derives the full
// tag from the register contents (SDM Vol. 1 8.1.7).
function commitEnv(): void {
  store<u32>(FPU_CW, (eCw & 0x1f3f) | 0x40);
  setFpuSw(eSw);
  store<u32>(FPU_IP, eIp);
  store<u32>(FPU_CS, eCs);
  store<u32>(FPU_DP, eDp);
  store<u32>(FPU_DS, eDs);
  store<u32>(FPU_OPCODE, eOp);
  retag(eTw);
  refreshEs();
}
function retag(tw: u32): void {
  for (let p = 0; p < 8; p++) {
    if (((tw >> (<u32>p << 1)) & 3) == TAG_EMPTY) setTag(p, TAG_EMPTY);
    else setTag(p, tagFor(physSe(p), physSig(p)));
  }
}

export function fnstenv(seg: i32, off: u32, op32: bool): void {
  probeSegWrite(seg, off, envSize(op32));
  if (faulted) return;
  writeEnv(seg, off, op32);
  // FNSTENV masks all exceptions after storing (SDM Vol. 2A FSTENV); with everything masked
  // nothing is pending any more, so ES and B clear (as FLDCW would; checked against hardware).
  store<u32>(FPU_CW, load<u32>(FPU_CW) | 0x3f);
  refreshEs();
}
export function fldenv(seg: i32, off: u32, op32: bool): void {
  probeSegRead(seg, off, envSize(op32));
  if (faulted) return;
  readEnv(seg, off, op32);
  if (faulted) return;
  commitEnv();
}

// Register images: ST(0)..ST(7) in stack order, 10 bytes each (stride 10 for FSAVE, 16 for
// FXSAVE).
// FXSAVE's 6 reserved bytes after each register are written as zeros (as the host CPU does).
function writeRegs(seg: i32, off: u32, stride: u32): void {
  const top = fpuTop();
  for (let i = 0; i < 8; i++) {
    const p = (top + i) & 7;
    const o = at(off, <u32>i * stride);
    writeSeg64(seg, o, physSig(p));
    writeSeg16(seg, at(o, 8), physSe(p));
    if (stride == 16) { writeSeg16(seg, at(o, 10), 0); writeSeg32(seg, at(o, 12), 0); }
  }
}
let rSig = new StaticArray<u64>(8);
let rSe = new StaticArray<u32>(8);
function readRegs(seg: i32, off: u32, stride: u32): void {
  for (let i = 0; i < 8; i++) {
    const o = at(off, <u32>i * stride);
    rSig[i] = readSeg64(seg, o);
    rSe[i] = readSeg16(seg, at(o, 8));
    if (faulted) return;
  }
}
// The tags written here are replaced by commitEnv()'s retag from the image's tag word.
function commitRegs(top: i32): void {
  for (let i = 0; i < 8; i++) writePhys((top + i) & 7, rSe[i], rSig[i]);
}

export function fnsave(seg: i32, off: u32, op32: bool): void {
  const size = envSize(op32) + 80;
  probeSegWrite(seg, off, size);
  if (faulted) return;
  writeEnv(seg, off, op32);
  writeRegs(seg, at(off, envSize(op32)), 10);
  fninit();
}
export function frstor(seg: i32, off: u32, op32: bool): void {
  probeSegRead(seg, off, envSize(op32) + 80);
  if (faulted) return;
  readEnv(seg, off, op32);
  readRegs(seg, at(off, envSize(op32)), 10);
  if (faulted) return;
  commitRegs(<i32>((eSw >> 11) & 7));
  commitEnv();
}

// ---- FXSAVE/FXRSTOR, bytes 0..23 and 32..159 ----
export function fxsaveX87(seg: i32, off: u32): void {
  probeSegWrite(seg, off, 160);
  if (faulted) return;
  let abridged: u32 = 0;
  for (let p = 0; p < 8; p++) if (tagOf(p) != TAG_EMPTY) abridged |= 1 << <u32>p;
  writeSeg16(seg, off, load<u32>(FPU_CW));
  writeSeg16(seg, at(off, 2), fpuSw());
  writeSeg16(seg, at(off, 4), abridged);
  writeSeg16(seg, at(off, 6), load<u32>(FPU_OPCODE) & 0x7ff);
  writeSeg32(seg, at(off, 8), load<u32>(FPU_IP));
  writeSeg32(seg, at(off, 12), load<u32>(FPU_CS) & 0xffff);
  writeSeg32(seg, at(off, 16), load<u32>(FPU_DP));
  writeSeg32(seg, at(off, 20), load<u32>(FPU_DS) & 0xffff);
  writeRegs(seg, at(off, 32), 16);
}
export function fxrstorX87(seg: i32, off: u32): void {
  probeSegRead(seg, off, 160);
  if (faulted) return;
  eCw = readSeg16(seg, off);
  eSw = readSeg16(seg, at(off, 2));
  const abridged = readSeg16(seg, at(off, 4)) & 0xff;
  eOp = readSeg16(seg, at(off, 6)) & 0x7ff;
  eIp = readSeg32(seg, at(off, 8));
  eCs = readSeg32(seg, at(off, 12)) & 0xffff;
  eDp = readSeg32(seg, at(off, 16));
  eDs = readSeg32(seg, at(off, 20)) & 0xffff;
  readRegs(seg, at(off, 32), 16);
  if (faulted) return;
  let tw: u32 = 0;
  for (let p = 0; p < 8; p++) if ((abridged & (1 << <u32>p)) == 0) tw |= TAG_EMPTY << (<u32>p << 1);
  eTw = tw;
  commitRegs(<i32>((eSw >> 11) & 7));
  commitEnv();
}

// ---- MMX aliasing (SDM Vol. 1 9.5.1) ----
export function mmxEnterState(): void {
  setFpuTop(0);
  retag(0); // every register valid: tags follow the contents
}
export function mmxWrite(i: i32, v: u64): void {
  writePhys(i, 0xffff, v); // the exponent and sign field is set to all ones
}
export function emms(): void { store<u32>(FPU_TW, 0xffff); }
