// Instruction decoding state shared by every instruction group: prefixes, the ModRM/SIB effective
// address, and immediate fetch. exec.ts resets the prefix state at each instruction start.
//
// After fetchModrm():  modrmReg = bits 5..3, modrmRm = bits 2..0, eaIsReg = (mod == 3); for a
// memory operand, eaSeg/eaOff give the segment register index and the offset (address-size wrapped).
import { EIP, INSN_START_EIP, SEG_CS, SEG_SS, SEG_DS } from "../layout";
import {
  reg32, segBase, segLimit, segAttrs, EBX, EBP, ESI, EDI, ESP, ATTR_DB, segCacheWritten, clearSegCacheWritten,
  ATTR_P, ATTR_CODE, ATTR_DC, ATTR_RW,
} from "./state";
import { fetchLin8, fetchTag, fetchAddend } from "./memory";
import { raise, faulted, EXC_GP } from "./fault";
import { sliceExecuted } from "./run";

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
  // Everything derived from the segment caches (CS.D, the fetch window, the flat segments) is
  // recomputed only when a cache was written (checkFetchWindow); the prefix state only when the
  // previous instruction had prefixes.
  checkFetchWindow();
  if (prefixSeen) {
    prefixSeen = false;
    opsize32 = codeDefault32;
    addrsize32 = codeDefault32;
    segOverride = -1;
    repPrefix = 0;
    lockPrefix = false;
    prefix66 = false;
  }
}
let prefixSeen: bool = true;
export function setOpsizePrefix(): void { opsize32 = !codeDefault32; prefix66 = true; prefixSeen = true; }
export function setAddrsizePrefix(): void { addrsize32 = !codeDefault32; prefixSeen = true; }
export function setSegOverride(s: i32): void { segOverride = s; prefixSeen = true; }
export function setRep(p: u32): void { repPrefix = p; prefixSeen = true; }
export function setLock(): void { lockPrefix = true; prefixSeen = true; }

// ---- Code fetch at CS:EIP with the CS limit check (SDM Vol. 3A 5.3) ----
// An instruction byte beyond the CS limit raises #GP(0).
//
// Fast path: a window of EIP values [winStart, winEnd) whose bytes are known to be fetchable
// from one host-mapped page (the one-entry fetch cache of memory.ts), within the CS limit and
// without 16-bit IP wrap. It survives from one instruction to the next while the fetch cache
// and the CS cache stay the same (checked in beginInstruction). Because it is keyed by EIP
// values, any change of EIP (a branch, a rewind after peeking) keeps it correct, and a fetch
// outside it takes the checked slow path, which reopens it.
//
// The 15-byte limit (SDM Vol. 2A 2.3.11): the slow path raises #GP(0) when a 16th byte would be
// fetched. Only an instruction with more than 4 prefixes can be that long (the longest
// unprefixed one has 11 bytes), so exec.ts calls limitInstructionLength() after the 5th prefix,
// which clips the window at the 15th byte for this instruction.
// EIP of the current instruction's first byte (stored by the run loop before each step).
// @ts-ignore: decorator
@inline function insnStartIp(): u32 { return load<u32>(INSN_START_EIP); }
let winStart: u32 = 1;
let winEnd: u32 = 0;
let winDelta: u32 = 0; // host address = EIP + winDelta
let winTag: u32 = 1; // fetch cache tag the window was built from
let longInsn: bool = false;

// @ts-ignore: decorator
@inline function closeFetchWindow(): void { winStart = 1; winEnd = 0; }

function openFetchWindow(ip: u32): void {
  closeFetchWindow();
  const lim = segLimit(SEG_CS);
  if (ip > lim) return;
  const base = segBase(SEG_CS);
  const lin = base + ip;
  if ((lin & 0xfffff000) != fetchTag) return;
  const inPage = lin & 0xfff;
  let start: u32 = ip >= inPage ? ip - inPage : 0;
  let end: u64 = <u64>ip + <u64>(0x1000 - inPage);
  if (end > <u64>lim + 1) end = <u64>lim + 1;
  if (!codeDefault32 && end > 0x10000) end = 0x10000;
  if (end > 0xffffffff) end = 0xffffffff;
  if (longInsn) {
    const cap = <u64>insnStartIp() + 15;
    if (end > cap) end = cap;
  }
  winTag = fetchTag;
  winStart = start;
  winEnd = <u32>end;
  winDelta = (lin + fetchAddend) - ip;
}

// Called by exec.ts when an instruction has more than 4 prefixes.
export function limitInstructionLength(): void {
  longInsn = true;
  const cap = <u64>insnStartIp() + 15;
  if (<u64>winEnd > cap) winEnd = <u32>cap;
}

// This runs before every instruction, so it is one branch on globals: the fetch cache tag
// (changed by TLB flushes and privilege changes), the segment-written flag of state.ts (every
// segment load goes through setSegCache), and the start of a slice (the host may have rewritten
// the segment caches through memory between slices).
// @ts-ignore: decorator
@inline function checkFetchWindow(): void {
  if (((winTag ^ fetchTag) | <u32>longInsn | <u32>segCacheWritten | <u32>(sliceExecuted == 0)) != 0) {
    longInsn = false;
    clearSegCacheWritten();
    closeFetchWindow();
    findFlatSegments();
    codeDefault32 = (segAttrs(SEG_CS) & ATTR_DB) != 0;
    opsize32 = codeDefault32;
    addrsize32 = codeDefault32;
  }
}

// Data segments ES..GS that are present, writable, expand-up and 4 GiB long (the flat model):
// bit s set. An operand at any offset up to 2^32 - size is then within the limit, so
// ops/operand.ts skips the checks for them. Derived from the caches like the fetch window.
export let flatSegs: u32 = 0;
function findFlatSegments(): void {
  let m: u32 = 0;
  for (let s = 0; s < 6; s++) {
    if ((segAttrs(s) & (ATTR_P | ATTR_CODE | ATTR_DC | ATTR_RW)) == (ATTR_P | ATTR_RW)
      && segLimit(s) == 0xffffffff) m |= 1 << s;
  }
  flatSegs = m;
}

// @ts-ignore: decorator
@inline export function fetch8(): u32 {
  const ip = load<u32>(EIP);
  if (ip >= winStart && ip < winEnd) {
    store<u32>(EIP, ip + 1);
    return load<u8>(ip + winDelta);
  }
  return fetch8Slow();
}
function fetch8Slow(): u32 {
  const ip = load<u32>(EIP);
  const start = insnStartIp();
  const len = codeDefault32 ? ip - start : (ip - start) & 0xffff;
  if (len >= 15) { raise(EXC_GP, 0); return 0; }
  if (ip > segLimit(SEG_CS)) { raise(EXC_GP, 0); return 0; }
  const b = fetchLin8(segBase(SEG_CS) + ip);
  if (faulted) return 0;
  const next = codeDefault32 ? ip + 1 : (ip + 1) & 0xffff;
  store<u32>(EIP, next);
  // The fetch may have filled the fetch cache: reopen the window around the next byte.
  openFetchWindow(next);
  return b;
}
export function fetch16(): u32 {
  const ip = load<u32>(EIP);
  if (ip >= winStart && ip < winEnd && winEnd - ip >= 2) { // (no u32 overflow near 4 GiB)
    store<u32>(EIP, ip + 2);
    return load<u16>(ip + winDelta);
  }
  const lo = fetch8();
  return lo | (fetch8() << 8);
}
export function fetch32(): u32 {
  const ip = load<u32>(EIP);
  if (ip >= winStart && ip < winEnd && winEnd - ip >= 4) {
    store<u32>(EIP, ip + 4);
    return load<u32>(ip + winDelta);
  }
  const lo = fetch16();
  return lo | (fetch16() << 16);
}
// Immediates of the current operand size; imm16/32 sign-extended forms for convenience.
// @ts-ignore: decorator
@inline export function fetchImmOp(): u32 { return opsize32 ? fetch32() : fetch16(); }
// @ts-ignore: decorator
@inline export function fetchSimm8(): u32 { return <u32><i32><i8>fetch8(); }

// Default segment for a memory operand: SS when the base is (E)BP or (E)SP, else DS.
function defaultSeg(ss: bool): i32 {
  if (segOverride >= 0) return segOverride;
  return ss ? SEG_SS : SEG_DS;
}

// @ts-ignore: decorator
@inline export function fetchModrm(): void {
  const m = fetch8();
  modrm = m;
  modrmReg = <i32>((m >> 3) & 7);
  modrmRm = <i32>(m & 7);
  eaIsReg = m >= 0xc0;
  if (m < 0xc0) decodeEa(m >> 6);
}
function decodeEa(mod: u32): void {
  if (faulted) return;
  if (addrsize32) {
    // The SIB byte and displacement take at most 5 bytes: when the fetch window holds them all,
    // read them straight from the host page and move EIP once.
    const ip = load<u32>(EIP);
    if (ip >= winStart && ip < winEnd && winEnd - ip >= 5) decodeEa32Window(mod, ip);
    else decodeEa32(mod);
  } else decodeEa16(mod);
}

// decodeEa32 with the bytes at host address ip + winDelta, all inside the fetch window.
function decodeEa32Window(mod: u32, ip: u32): void {
  const p = ip + winDelta;
  let len: u32 = 0;
  let off: u32 = 0;
  let ss = false;
  const rm = modrmRm;
  if (rm == 4) {
    const sib = <u32>load<u8>(p);
    len = 1;
    const base = <i32>(sib & 7);
    const index = <i32>((sib >> 3) & 7);
    if (base == 5 && mod == 0) {
      off = load<u32>(p + 1);
      len = 5;
    } else {
      off = reg32(base);
      ss = base == ESP || base == EBP;
    }
    if (index != 4) off += reg32(index) << (sib >> 6);
  } else if (rm == 5 && mod == 0) {
    off = load<u32>(p);
    len = 4;
  } else {
    off = reg32(rm);
    ss = rm == EBP;
  }
  if (mod == 1) { off += <u32><i32>load<i8>(p + len); len += 1; }
  else if (mod == 2) { off += load<u32>(p + len); len += 4; }
  store<u32>(EIP, ip + len);
  eaSeg = defaultSeg(ss);
  eaOff = off;
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
