// The two-byte opcode map 0F xx (SDM Vol. 2D, Appendix A, Tables ), for a P6-family
// processor with MMX, SSE and SSE2. Integer instructions are executed here; system instructions
// go to system/api.ts and MMX/SSE/SSE2 (and their hint/prefetch space) to simd_api.ts.
import { SEG_FS, SEG_GS, SEG_SS } from "../../layout";
import { eip, setEip, reg8, reg16, setReg32, setReg16 } from "../state";
import { faulted, raiseUD } from "../fault";
import { fetch8, fetchModrm, opsize32, lockPrefix, eaIsReg, eaSeg, eaOff, modrmRm, modrmReg } from "../decode";
import { readLin8, readLin16 } from "../memory";
import {
  op0F00, op0F01, opLar, opLsl, opClts, opInvd, opMovCr, opMovDr, opWrmsr, opRdtsc, opRdmsr,
  opRdpmc, opSysenter, opSysexit, opCpuid, opRsm,
} from "../system/api";
import { simdExec0F } from "../simd_api";
import { jccRelOp, pushSeg, popSeg, loadFarPointer } from "./control";
import { shiftDouble } from "./shift";
import { imulTrunc } from "./alu";
import {
  btReg, btImm, bitScan, cmpxchg, cmpxchg8b, xadd, cmov, setcc, movExtend, bswapReg,
} from "./bits";
import { readRm, readRegOp, writeRegOp, dataLin } from "./operand";

// LOCK is accepted (before the ModRM check each handler does) only on these two-byte opcodes:
// BTS BTR BTC (AB B3 BB BA), CMPXCHG (B0 B1), XADD (C0 C1) and CMPXCHG8B (C7).
// @ts-ignore: decorator
@inline function lockable0F(op: u32): bool {
  return op == 0xab || op == 0xb3 || op == 0xbb || op == 0xba || op == 0xb0 || op == 0xb1
    || op == 0xc0 || op == 0xc1 || op == 0xc7;
}

export function exec0F(): void {
  const op = fetch8();
  if (faulted) return;
  if (lockPrefix && !lockable0F(op)) { raiseUD(); return; }
  if (op >= 0x80 && op <= 0x8f) { jccRelOp(op & 15); return; }
  if (op >= 0x40 && op <= 0x4f) { cmov(op & 15); return; }
  if (op >= 0x90 && op <= 0x9f) { setcc(op & 15); return; }
  if (op >= 0xc8 && op <= 0xcf) { bswapReg(<i32>(op & 7)); return; }
  switch (op) {
    case 0x00: op0F00(); return;
    case 0x01: op0F01(); return;
    case 0x02: opLar(); return;
    case 0x03: opLsl(); return;
    case 0x06: opClts(); return;
    case 0x08: case 0x09: opInvd(); return;
    case 0x1f: { // NOP r/m (multi-byte NOP, SDM NOP): decodes the operand, accesses nothing
      fetchModrm();
      return;
    }
    case 0x20: opMovCr(false); return;
    case 0x21: opMovDr(false); return;
    case 0x22: opMovCr(true); return;
    case 0x23: opMovDr(true); return;
    case 0x30: opWrmsr(); return;
    case 0x31: opRdtsc(); return;
    case 0x32: opRdmsr(); return;
    case 0x33: opRdpmc(); return;
    case 0x34: opSysenter(); return;
    case 0x35: opSysexit(); return;
    case 0xa0: pushSeg(SEG_FS); return;
    case 0xa1: popSeg(SEG_FS); return;
    case 0xaa: opRsm(); return; // #UD outside SMM
    case 0xa2: opCpuid(); return;
    case 0xa3: btReg(0); return;
    case 0xa4: shiftDouble(false, false, opsize32 ? 32 : 16); return;
    case 0xa5: shiftDouble(false, true, opsize32 ? 32 : 16); return;
    case 0xa8: pushSeg(SEG_GS); return;
    case 0xa9: popSeg(SEG_GS); return;
    case 0xab: btReg(1); return;
    case 0xac: shiftDouble(true, false, opsize32 ? 32 : 16); return;
    case 0xad: shiftDouble(true, true, opsize32 ? 32 : 16); return;
    case 0xaf: {
      fetchModrm();
      if (faulted) return;
      const size = opsize32 ? 32 : 16;
      const b = readRm(size);
      if (faulted) return;
      writeRegOp(size, imulTrunc(readRegOp(size), b, size));
      return;
    }
    case 0xb0: cmpxchg(8); return;
    case 0xb1: cmpxchg(opsize32 ? 32 : 16); return;
    case 0xb2: loadFarPointer(SEG_SS); return;
    case 0xb3: btReg(2); return;
    case 0xb4: loadFarPointer(SEG_FS); return;
    case 0xb5: loadFarPointer(SEG_GS); return;
    case 0xb6: { // MOVZX r, r/m8: the byte load of byte-stream code (XZ, inflate), done inline
      if (lockPrefix) { raiseUD(); return; }
      fetchModrm();
      if (faulted) return;
      let v: u32;
      if (eaIsReg) v = reg8(modrmRm);
      else {
        const lin = dataLin(eaSeg, eaOff, 1, false);
        if (faulted) return;
        v = readLin8(lin);
        if (faulted) return;
      }
      if (opsize32) setReg32(modrmReg, v); else setReg16(modrmReg, v);
      return;
    }
    case 0xb7: { // MOVZX r32, r/m16 (LZMA probability loads in the XZ decoder), done inline
      if (lockPrefix || !opsize32) { movExtend(false, 16); return; }
      fetchModrm();
      if (faulted) return;
      let v: u32;
      if (eaIsReg) v = reg16(modrmRm);
      else {
        const lin = dataLin(eaSeg, eaOff, 2, false);
        if (faulted) return;
        v = readLin16(lin);
        if (faulted) return;
      }
      setReg32(modrmReg, v);
      return;
    }
    case 0xba: btImm(); return;
    case 0xbb: btReg(3); return;
    case 0xbc: bitScan(false); return;
    case 0xbd: bitScan(true); return;
    case 0xbe: movExtend(true, 8); return;
    case 0xbf: movExtend(true, 16); return;
    case 0xc0: xadd(8); return;
    case 0xc1: xadd(opsize32 ? 32 : 16); return;
    case 0xc7: {
      // Group 9: /1 is CMPXCHG8B; the other encodings belong to later extensions (#UD here,
      // decided by the SIMD unit which owns that space). Peek at the ModRM to choose.
      const ip = eip();
      const m = fetch8();
      if (faulted) return;
      setEip(ip);
      if (((m >> 3) & 7) == 1) {
        fetchModrm();
        if (faulted) return;
        cmpxchg8b();
        return;
      }
      if (lockPrefix) { raiseUD(); return; }
      simdExec0F(op);
      return;
    }
    // Reserved or not present on this processor: 04 05 07 (SYSCALL/SYSRET are AMD), 0A 0C 0E,
    // 0B UD2, 0F (3DNow!), 24 26 (MOV TR, 386/486 only), 25 27, 36 37, 38-3F except the SIMD
    // escapes, A6 A7, B8 (JMPE/POPCNT), B9 (UD1), FF (UD0).
    case 0x04: case 0x05: case 0x07: case 0x0a: case 0x0b: case 0x0c: case 0x0e: case 0x0f:
    case 0x24: case 0x25: case 0x26: case 0x27: case 0x36: case 0x37:
    case 0x39: case 0x3b: case 0x3c: case 0x3d: case 0x3e: case 0x3f:
    case 0xa6: case 0xa7: case 0xb8: case 0xb9: case 0xff:
      raiseUD();
      return;
    default:
      // 0D, 10-1E, 28-2F, 38, 3A, 50-7F, AE, C2-C6, D0-FE: MMX/SSE/SSE2 and their hint space.
      simdExec0F(op);
      return;
  }
}
