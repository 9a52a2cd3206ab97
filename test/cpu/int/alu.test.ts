// ALU instructions: results and all six arithmetic flags, computed by hand from the SDM.
import { describe, it, expect } from "vitest";
import { runCode, MODES, CF, PF, AF, ZF, SF, OF, ARITH, DATA, poke32 } from "./harness";

describe.each(MODES)("ALU (%s)", (mode) => {
  it("ADD: carry, overflow, aux carry, parity", async () => {
    const r = await runCode(mode, "mov al, 0x7f\nadd al, 0x01");
    expect(r.fault).toBeNull();
    expect(r.eax & 0xff).toBe(0x80);
    // 0x7f+1 = 0x80: OF (pos+pos=neg), SF, AF (0xf+1 carries out of bit 3), PF: 0x80 has one bit -> odd -> 0
    expect(r.flags & ARITH).toBe(OF | SF | AF);
  });
  it("ADD 32-bit wraps to zero with CF, ZF, PF", async () => {
    const r = await runCode(mode, "mov eax, 0xffffffff\nadd eax, 1");
    expect(r.eax).toBe(0);
    expect(r.flags & ARITH).toBe(CF | ZF | PF | AF);
  });
  it("ADC uses the carry in and computes CF with it", async () => {
    const r = await runCode(mode, "stc\nmov ax, 0xffff\nadc ax, 0");
    expect(r.eax & 0xffff).toBe(0);
    expect(r.flags & ARITH).toBe(CF | ZF | PF | AF);
  });
  it("ADC with carry in: 0x7f + 0 + 1 overflows", async () => {
    const r = await runCode(mode, "stc\nmov bl, 0x7f\nadc bl, 0");
    expect(r.ebx & 0xff).toBe(0x80);
    expect(r.flags & ARITH).toBe(OF | SF | AF);
  });
  it("SUB borrow and SBB with borrow in", async () => {
    const r = await runCode(mode, "mov al, 0\nsub al, 1\nmov bl, 0\nsbb bl, 0");
    // AL = 0xff (CF, SF, AF, PF: 8 ones even); then SBB 0 - 0 - 1 = 0xff with the same flags
    expect(r.eax & 0xff).toBe(0xff);
    expect(r.ebx & 0xff).toBe(0xff);
    expect(r.flags & ARITH).toBe(CF | SF | AF | PF);
  });
  it("CMP sets flags without writing, signed overflow", async () => {
    const r = await runCode(mode, "mov eax, 0x80000000\ncmp eax, 1");
    expect(r.eax).toBe(0x80000000);
    // 0x80000000 - 1 = 0x7fffffff: OF (neg - pos = pos), AF (0 - 1 borrows from bit 4), PF (0xff even)
    expect(r.flags & ARITH).toBe(OF | AF | PF);
  });
  it("logic ops clear CF and OF", async () => {
    const r = await runCode(mode, "stc\nmov ax, 0x8001\nmov cx, 0x8003\nand ax, cx\nxor dx, dx");
    expect(r.eax & 0xffff).toBe(0x8001);
    expect(r.edx & 0xffff).toBe(0);
    expect(r.flags & ARITH).toBe(ZF | PF);
  });
  it("OR and TEST set SF, PF from the result", async () => {
    const r = await runCode(mode, "mov al, 0x80\nor al, 0x03\ntest al, 0x83");
    expect(r.eax & 0xff).toBe(0x83);
    expect(r.flags & ARITH).toBe(SF); // 0x83 has three ones: odd parity
  });
  it("INC/DEC keep CF", async () => {
    const r = await runCode(mode, "stc\nmov al, 0xff\ninc al\nmov bl, 0x80\ndec bl");
    expect(r.eax & 0xff).toBe(0);
    expect(r.ebx & 0xff).toBe(0x7f);
    // DEC 0x80 -> 0x7f: OF, AF (borrow from bit 4), CF kept from STC, PF: 0x7f = 7 ones -> odd
    expect(r.flags & ARITH).toBe(CF | OF | AF);
  });
  it("INC sets OF at 0x7fff and keeps CF clear", async () => {
    const r = await runCode(mode, "clc\nmov cx, 0x7fff\ninc cx");
    expect(r.ecx & 0xffff).toBe(0x8000);
    expect(r.flags & ARITH).toBe(OF | SF | AF | PF);
  });
  it("NEG: CF set unless zero, OF for the minimum", async () => {
    const a = await runCode(mode, "mov al, 0x80\nneg al");
    expect(a.eax & 0xff).toBe(0x80);
    expect(a.flags & ARITH).toBe(CF | OF | SF);
    const b = await runCode(mode, "stc\nxor eax, eax\nneg eax");
    expect(b.flags & ARITH).toBe(ZF | PF);
    const c = await runCode(mode, "mov ax, 1\nneg ax");
    expect(c.eax & 0xffff).toBe(0xffff);
    expect(c.flags & ARITH).toBe(CF | SF | PF | AF);
  });
  it("NOT changes no flag", async () => {
    const r = await runCode(mode, "mov eax, 0x0f0f0f0f\nstc\nnot eax");
    expect(r.eax).toBe(0xf0f0f0f0);
    expect(r.flags & ARITH).toBe(CF);
  });
  it("group 1 with sign-extended imm8, memory operands", async () => {
    const src = mode === "real" ? "add word [0x4000], byte -2\nsub dword [0x4004], 1" : "add word [0x4000], byte -2\nsub dword [0x4004], 1";
    const r = await runCode(mode, src, { init: (cpu) => { poke32(cpu, DATA, 0x1234_0001); poke32(cpu, DATA + 4, 0); } });
    expect(r.mem16(DATA)).toBe(0xffff);
    expect(r.mem16(DATA + 2)).toBe(0x1234);
    expect(r.mem32(DATA + 4)).toBe(0xffffffff);
    expect(r.flags & ARITH).toBe(CF | SF | PF | AF);
  });
  it("reg-to-memory and memory-to-reg forms", async () => {
    const r = await runCode(mode, "mov ebx, 5\nadd [0x4000], ebx\nmov ecx, [0x4000]\nsub cl, [0x4001]", {
      init: (cpu) => poke32(cpu, DATA, 0x0000_0310),
    });
    expect(r.mem32(DATA)).toBe(0x315);
    expect(r.ecx & 0xff).toBe(0x12);
  });
  it("high byte registers", async () => {
    const r = await runCode(mode, "mov eax, 0x1234\nmov bh, ah\nadd ah, al\nmov ch, 0xff");
    expect(r.eax & 0xffff).toBe(0x4634);
    expect(r.ebx & 0xff00).toBe(0x1200);
    expect(r.ecx & 0xff00).toBe(0xff00);
  });
});
