// Protected-mode segment loads (SDM Vol. 3A 5.4-5.6; Vol. 2 MOV/POP Sreg): the checks, the
// exception and selector error code each one raises, null selectors and the accessed bit.
import { describe, it, expect } from "vitest";
import { pm, OUT, L, VEC, ERR, EIPR, COUNT } from "./sys";
import { nasmMissing } from "../../support/nasm";

const GP = 13, NP = 11, SS_ = 12;

/** MOV `sreg`, AX with AX = `selector` at CPL 0, then HLT. */
const loadSelector = (sreg: string, selector: number, extraGdt = "") => pm(`
      mov ax, ${selector}
      mov ${sreg}, ax
      hlt
    `, extraGdt);

describe.skipIf(nasmMissing())("protected-mode segment loads", () => {
  it("enters protected mode with the flat descriptors and sets their accessed bits", async () => {
    const s = await pm(`
      mov eax, [gdt + 0x10 + 4]
      mov [OUTA], eax
      hlt
    `);
    expect(s.exit).toBe(L.EXIT_HLT_NOIRQ);
    expect(s.r32(COUNT)).toBe(0); // no exception
    const ds = s.seg(L.SEG_DS);
    expect(ds.sel).toBe(0x10);
    expect(ds.base).toBe(0);
    expect(ds.limit).toBe(0xffffffff);
    expect(ds.attrs).toBe(0xc093);
    expect(s.r32(OUT) & 0x100).toBe(0x100); // accessed bit written back to the GDT
    expect(s.seg(L.SEG_CS).attrs & 0xff).toBe(0x9b);
    expect(s.cpu.get(L.CPL)).toBe(0);
  });

  it("a selector beyond the GDT limit raises #GP(selector)", async () => {
    const s = await loadSelector("ds", 0x1f8);
    expect(s.r32(VEC)).toBe(GP);
    expect(s.r32(ERR)).toBe(0x1f8);
  });

  it("the error code drops the RPL but keeps TI (LDT selector with no LDT)", async () => {
    const s = await loadSelector("es", 0x0f);
    expect(s.r32(VEC)).toBe(GP);
    expect(s.r32(ERR)).toBe(0x0c);
  });

  it("a null selector loads into DS but any use of DS raises #GP(0)", async () => {
    const s = await pm(`
      xor eax, eax
      mov ds, ax
      mov dword [ss:OUTA], 1
      mov eax, [0x700]
      hlt
    `);
    expect(s.r32(OUT)).toBe(1); // the load itself did not fault
    expect(s.r32(VEC)).toBe(GP);
    expect(s.r32(ERR)).toBe(0);
    expect(s.seg(L.SEG_DS).sel).toBe(0);
  });

  it("a null selector into SS raises #GP(0)", async () => {
    const s = await pm(`
      xor eax, eax
      mov ss, ax
      hlt
    `);
    expect(s.r32(VEC)).toBe(GP);
    expect(s.r32(ERR)).toBe(0);
  });

  it("a not-present data segment raises #NP(selector); a not-present SS raises #SS(selector)", async () => {
    const notPresent = "DESC 0, 0xfffff, 0xc013";
    const s = await loadSelector("fs", 0x48, notPresent);
    expect(s.r32(VEC)).toBe(NP);
    expect(s.r32(ERR)).toBe(0x48);
    const t = await loadSelector("ss", 0x48, notPresent);
    expect(t.r32(VEC)).toBe(SS_);
    expect(t.r32(ERR)).toBe(0x48);
  });

  it("SS must be a writable data segment with DPL = RPL = CPL", async () => {
    // 0x48: read-only data; 0x50: code; 0x58: writable data with DPL 3 (loaded with RPL 0).
    const extra = "DESC 0, 0xfffff, 0xc091\nDESC 0, 0xfffff, 0xc09b\nDESC 0, 0xfffff, 0xc0f3";
    for (const [sel, err] of [[0x48, 0x48], [0x50, 0x50], [0x58, 0x58], [0x5b, 0x58]]) {
      const s = await loadSelector("ss", sel, extra);
      expect(s.r32(VEC), `SS=${sel.toString(16)}`).toBe(GP);
      expect(s.r32(ERR)).toBe(err);
    }
  });

  it("DS may hold readable code but not execute-only code or a system descriptor", async () => {
    // 0x48: execute/read code; 0x50: execute-only code; 0x58: an LDT descriptor.
    const extra = "DESC 0, 0xfffff, 0xc09b\nDESC 0, 0xfffff, 0xc099\nDESC 0x5000, 0xff, 0x0082";
    const ok = await pm(`
      mov ax, 0x48
      mov ds, ax
      mov eax, [ds:0x1000]
      hlt
    `, extra);
    expect(ok.r32(COUNT)).toBe(0);
    expect(ok.seg(L.SEG_DS).attrs & 0xff).toBe(0x9b);
    for (const sel of [0x50, 0x58]) {
      const s = await loadSelector("ds", sel, extra);
      expect(s.r32(VEC)).toBe(GP);
      expect(s.r32(ERR)).toBe(sel);
    }
  });

  it("data segments check RPL and CPL against DPL", async () => {
    // 0x48: DPL 1 data. From CPL 0 with RPL 2 -> #GP(0x48).
    const s = await loadSelector("ds", 0x4a, "DESC 0, 0xfffff, 0xc0b3");
    expect(s.r32(VEC)).toBe(GP);
    expect(s.r32(ERR)).toBe(0x48);
  });

  it("writes through a read-only data segment fault, expand-down limits invert the range", async () => {
    // 0x48: read-only; 0x50: expand-down writable with limit 0xfff (valid 0x1000..0xffffffff).
    const extra = "DESC 0, 0xfffff, 0xc091\nDESC 0, 0xfff, 0x4097";
    const s = await pm(`
      mov ax, 0x50
      mov es, ax
      mov dword [es:0x2000], 5
      mov eax, [es:0x2000]
      mov [OUTA], eax
      mov ax, 0x48
      mov fs, ax
      mov eax, [fs:0x700]
      mov dword [fs:0x700], 1
      hlt
    `, extra);
    expect(s.r32(OUT)).toBe(5);
    expect(s.r32(VEC)).toBe(GP);
    expect(s.r32(ERR)).toBe(0);
    const t = await pm(`
      mov ax, 0x50
      mov es, ax
      mov eax, [es:0x800]
      hlt
    `, extra);
    expect(t.r32(VEC)).toBe(GP);
  });
});
