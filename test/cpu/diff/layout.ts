// The memory layout and record formats shared by the native runner (test/cpu/native/runner.c)
// and the lab86 side of the user-mode differential tests. Both sides place the code page and the
// data buffer at the same linear addresses, so pointers held in registers mean the same thing.
//
//  0x0001_0000  BUF       4 KiB data buffer; the top quarter is used as the stack
//  0x0002_0000  CODE      the case's code, followed by HLT (offset 0 of the 16-bit code segment)
//  0x0003_0000  (lab86 only) GDT, IDT and the exception stubs, see lab86.ts
//
// FS is a 4 KiB data segment based at BUF (an LDT entry natively, a loaded cache in lab86), so
// instructions with 16-bit addressing can reach the buffer through an FS override.
export const BUF_ADDR = 0x10000;
export const BUF_SIZE = 4096;
export const CODE_ADDR = 0x20000;
export const CODE_MAX = 48;
export const PATCH_MAX = 32;
export const FS_SELECTOR = 0x07;
/** Initial ESP range: the stack lives in the top quarter of the buffer. */
export const STACK_TOP = BUF_ADDR + 0xf00;
/** Memory operands are placed in the first three quarters. */
export const DATA_LIMIT = 0xc00;

export const IN_RECORD_SIZE = 128;
export const OUT_HEADER_SIZE = 56;

/** Outcome codes besides an exception vector. */
export const VEC_NONE = -1; // ran to the final HLT
export const VEC_TIMEOUT = -2;
export const VEC_STRAY = -3; // lab86 stopped somewhere unexpected (see `note`)

export interface Patch {
  off: number;
  bytes: Uint8Array | number[];
}

export interface DiffCase {
  /** The spec this case belongs to (for reports). */
  spec: string;
  code: Uint8Array;
  regs: number[]; // EAX ECX EDX EBX ESP EBP ESI EDI
  eflags: number;
  seed: number;
  patch?: Patch;
  /** EFLAGS bits the SDM leaves undefined after this instruction. */
  undefFlags: number;
  /** Bit i set: GPR i is undefined after this instruction. */
  undefRegs: number;
  /** Buffer bytes [start, end) whose final value the SDM leaves model-specific. */
  undefMem?: [number, number];
  /** Run in a 16-bit code segment (CS.D=0, base CODE_ADDR, limit 0xffff). */
  code16?: boolean;
  /** Run lab86 at CPL 3 with Linux's user selectors (the native side always runs in ring 3). */
  ring3?: boolean;
  /**
   * Run lab86 with paging on, mapping only what the native process has mapped around the case
   * (the buffer and code pages), so accesses that leave them fault on both sides (implies ring3).
   */
  paging?: boolean;
  /** Where the code starts in the code page (default 0); bytes past the page end are dropped. */
  codeOffset?: number;
  /**
   * SS is the buffer segment (base BUF_ADDR, limit 0xfff, like FS) and ESP an offset in it, so
   * EBP/ESP-based addresses use a different base than DS ones (implies ring3).
   */
  ssBuffer?: boolean;
}

export interface Outcome {
  regs: number[];
  eflags: number;
  eip: number;
  vector: number;
  errcode: number;
  /** CR2 after a #PF. */
  cr2?: number;
  /** Final value of every buffer byte that changed. */
  mem: Map<number, number>;
  /** Buffer offsets the comparison ignores (lab86's exception frame, below the faulting ESP). */
  ignoreMem?: [number, number];
  note?: string;
}

export function encodeCases(cases: DiffCase[]): Buffer {
  const out = Buffer.alloc(cases.length * IN_RECORD_SIZE);
  cases.forEach((c, i) => {
    const o = i * IN_RECORD_SIZE;
    if (c.code.length > CODE_MAX) throw new Error(`${c.spec}: code longer than ${CODE_MAX} bytes`);
    for (let r = 0; r < 8; r++) out.writeUInt32LE(c.regs[r] >>> 0, o + r * 4);
    out.writeUInt32LE(c.eflags >>> 0, o + 32);
    out.writeUInt32LE(c.seed >>> 0, o + 36);
    out[o + 40] = c.code.length;
    const p = c.patch;
    if (p) {
      if (p.bytes.length > PATCH_MAX || p.off + p.bytes.length > BUF_SIZE) throw new Error(`${c.spec}: bad patch`);
      out[o + 41] = p.bytes.length;
      out.writeUInt16LE(p.off, o + 42);
      out.set(p.bytes, o + 44 + CODE_MAX);
    }
    out.set(c.code, o + 44);
    out.writeUInt32LE((c.code16 ? 1 : 0) | (c.ssBuffer ? 2 : 0) | ((c.codeOffset ?? 0) << 8), o + 124);
  });
  return out;
}

export function decodeOutcomes(buf: Buffer, count: number): Outcome[] {
  const res: Outcome[] = [];
  let o = 0;
  for (let i = 0; i < count; i++) {
    if (o + OUT_HEADER_SIZE > buf.length) throw new Error(`native runner returned ${i} results for ${count} cases`);
    const regs: number[] = [];
    for (let r = 0; r < 8; r++) regs.push(buf.readUInt32LE(o + r * 4));
    const n = buf.readUInt32LE(o + 48);
    const mem = new Map<number, number>();
    for (let k = 0; k < n; k++) {
      const w = buf.readUInt32LE(o + OUT_HEADER_SIZE + k * 4);
      mem.set(w >>> 8, w & 0xff);
    }
    res.push({
      regs,
      eflags: buf.readUInt32LE(o + 32),
      eip: buf.readUInt32LE(o + 36),
      vector: buf.readInt32LE(o + 40),
      errcode: buf.readUInt32LE(o + 44),
      cr2: buf.readUInt32LE(o + 52),
      mem,
    });
    o += OUT_HEADER_SIZE + n * 4;
  }
  return res;
}

/** The buffer's initial contents: xorshift32 words from `seed` (same generator as runner.c). */
export function fillBuffer(dst: Uint32Array, seed: number): void {
  let x = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i < dst.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    dst[i] = x;
  }
}

/** The initial buffer of a case, patch applied. */
export function initialBuffer(c: Pick<DiffCase, "seed" | "patch">): Uint8Array {
  const words = new Uint32Array(BUF_SIZE / 4);
  fillBuffer(words, c.seed);
  const bytes = new Uint8Array(words.buffer);
  if (c.patch) bytes.set(c.patch.bytes, c.patch.off);
  return bytes;
}
