// Builds one differential case: prefixes, opcode, a ModRM operand that is either a register or a
// memory operand placed inside the data buffer, immediates, and the initial register values.
//
// Memory operands use every 32-bit addressing form ([disp32], [base+disp8/32], SIB with all
// scales, no-base SIB, ESP and EBP bases) and, with a 0x67 prefix, every 16-bit form. The address
// registers get values that make the effective address land on a chosen offset of the buffer,
// sometimes through 32-bit wraparound (a negative index with a high base). 16-bit addresses can
// only reach the buffer through FS (see layout.ts), so a 16-bit address always has an FS override.
import { BUF_ADDR, DATA_LIMIT, STACK_TOP, type DiffCase, type Patch } from "../layout";
import type { Rng } from "./rng";

export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
export const SEG_PREFIX = { es: 0x26, cs: 0x2e, ss: 0x36, ds: 0x3e, fs: 0x64 } as const;
export type SegName = keyof typeof SEG_PREFIX;

export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800;
export const ARITH = CF | PF | AF | ZF | SF | OF;

export interface PrefixOptions {
  /** Emit 0x66 (16-bit operands). */
  o16?: boolean;
  /** The instruction has a ModRM memory operand: choose address size and segment override. */
  mem?: boolean;
  /** Allow a 16-bit address size (0x67) for the memory operand. */
  allowAddr16?: boolean;
  /** Allow a CS override (a write through CS is #GP: use only where that is wanted). */
  allowCs?: boolean;
  lock?: boolean;
  rep?: 0xf2 | 0xf3;
}

export class CaseBuilder {
  regs: number[];
  eflags: number;
  seed: number;
  readonly bytes: number[] = [];
  patch?: Patch;
  undefFlags = 0;
  undefRegs = 0;
  undefMem?: [number, number];
  codeOffset?: number;
  /** Registers whose values the spec chose: not available as address registers. */
  private readonly pinned = new Set<number>([ESP]);
  addr16 = false;
  seg: SegName | undefined;

  /**
   * With code16 the case runs in a 16-bit code segment: 0x66 selects 32-bit operands and 0x67
   * 32-bit addressing. Generators state the size they want (o16, addr16) and prefixes() emits
   * whatever prefix the mode needs.
   */
  constructor(readonly rng: Rng, readonly code16 = false, readonly ring3 = false, readonly paging = false, readonly ssBuffer = false) {
    this.regs = [];
    for (let r = 0; r < 8; r++) this.regs.push(rng.value(32));
    this.regs[ESP] = (STACK_TOP - rng.below(0x40) * 4 - (ssBuffer ? BUF_ADDR : 0)) >>> 0;
    this.eflags = rng.flags();
    this.seed = rng.u32() || 1;
  }

  setReg(r: number, v: number): void {
    this.regs[r] = v >>> 0;
    this.pinned.add(r);
  }
  /** Set the low `bits` of a register, keeping the rest random. */
  setRegLow(r: number, bits: number, v: number): void {
    const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
    this.setReg(r, ((this.regs[r] & ~mask) | (v & mask)) >>> 0);
  }
  regsPinned(r: number): boolean {
    return this.pinned.has(r);
  }
  pin(r: number): void {
    this.pinned.add(r);
  }
  emit(...b: number[]): void {
    for (const x of b) this.bytes.push(x & 0xff);
  }
  imm8(v: number): void {
    this.emit(v);
  }
  imm16(v: number): void {
    this.emit(v, v >>> 8);
  }
  imm32(v: number): void {
    this.emit(v, v >>> 8, v >>> 16, v >>> 24);
  }
  imm(bits: number, v: number): void {
    if (bits === 8) this.imm8(v);
    else if (bits === 16) this.imm16(v);
    else this.imm32(v);
  }

  prefixes(o: PrefixOptions): void {
    const list: number[] = [];
    if (o.lock) list.push(0xf0);
    if (o.rep) list.push(o.rep);
    if (o.o16 !== undefined && o.o16 !== this.code16) list.push(0x66);
    if (o.mem) {
      this.addr16 = (o.allowAddr16 ?? true) && this.rng.chance(this.code16 ? 0.6 : 0.2);
      if (this.addr16 !== this.code16) list.push(0x67);
      if (this.addr16) {
        // 16-bit offsets reach the buffer through FS, or through SS when it is the buffer
        // segment (BP-based forms, no override: the default segment is SS).
        this.seg = this.ssBuffer && this.rng.chance(0.5) ? undefined : "fs";
      } else {
        const choices: (SegName | undefined)[] = [undefined, undefined, undefined, "ds", "es", "ss", "fs"];
        if (o.allowCs) choices.push("cs");
        this.seg = this.rng.pick(choices);
      }
      if (this.seg) list.push(SEG_PREFIX[this.seg]);
    }
    // Prefix order is free (SDM Vol. 2A 2.1.1): shuffle to exercise the decoder.
    for (let i = list.length - 1; i > 0; i--) {
      const j = this.rng.below(i + 1);
      [list[i], list[j]] = [list[j], list[i]];
    }
    this.emit(...list);
  }

  /** ModRM with a register r/m operand. */
  modrmReg(regField: number, rm: number): void {
    this.emit(0xc0 | ((regField & 7) << 3) | (rm & 7));
  }

  private freeRegs(): number[] {
    const out: number[] = [];
    for (let r = 0; r < 8; r++) if (!this.pinned.has(r)) out.push(r);
    return out;
  }

  /**
   * ModRM memory operand addressing `size` bytes at buffer offset `target` (random if omitted).
   * Returns the buffer offset.
   */
  modrmMem(regField: number, size: number, target?: number): number {
    const rng = this.rng;
    const t = target ?? rng.below(DATA_LIMIT - size);
    const rf = (regField & 7) << 3;
    if (this.addr16) {
      this.mem16(rf, t);
      return t;
    }
    // The linear address of buffer offset t through the segment the form uses: the override, or
    // SS for EBP/ESP bases and DS otherwise (SDM Vol. 1 3.7.5). FS, and SS in ssBuffer cases, are
    // based at the buffer.
    const wantVia = (base: number): number => {
      const seg = this.seg ?? (base === EBP || base === ESP ? "ss" : "ds");
      return ((seg === "fs" || (seg === "ss" && this.ssBuffer) ? 0 : BUF_ADDR) + t) >>> 0;
    };
    const want = wantVia(-1);
    const free = this.freeRegs();
    const form = free.length === 0 ? 0 : rng.below(8);
    if (form === 0) {
      this.emit(0x05 | rf);
      this.imm32(want);
      return t;
    }
    const dispKind = rng.below(3); // 0: none, 1: disp8, 2: disp32
    const disp = dispKind === 0 ? 0 : dispKind === 1 ? rng.range(-128, 127) : rng.chance(0.5) ? rng.range(-4096, 4096) : rng.u32() | 0;
    const mod = dispKind === 0 ? 0 : dispKind;
    const emitDisp = () => (dispKind === 1 ? this.emit(disp) : dispKind === 2 ? this.imm32(disp) : undefined);
    if (form === 7) {
      // [esp + disp]: SIB with base ESP and no index; the displacement reaches the target from ESP.
      const d = (wantVia(ESP) - this.regs[ESP]) | 0;
      const small = d >= -128 && d <= 127;
      this.emit((small ? 0x44 : 0x84) | rf, 0x24 | (rng.below(4) << 6));
      if (small) this.emit(d);
      else this.imm32(d);
      return t;
    }
    if (form <= 3) {
      // [base + disp], no SIB. mod 00 with base EBP means [disp32], so EBP needs a displacement.
      const bases = free.filter((r) => r !== ESP && (r !== EBP || mod !== 0));
      if (bases.length === 0) return this.absolute(rf, want, t);
      const base = rng.pick(bases);
      this.emit((mod << 6) | rf | base);
      emitDisp();
      this.setReg(base, (wantVia(base) - disp) >>> 0);
      return t;
    }
    // SIB: [base + index*scale + disp], or [index*scale + disp32] with no base.
    const scaleBits = rng.below(4);
    const scale = 1 << scaleBits;
    const indexes = free.filter((r) => r !== ESP);
    if (indexes.length === 0) return this.absolute(rf, want, t);
    const index = rng.pick(indexes);
    const k = rng.chance(0.7) ? rng.range(-16, 16) : rng.value(32) | 0;
    const noBase = form === 6;
    if (noBase) {
      // mod 00, base 101: disp32 with no base register.
      this.emit(0x04 | rf, (scaleBits << 6) | (index << 3) | 5);
      this.setReg(index, k);
      this.imm32((want - Math.imul(k, scale)) | 0);
      return t;
    }
    const bases = free.filter((r) => r !== index && r !== ESP && (r !== EBP || mod !== 0));
    if (bases.length === 0) return this.absolute(rf, want, t);
    const base = rng.pick(bases);
    this.emit((mod << 6) | rf | 4, (scaleBits << 6) | (index << 3) | base);
    emitDisp();
    this.setReg(index, k);
    this.setReg(base, (wantVia(base) - Math.imul(k, scale) - disp) >>> 0);
    return t;
  }

  private absolute(rf: number, want: number, t: number): number {
    this.emit(0x05 | rf);
    this.imm32(want);
    return t;
  }

  // 16-bit forms (SDM Vol. 2A Table 2-1): rm 0..7 = BX+SI, BX+DI, BP+SI, BP+DI, SI, DI, BP, BX.
  private mem16(rf: number, t: number): void {
    const rng = this.rng;
    const forms: [number, number[]][] = [
      [0, [EBX, ESI]], [1, [EBX, EDI]], [2, [EBP, ESI]], [3, [EBP, EDI]],
      [4, [ESI]], [5, [EDI]], [6, [EBP]], [7, [EBX]],
    ];
    const viaSs = this.seg === undefined; // see prefixes(): only BP-based forms default to SS
    const usable = forms.filter(([rm, rs]) => rs.every((r) => !this.pinned.has(r)) && (!viaSs || rm === 2 || rm === 3 || rm === 6));
    if (viaSs && usable.length === 0) {
      // No free BP form: [disp16] through an explicit SS override instead.
      this.bytes.splice(0, 0, SEG_PREFIX.ss); // prefixes may come in any order
      this.emit(0x06 | rf);
      this.imm16(t);
      return;
    }
    if (!viaSs && (usable.length === 0 || rng.chance(0.1))) {
      this.emit(0x06 | rf);
      this.imm16(t);
      return;
    }
    const [rm, rs] = rng.pick(usable);
    let mod = rng.below(3);
    if (rm === 6 && mod === 0) mod = 1; // mod 00 rm 110 is [disp16]
    const disp = mod === 0 ? 0 : mod === 1 ? rng.range(-128, 127) : rng.below(0x10000);
    this.emit((mod << 6) | rf | rm);
    if (mod === 1) this.emit(disp);
    if (mod === 2) this.imm16(disp);
    let rest = (t - disp) & 0xffff;
    if (rs.length === 2) {
      const a = rng.below(0x10000);
      this.setRegLow(rs[0], 16, a);
      rest = (rest - a) & 0xffff;
      this.setRegLow(rs[1], 16, rest);
    } else {
      this.setRegLow(rs[0], 16, rest);
    }
  }

  /** Buffer offset of a linear address inside the buffer. */
  static bufOffset(lin: number): number {
    return (lin - BUF_ADDR) >>> 0;
  }

  build(spec: string): DiffCase {
    return {
      spec,
      code: Uint8Array.from(this.bytes),
      regs: this.regs.slice(),
      eflags: this.eflags,
      seed: this.seed,
      patch: this.patch,
      undefFlags: this.undefFlags,
      undefRegs: this.undefRegs,
      undefMem: this.undefMem,
      code16: this.code16,
      ring3: this.ring3,
      paging: this.paging,
      codeOffset: this.codeOffset,
      ssBuffer: this.ssBuffer,
    };
  }
}
