// Stack pushes and pops through SS, honouring the stack size (SS.B selects ESP or SP).
import { SEG_SS } from "../layout";
import { reg32, setReg32, segAttrs, ESP, ATTR_DB } from "./state";
import { faulted } from "./fault";
import { readSeg16, readSeg32, writeSeg16, writeSeg32 } from "./segaccess";

// @ts-ignore: decorator
@inline export function stack32(): bool { return (segAttrs(SEG_SS) & ATTR_DB) != 0; }

// The stack pointer value after moving it by delta, wrapped to the stack size.
export function spAdd(sp: u32, delta: u32): u32 {
  return stack32() ? sp + delta : (sp & 0xffff0000) | ((sp + delta) & 0xffff);
}
// Offset of the top of stack (ESP or SP).
export function spOffset(sp: u32): u32 { return stack32() ? sp : sp & 0xffff; }

export function push16(v: u32): void {
  const sp = spAdd(reg32(ESP), -2);
  writeSeg16(SEG_SS, spOffset(sp), v);
  if (faulted) return;
  setReg32(ESP, sp);
}
export function push32(v: u32): void {
  const sp = spAdd(reg32(ESP), -4);
  writeSeg32(SEG_SS, spOffset(sp), v);
  if (faulted) return;
  setReg32(ESP, sp);
}
export function pushOp(v: u32, op32: bool): void { if (op32) push32(v); else push16(v); }

export function pop16(): u32 {
  const sp = reg32(ESP);
  const v = readSeg16(SEG_SS, spOffset(sp));
  if (faulted) return 0;
  setReg32(ESP, spAdd(sp, 2));
  return v;
}
export function pop32(): u32 {
  const sp = reg32(ESP);
  const v = readSeg32(SEG_SS, spOffset(sp));
  if (faulted) return 0;
  setReg32(ESP, spAdd(sp, 4));
  return v;
}
export function popOp(op32: bool): u32 { return op32 ? pop32() : pop16(); }
// Read the stack at offset `depth` bytes above the top without popping (for instructions that
// must check everything before committing, such as RETF and IRET).
export function peek16(depth: u32): u32 { return readSeg16(SEG_SS, spOffset(spAdd(reg32(ESP), depth))); }
export function peek32(depth: u32): u32 { return readSeg32(SEG_SS, spOffset(spAdd(reg32(ESP), depth))); }
