// The run loop: executes instructions until the budget is spent or an event ends the slice.
// The host calls run(budget) and gets an EXIT_* reason back; it never polls per instruction.
import {
  EIP, INSN_START_EIP, INSN_COUNT, HALTED, INTR_LINE, NMI_PENDING, INHIBIT_IRQ, EXIT_REASON,
  EXIT_BUDGET, EXIT_HLT, EXIT_HLT_NOIRQ, EXIT_HOST_REQUEST, FLAGS_BITS, NMI_BLOCKED, VIRT_TICKS, NS_PER_INSN,
  SMI_PENDING,
} from "../layout";
import { faulted } from "./fault";
import { FLAG_IF } from "./state";
import { step } from "./exec";
import { deliverPendingException, deliverExternalInterrupt, deliverNmi, afterInstruction } from "./system/interrupts";
import { codeBpArmed, checkCodeBreakpoint } from "./system/debug";
import { serviceSmi } from "./system/smm";

// Instructions left in this slice. Zeroed by requestExit() (from a host callback during an I/O
// access), or set to 0 by HLT and by events that end a slice, after storing EXIT_REASON.
export let budget: i32 = 0;
// Instructions retired so far in the current slice (the host reads it through sliceExecuted()
// to compute the exact virtual time during a port access).
export let sliceExecuted: i32 = 0;

// The virtual clock in ns at the current instruction: slice start + retired * rate.
export function currentTicks(): u64 {
  return load<u64>(VIRT_TICKS) + <u64>sliceExecuted * <u64>load<u32>(NS_PER_INSN);
}

export function endSlice(reason: i32): void {
  store<i32>(EXIT_REASON, reason);
  budget = 0;
}

export function requestExit(): void {
  if (budget > 0) endSlice(EXIT_HOST_REQUEST);
}

// A pending NMI waits while an earlier NMI's handler runs, until its IRET (NMI_BLOCKED,
// system/nmi.ts; SDM Vol. 3A 6.7.1).
// @ts-ignore: decorator
@inline function nmiDeliverable(): u32 { return load<u32>(NMI_PENDING) & ~load<u32>(NMI_BLOCKED); }

// Checked before every instruction, so the common case (neither INTR nor NMI asserted) is two
// loads and one branch; the full test (IF, the NMI block, the interrupt shadow) runs only while a
// line is asserted.
// @ts-ignore: decorator
@inline function interruptPending(): bool {
  if ((load<u32>(INTR_LINE) | load<u32>(NMI_PENDING)) == 0) return false;
  return (nmiDeliverable() | (load<u32>(INTR_LINE) & (load<u32>(FLAGS_BITS) >>> 9))) != 0
    && load<u32>(INHIBIT_IRQ) == 0;
}

function serviceInterrupts(): void {
  if (nmiDeliverable() != 0) {
    store<u32>(NMI_PENDING, 0);
    store<u32>(HALTED, 0);
    deliverNmi();
  } else if ((load<u32>(INTR_LINE) != 0) && (load<u32>(FLAGS_BITS) & FLAG_IF) != 0) {
    store<u32>(HALTED, 0);
    deliverExternalInterrupt();
  }
}

export function run(n: i32): i32 {
  store<i32>(EXIT_REASON, EXIT_BUDGET);
  budget = n;
  sliceExecuted = 0;
  // An SMI (the highest-priority external event) is taken at the slice boundary: the host that
  // latched it asked for the exit, so no per-instruction test is needed. Entering SMM from the
  // HALT state records the auto HALT restart (system/smm.ts).
  if (load<u32>(SMI_PENDING) != 0) serviceSmi();
  if (load<u32>(HALTED) != 0) {
    if (interruptPending()) serviceInterrupts();
    if (load<u32>(HALTED) != 0) {
      return (load<u32>(FLAGS_BITS) & FLAG_IF) != 0 ? EXIT_HLT : EXIT_HLT_NOIRQ;
    }
  }
  while (budget > 0) {
    if (interruptPending()) {
      serviceInterrupts();
      if (faulted) deliverPendingException();
    }
    store<u32>(INSN_START_EIP, load<u32>(EIP));
    store<u32>(INHIBIT_IRQ, 0);
    // Instruction breakpoints (DR0-DR3) fault before the instruction (system/debug.ts).
    if (codeBpArmed) checkCodeBreakpoint();
    if (!faulted) step();
    if (faulted) deliverPendingException();
    else afterInstruction();
    budget--;
    sliceExecuted++;
  }
  store<u64>(INSN_COUNT, load<u64>(INSN_COUNT) + <u64>sliceExecuted);
  return load<i32>(EXIT_REASON);
}
