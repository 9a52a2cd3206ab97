// PLACEHOLDERS for the x87 unit (replaced by the FPU helper, keeping signatures).
import { raiseUD } from "./fault";
// Escape opcodes D8..DF; the FPU fetches its own ModRM via decode.fetchModrm().
export function fpuExec(op: u32): void { raiseUD(); }
// WAIT/FWAIT (9B): #NM when CR0.MP and CR0.TS; delivers a pending unmasked x87 exception (#MF).
export function fpuWait(): void {}
