// Instruction decoding state shared by every instruction group: prefixes, the ModRM/SIB effective
// address, and immediate fetch. exec.ts resets the prefix state at each instruction start.
//
// After fetchModrm():  modrmReg = bits 5..3, modrmRm = bits 2..0, eaIsReg = (mod == 3); for a
// memory operand, eaSeg/eaOff give the segment register index and the offset (address-size wrapped).
import { EIP, SEG_CS, SEG_SS, SEG_DS } from "../layout";
import { reg32, segBase, segLimit, segAttrs, EBX, EBP, ESI, EDI, ESP, ATTR_DB } from "./state";
import { fetchLin8 } from "./memory";
import { raise, faulted, EXC_GP } from "./fault";

export let opsize32: bool = false; // operand size after the 0x66 prefix
export let addrsize32: bool = false; // address size after the 0x67 prefix
export let segOverride: i32 = -1; // segment register index, or -1
export let repPrefix: u32 = 0; // 0, 0xf2 (REPNE) or 0xf3 (REP/REPE)
export let lockPrefix: bool = false;
export let prefix66: bool = false; // 0x66 seen (SSE uses it as a mandatory prefix)
export let codeDefault32: bool = false; // CS.D of the current code segment

export let modrm: u32 = 0;
export let modrmReg: i32 = 0;
export let modrmRm: i32 = 0;
export let eaIsReg: bool = false;
export let eaSeg: i32 = SEG_DS;
export let eaOff: u32 = 0;

// Called by exec.ts before the first prefix byte.
export function beginInstruction(): void {
  codeDefault32 = (segAttrs(SEG_CS) & ATTR_DB) != 0;
  opsize32 = codeDefault32;
  addrsize32 = codeDefault32;
  segOverride = -1;
  repPrefix = 0;
  lockPrefix = false;
  prefix66 = false;
}
export function setOpsizePrefix(): void { opsize32 = !codeDefault32; prefix66 = true; }
export function setAddrsizePrefix(): void { addrsize32 = !codeDefault32; }
export function setSegOverride(s: i32): void { segOverride = s; }
export function setRep(p: u32): void { repPrefix = p; }
export function setLock(): void { lockPrefix = true; }

// ---- Code fetch at CS:EIP with the CS limit check (SDM Vol. 3A 5.3) ----
// An instruction byte beyond the CS limit raises #GP(0).
export function fetch8(): u32 {
  const ip = load<u32>(EIP);
  if (ip > segLimit(SEG_CS)) { raise(EXC_GP, 0); return 0; }
  const b = fetchLin8(segBase(SEG_CS) + ip);
  store<u32>(EIP, codeDefault32 ? ip + 1 : (ip + 1) & 0xffff);
  return b;
}
export function fetch16(): u32 {
  const lo = fetch8();
  return lo | (fetch8() << 8);
}
export function fetch32(): u32 {
  const lo = fetch16();
  return lo | (fetch16() << 16);
}
// Immediates of the current operand size; imm16/32 sign-extended forms for convenience.
export function fetchImmOp(): u32 { return opsize32 ? fetch32() : fetch16(); }
export function fetchSimm8(): u32 { return <u32><i32><i8>fetch8(); }

// Default segment for a memory operand: SS when the base is (E)BP or (E)SP, else DS.
function defaultSeg(ss: bool): i32 {
  if (segOverride >= 0) return segOverride;
  return ss ? SEG_SS : SEG_DS;
}

export function fetchModrm(): void {
  modrm = fetch8();
  modrmReg = <i32>((modrm >> 3) & 7);
  modrmRm = <i32>(modrm & 7);
  const mod = modrm >> 6;
  eaIsReg = mod == 3;
  if (eaIsReg || faulted) return;
  if (addrsize32) decodeEa32(mod);
  else decodeEa16(mod);
}

// 16-bit addressing (SDM Vol. 2A, Table 2-1)
function decodeEa16(mod: u32): void {
  let off: u32 = 0;
  let ss = false;
  const rm = modrmRm;
  if (mod == 0 && rm == 6) {
    off = fetch16();
  } else {
    switch (rm) {
      case 0: off = reg32(EBX) + reg32(ESI); break;
      case 1: off = reg32(EBX) + reg32(EDI); break;
      case 2: off = reg32(EBP) + reg32(ESI); ss = true; break;
      case 3: off = reg32(EBP) + reg32(EDI); ss = true; break;
      case 4: off = reg32(ESI); break;
      case 5: off = reg32(EDI); break;
      case 6: off = reg32(EBP); ss = true; break;
      default: off = reg32(EBX); break;
    }
    if (mod == 1) off += fetchSimm8();
    else if (mod == 2) off += fetch16();
  }
  eaSeg = defaultSeg(ss);
  eaOff = off & 0xffff;
}

// 32-bit addressing with SIB (SDM Vol. 2A, Tables 2-2 and 2-3)
function decodeEa32(mod: u32): void {
  let off: u32 = 0;
  let ss = false;
  const rm = modrmRm;
  if (rm == 4) {
    const sib = fetch8();
    const base = <i32>(sib & 7);
    const index = <i32>((sib >> 3) & 7);
    const scale = sib >> 6;
    if (base == 5 && mod == 0) {
      off = fetch32();
    } else {
      off = reg32(base);
      ss = base == ESP || base == EBP;
    }
    if (index != 4) off += reg32(index) << scale;
  } else if (rm == 5 && mod == 0) {
    off = fetch32();
  } else {
    off = reg32(rm);
    ss = rm == EBP;
  }
  if (mod == 1) off += fetchSimm8();
  else if (mod == 2) off += fetch32();
  eaSeg = defaultSeg(ss);
  eaOff = off;
}

// The offset of a memory operand displaced by `delta` bytes, wrapped to the address size
// (for multi-part operands such as far pointers and descriptor-table registers).
export function eaOffPlus(delta: u32): u32 {
  const o = eaOff + delta;
  return addrsize32 ? o : o & 0xffff;
}
