// Exceptions inside an instruction.
//
// WebAssembly has no cheap unwinding from AssemblyScript, so a fault is a flag: raise() records
// the vector and error code, and every caller returns as soon as `faulted` is true, without
// committing further architectural state. The run loop (exec.ts) then rolls EIP back to
// INSN_START_EIP and delivers the exception through system/interrupts.ts.
//
// Rule for instruction code: perform every access that can fault (reads, and write probes for
// read-modify-write) before the first register or memory write. Then "a faulting instruction
// leaves no partial state" holds by construction.
import { EXC_VECTOR, EXC_ERRCODE, EXC_PENDING } from "../layout";

export let faulted: bool = false;

export const EXC_DE = 0; export const EXC_DB = 1; export const EXC_NMI = 2; export const EXC_BP = 3;
export const EXC_OF = 4; export const EXC_BR = 5; export const EXC_UD = 6; export const EXC_NM = 7;
export const EXC_DF = 8; export const EXC_TS = 10; export const EXC_NP = 11; export const EXC_SS = 12;
export const EXC_GP = 13; export const EXC_PF = 14; export const EXC_MF = 16; export const EXC_AC = 17;
export const EXC_MC = 18; export const EXC_XM = 19;

// Error code value meaning "this exception pushes no error code".
export const NO_ERRCODE: i32 = -1;

export function raise(vector: i32, errcode: i32): void {
  if (faulted) return; // the first fault of an instruction wins
  faulted = true;
  store<i32>(EXC_VECTOR, vector);
  store<i32>(EXC_ERRCODE, errcode);
  store<u32>(EXC_PENDING, 1);
}
export function raiseGP(errcode: i32): void { raise(EXC_GP, errcode); }
export function raiseUD(): void { raise(EXC_UD, NO_ERRCODE); }

// Called by the run loop once the exception has been taken (or discarded on reset).
export function clearFault(): void {
  faulted = false;
  store<u32>(EXC_PENDING, 0);
}
