// A small 16-bit x86 assembler for the BIOS ROM's stubs: just the instructions the stubs use,
// encoded per the Intel SDM Vol. 2 opcode tables, with labels and forward references. The BIOS
// must build from our own sources with nothing outside npm, so no external assembler is used.

type Fixup = { at: number; label: string; kind: "rel8" | "rel16" | "abs16" };

export const AX = 0, CX = 1, DX = 2, BX = 3, SP = 4, BP = 5, SI = 6, DI = 7;
export const ES = 0, CS = 1, SS = 2, DS = 3;

export class Asm16 {
  private readonly bytes: number[] = [];
  private readonly labels = new Map<string, number>();
  private readonly fixups: Fixup[] = [];

  /** `origin` is the offset of the first byte within its segment (e.g. 0 for F000:0000). */
  constructor(readonly origin = 0) {}

  get here(): number {
    return this.origin + this.bytes.length;
  }

  label(name: string): this {
    if (this.labels.has(name)) throw new Error(`asm16: duplicate label ${name}`);
    this.labels.set(name, this.here);
    return this;
  }

  addressOf(name: string): number {
    const v = this.labels.get(name);
    if (v === undefined) throw new Error(`asm16: undefined label ${name}`);
    return v;
  }

  db(...v: number[]): this {
    for (const b of v) {
      if (!Number.isInteger(b) || b < -128 || b > 255) throw new Error(`asm16: byte out of range: ${b}`);
      this.bytes.push(b & 0xff);
    }
    return this;
  }
  dw(...v: number[]): this {
    for (const w of v) this.db(w & 0xff, (w >>> 8) & 0xff);
    return this;
  }
  ascii(s: string): this {
    for (const c of s) this.db(c.charCodeAt(0));
    return this;
  }
  /** Pad with `fill` up to segment offset `offset`. */
  org(offset: number, fill = 0xff): this {
    if (offset < this.here) throw new Error(`asm16: org 0x${offset.toString(16)} is behind 0x${this.here.toString(16)}`);
    while (this.here < offset) this.bytes.push(fill);
    return this;
  }

  // ---- instructions ----
  cli(): this { return this.db(0xfa); }
  sti(): this { return this.db(0xfb); }
  cld(): this { return this.db(0xfc); }
  hlt(): this { return this.db(0xf4); }
  iret(): this { return this.db(0xcf); }
  retf(popBytes = 0): this { return popBytes ? this.db(0xca).dw(popBytes) : this.db(0xcb); }
  ret(): this { return this.db(0xc3); }
  pushf(): this { return this.db(0x9c); }
  popf(): this { return this.db(0x9d); }
  pushReg(r: number): this { return this.db(0x50 + r); }
  popReg(r: number): this { return this.db(0x58 + r); }
  pushSeg(s: number): this { return this.db([0x06, 0x0e, 0x16, 0x1e][s]); }
  popSeg(s: number): this {
    if (s === CS) throw new Error("asm16: pop cs");
    return this.db([0x07, 0, 0x17, 0x1f][s]);
  }
  movRegImm(r: number, imm: number): this { return this.db(0xb8 + r).dw(imm); }
  movAlImm(imm: number): this { return this.db(0xb0, imm); }
  /** MOV Sreg, r16 (8E /r, mod=11). */
  movSegReg(s: number, r: number): this { return this.db(0x8e, 0xc0 | (s << 3) | r); }
  /** MOV r16, r16 (89 /r). */
  movRegReg(dst: number, src: number): this { return this.db(0x89, 0xc0 | (src << 3) | dst); }
  outDxAl(): this { return this.db(0xee); }
  outImmAl(port: number): this { return this.db(0xe6, port); }
  inAlImm(port: number): this { return this.db(0xe4, port); }
  int(n: number): this { return this.db(0xcd, n); }
  jmpFar(seg: number, off: number): this { return this.db(0xea).dw(off).dw(seg); }
  /** JMP rel16 to a label. */
  jmp(label: string): this {
    this.db(0xe9);
    this.fixups.push({ at: this.bytes.length, label, kind: "rel16" });
    return this.dw(0);
  }
  /** JMP rel8 to a label. */
  jmpShort(label: string): this {
    this.db(0xeb);
    this.fixups.push({ at: this.bytes.length, label, kind: "rel8" });
    return this.db(0);
  }
  /** Jcc rel8 (cc: the condition nibble, e.g. 0x4 = Z). */
  jcc(cc: number, label: string): this {
    this.db(0x70 + cc);
    this.fixups.push({ at: this.bytes.length, label, kind: "rel8" });
    return this.db(0);
  }
  /** CALL rel16 to a label. */
  call(label: string): this {
    this.db(0xe8);
    this.fixups.push({ at: this.bytes.length, label, kind: "rel16" });
    return this.dw(0);
  }
  /** A 16-bit word holding a label's offset. */
  dwLabel(label: string): this {
    this.fixups.push({ at: this.bytes.length, label, kind: "abs16" });
    return this.dw(0);
  }

  /** Resolve forward references and return the bytes. */
  assemble(): Uint8Array {
    const out = Uint8Array.from(this.bytes);
    for (const f of this.fixups) {
      const target = this.addressOf(f.label);
      if (f.kind === "abs16") {
        out[f.at] = target & 0xff;
        out[f.at + 1] = (target >>> 8) & 0xff;
      } else if (f.kind === "rel16") {
        const rel = (target - (this.origin + f.at + 2)) & 0xffff;
        out[f.at] = rel & 0xff;
        out[f.at + 1] = rel >>> 8;
      } else {
        const rel = target - (this.origin + f.at + 1);
        if (rel < -128 || rel > 127) throw new Error(`asm16: short jump to ${f.label} out of range (${rel})`);
        out[f.at] = rel & 0xff;
      }
    }
    return out;
  }
}
