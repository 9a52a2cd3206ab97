// Instructions whose segment work the system unit does, checked here for the operand decoding the
// interpreter does first: far pointers (immediate and in memory, 16- and 32-bit offsets), LxS,
// MOV/PUSH/POP Sreg, and the interrupt shadow after loading SS.
import { describe, it, expect } from "vitest";
import { runCode, poke, poke32 } from "./harness";
import * as L from "../../../asm/layout";

describe("far transfers and segment loads (real mode)", () => {
  it("JMP ptr16:16 and CALL ptr16:16 / RETF", async () => {
    const r = await runCode("real", "call 0x0000:f\njmp 0x0000:g\nf:\nmov bx, cs\ninc cx\nretf\ng:\ninc dx");
    expect(r.fault).toBeNull();
    expect(r.ecx).toBe(1);
    expect(r.edx).toBe(1);
    expect(r.esp).toBe(0x9000);
  });
  it("CALL m16:16 and JMP m16:32 through memory", async () => {
    const r = await runCode("real", "mov word [0x4000], f\nmov word [0x4002], 0\ncall far [0x4000]\nmov dword [0x4004], g\nmov word [0x4008], 0\njmp far dword [0x4004]\nf:\ninc cx\nretf\ng:\ninc dx");
    expect(r.fault).toBeNull();
    expect([r.ecx, r.edx]).toEqual([1, 1]);
  });
  it("a far pointer in a register is #UD", async () => {
    const r = await runCode("real", "", { bytes: [0xff, 0xd8] }); // CALL FAR AX
    expect(r.fault).toBe(6);
  });
  it("RETF imm16 releases parameters", async () => {
    const r = await runCode("real", "push word 1\npush word 2\ncall 0:f\njmp done\nf:\nretf 4\ndone:");
    expect(r.esp).toBe(0x9000);
  });
  it("LDS, LES, LFS, LGS, LSS load a selector and an offset", async () => {
    const r = await runCode("real", "lds si, [0x4000]\nles di, [cs:0x4000]\nlfs bx, [cs:0x4000]\nlgs cx, [cs:0x4000]\nlss sp, [cs:0x4000]", {
      init: (c) => { poke(c, 0x4000, [0x34, 0x12, 0x00, 0x30]); },
    });
    expect([r.esi, r.edi, r.ebx, r.ecx, r.esp & 0xffff]).toEqual([0x1234, 0x1234, 0x1234, 0x1234, 0x1234]);
    for (const s of [L.SEG_DS, L.SEG_ES, L.SEG_FS, L.SEG_GS, L.SEG_SS]) {
      expect(r.cpu.seg(s).sel).toBe(0x3000);
      expect(r.cpu.seg(s).base).toBe(0x30000);
    }
  });
  it("LES with a register operand is #UD", async () => {
    const r = await runCode("real", "", { bytes: [0xc4, 0xc0] });
    expect(r.fault).toBe(6);
  });
  it("MOV Sreg, PUSH/POP Sreg, MOV r/m, Sreg", async () => {
    const r = await runCode("real", "mov ax, 0x1234\nmov es, ax\npush es\npop fs\nmov bx, fs\nmov [0x4000], es\nmov ecx, 0xffffffff\nmov ecx, es", {});
    expect(r.cpu.seg(L.SEG_FS).sel).toBe(0x1234);
    expect(r.ebx & 0xffff).toBe(0x1234);
    expect(r.mem16(0x4000)).toBe(0x1234);
    expect(r.ecx).toBe(0x1234); // zero-extended into a 32-bit register
  });
  it("POP CS does not exist (0F is the two-byte escape) and MOV CS is #UD", async () => {
    const r = await runCode("real", "", { bytes: [0x8e, 0xc8] });
    expect(r.fault).toBe(6);
  });
});

describe("far transfers (pm32, flat GDT)", () => {
  it("JMP 0x08:target and a far call with a 32-bit offset", async () => {
    const r = await runCode("pm32", "jmp 0x08:next\nnext:\ncall 0x08:f\njmp done\nf:\ninc ecx\nretf\ndone:");
    expect(r.fault).toBeNull();
    expect(r.ecx).toBe(1);
    expect(r.esp).toBe(0x9000);
  });
  it("PUSH Sreg with a 32-bit operand size writes 16 bits into a 4-byte slot", async () => {
    const r = await runCode("pm32", "mov dword [0x8ffc], 0xaaaaaaaa\npush ds", {});
    expect(r.esp).toBe(0x8ffc);
    expect(r.mem32(0x8ffc)).toBe(0xaaaa0010);
  });
  it("MOV SS opens an interrupt shadow", async () => {
    // Run exactly the MOV SS: the shadow flag must be set for the next instruction.
    const r = await runCode("pm32", "mov ax, 0x10\nmov ss, ax\nnop", { budget: 2 });
    expect(r.cpu.get(L.INHIBIT_IRQ)).toBe(1);
  });
});
