// The x87 unit's entry points (implementation in asm/cpu/fpu/).
import { fpuExecute, fwait } from "./fpu/exec";
import { fxsaveX87, fxrstorX87, mmxEnterState, mmxWrite, emms } from "./fpu/control";
import { physSig } from "./fpu/regs";
// Escape opcodes D8..DF; the FPU fetches its own ModRM via decode.fetchModrm().
export function fpuExec(op: u32): void { fpuExecute(op); }
// WAIT/FWAIT (9B): #NM when CR0.MP and CR0.TS; delivers a pending unmasked x87 exception (#MF).
export function fpuWait(): void { fwait(); }
// FXSAVE/FXRSTOR x87 part (bytes 0..159 of the 512-byte image: FCW, FSW, abridged FTW, FOP,
// FIP/FCS, FDP/FDS and ST0-7); the SIMD unit owns 0F AE and writes MXCSR and XMM itself.
// Bytes 24..31 (MXCSR, MXCSR_MASK) are not touched; the 6 reserved bytes after each register are
// written as zeros. The P6 stores FOP/FIP/FDP always (AMD CPUs only with an exception pending).
export function fpuFxsave(seg: i32, off: u32): void { fxsaveX87(seg, off); }
export function fpuFxrstor(seg: i32, off: u32): void { fxrstorX87(seg, off); }
// MMX aliasing (SDM Vol. 1 9.5): an MMX instruction sets TOP=0 and all tags non-empty (the full
// tag then follows each register's contents, as FSTENV shows on hardware); MMi is the
// significand of physical register i, and a write sets its sign/exponent field to all ones.
// A pending unmasked x87 exception is taken by the MMX instruction before it executes (SDM Vol. 1
// 12.5.1): the SIMD unit does that through fpuWait() in its checks, not here.
export function mmxEnter(): void { mmxEnterState(); }
export function mmxGet(i: i32): u64 { return physSig(i); }
export function mmxSet(i: i32, v: u64): void { mmxWrite(i, v); }
export function fpuEmms(): void { emms(); } // EMMS: all tags empty
