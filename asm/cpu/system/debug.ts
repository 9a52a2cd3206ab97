// Debug exceptions (SDM Vol. 3A chapter 17): single-step (TF), the resume flag (RF), and the
// breakpoint conditions collected in DEBUG_TRAP during an instruction, reported as one #DB trap
// after it with the matching DR6 bits.
import { FLAGS_BITS, DEBUG_TRAP, RF_PENDING, DR, INHIBIT_IRQ, EIP, SEG_CS } from "../../layout";
import { segBase, FLAG_TF, FLAG_RF } from "../state";
import { raise, EXC_DB, NO_ERRCODE } from "../fault";
import { tlbFlushAll } from "../memory";
import { deliverException } from "./interrupts";
import { refreshWatch } from "./watch";

export const DR6_B0: u32 = 1 << 0;
export const DR6_BD: u32 = 1 << 13;
export const DR6_BS: u32 = 1 << 14;
export const DR6_BT: u32 = 1 << 15;

// TF as it was when the current instruction started: the single-step trap follows an
// instruction that began with TF set (so not the POPF/IRET that sets TF, but the one that
// clears it; SDM Vol. 3A 17.3.1.4).
let tfAtStart: bool = false;
// Set by an SS load; with the interrupt shadow that MOV SS / POP SS create, debug traps of that
// instruction are held until after the next one (SDM Vol. 3A 6.8.3).
export let ssLoaded: bool = false;
export function noteSsLoad(): void { ssLoaded = true; }

// IRET and task switches that load RF=1 keep it for exactly one instruction.
export function keepRfForNextInstruction(): void { store<u32>(RF_PENDING, 1); }

// Called after every instruction: the common case (nothing to do) is one inlined test.
// @ts-ignore: decorator
@inline export function debugAfterInstruction(): void {
  if (((load<u32>(FLAGS_BITS) & (FLAG_TF | FLAG_RF)) | load<u32>(DEBUG_TRAP) | <u32>tfAtStart | <u32>ssLoaded) != 0) {
    debugAfterInstructionSlow();
  }
}
function debugAfterInstructionSlow(): void {
  const f = load<u32>(FLAGS_BITS);
  // RF is cleared after every instruction that completes, except the one that loaded it.
  if ((f & FLAG_RF) != 0) {
    if (load<u32>(RF_PENDING) != 0) store<u32>(RF_PENDING, 0);
    else store<u32>(FLAGS_BITS, f & ~FLAG_RF);
  }
  let bits = load<u32>(DEBUG_TRAP);
  if (tfAtStart) bits |= DR6_BS;
  tfAtStart = (f & FLAG_TF) != 0;
  if (ssLoaded) {
    ssLoaded = false;
    if (load<u32>(INHIBIT_IRQ) != 0) {
      // MOV SS / POP SS: the single-step trap is dropped (the next instruction traps on its own,
      // since TF is still set), breakpoint hits wait for the next instruction.
      store<u32>(DEBUG_TRAP, bits & ~DR6_BS);
      return;
    }
  }
  if (bits == 0) return;
  store<u32>(DEBUG_TRAP, 0);
  signalDebugTrap(bits);
}

// Record DR6 status bits and deliver #DB as a trap (EIP is the next instruction). B0-B3 reflect
// only the conditions detected now; BD, BS and BT accumulate (SDM Vol. 3A 17.2.3).
export function signalDebugTrap(bits: u32): void {
  const dr6 = load<u32>(DR + 24);
  store<u32>(DR + 24, (dr6 & ~0xf) | bits | 0xffff0ff0);
  deliverException(EXC_DB, NO_ERRCODE, false);
}

// After an interrupt or exception handler was entered: the handler's first instruction starts
// with the TF the delivery left (cleared by gates, kept by task switches).
// A task switch through a task gate whose new TSS has the T bit reports BT before the new
// task's first instruction (SDM Vol. 3A 7.3 step 13, 17.3.1.5).
export function debugAfterEvent(): void {
  tfAtStart = (load<u32>(FLAGS_BITS) & FLAG_TF) != 0;
  ssLoaded = false;
  const bt = load<u32>(DEBUG_TRAP) & DR6_BT;
  if (bt != 0) {
    store<u32>(DEBUG_TRAP, load<u32>(DEBUG_TRAP) & ~DR6_BT);
    signalDebugTrap(bt);
  }
}

// ---- instruction breakpoints (DR7 R/W = 00), checked before each instruction ----
export let codeBpArmed: bool = false;
let codeBpMask: u32 = 0; // bit i: DRi is an enabled instruction breakpoint

// After a write to DR0-DR3 or DR7 (and after reset or a state load).
export function refreshBreakpoints(): void {
  const dr7 = load<u32>(DR + 28);
  let mask: u32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    const enabled = ((dr7 >>> (i << 1)) & 3) != 0;
    const rw = (dr7 >>> (16 + (i << 2))) & 3;
    if (enabled && rw == 0) mask |= 1 << i;
  }
  codeBpMask = mask;
  codeBpArmed = mask != 0;
  refreshWatch();
  tlbFlushAll(); // pages holding data breakpoints must leave the TLB
}

// An instruction breakpoint fault at CS:EIP unless RF is set (SDM Vol. 3A 17.3.1.1). The #DB is
// a fault, but the pushed EFLAGS has RF clear (the debugger sets it to resume).
let codeBpFault: bool = false;
export function checkCodeBreakpoint(): void {
  if ((load<u32>(FLAGS_BITS) & FLAG_RF) != 0) return;
  const lin = segBase(SEG_CS) + load<u32>(EIP);
  let b: u32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    if ((codeBpMask & (1 << i)) != 0 && load<u32>(DR + (i << 2)) == lin) b |= 1 << i;
  }
  if (b == 0) return;
  store<u32>(DR + 24, (load<u32>(DR + 24) & ~0xf) | b | 0xffff0ff0);
  codeBpFault = true;
  raise(EXC_DB, NO_ERRCODE);
}
// Consumed by deliverPendingException: was this #DB an instruction breakpoint?
export function takeCodeBpFault(): bool {
  const r = codeBpFault;
  codeBpFault = false;
  return r;
}

// After the host loaded a saved state: the next instruction starts with the loaded TF.
export function debugAfterStateLoad(): void {
  tfAtStart = (load<u32>(FLAGS_BITS) & FLAG_TF) != 0;
  ssLoaded = false;
  codeBpFault = false;
  refreshBreakpoints();
}
