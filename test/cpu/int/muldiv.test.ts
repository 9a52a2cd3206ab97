// MUL, IMUL (one, two and three operands), DIV and IDIV including #DE (SDM Vol. 2A DIV, IDIV,
// IMUL, MUL). Only CF and OF are defined after multiplication; the flags after division are
// undefined and never compared.
import { describe, it, expect } from "vitest";
import { runCode, MODES, CF, OF, DATA, poke32 } from "./harness";

describe.each(MODES)("multiply (%s)", (mode) => {
  it("MUL r/m8: AX = AL * src, CF=OF when AH != 0", async () => {
    const r = await runCode(mode, "mov al, 0x80\nmov bl, 2\nmul bl");
    expect(r.eax & 0xffff).toBe(0x0100);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
  });
  it("MUL r/m16: DX:AX", async () => {
    const r = await runCode(mode, "mov ax, 0x1234\nmov cx, 0x10\nmul cx");
    expect(r.eax & 0xffff).toBe(0x2340);
    expect(r.edx & 0xffff).toBe(0x0001);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
  });
  it("MUL r/m32: EDX:EAX, and a small product clears CF/OF", async () => {
    const a = await runCode(mode, "mov eax, 0xffffffff\nmov ecx, 0xffffffff\nmul ecx");
    expect(a.eax >>> 0).toBe(0x00000001);
    expect(a.edx >>> 0).toBe(0xfffffffe);
    expect(a.flags & (CF | OF)).toBe(CF | OF);
    const b = await runCode(mode, "stc\nmov eax, 3\nmov ecx, 4\nmul ecx");
    expect(b.eax).toBe(12);
    expect(b.edx).toBe(0);
    expect(b.flags & (CF | OF)).toBe(0);
  });
  it("MUL with a memory operand", async () => {
    const r = await runCode(mode, "mov eax, 0x10000\nmul dword [0x4000]", { init: (c) => poke32(c, DATA, 0x10001) });
    expect(r.eax >>> 0).toBe(0x00010000);
    expect(r.edx).toBe(1);
  });
  it("one-operand IMUL: CF=OF only when the product does not fit the low half", async () => {
    const a = await runCode(mode, "mov al, -2\nmov bl, 3\nimul bl");
    expect(a.eax & 0xffff).toBe(0xfffa);
    expect(a.flags & (CF | OF)).toBe(0);
    const b = await runCode(mode, "mov al, 0x40\nmov bl, 2\nimul bl");
    expect(b.eax & 0xffff).toBe(0x0080);
    expect(b.flags & (CF | OF)).toBe(CF | OF);
    const c = await runCode(mode, "mov eax, -5\nmov ecx, 7\nimul ecx");
    expect(c.eax >>> 0).toBe(0xffffffdd);
    expect(c.edx >>> 0).toBe(0xffffffff);
    expect(c.flags & (CF | OF)).toBe(0);
  });
  it("two-operand IMUL truncates and reports overflow", async () => {
    const a = await runCode(mode, "mov eax, 0x40000000\nmov ebx, 2\nimul eax, ebx");
    expect(a.eax >>> 0).toBe(0x80000000);
    expect(a.flags & (CF | OF)).toBe(CF | OF);
    const b = await runCode(mode, "mov cx, -300\nmov bx, 100\nimul cx, bx");
    expect(b.ecx & 0xffff).toBe(0x8ad0);
    expect(b.flags & (CF | OF)).toBe(0);
  });
  it("three-operand IMUL with imm8 and imm32", async () => {
    const r = await runCode(mode, "mov ebx, 5\nimul edx, ebx, -1\nimul esi, ebx, 100000\nimul di, bx, 0x7000");
    expect(r.edx >>> 0).toBe(0xfffffffb);
    expect(r.esi).toBe(500000);
    expect(r.edi & 0xffff).toBe(0x3000); // 5 * 0x7000 = 0x23000
    expect(r.flags & (CF | OF)).toBe(CF | OF);
  });
});

describe.each(MODES)("divide (%s)", (mode) => {
  it("DIV r/m8: AL quotient, AH remainder", async () => {
    const r = await runCode(mode, "mov ax, 1000\nmov bl, 7\ndiv bl");
    expect(r.fault).toBeNull();
    expect(r.eax & 0xffff).toBe(0x068e);
  });
  it("DIV r/m16 of DX:AX", async () => {
    const r = await runCode(mode, "mov dx, 1\nmov ax, 0\nmov cx, 2\ndiv cx");
    expect(r.eax & 0xffff).toBe(0x8000);
    expect(r.edx & 0xffff).toBe(0);
  });
  it("DIV r/m32 of EDX:EAX", async () => {
    const r = await runCode(mode, "mov edx, 3\nmov eax, 7\nmov ecx, 0x10\ndiv ecx");
    expect(r.eax >>> 0).toBe(0x30000000);
    expect(r.edx).toBe(7);
  });
  it("DIV by zero raises #DE and changes nothing", async () => {
    const r = await runCode(mode, "mov eax, 0x1234\nmov edx, 0x55\nxor ecx, ecx\ndiv ecx");
    expect(r.fault).toBe(0);
    expect(r.eax).toBe(0x1234);
    expect(r.edx).toBe(0x55);
  });
  it("DIV with a quotient too large raises #DE", async () => {
    const r = await runCode(mode, "mov ax, 0x1000\nmov bl, 0x10\ndiv bl");
    expect(r.fault).toBe(0);
    expect(r.eax & 0xffff).toBe(0x1000);
  });
  it("IDIV truncates toward zero; the remainder has the dividend's sign", async () => {
    const a = await runCode(mode, "mov ax, -7\nmov bl, 2\nidiv bl");
    expect(a.eax & 0xffff).toBe(0xfffd);
    const b = await runCode(mode, "mov eax, -100\ncdq\nmov ecx, 7\nidiv ecx");
    expect(b.eax >>> 0).toBe(0xfffffff2);
    expect(b.edx >>> 0).toBe(0xfffffffe);
  });
  it("IDIV overflow: -32768 / -1 (16-bit quotient) and INT_MIN / -1", async () => {
    const a = await runCode(mode, "mov ax, 0x8000\ncwd\nmov bx, -1\nidiv bx");
    expect(a.fault).toBe(0);
    const b = await runCode(mode, "mov eax, 0x80000000\ncdq\nmov ecx, -1\nidiv ecx");
    expect(b.fault).toBe(0);
    expect(b.eax >>> 0).toBe(0x80000000);
    const c = await runCode(mode, "mov ax, -128\nmov bl, -1\nidiv bl");
    expect(c.fault).toBe(0);
  });
  it("IDIV at the edge of the range does not fault: -128 / 1", async () => {
    const r = await runCode(mode, "mov ax, -128\nmov bl, 1\nidiv bl");
    expect(r.fault).toBeNull();
    expect(r.eax & 0xffff).toBe(0x0080);
  });
  it("the #DE return address is the DIV instruction", async () => {
    const r = await runCode(mode, "xor cl, cl\ndiv cl");
    expect(r.fault).toBe(0);
    const ip = mode === "real" ? r.mem16(r.esp & 0xffff) : r.mem32(r.esp);
    expect(ip).toBe(0x1002);
  });
});
