// x87 instruction dispatch: escape opcodes D8..DF (SDM Vol. 2A Appendix A.4, Tables A-7..A-22).
// Memory forms and register forms are decoded from the ModRM byte; the operation groups live in
// ops.ts (arithmetic, compare, load/store) and control.ts (environment and state images).
import { FPU_FERR } from "../../layout";
import { cr0, CR0_EM, CR0_TS, CR0_NE, CR0_MP, setReg16, EAX } from "../state";
import { raise, raiseUD, faulted, EXC_NM, EXC_MF, NO_ERRCODE } from "../fault";
import { fetchModrm, modrm, modrmReg, modrmRm, eaIsReg, eaSeg, eaOff, opsize32 } from "../decode";
import { readSeg16, writeSeg16 } from "../segaccess";
import { fpuSw, fpuCw, SW_ES, recordInstruction, recordOperand } from "./regs";
import { fninit, fnclex, fldcw, fnstenv, fldenv, fnsave, frstor } from "./control";
import {
  beginInsn, arithReg, arithMemF32, arithMemF64, arithMemInt, compareReg, compareMemF32,
  compareMemF64, compareMemInt, fldF32, fldF64, fldF80, fldInt, fldBcd, fldReg, fstF32, fstF64,
  fstF80, fistInt, fbstp, fstReg, fxch, fldConst, fcmov, comiReg, fincstp, fdecstp, ffree,
} from "./ops";
import { unaryOp } from "./unary";

// Pending unmasked exception at a waiting instruction (SDM Vol. 1 8.7, Vol. 3A 2.5 CR0.NE):
// #MF with CR0.NE=1; otherwise FERR# is asserted (the machine turns it into IRQ 13) and the
// instruction proceeds, as the PC/AT compatible DOS-style handling expects.
function pendingException(): bool {
  if ((fpuSw() & SW_ES) == 0) return false;
  if ((cr0() & CR0_NE) != 0) { raise(EXC_MF, NO_ERRCODE); return true; }
  store<u32>(FPU_FERR, 1);
  return false;
}

// WAIT/FWAIT (9B): #NM when both CR0.MP and CR0.TS are set, then pending-exception check.
export function fwait(): void {
  if ((cr0() & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS)) { raise(EXC_NM, NO_ERRCODE); return; }
  pendingException();
}

export function fpuExecute(op: u32): void {
  fetchModrm();
  if (faulted) return;
  // CR0.EM or CR0.TS: every escape opcode raises #NM (SDM Vol. 3A 2.5, Table 12-1).
  if ((cr0() & (CR0_EM | CR0_TS)) != 0) { raise(EXC_NM, NO_ERRCODE); return; }
  if (eaIsReg) execReg(op);
  else execMem(op);
}

// Non-waiting control instructions skip the pending-exception check; control instructions
// (waiting or not) leave the last-instruction pointers alone (SDM Vol. 1 8.1.8).
function execMem(op: u32): void {
  const r = modrmReg;
  const seg = eaSeg, off = eaOff;
  const ctl = (op == 0xd9 && r >= 4) || (op == 0xdd && (r == 4 || r == 6 || r == 7));
  const nowait = (op == 0xd9 && (r == 6 || r == 7)) || (op == 0xdd && (r == 6 || r == 7));
  // FISTTP (DB /1, DD /1, DF /1) is SSE3, and D9 /1, DB /4, DB /6, DD /5 are reserved: #UD.
  if (r == 1 && (op == 0xd9 || op == 0xdb || op == 0xdd || op == 0xdf)) { raiseUD(); return; }
  if ((op == 0xdb && (r == 4 || r == 6)) || (op == 0xdd && r == 5)) { raiseUD(); return; }
  if (!nowait && pendingException()) return;
  beginInsn();
  switch (op) {
    case 0xd8:
      if (r == 2 || r == 3) compareMemF32(seg, off, r == 3);
      else arithMemF32(r, seg, off);
      break;
    case 0xd9:
      switch (r) {
        case 0: fldF32(seg, off); break;
        case 2: case 3: fstF32(seg, off, r == 3); break;
        case 4: fldenv(seg, off, opsize32); break;
        case 5: { const v = readSeg16(seg, off); if (!faulted) fldcw(v); break; }
        case 6: fnstenv(seg, off, opsize32); break;
        default: writeSeg16(seg, off, fpuCw()); break; // FNSTCW
      }
      break;
    case 0xda:
      if (r == 2 || r == 3) compareMemInt(seg, off, 32, r == 3);
      else arithMemInt(r, seg, off, 32);
      break;
    case 0xdb:
      switch (r) {
        case 0: fldInt(seg, off, 32); break;
        case 2: case 3: fistInt(seg, off, 32, r == 3); break;
        case 5: fldF80(seg, off); break;
        default: fstF80(seg, off); break; // 7: FSTP m80
      }
      break;
    case 0xdc:
      if (r == 2 || r == 3) compareMemF64(seg, off, r == 3);
      else arithMemF64(r, seg, off);
      break;
    case 0xdd:
      switch (r) {
        case 0: fldF64(seg, off); break;
        case 2: case 3: fstF64(seg, off, r == 3); break;
        case 4: frstor(seg, off, opsize32); break;
        case 6: fnsave(seg, off, opsize32); break;
        default: writeSeg16(seg, off, fpuSw()); break; // 7: FNSTSW m16
      }
      break;
    case 0xde:
      if (r == 2 || r == 3) compareMemInt(seg, off, 16, r == 3);
      else arithMemInt(r, seg, off, 16);
      break;
    default: // 0xdf
      switch (r) {
        case 0: fldInt(seg, off, 16); break;
        case 2: case 3: fistInt(seg, off, 16, r == 3); break;
        case 4: fldBcd(seg, off); break;
        case 5: fldInt(seg, off, 64); break;
        case 6: fbstp(seg, off); break;
        default: fistInt(seg, off, 64, true); break; // 7: FISTP m64
      }
      break;
  }
  if (faulted || ctl) return;
  recordInstruction(op, modrm);
  recordOperand(seg, off);
}

function execReg(op: u32): void {
  const r = modrmReg, i = modrmRm;
  const m = modrm & 0xff;
  // Non-waiting register forms: FNCLEX, FNINIT, FNSTSW AX, and the 8087/287 leftovers FNENI,
  // FNDISI, FNSETPM, which the P6 executes as no-ops.
  if (op == 0xdb && m >= 0xe0 && m <= 0xe4) {
    if (m == 0xe2) fnclex();
    else if (m == 0xe3) fninit();
    return;
  }
  if (op == 0xdf && m == 0xe0) { setReg16(EAX, fpuSw()); return; }
  if (!validReg(op, m)) { raiseUD(); return; }
  if (pendingException()) return;
  beginInsn();
  switch (op) {
    case 0xd8:
      if (r == 2 || r == 3) compareReg(i, false, r == 3 ? 1 : 0);
      else arithReg(r, 0, i, false);
      break;
    case 0xd9: execD9(r, i, m); break;
    case 0xda:
      if (m == 0xe9) compareReg(1, true, 2); // FUCOMPP
      else fcmov(r, i, false);
      break;
    case 0xdb:
      if (r == 5 || r == 6) comiReg(i, r == 5, false);
      else fcmov(r, i, true);
      break;
    case 0xdc:
      // ST(i) = ST(i) op ST(0); the reverse/non-reverse forms of SUB and DIV swap here.
      if (r == 2 || r == 3) compareReg(i, false, r == 3 ? 1 : 0);
      else arithReg(r >= 4 ? r ^ 1 : r, i, 0, false);
      break;
    case 0xdd:
      switch (r) {
        case 0: ffree(i, false); break;
        case 1: fxch(i); break;
        case 2: case 3: fstReg(i, r == 3); break;
        default: compareReg(i, true, r == 5 ? 1 : 0); break; // FUCOM, FUCOMP
      }
      break;
    case 0xde:
      if (r == 2) compareReg(i, false, 1); // FCOMP alias
      else if (r == 3) compareReg(1, false, 2); // FCOMPP (DE D9)
      else arithReg(r >= 4 ? r ^ 1 : r, i, 0, true);
      break;
    default: // 0xdf
      switch (r) {
        case 0: ffree(i, true); break; // FFREEP
        case 1: fxch(i); break;
        case 2: case 3: fstReg(i, true); break;
        default: comiReg(i, r == 5, true); break; // FUCOMIP, FCOMIP
      }
      break;
  }
  if (faulted) return;
  recordInstruction(op, modrm);
}

// Register encodings that exist on the P6 (the documented ones plus the aliases the hardware
// executes: FCOM2/FCOMP3/FCOMP5, FXCH4/FXCH7, FSTP1/FSTP8/FSTP9, FFREEP); the rest raise #UD.
function validReg(op: u32, m: u32): bool {
  switch (op) {
    case 0xd9:
      if (m >= 0xd1 && m <= 0xd7) return false;
      return m != 0xe2 && m != 0xe3 && m != 0xe6 && m != 0xe7 && m != 0xef;
    case 0xda: return m < 0xe0 || m == 0xe9;
    case 0xdb: return m < 0xe0 || (m >= 0xe8 && m < 0xf8);
    case 0xdd: return m < 0xf0;
    case 0xde: return m < 0xd8 || m == 0xd9 || m >= 0xe0;
    case 0xdf: return m < 0xe0 || (m >= 0xe8 && m < 0xf8);
    default: return true;
  }
}

function execD9(r: i32, i: i32, m: u32): void {
  switch (r) {
    case 0: fldReg(i); return;
    case 1: fxch(i); return;
    case 2: return; // FNOP (D9 D0)
    case 3: fstReg(i, true); return; // FSTP1 alias
    case 4:
      // E0 FCHS, E1 FABS, E4 FTST, E5 FXAM
      unaryOp(<i32>m);
      return;
    case 5: fldConst(i); return; // E8..EE
    case 6:
      if (m == 0xf6) { fdecstp(); return; }
      if (m == 0xf7) { fincstp(); return; }
      unaryOp(<i32>m); // F0 F2XM1 .. F5 FPREM1
      return;
    default:
      unaryOp(<i32>m); // F8 FPREM .. FF FCOS
      return;
  }
}
