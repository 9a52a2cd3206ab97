// PLACEHOLDERS for the x87 unit (replaced by the FPU helper, keeping signatures).
import { raiseUD } from "./fault";
// Escape opcodes D8..DF; the FPU fetches its own ModRM via decode.fetchModrm().
export function fpuExec(op: u32): void { raiseUD(); }
// WAIT/FWAIT (9B): #NM when CR0.MP and CR0.TS; delivers a pending unmasked x87 exception (#MF).
export function fpuWait(): void {}
// FXSAVE/FXRSTOR x87 part (bytes 0..159 of the 512-byte image: FCW, FSW, abridged FTW, FOP,
// FIP/FCS, FDP/FDS and ST0-7); the SIMD unit owns 0F AE and writes MXCSR and XMM itself.
export function fpuFxsave(seg: i32, off: u32): void { raiseUD(); }
export function fpuFxrstor(seg: i32, off: u32): void { raiseUD(); }
// MMX aliasing (SDM Vol. 1 9.5): an MMX instruction sets TOP=0 and all tags valid; MMi is the
// significand of physical register i, and a write sets its sign/exponent field to all ones.
export function mmxEnter(): void {}
export function mmxGet(i: i32): u64 { return 0; }
export function mmxSet(i: i32, v: u64): void {}
export function fpuEmms(): void {} // EMMS: all tags empty
