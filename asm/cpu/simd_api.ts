// PLACEHOLDERS for MMX/SSE/SSE2 (replaced by the SIMD helper, keeping signatures).
import { raiseUD } from "./fault";
// Two-byte opcode 0F xx of the MMX/SSE/SSE2 space (including 0F AE FXSAVE/FXRSTOR/LDMXCSR/
// STMXCSR/fences, 0F 18 prefetch, 0F C3 MOVNTI). Prefix state is in decode.ts (prefix66,
// repPrefix). Fetches its own ModRM.
export function simdExec0F(op: u32): void { raiseUD(); }
