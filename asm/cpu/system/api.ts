// PLACEHOLDERS for the system-level entry points that the integer interpreter's dispatch calls.
// The system helper replaces each body (keeping the signatures) in the files it owns, then
// re-exports them here. Until then each raises #UD.
import { raiseUD } from "../fault";

// Load a segment register by selector (MOV Sreg, POP Sreg, LDS..LSS): real, V86 and protected
// mode rules. SS loads also set the interrupt shadow (caller does that).
export function loadSeg(seg: i32, sel: u32): void { raiseUD(); }
// JMP/CALL ptr16:16/32 and m16:16/32; RETF [imm16]; IRET/IRETD.
export function farJump(sel: u32, off: u32, op32: bool): void { raiseUD(); }
export function farCall(sel: u32, off: u32, op32: bool): void { raiseUD(); }
export function farReturn(op32: bool, popBytes: u32): void { raiseUD(); }
export function iret(op32: bool): void { raiseUD(); }
// INT n (kind 0), INT3 (kind 1), INTO (kind 2, caller checks OF), INT1/ICEBP (kind 3).
export function softwareInterrupt(vector: u32, kind: i32): void { raiseUD(); }
// Port access permission: CPL <= IOPL, else the TSS I/O bitmap (SDM Vol. 1 19.5). Raises #GP(0)
// and returns false when denied.
export function ioAllowed(port: u32, size: u32): bool { return true; }
// Privileged and mode-sensitive one-byte opcodes.
export function opHlt(): void { raiseUD(); }
export function opCli(): void { raiseUD(); }
export function opSti(): void { raiseUD(); }
export function opPushf(): void { raiseUD(); }
export function opPopf(): void { raiseUD(); }
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
