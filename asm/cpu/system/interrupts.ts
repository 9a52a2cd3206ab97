// Interrupt and exception delivery (SDM Vol. 3A chapter 6; Vol. 2 INT n/INTO/INT3/INT1).
//
// Every event enters through deliverEvent(): real mode uses the interrupt vector table at IDTR
// (SDM Vol. 3A 20.1.4, Vol. 2 INT n "REAL-ADDRESS-MODE"), protected and virtual-8086 mode go
// through IDT gates (idt.ts). Faults raised while delivering are combined per Table 6-5
// (double fault), and a fault while delivering #DF shuts the processor down (triple fault).
import {
  EIP, INSN_START_EIP, EXC_VECTOR, EXC_ERRCODE, EXIT_TRIPLE_FAULT, DOUBLE_FAULT_DEPTH, IDTR_BASE,
  IDTR_LIMIT, SEG_CS, HALTED, SHUTDOWN, DEBUG_TRAP, DR,
} from "../../layout";
import { reg32, setReg32, segSel, ESP, FLAG_IF, FLAG_TF, FLAG_AC, FLAG_RF } from "../state";
import { raise, clearFault, faulted, EXC_GP, EXC_DF, EXC_PF, EXC_NMI, EXC_DB, NO_ERRCODE } from "../fault";
import { hostIntrAck } from "../host";
import { endSlice } from "../run";
import { getEflags, setEflagsMasked } from "../flags";
import { readLin32 } from "../memory";
import { push16 } from "../stack";
import { protectedMode, setExt } from "./mode";
import { loadSegReal } from "./segments";
import { protectedModeEvent } from "./idt";
import { nmiBlock } from "./nmi";
import { debugAfterInstruction, debugAfterEvent, takeCodeBpFault } from "./debug";

// Kinds of event: they differ in the privilege check on the gate (software interrupts only),
// the EXT bit of error codes, the return address and virtual-8086 mode handling.
export const EV_EXTERNAL = 0; // INTR or NMI
export const EV_EXCEPTION = 1; // processor-detected exception
export const EV_INTN = 2; // INT n (CD ib)
export const EV_INT3 = 3; // INT3 (CC)
export const EV_INTO = 4; // INTO (CE) with OF set
export const EV_INT1 = 5; // INT1/ICEBP (F1)

// @ts-ignore: decorator
@inline export function isSoftwareEvent(kind: i32): bool { return kind >= EV_INTN && kind <= EV_INTO; }

// Deliver one event with EIP already holding the return address. On failure `faulted` is set
// and nothing architectural has changed.
export function deliverEvent(vector: u32, errcode: i32, kind: i32): void {
  setExt(kind == EV_EXTERNAL || kind == EV_EXCEPTION || kind == EV_INT1);
  if (!protectedMode()) realModeEvent(vector);
  else protectedModeEvent(vector, errcode, kind);
  setExt(false);
}

// Real-address mode: the IVT entry is a far pointer; FLAGS, CS and IP are pushed as words, and
// IF, TF, AC and RF are cleared (SDM Vol. 2 INT n "REAL-ADDRESS-MODE"). An entry beyond the IDTR
// limit raises #GP.
function realModeEvent(vector: u32): void {
  const off = vector << 2;
  if (off + 3 > load<u32>(IDTR_LIMIT)) { raise(EXC_GP, <i32>((vector << 3) | 2)); return; }
  const ptr = readLin32(load<u32>(IDTR_BASE) + off);
  if (faulted) return;
  const flags = getEflags();
  const sp0 = reg32(ESP);
  push16(flags);
  push16(segSel(SEG_CS));
  push16(load<u32>(EIP));
  if (faulted) { setReg32(ESP, sp0); return; }
  setEflagsMasked(0, FLAG_IF | FLAG_TF | FLAG_AC | FLAG_RF);
  loadSegReal(SEG_CS, ptr >>> 16);
  store<u32>(EIP, ptr & 0xffff);
}

// ---- exception classes for Table 6-5 ----
// @ts-ignore: decorator
@inline function contributory(v: u32): bool { return v == 0 || (v >= 10 && v <= 13); }

export function tripleFault(): void {
  // Shutdown (SDM Vol. 3A 6.15, interrupt 8): the processor stops; the platform sees the
  // shutdown cycle and resets. HALTED keeps a platform that ignores the exit from running on.
  clearFault();
  store<u32>(DOUBLE_FAULT_DEPTH, 0);
  store<u32>(HALTED, 1);
  store<u32>(SHUTDOWN, 1);
  endSlice(EXIT_TRIPLE_FAULT);
}

// Deliver an exception, combining with faults raised while delivering it. `isFault`: the
// exception is a fault (EIP is the faulting instruction), so EFLAGS is pushed with RF set
// (SDM Vol. 3A 17.3.1.1); the instruction-breakpoint #DB passes false, like traps.
export function deliverException(vector: u32, errcode: i32, isFault: bool): void {
  let v = vector;
  let e = errcode;
  let rf = isFault;
  store<u32>(DOUBLE_FAULT_DEPTH, 0);
  while (true) {
    deliverEventWithRf(v, e, EV_EXCEPTION, rf);
    if (!faulted) break;
    const v2 = load<u32>(EXC_VECTOR);
    const e2 = load<i32>(EXC_ERRCODE);
    clearFault();
    if (v == EXC_DF) { tripleFault(); return; }
    if ((contributory(v) && contributory(v2)) || (v == EXC_PF && (contributory(v2) || v2 == EXC_PF))) {
      v = EXC_DF;
      e = 0;
      store<u32>(DOUBLE_FAULT_DEPTH, 1);
    } else {
      // Benign combinations: the second exception is handled serially.
      v = v2;
      e = e2;
    }
    // The new exception is a fault detected while delivering: its return address is the same
    // instruction, and it is reported as a fault.
    rf = true;
  }
  store<u32>(DOUBLE_FAULT_DEPTH, 0);
  if (v == EXC_DB) clearGeneralDetect();
  debugAfterEvent();
}

// Entering the #DB handler clears DR7.GD, so that the handler can use the debug registers
// (SDM Vol. 3A 17.2.4).
function clearGeneralDetect(): void {
  store<u32>(DR + 28, load<u32>(DR + 28) & ~0x2000);
}

// Faults push EFLAGS with RF set (SDM Vol. 3A 17.3.1.1), so that IRET back to the faulting
// instruction does not re-trigger an instruction breakpoint.
export let pushRfFlag: bool = false;
function deliverEventWithRf(v: u32, e: i32, kind: i32, rf: bool): void {
  pushRfFlag = rf;
  deliverEvent(v, e, kind);
  pushRfFlag = false;
}
// EFLAGS as pushed by event delivery.
export function eflagsForPush(): u32 {
  const f = getEflags();
  return pushRfFlag ? f | FLAG_RF : f;
}

// ---- run-loop entry points (asm/cpu/run.ts) ----

// A fault raised by the instruction: EIP goes back to the instruction's first byte.
export function deliverPendingException(): void {
  const v = load<u32>(EXC_VECTOR);
  const e = load<i32>(EXC_ERRCODE);
  clearFault();
  store<u32>(EIP, load<u32>(INSN_START_EIP));
  // The instruction did not complete: breakpoint hits of its partial accesses are void.
  store<u32>(DEBUG_TRAP, 0);
  deliverException(v, e, !(v == EXC_DB && takeCodeBpFault()));
}

// INTR at an instruction boundary: EIP is the next instruction. A fault while delivering it is
// handled right here (the run loop would otherwise rewind EIP to the previous instruction).
export function deliverExternalInterrupt(): void {
  // In shutdown only NMI, INIT and RESET are recognised (SDM Vol. 3A 6.15, interrupt 8).
  if (load<u32>(SHUTDOWN) != 0) { store<u32>(HALTED, 1); return; }
  const vector = <u32>hostIntrAck() & 0xff;
  deliverEvent(vector, NO_ERRCODE, EV_EXTERNAL);
  if (faulted) {
    const v = load<u32>(EXC_VECTOR);
    const e = load<i32>(EXC_ERRCODE);
    clearFault();
    deliverException(v, e, true);
    return;
  }
  debugAfterEvent();
}

// NMI (vector 2, SDM Vol. 3A 6.7): the run loop calls this only while NMIs are not blocked; it
// also brings the processor out of shutdown (6.15 interrupt 8).
export function deliverNmi(): void {
  nmiBlock();
  store<u32>(SHUTDOWN, 0);
  deliverEvent(EXC_NMI, NO_ERRCODE, EV_EXTERNAL);
  if (faulted) {
    const v = load<u32>(EXC_VECTOR);
    const e = load<i32>(EXC_ERRCODE);
    clearFault();
    deliverException(v, e, true);
    return;
  }
  debugAfterEvent();
}

// @ts-ignore: decorator
@inline export function afterInstruction(): void { debugAfterInstruction(); }

// INT n / INT3 / INTO / INT1 from the instruction stream: EIP already points past the
// instruction (these are traps). A fault during delivery stays raised for the run loop, which
// reports it against the INT instruction itself.
// An instruction that enters a handler this way is not followed by a single-step trap: the
// handler starts with TF clear and the trap of the INT itself is dropped (as QEMU and Bochs do;
// the next trap comes after the first instruction back from the handler's IRET).
export function softwareInterrupt(vector: u32, kind: i32): void {
  const ev = kind == 0 ? EV_INTN : kind == 1 ? EV_INT3 : kind == 2 ? EV_INTO : EV_INT1;
  deliverEvent(vector & 0xff, NO_ERRCODE, ev);
  if (faulted) return;
  if (ev == EV_INT1) clearGeneralDetect(); // INT1 enters the #DB handler as well
  debugAfterEvent();
}
