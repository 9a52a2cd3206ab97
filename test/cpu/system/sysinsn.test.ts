// System instructions (SDM Vol. 2): LAR, LSL, VERR, VERW, ARPL, SLDT/LLDT, STR/LTR, SGDT/LGDT
// (24-bit base with a 16-bit operand), SMSW/LMSW, CLTS, MOV CRn (reserved bits, PG without PE),
// and their privilege checks.
import { describe, it, expect } from "vitest";
import { boot, pm, BACK_TO_REAL_MODE, OUT, L, VEC, ERR, COUNT } from "./sys";
import { nasmMissing } from "../../support/nasm";

// 0x48: DPL 3 data; 0x50: DPL 0 execute-only code; 0x58: conforming DPL 0 readable code;
// 0x60: LDT (base 0x5000, limit 0xf); 0x68: 32-bit interrupt-gate type in the GDT (invalid for
// LAR); 0x70: 32-bit call gate DPL 3.
const EXTRA = `
  DESC 0x12345, 0xabcde, 0x40f3
  DESC 0, 0xfffff, 0xc099
  DESC 0, 0xfffff, 0xc09e
  DESC 0x5000, 0xf, 0x0082
  DESC 0, 0, 0x008e
  GATE 0x08, 0, 0xec, 0
`;

describe.skipIf(nasmMissing())("system instructions", () => {
  it("LAR and LSL return access rights and the expanded limit, with ZF", async () => {
    const s = await pm(`
      mov ax, 0x48
      lar eax, ax
      mov [OUTA], eax
      setz [OUTA + 4]
      mov ax, 0x48
      lsl eax, ax
      mov [OUTA + 8], eax
      mov ax, 0x08
      lsl eax, ax
      mov [OUTA + 12], eax
      mov eax, 0x11111111
      mov bx, 0x68
      lar eax, bx               ; interrupt gate: not valid for LAR, EAX unchanged
      mov [OUTA + 16], eax
      setz [OUTA + 20]
      mov bx, 0x70
      lar eax, bx               ; call gate: valid for LAR
      mov [OUTA + 24], eax
      lsl eax, bx               ; but not for LSL
      setz [OUTA + 28]
      mov bx, 0x38
      lsl eax, bx               ; TSS: valid for LSL
      mov [OUTA + 32], eax
      hlt
    `, EXTRA);
    expect(s.r32(COUNT)).toBe(0);
    // Bits 19:16 (limit) are masked off: LAR returns second dword AND 00F0FF00h.
    expect(s.r32(OUT) >>> 0).toBe(0x0040f300);
    expect(s.r32(OUT + 4) & 0xff).toBe(1);
    expect(s.r32(OUT + 8)).toBe(0xabcde);
    expect(s.r32(OUT + 12)).toBe(0xffffffff);
    expect(s.r32(OUT + 16)).toBe(0x11111111);
    expect(s.r32(OUT + 20) & 0xff).toBe(0);
    expect(s.r32(OUT + 24)).toBe(0x0000ec00);
    expect(s.r32(OUT + 28) & 0xff).toBe(0);
    expect(s.r32(OUT + 32)).toBe(0x67 + 8192 + 1);
  });

  it("LAR at CPL 3 does not see DPL-0 segments, but sees conforming code", async () => {
    const s = await pm(`
      TO_RING3 r3
    r3:
      mov ax, SEL_DATA32_3
      mov ds, ax
      mov bx, 0x10
      lar eax, bx
      setz [OUTA]
      mov bx, 0x5b
      lar eax, bx
      setz [OUTA + 1]
      hlt
    `, EXTRA);
    expect(s.r32(OUT) & 0xffff).toBe(0x0100);
  });

  it("VERR/VERW: readable and writable checks", async () => {
    const s = await pm(`
      verr word [sel50]
      setz [OUTA]            ; execute-only code: not readable
      mov ax, 0x58
      verr ax
      setz [OUTA + 1]        ; conforming readable code
      verw ax
      setz [OUTA + 2]        ; code is never writable
      mov ax, 0x48
      verw ax
      setz [OUTA + 3]
      hlt
    sel50: dw 0x50
    `, EXTRA);
    expect(s.r32(OUT)).toBe(0x01000100); // bytes: 0, 1, 0, 1
  });

  it("ARPL raises the RPL and sets ZF; it is #UD in real mode", async () => {
    const s = await pm(`
      mov ax, 0x10
      mov bx, 0x2b
      arpl ax, bx
      setz [OUTA + 2]
      mov [OUTA], ax
      arpl ax, bx
      setz [OUTA + 3]
      hlt
    `);
    expect(s.r16(OUT)).toBe(0x13);
    expect(s.r16(OUT + 2)).toBe(0x0001);
    const r = await boot(`
      xor ax, ax
      mov ds, ax
      mov word [6*4], h
      mov word [6*4+2], 0
      arpl ax, bx
      hlt
    h: mov byte [0x700], 6
      hlt
    `);
    r.run();
    expect(r.r16(OUT) & 0xff).toBe(6);
  });

  it("LLDT loads LDTR, SLDT/STR store the selectors, LDT selectors then work", async () => {
    const s = await pm(`
      ; LDT at 0x5000 with one data descriptor (selector 0x04 | TI | RPL 0 = 0x04)
      mov dword [0x5000], 0x0000ffff
      mov dword [0x5004], 0x00cf9300
      mov ax, 0x60
      lldt ax
      sldt [OUTA]
      str [OUTA + 2]
      mov ax, 0x04
      mov fs, ax
      mov eax, [fs:0x700]
      mov [OUTA + 4], eax
      mov ax, 0x14               ; beyond the 16-byte LDT
      mov gs, ax
      hlt
    `, EXTRA);
    expect(s.r16(OUT)).toBe(0x60);
    expect(s.r16(OUT + 2)).toBe(0x38);
    expect(s.seg(L.SEG_FS).attrs & 0xff).toBe(0x93);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0x14);
  });

  it("LTR of a busy TSS raises #GP(selector); LLDT of a non-LDT raises #GP(selector)", async () => {
    const s = await pm(`
      mov ax, 0x38
      ltr ax
      hlt
    `);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0x38);
    const t = await pm(`
      mov ax, 0x48
      lldt ax
      hlt
    `, EXTRA);
    expect(t.r32(VEC)).toBe(13);
    expect(t.r32(ERR)).toBe(0x48);
  });

  it("LGDT with a 16-bit operand keeps 24 bits of the base; SGDT stores all 32", async () => {
    const s = await pm(`
      sgdt [OUTA]
      o16 lgdt [desc]
      sgdt [OUTA + 8]
      lgdt [OUTA]
      hlt
    desc: dw 0x1234
          dd 0xff345678
    `);
    expect(s.r16(OUT + 8)).toBe(0x1234);
    expect(s.r32(OUT + 10)).toBe(0x00345678);
    expect(s.cpu.get(L.GDTR_BASE)).toBe(s.r32(OUT + 2));
  });

  it("privileged instructions at CPL 3 raise #GP(0)", async () => {
    for (const insn of ["lgdt [0x700]", "lidt [0x700]", "mov eax, cr0", "mov cr3, eax", "clts", "invd", "wbinvd",
      "mov eax, dr7", "lmsw ax", "invlpg [0]", "hlt", "rdmsr", "wrmsr", "lldt ax", "ltr ax"]) {
      const s = await pm(`
        TO_RING3 r3
      r3:
        ${insn}
        jmp r3
      `);
      expect(s.r32(VEC), insn).toBe(13);
      expect(s.r32(ERR), insn).toBe(0);
    }
  });

  it("SGDT, SIDT, SMSW, SLDT and STR work at CPL 3", async () => {
    const s = await pm(`
      TO_RING3 r3
    r3:
      mov ax, SEL_DATA32_3
      mov ds, ax
      sgdt [OUTA]
      sidt [OUTA + 8]
      smsw [OUTA + 16]
      str [OUTA + 18]
      hlt
    `);
    expect(s.r16(OUT + 8)).toBe(0x7ff);
    expect(s.r32(OUT + 10)).toBe(0x3000);
    expect(s.r16(OUT + 16) & 1).toBe(1);
    expect(s.r16(OUT + 18)).toBe(0x38);
  });

  it("LMSW cannot clear PE; CLTS clears TS; SMSW to a 32-bit register returns CR0", async () => {
    const s = await pm(`
      mov eax, cr0
      or eax, 8
      mov cr0, eax
      xor ax, ax
      lmsw ax
      mov eax, cr0
      mov [OUTA], eax
      clts
      mov eax, cr0
      mov [OUTA + 4], eax
      smsw ebx
      mov [OUTA + 8], ebx
      hlt
    `);
    expect(s.r32(OUT) & 0xf).toBe(1); // PE kept, TS cleared by LMSW (it loads TS too)
    expect(s.r32(OUT + 4) & 8).toBe(0);
    expect(s.r32(OUT + 8)).toBe(s.r32(OUT + 4));
  });

  it("MOV CR4 with a reserved bit (VMXE, SMXE...), CR0.PG without PE, NW without CD raise #GP(0); CR1 is #UD", async () => {
    const cases: [string, number][] = [
      ["mov eax, 0x800\nmov cr4, eax", 13],
      ["mov eax, 0x2000\nmov cr4, eax", 13],
      ["mov eax, 0x80000010\nmov cr0, eax", 13],
      ["mov eax, 0x20000011\nmov cr0, eax", 13],
      ["db 0x0f, 0x20, 0xc8", 6],
      ["db 0x0f, 0x22, 0xe8", 6],
    ];
    for (const [code, vec] of cases) {
      const s = await pm(`${code}\nhlt`);
      expect(s.r32(VEC), code).toBe(vec);
    }
  });

  it("CR0.ET reads as 1 and unimplemented CR0 bits are ignored", async () => {
    const s = await pm(`
      mov eax, cr0
      and eax, ~0x10
      or eax, 0x00000f00
      mov cr0, eax
      mov eax, cr0
      mov [OUTA], eax
      hlt
    `);
    expect(s.r32(OUT) & 0xf10).toBe(0x10);
  });

  it("MOV to CR0 clearing PE returns to real mode at CPL 0", async () => {
    const s = await pm(`${BACK_TO_REAL_MODE}
      xor ax, ax
      mov ds, ax
      mov word [0x700], 0x5151
      hlt
    `);
    expect(s.r16(OUT)).toBe(0x5151);
    expect(s.cpu.get(L.CR0) & 1).toBe(0);
    expect(s.seg(L.SEG_CS).base).toBe(0);
  });

  it("MOV CRn ignores the mod field: the instruction is three bytes whatever mod says", async () => {
    const s = await pm(`
      mov ebx, 0x1234
      db 0x0f, 0x22, 0x13        ; mod=00, reg=2, rm=3: MOV CR2, EBX (no displacement follows)
      db 0x0f, 0x20, 0x51        ; mod=01, reg=2, rm=1: MOV ECX, CR2 (no disp8 follows)
      mov [OUTA], ecx
      hlt
    `);
    expect(s.r32(COUNT)).toBe(0);
    expect(s.r32(OUT)).toBe(0x1234);
  });
});
