// The integer interpreter: executes exactly one instruction at CS:EIP.
//
// step() decodes the legacy prefixes (SDM Vol. 2A 2.1.1), then dispatches on the one-byte opcode
// map (SDM Vol. 2D, Appendix A, Table A-2) with one `switch`, which the compiler turns into a
// jump table. Groups and less frequent instructions live in asm/cpu/ops/; the two-byte map is
// ops/twobyte.ts. Faults follow fault.ts: every handler returns as soon as `faulted` is set and
// commits architectural state only after its last faulting access.
//
// Speed: instruction bytes come through decode.ts's fetch window, flat data segments skip the
// limit checks (ops/operand.ts), the stack has a fast path, the flags are lazy (flags.ts) and
// REP MOVS/STOS move whole pages at once (ops/string.ts).
import { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, FLAGS_BITS } from "../layout";
import {
  reg8, setReg8, reg16, setReg16, reg32, setReg32, eip, EAX, ECX, EDX, ESP, FLAG_CF, FLAG_DF,
} from "./state";
import { faulted, raiseGP, raiseUD } from "./fault";
import {
  beginInstruction, fetch8, fetch16, fetch32, fetchImmOp, fetchSimm8, fetchModrm,
  setOpsizePrefix, setAddrsizePrefix, setSegOverride, setRep, setLock, limitInstructionLength,
  opsize32, addrsize32, segOverride, lockPrefix, modrmReg, modrmRm, eaIsReg, eaOff, eaSeg,
} from "./decode";
import { getCF, getOF, setFlag } from "./flags";
import {
  softwareInterrupt, opHlt, opCli, opSti, opPushf, opPopf, opArpl, farReturn, iret,
} from "./system/api";
import { fpuExec, fpuWait } from "./fpu_api";
import { readRm, writeRm, readMem, writeMem, getReg, setReg, pushFast, popFast, dataLin } from "./ops/operand";
import { readLin8, writeLin8, readLin32, writeLin32 } from "./memory";
import {
  alu, aluModrm, aluModrmFetched, aluAccImm, group1, group1Fetched, incDecRm, incDecReg, group3, imulImm, testModrm,
} from "./ops/alu";
import { group2 } from "./ops/shift";
import { stringOp, STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS, STR_INS, STR_OUTS } from "./ops/string";
import {
  jccRel8, jmpRel8, jmpRelOp, callRelOp, retNear, loopOp, groupFFControl, farDirect, popRm,
  pushSeg, popSeg, pusha, popa, enter, leave, loadFarPointer, movToSeg, movFromSeg,
} from "./ops/control";
import { daa, das, aaa, aas, aam, aad, xlat, lahf, sahf, bound, xchgModrm, inPort, outPort } from "./ops/misc";
import { exec0F } from "./ops/twobyte";

// LOCK may precede only these one-byte opcodes (SDM Vol. 2A LOCK), and further prefixes; the
// handlers then check for a memory destination and an allowed sub-operation.
// 00 01 08 09 10 11 18 19 20 21 28 29 30 31 | 0F | 80-83 86 87 | F6 F7 FE FF
// @ts-ignore: decorator
@inline function lockableOpcode(op: u32): bool {
  if (op == 0x26 || op == 0x2e || op == 0x36 || op == 0x3e || (op >= 0x64 && op <= 0x67)
    || op == 0xf0 || op == 0xf2 || op == 0xf3) return true; // more prefixes may follow
  if (op < 0x40) return (op & 6) == 0 && (op & 7) < 2 || op == 0x0f;
  return (op >= 0x80 && op <= 0x83) || op == 0x86 || op == 0x87 || op == 0xf6 || op == 0xf7
    || op == 0xfe || op == 0xff;
}

// Inlined into the run loop (its only caller): saves a call and lets the loop keep the memory
// and globals bases in registers around the dispatch.
// @ts-ignore: decorator
@inline export function step(): void {
  beginInstruction();
  let op = fetch8();
  let prefixes = 0;
  for (;;) {
    if (faulted) return;
    if (lockPrefix && !lockableOpcode(op)) { raiseUD(); return; }
    const osz = opsize32 ? 32 : 16;
    switch (op) {
      // ---- prefixes (SDM Vol. 2A 2.1.1): any number, in any order; the last of a group wins ----
      case 0x26: setSegOverride(SEG_ES); break;
      case 0x2e: setSegOverride(SEG_CS); break;
      case 0x36: setSegOverride(SEG_SS); break;
      case 0x3e: setSegOverride(SEG_DS); break;
      case 0x64: setSegOverride(SEG_FS); break;
      case 0x65: setSegOverride(SEG_GS); break;
      case 0x66: setOpsizePrefix(); break;
      case 0x67: setAddrsizePrefix(); break;
      case 0xf0: setLock(); break;
      case 0xf2: case 0xf3: setRep(op); break;
      // ---- ALU: 00-3D except the 06/07/0E/0F... columns ----
      case 0x00: case 0x08: case 0x10: case 0x18: case 0x20: case 0x28: case 0x30: case 0x38:
        aluModrm(op, 8); return;
      case 0x02: case 0x0a: case 0x12: case 0x1a: case 0x22: case 0x2a: case 0x32: case 0x3a: {
        // op r8, r/m8 (byte-stream code: XOR CL,[EBX-1] in the XZ CRC loop), done inline.
        fetchModrm();
        if (faulted) return;
        if (lockPrefix) { aluModrmFetched(op, 8); return; } // #UD
        let b: u32;
        if (eaIsReg) b = reg8(modrmRm);
        else {
          const lin = dataLin(eaSeg, eaOff, 1, false);
          if (faulted) return;
          b = readLin8(lin);
          if (faulted) return;
        }
        const aop = <i32>((op >> 3) & 7);
        const r = alu(aop, reg8(modrmReg), b, 8);
        if (aop != 7) setReg8(modrmReg, r);
        return;
      }
      case 0x01: case 0x09: case 0x11: case 0x19: case 0x21: case 0x29: case 0x31: case 0x39: {
        // op r/m, reg: the 32-bit register-register form (MOV-free loops of compiled code, the
        // XZ decompressor's CMP/ADD/XOR) is done here with the operand size folded; memory
        // destinations, 16-bit operands and LOCK (which must #UD) go to aluModrm.
        fetchModrm();
        if (faulted) return;
        if (eaIsReg && osz == 32 && !lockPrefix) {
          const aop = <i32>((op >> 3) & 7);
          const r = alu(aop, reg32(modrmRm), reg32(modrmReg), 32);
          if (aop != 7) setReg32(modrmRm, r);
          return;
        }
        aluModrmFetched(op, osz);
        return;
      }
      case 0x03: case 0x0b: case 0x13: case 0x1b: case 0x23: case 0x2b: case 0x33: case 0x3b: {
        // op reg, r/m: the most frequent ALU form, register-register done inline.
        fetchModrm();
        if (faulted) return;
        const b = eaIsReg ? getReg(modrmRm, osz) : readMem(eaSegOf(), eaOff, osz);
        if (faulted) return;
        const aop = <i32>((op >> 3) & 7);
        const r = alu(aop, getReg(modrmReg, osz), b, osz);
        if (aop != 7) setReg(modrmReg, osz, r);
        return;
      }
      case 0x04: case 0x0c: case 0x14: case 0x1c: case 0x24: case 0x2c: case 0x34: case 0x3c:
        aluAccImm(op, 8); return;
      case 0x05: case 0x0d: case 0x15: case 0x1d: case 0x25: case 0x2d: case 0x35: case 0x3d:
        aluAccImm(op, osz); return;
      case 0x06: pushSeg(SEG_ES); return;
      case 0x07: popSeg(SEG_ES); return;
      case 0x0e: pushSeg(SEG_CS); return;
      case 0x0f: exec0F(); return;
      case 0x16: pushSeg(SEG_SS); return;
      case 0x17: popSeg(SEG_SS); return;
      case 0x1e: pushSeg(SEG_DS); return;
      case 0x1f: popSeg(SEG_DS); return;
      case 0x27: daa(); return;
      case 0x2f: das(); return;
      case 0x37: aaa(); return;
      case 0x3f: aas(); return;
      // ---- INC/DEC/PUSH/POP register ----
      case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
        incDecReg(<i32>(op & 7), false, osz); return;
      case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f:
        incDecReg(<i32>(op & 7), true, osz); return;
      case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57:
        pushFast(reg32(<i32>(op & 7)), opsize32); return;
      case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f: {
        const v = popFast(opsize32);
        if (faulted) return;
        setReg(<i32>(op & 7), osz, v);
        return;
      }
      case 0x60: pusha(); return;
      case 0x61: popa(); return;
      case 0x62: bound(); return;
      case 0x63: opArpl(); return;
      case 0x68: {
        const v = fetchImmOp();
        if (faulted) return;
        pushFast(v, opsize32);
        return;
      }
      case 0x69: case 0x6b: imulImm(op, osz); return;
      case 0x6a: {
        const v = fetchSimm8();
        if (faulted) return;
        pushFast(v, opsize32);
        return;
      }
      case 0x6c: stringOp(STR_INS, 8); return;
      case 0x6d: stringOp(STR_INS, osz); return;
      case 0x6e: stringOp(STR_OUTS, 8); return;
      case 0x6f: stringOp(STR_OUTS, osz); return;
      case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
      case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f:
        jccRel8(op & 15); return;
      case 0x80: case 0x82: group1(op, 8); return;
      case 0x81: group1(op, osz); return;
      case 0x83: {
        // op r32, simm8 (ADD ESP,n / CMP reg,n / AND / SUB on registers), done inline; memory
        // operands, 16-bit operands and LOCK go to group1 after the ModRM.
        fetchModrm();
        if (faulted) return;
        if (eaIsReg && osz == 32 && !lockPrefix) {
          const imm = fetchSimm8();
          if (faulted) return;
          const aop = modrmReg;
          const r = alu(aop, reg32(modrmRm), imm, 32);
          if (aop != 7) setReg32(modrmRm, r);
          return;
        }
        group1Fetched(op, osz);
        return;
      }
      case 0x84: testModrm(8); return;
      case 0x85: testModrm(osz); return;
      case 0x86: xchgModrm(8); return;
      case 0x87: xchgModrm(osz); return;
      // ---- MOV ----
      case 0x88: case 0x89: {
        const size = op == 0x88 ? 8 : osz;
        fetchModrm();
        if (faulted) return;
        const v = getReg(modrmReg, size);
        if (eaIsReg) setReg(modrmRm, size, v);
        else if (size == 32) {
          const lin = dataLin(eaSeg, eaOff, 4, true);
          if (faulted) return;
          writeLin32(lin, v);
        } else if (size == 8) { // byte stores: string and byte-stream code (decompressors)
          const lin = dataLin(eaSeg, eaOff, 1, true);
          if (faulted) return;
          writeLin8(lin, v);
        } else writeMem(eaSegOf(), eaOff, size, v);
        return;
      }
      case 0x8a: case 0x8b: {
        const size = op == 0x8a ? 8 : osz;
        fetchModrm();
        if (faulted) return;
        let v: u32;
        if (eaIsReg) v = getReg(modrmRm, size);
        else if (size == 32) { // the most frequent load: inline segment check and TLB lookup
          const lin = dataLin(eaSeg, eaOff, 4, false);
          if (faulted) return;
          v = readLin32(lin);
        } else if (size == 8) {
          const lin = dataLin(eaSeg, eaOff, 1, false);
          if (faulted) return;
          v = readLin8(lin);
        } else v = readMem(eaSegOf(), eaOff, size);
        if (faulted) return;
        setReg(modrmReg, size, v);
        return;
      }
      case 0x8c: movFromSeg(); return;
      case 0x8d: { // LEA: the offset only, truncated to the operand size
        fetchModrm();
        if (faulted) return;
        if (eaIsReg) { raiseUD(); return; }
        setReg(modrmReg, osz, eaOff);
        return;
      }
      case 0x8e: movToSeg(); return;
      case 0x8f: popRm(); return;
      case 0x90: return; // NOP; F3 90 is PAUSE, which has no further effect here
      case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97: {
        const r = <i32>(op & 7);
        const a = getReg(EAX, osz);
        setReg(EAX, osz, getReg(r, osz));
        setReg(r, osz, a);
        return;
      }
      case 0x98: // CBW / CWDE
        if (opsize32) setReg32(EAX, <u32><i32><i16>reg16(EAX));
        else setReg16(EAX, <u32><i32><i8>reg8(EAX) & 0xffff);
        return;
      case 0x99: // CWD / CDQ
        if (opsize32) setReg32(EDX, <u32>(<i32>reg32(EAX) >> 31));
        else setReg16(EDX, (reg16(EAX) & 0x8000) != 0 ? 0xffff : 0);
        return;
      case 0x9a: farDirect(true); return;
      case 0x9b: fpuWait(); return;
      case 0x9c: opPushf(); return;
      case 0x9d: opPopf(); return;
      case 0x9e: sahf(); return;
      case 0x9f: lahf(); return;
      // MOV AL/eAX <-> moffs: the offset has the address size.
      case 0xa0: case 0xa1: case 0xa2: case 0xa3: {
        const off = addrsize32 ? fetch32() : fetch16();
        if (faulted) return;
        const size = (op & 1) == 0 ? 8 : osz;
        const seg = segOverride >= 0 ? segOverride : SEG_DS;
        if (op < 0xa2) {
          const v = readMem(seg, off, size);
          if (faulted) return;
          setReg(EAX, size, v);
        } else writeMem(seg, off, size, getReg(EAX, size));
        return;
      }
      case 0xa4: stringOp(STR_MOVS, 8); return;
      case 0xa5: stringOp(STR_MOVS, osz); return;
      case 0xa6: stringOp(STR_CMPS, 8); return;
      case 0xa7: stringOp(STR_CMPS, osz); return;
      case 0xa8: case 0xa9: {
        const size = op == 0xa8 ? 8 : osz;
        const imm = size == 8 ? fetch8() : fetchImmOp();
        if (faulted) return;
        alu(4, getReg(EAX, size), imm, size);
        return;
      }
      case 0xaa: stringOp(STR_STOS, 8); return;
      case 0xab: stringOp(STR_STOS, osz); return;
      case 0xac: stringOp(STR_LODS, 8); return;
      case 0xad: stringOp(STR_LODS, osz); return;
      case 0xae: stringOp(STR_SCAS, 8); return;
      case 0xaf: stringOp(STR_SCAS, osz); return;
      case 0xb0: case 0xb1: case 0xb2: case 0xb3: case 0xb4: case 0xb5: case 0xb6: case 0xb7: {
        const v = fetch8();
        if (faulted) return;
        setReg8(<i32>(op & 7), v);
        return;
      }
      case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf: {
        const v = fetchImmOp();
        if (faulted) return;
        setReg(<i32>(op & 7), osz, v);
        return;
      }
      case 0xc0: group2(2, 8); return;
      case 0xc1: group2(2, osz); return;
      case 0xc2: {
        const n = fetch16();
        if (faulted) return;
        retNear(n);
        return;
      }
      case 0xc3: retNear(0); return;
      case 0xc4: loadFarPointer(SEG_ES); return;
      case 0xc5: loadFarPointer(SEG_DS); return;
      case 0xc6: case 0xc7: { // MOV r/m, imm: only /0 is defined on this processor
        const size = op == 0xc6 ? 8 : osz;
        fetchModrm();
        if (faulted) return;
        if (modrmReg != 0) { raiseUD(); return; }
        const imm = size == 8 ? fetch8() : fetchImmOp();
        if (faulted) return;
        writeRm(size, imm);
        return;
      }
      case 0xc8: enter(); return;
      case 0xc9: leave(); return;
      case 0xca: {
        const n = fetch16();
        if (faulted) return;
        farReturn(opsize32, n);
        return;
      }
      case 0xcb: farReturn(opsize32, 0); return;
      case 0xcc: softwareInterrupt(3, 1); return;
      case 0xcd: {
        const v = fetch8();
        if (faulted) return;
        softwareInterrupt(v, 0);
        return;
      }
      case 0xce: if (getOF()) softwareInterrupt(4, 2); return;
      case 0xcf: iret(opsize32); return;
      case 0xd0: group2(0, 8); return;
      case 0xd1: group2(0, osz); return;
      case 0xd2: group2(1, 8); return;
      case 0xd3: group2(1, osz); return;
      case 0xd4: aam(); return;
      case 0xd5: aad(); return;
      // SALC: not in the SDM's opcode table, but every IA-32 processor executes it
      // (AL <- CF ? FF : 00, flags unchanged), and DOS-era software relies on it.
      case 0xd6: setReg8(EAX, getCF() ? 0xff : 0); return;
      case 0xd7: xlat(); return;
      case 0xd8: case 0xd9: case 0xda: case 0xdb: case 0xdc: case 0xdd: case 0xde: case 0xdf:
        fpuExec(op); return;
      case 0xe0: case 0xe1: case 0xe2: case 0xe3: loopOp(op); return;
      case 0xe4: case 0xe5: {
        const port = fetch8();
        if (faulted) return;
        inPort(port, op == 0xe4 ? 8 : osz);
        return;
      }
      case 0xe6: case 0xe7: {
        const port = fetch8();
        if (faulted) return;
        outPort(port, op == 0xe6 ? 8 : osz);
        return;
      }
      case 0xe8: callRelOp(); return;
      case 0xe9: jmpRelOp(); return;
      case 0xea: farDirect(false); return;
      case 0xeb: jmpRel8(); return;
      case 0xec: inPort(reg16(EDX), 8); return;
      case 0xed: inPort(reg16(EDX), osz); return;
      case 0xee: outPort(reg16(EDX), 8); return;
      case 0xef: outPort(reg16(EDX), osz); return;
      case 0xf1: softwareInterrupt(1, 3); return; // INT1 / ICEBP
      case 0xf4: opHlt(); return;
      case 0xf5: setFlag(FLAG_CF, !getCF()); return;
      case 0xf6: group3(8); return;
      case 0xf7: group3(osz); return;
      case 0xf8: setFlag(FLAG_CF, false); return;
      case 0xf9: setFlag(FLAG_CF, true); return;
      case 0xfa: opCli(); return;
      case 0xfb: opSti(); return;
      case 0xfc: store<u32>(FLAGS_BITS, load<u32>(FLAGS_BITS) & ~FLAG_DF); return;
      case 0xfd: store<u32>(FLAGS_BITS, load<u32>(FLAGS_BITS) | FLAG_DF); return;
      case 0xfe: { // group 4: INC/DEC r/m8
        fetchModrm();
        if (faulted) return;
        if (modrmReg > 1) { raiseUD(); return; }
        incDecRm(modrmReg == 1, 8);
        return;
      }
      case 0xff: { // group 5
        fetchModrm();
        if (faulted) return;
        const sub = modrmReg;
        if (sub <= 1) { incDecRm(sub == 1, osz); return; }
        if (sub == 7 || lockPrefix) { raiseUD(); return; }
        groupFFControl(sub);
        return;
      }
      default:
        // The prefixes are cases above, and D6 is SALC.
        // Nothing else is left undefined in the one-byte map of a 32-bit processor.
        raiseUD();
        return;
    }
    // Only prefixes get here. More than 4 prefixes can make the instruction exceed 15 bytes.
    if (++prefixes == 5) limitInstructionLength();
    op = fetch8();
  }
}

// The segment of the current memory operand (decode.ts resolved the default and the override).
// @ts-ignore: decorator
@inline function eaSegOf(): i32 { return eaSeg; }
