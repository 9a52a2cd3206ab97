// Shifts and rotates: results and flags for counts 0, 1 and n (SDM Vol. 2B SAL/SAR/SHL/SHR,
// RCL/RCR/ROL/ROR, SHLD, SHRD). AF is undefined after shifts and is never compared.
import { describe, it, expect } from "vitest";
import { runCode, MODES, CF, PF, AF, ZF, SF, OF } from "./harness";

const DEF = CF | PF | ZF | SF | OF; // the defined flags (OF only for count 1, checked where defined)

describe.each(MODES)("shifts (%s)", (mode) => {
  it("SHL by 1: CF is the bit shifted out, OF = MSB(result) xor CF", async () => {
    const r = await runCode(mode, "mov al, 0x81\nshl al, 1");
    expect(r.eax & 0xff).toBe(0x02);
    expect(r.flags & DEF).toBe(CF | OF);
  });
  it("SHR by 1: OF is the original MSB", async () => {
    const r = await runCode(mode, "mov al, 0x81\nshr al, 1");
    expect(r.eax & 0xff).toBe(0x40);
    expect(r.flags & DEF).toBe(CF | OF);
  });
  it("SAR by 1 keeps the sign, clears OF", async () => {
    const r = await runCode(mode, "mov al, 0x81\nsar al, 1");
    expect(r.eax & 0xff).toBe(0xc0);
    expect(r.flags & DEF).toBe(CF | SF | PF);
  });
  it("SAR by 7 and by 31", async () => {
    const r = await runCode(mode, "mov al, 0x80\nsar al, 7\nmov ebx, 0x80000000\nmov cl, 31\nsar ebx, cl");
    expect(r.eax & 0xff).toBe(0xff);
    expect(r.ebx >>> 0).toBe(0xffffffff);
    // last bit out of SAR EBX,31 is bit 30 of 0x80000000 = 0
    expect(r.flags & (CF | ZF | SF | PF)).toBe(SF | PF);
  });
  it("a count of 0 (or 32, masked to 0) changes no flag and no operand", async () => {
    const r = await runCode(mode, "mov al, 0xff\nadd al, 1\nmov ebx, 0x1234\nmov cl, 0\nshl ebx, cl\nmov cl, 32\nshr ebx, cl\nrcl ebx, cl\nror ebx, cl");
    expect(r.ebx).toBe(0x1234);
    expect(r.flags & (DEF | AF)).toBe(CF | ZF | PF | AF);
  });
  it("SHL by n: CF is the last bit out", async () => {
    const r = await runCode(mode, "mov eax, 0x30000001\nshl eax, 3");
    expect(r.eax >>> 0).toBe(0x80000008);
    expect(r.flags & (CF | ZF | SF | PF)).toBe(CF | SF);
  });
  it("16-bit SHL by 17 (count below 32) clears the operand", async () => {
    const r = await runCode(mode, "mov ax, 0xffff\nmov cl, 17\nshl ax, cl");
    expect(r.eax & 0xffff).toBe(0);
    expect(r.flags & (ZF | SF | PF)).toBe(ZF | PF);
  });
  it("SHR by n into zero", async () => {
    const r = await runCode(mode, "mov dx, 0x8000\nshr dx, 15\nmov bx, 0x4000\nshr bx, 15");
    expect(r.edx & 0xffff).toBe(1);
    expect(r.ebx & 0xffff).toBe(0);
    expect(r.flags & (CF | ZF | SF | PF)).toBe(CF | ZF | PF); // bit 14 of 0x4000 was the last out
  });
  it("ROL by 1 sets CF and OF only, other flags unchanged", async () => {
    const r = await runCode(mode, "xor ebx, ebx\nmov al, 0x81\nrol al, 1");
    expect(r.eax & 0xff).toBe(0x03);
    expect(r.flags & DEF).toBe(CF | OF | ZF | PF);
  });
  it("ROR by 1: CF = MSB(result), OF = MSB xor next", async () => {
    const r = await runCode(mode, "mov al, 0x01\nror al, 1");
    expect(r.eax & 0xff).toBe(0x80);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
  });
  it("ROL a byte by 8: operand unchanged, CF = LSB", async () => {
    const r = await runCode(mode, "clc\nmov al, 0x01\nmov cl, 8\nrol al, cl");
    expect(r.eax & 0xff).toBe(0x01);
    expect(r.flags & CF).toBe(CF);
  });
  it("ROR 32-bit by 4 and ROL 16-bit by 12", async () => {
    const r = await runCode(mode, "mov eax, 0x12345678\nror eax, 4\nmov bx, 0xabcd\nrol bx, 12");
    expect(r.eax >>> 0).toBe(0x81234567);
    expect(r.ebx & 0xffff).toBe(0xdabc);
    expect(r.flags & CF).toBe(0); // LSB of 0xdabc
  });
  it("RCL by 1 through carry", async () => {
    const r = await runCode(mode, "stc\nmov al, 0x80\nrcl al, 1");
    expect(r.eax & 0xff).toBe(0x01);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
  });
  it("RCR by 1 through carry, OF = MSB(dest) xor CF before", async () => {
    const a = await runCode(mode, "clc\nmov al, 0x01\nrcr al, 1");
    expect(a.eax & 0xff).toBe(0);
    expect(a.flags & (CF | OF)).toBe(CF);
    const b = await runCode(mode, "stc\nmov al, 0x01\nrcr al, 1");
    expect(b.eax & 0xff).toBe(0x80);
    expect(b.flags & (CF | OF)).toBe(CF | OF);
  });
  it("RCL of a byte by 9 is a full turn; RCR 32-bit by 2", async () => {
    const r = await runCode(mode, "stc\nmov al, 0x55\nmov cl, 9\nrcl al, cl\nclc\nmov ebx, 3\nrcr ebx, 2");
    expect(r.eax & 0xff).toBe(0x55);
    expect(r.ebx >>> 0).toBe(0x80000000);
    expect(r.flags & CF).toBe(CF);
  });
  it("RCL 16-bit by 17 is a full turn, by 16 moves CF to bit 15", async () => {
    const r = await runCode(mode, "clc\nmov ax, 0x1234\nmov cl, 17\nrcl ax, cl\nstc\nmov bx, 0x0002\nmov cl, 16\nrcl bx, cl");
    expect(r.eax & 0xffff).toBe(0x1234);
    // 17-bit CF:BX = 1:0002 rotated left 16 = rotated right 1: BX = 0x8001, CF = 0
    expect(r.ebx & 0xffff).toBe(0x8001);
    expect(r.flags & CF).toBe(0);
  });
  it("memory operand shifts by CL and imm8", async () => {
    const r = await runCode(mode, "mov dword [0x4000], 0x00000081\nmov cl, 4\nshl dword [0x4000], cl\nsar word [0x4000], 2");
    expect(r.mem32(0x4000)).toBe(0x204);
  });
  it("SHLD and SHRD by 8", async () => {
    const r = await runCode(mode, "mov eax, 0x12345678\nmov ebx, 0x9abcdef0\nmov edx, eax\nshld eax, ebx, 8\nmov cl, 8\nshrd edx, ebx, cl");
    expect(r.eax >>> 0).toBe(0x3456789a);
    expect(r.edx >>> 0).toBe(0xf0123456);
    expect(r.flags & (CF | ZF | SF | PF)).toBe(SF | PF);
  });
  it("SHLD 16-bit: CF is the last bit out of the destination", async () => {
    const r = await runCode(mode, "mov ax, 0x8001\nmov bx, 0xc000\nshld ax, bx, 1");
    expect(r.eax & 0xffff).toBe(0x0003);
    expect(r.flags & (CF | OF)).toBe(CF | OF); // sign changed from 1 to 0
  });
  it("SHLD with count 0 changes nothing", async () => {
    const r = await runCode(mode, "stc\nmov eax, 1\nmov ebx, 2\nmov cl, 0\nshld eax, ebx, cl");
    expect(r.eax).toBe(1);
    expect(r.flags & CF).toBe(CF);
  });
});
