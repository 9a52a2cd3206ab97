// The system-level entry points that the integer interpreter's dispatch calls. Each lives in a
// file by concept; this module only re-exports them with the contract's signatures.
import { raiseUD } from "../fault";

// Segment register loads (MOV Sreg, POP Sreg, LDS..LSS): segments.ts.
export { loadSeg } from "./segments";
// JMP/CALL ptr16:16/32 and m16:16/32; RETF [imm16]: farxfer.ts; IRET/IRETD: iret.ts.
export { farJump, farCall, farReturn } from "./farxfer";
export { iret } from "./iret";
// INT n (kind 0), INT3 (kind 1), INTO (kind 2, caller checks OF), INT1/ICEBP (kind 3).
export { softwareInterrupt } from "./interrupts";
// Port access permission, HLT, CLI, STI, PUSHF, POPF: flagops.ts.
export { ioAllowed, opHlt, opCli, opSti, opPushf, opPopf } from "./flagops";

// Two-byte opcodes; each fetches its own ModRM where it has one.
export function op0F00(): void { raiseUD(); } // SLDT STR LLDT LTR VERR VERW
export function op0F01(): void { raiseUD(); } // SGDT SIDT LGDT LIDT SMSW LMSW INVLPG
export function opLar(): void { raiseUD(); } // 0F 02
export function opLsl(): void { raiseUD(); } // 0F 03
export function opClts(): void { raiseUD(); } // 0F 06
export function opInvd(): void { raiseUD(); } // 0F 08 INVD, 0F 09 WBINVD
export function opMovCr(toCr: bool): void { raiseUD(); } // 0F 20 / 0F 22
export function opMovDr(toDr: bool): void { raiseUD(); } // 0F 21 / 0F 23
export function opWrmsr(): void { raiseUD(); } // 0F 30
export function opRdtsc(): void { raiseUD(); } // 0F 31
export function opRdmsr(): void { raiseUD(); } // 0F 32
export function opRdpmc(): void { raiseUD(); } // 0F 33
export function opSysenter(): void { raiseUD(); } // 0F 34
export function opSysexit(): void { raiseUD(); } // 0F 35
export function opCpuid(): void { raiseUD(); } // 0F A2
export function opArpl(): void { raiseUD(); } // 63 (in real/V86 mode: #UD)
