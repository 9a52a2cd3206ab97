// Near control transfers, condition codes, the stack forms (PUSHA/POPA, ENTER/LEAVE, POP r/m),
// and the 16-bit wraparound of IP and SP (SDM Vol. 2A CALL, ENTER, Jcc, JMP, LOOP; Vol. 2B POP,
// POPA, PUSH, PUSHA, RET).
import { describe, it, expect } from "vitest";
import { runCode, MODES, poke, poke32, STACK_TOP } from "./harness";
import * as L from "../../../asm/layout";

const CCS = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];
const setAll = CCS.map((c, i) => `set${c} [0x4000+${i}]`).join("\n");

describe.each(MODES)("conditions (%s)", (mode) => {
  // Expected values worked out from the flags of each CMP (SDM Vol. 1 Appendix B).
  it("after CMP 1, 2: CF SF PF set (unsigned below, signed less)", async () => {
    const r = await runCode(mode, `mov eax, 1\ncmp eax, 2\n${setAll}`);
    expect(Array.from({ length: 16 }, (_, i) => r.mem8(0x4000 + i))).toEqual([0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
  });
  it("after CMP 0x80000000, 1: OF set, SF clear", async () => {
    const r = await runCode(mode, `mov eax, 0x80000000\ncmp eax, 1\n${setAll}`);
    expect(Array.from({ length: 16 }, (_, i) => r.mem8(0x4000 + i))).toEqual([1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0]);
  });
  it("after CMP 5, 5: ZF set", async () => {
    const r = await runCode(mode, `mov eax, 5\ncmp eax, 5\n${setAll}`);
    expect(Array.from({ length: 16 }, (_, i) => r.mem8(0x4000 + i))).toEqual([0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0]);
  });
  it("Jcc short and near, taken and not taken", async () => {
    const r = await runCode(mode, [
      // LEA marks the fall-through paths without touching the flags of the CMP.
      "xor ebx, ebx", "mov eax, 3", "cmp eax, 4", "jb short t1", "lea ebx, [ebx+1]", "t1:", "ja near t2",
      "lea ebx, [ebx+2]", "t2:", "jl t3", "lea ebx, [ebx+4]", "t3:", "jecxz t4", "lea ebx, [ebx+8]", "t4:",
    ].join("\n"), { init: (c) => c.setReg(1, 1) });
    expect(r.ebx).toBe(2 | 8);
  });
  it("CMOVcc moves only when the condition holds but always reads the source", async () => {
    const r = await runCode(mode, "mov eax, 1\nmov ebx, 2\nmov ecx, 3\ncmp eax, ebx\ncmovl eax, ecx\ncmovg ebx, ecx\ncmove edx, [0x4000]", {
      init: (c) => { c.setReg(2, 0x77); poke32(c, 0x4000, 9); },
    });
    expect(r.eax).toBe(3);
    expect(r.ebx).toBe(2);
    expect(r.edx).toBe(0x77);
  });
});

describe.each(MODES)("calls, returns, loops (%s)", (mode) => {
  const sp = mode === "real" ? "sp" : "esp";
  it("CALL pushes the return address; RET imm16 pops arguments", async () => {
    const r = await runCode(mode, `push 7\ncall f\nmov ebx, eax\njmp done\nf:\nmov eax, 42\nret 2\ndone:`);
    expect(r.ebx).toBe(42);
    const w = mode === "real" ? 2 : 4;
    expect(r.esp & 0xffff).toBe((STACK_TOP - w + 2) & 0xffff);
  });
  it("indirect CALL and JMP through a register and memory", async () => {
    const r = await runCode(mode, `mov eax, f\ncall ${mode === "real" ? "ax" : "eax"}\nmov word [0x4000], g\njmp [0x4000]\nf:\ninc ecx\nret\ng:\ninc edx`);
    expect(r.ecx).toBe(1);
    expect(r.edx).toBe(1);
  });
  it("LOOP, LOOPE, LOOPNE, JCXZ", async () => {
    const r = await runCode(mode, [
      "mov ecx, 5", "xor eax, eax", "l1: inc eax", "loop l1",
      "mov ecx, 5", "xor ebx, ebx", "l2: inc ebx", "cmp ebx, 2", "loopne l2",
      "mov ecx, 5", "xor edx, edx", "l3: inc edx", "cmp edx, 1", "loope l3",
      "mov esi, ecx",
    ].join("\n"));
    expect(r.eax).toBe(5);
    expect(r.ebx).toBe(2);
    expect(r.edx).toBe(2);
    expect(r.esi).toBe(3);
  });
  it("PUSHA/POPA save all registers; POPA skips the saved SP", async () => {
    const r = await runCode(mode, [
      "mov eax, 1", "mov ecx, 2", "mov edx, 3", "mov ebx, 4", "mov ebp, 6", "mov esi, 7", "mov edi, 8",
      mode === "real" ? "pusha" : "pushad",
      "xor eax, eax", "xor ecx, ecx", "xor edx, edx", "xor ebx, ebx", "xor ebp, ebp", "xor esi, esi", "xor edi, edi",
      mode === "real" ? "mov word [esp+6], 0x1111" : "mov dword [esp+12], 0x1111",
      mode === "real" ? "popa" : "popad",
    ].join("\n"));
    expect([r.eax, r.ecx, r.edx, r.ebx, r.ebp, r.esi, r.edi]).toEqual([1, 2, 3, 4, 6, 7, 8]);
    expect(r.esp).toBe(STACK_TOP);
  });
  it("PUSHA stores the original SP in the SP slot", async () => {
    const r = await runCode(mode, mode === "real" ? "pusha" : "pushad");
    const w = mode === "real" ? 2 : 4;
    const slot = STACK_TOP - 5 * w; // after EAX ECX EDX EBX
    expect(mode === "real" ? r.mem16(slot) : r.mem32(slot)).toBe(STACK_TOP);
    expect(r.esp).toBe(STACK_TOP - 8 * w);
  });
  it("ENTER with nesting level 3 copies the frame pointers", async () => {
    const src = mode === "real" ? "mov bp, 0x8800\nenter 4, 3" : "mov ebp, 0x8800\nenter 4, 3";
    const r = await runCode(mode, src, {
      init: (c) => {
        if (mode === "real") { poke(c, 0x87fe, [0x11, 0x11]); poke(c, 0x87fc, [0x22, 0x22]); }
        else { poke32(c, 0x87fc, 0x1111); poke32(c, 0x87f8, 0x2222); }
      },
    });
    const w = mode === "real" ? 2 : 4;
    const rd = (a: number) => (mode === "real" ? r.mem16(a) : r.mem32(a));
    const frame = STACK_TOP - w;
    expect(rd(frame)).toBe(0x8800);
    expect(rd(frame - w)).toBe(0x1111);
    expect(rd(frame - 2 * w)).toBe(0x2222);
    expect(rd(frame - 3 * w)).toBe(frame);
    expect(r.ebp & 0xffff).toBe(frame);
    expect(r.esp & 0xffff).toBe(frame - 3 * w - 4);
  });
  it("ENTER level 0 and LEAVE undo each other", async () => {
    const r = await runCode(mode, "mov ebp, 0x1234\nenter 16, 0\nmov ebx, ebp\nleave");
    expect(r.ebp).toBe(0x1234);
    expect(r.esp).toBe(STACK_TOP);
    expect(r.ebx & 0xffff).toBe(STACK_TOP - (mode === "real" ? 2 : 4));
  });
  it("POP r/m with an ESP-based address uses the incremented ESP", async () => {
    const src = mode === "real"
      ? "push word 0x5555\npush word 0x7777\nmov bp, sp\npop word [bp+2]\nmov ax, [bp+2]"
      : "push dword 0x5555\npush dword 0x7777\npop dword [esp]\nmov eax, [esp]";
    const r = await runCode(mode, src);
    expect(r.eax & 0xffff).toBe(0x7777);
  });
  it("PUSH ESP pushes the value before the push; POP ESP loads the popped value", async () => {
    const r = await runCode(mode, `push ${sp}\npop ebx\nmov dword [0x4000], 0`);
    expect(r.ebx & 0xffff).toBe(STACK_TOP & 0xffff);
    const p = await runCode(mode, mode === "real" ? "push word 0x6000\npop sp" : "push dword 0x6000\npop esp");
    expect(p.esp & 0xffff).toBe(0x6000);
  });
});

describe("16-bit wraparound (real mode)", () => {
  it("a near jump wraps IP at 64 KiB", async () => {
    // CS base 0x10000, IP 0xfff0: JMP +0x1d lands at IP (0xfff3 + 0x1d) & 0xffff = 0x0010.
    const r = await runCode("real", "", {
      bytes: [],
      init: (c) => {
        c.setSeg(L.SEG_CS, 0x1000, 0x10000, 0xffff, 0x93);
        c.eip = 0xfff0;
        poke(c, 0x1fff0, [0xe9, 0x1d, 0x00]);
        poke(c, 0x10010, [0xb3, 0x42, 0xf4]); // mov bl, 0x42; hlt
      },
    });
    expect(r.ebx & 0xff).toBe(0x42);
    expect(r.eip).toBe(0x13);
  });
  it("CALL with a 16-bit operand size truncates the return address and target", async () => {
    const r = await runCode("real", "call f\nf:\npop ax");
    expect(r.eax & 0xffff).toBe(0x1003);
  });
  it("SP wraps from 0 to 0xFFFE", async () => {
    const r = await runCode("real", "mov ax, 0x2000\nmov ss, ax\nxor sp, sp\npush word 0xabcd", { init: (c) => c.setReg(4, 0) });
    expect(r.esp & 0xffff).toBe(0xfffe);
    expect(r.mem16(0x2fffe)).toBe(0xabcd);
  });
  it("a 16-bit effective address wraps: [bx+2] with BX=0xffff reads offset 1", async () => {
    const r = await runCode("real", "mov ax, 0x3000\nmov ds, ax\nmov bx, 0xffff\nmov al, [bx+2]", {
      init: (c) => poke(c, 0x30001, [0x99]),
    });
    expect(r.eax & 0xff).toBe(0x99);
  });
  it("a word at offset 0xFFFF is beyond the limit: #GP", async () => {
    const r = await runCode("real", "mov bx, 0xffff\nmov ax, [bx]");
    expect(r.fault).toBe(13);
  });
  it("a word on the stack at SP=0xFFFF faults with #SS", async () => {
    const r = await runCode("real", "mov sp, 0xffff\npop ax", { init: (c) => c.setReg(4, 0xffff) });
    expect(r.fault).toBe(12);
  });
});

describe("CS limit (protected mode)", () => {
  it("a jump beyond the CS limit raises #GP(0) at the jump", async () => {
    const r = await runCode("pm32", "nop\njmp 0x3000", {
      init: (c) => c.setSeg(L.SEG_CS, 0x08, 0, 0x2fff, 0x409b),
    });
    expect(r.fault).toBe(13);
    expect(r.mem32(r.esp)).toBe(0); // error code
    expect(r.mem32(r.esp + 4)).toBe(0x1001); // EIP of the JMP
  });
  it("RET to beyond the limit faults and leaves ESP alone", async () => {
    const r = await runCode("pm32", "push 0x5000\nret", { init: (c) => c.setSeg(L.SEG_CS, 0x08, 0, 0x2fff, 0x409b) });
    expect(r.fault).toBe(13);
  });
  it("executing into bytes beyond the limit faults", async () => {
    // The limit ends inside the MOV's immediate.
    const r = await runCode("pm32", "mov eax, 0x11223344", { init: (c) => c.setSeg(L.SEG_CS, 0x08, 0, 0x1002, 0x409b) });
    expect(r.fault).toBe(13);
    expect(r.eax).toBe(0);
  });
});

describe("operand-size prefix on stack instructions (pm32)", () => {
  it("66 PUSHA / 66 POPA move 16-bit registers and keep the upper halves", async () => {
    const r = await runCode("pm32", "mov eax, 0x11110001\nmov ebx, 0x22220002\no16 pusha\nmov eax, 0xffffffff\nmov ebx, 0xffffffff\no16 popa");
    expect(r.eax >>> 0).toBe(0xffff0001);
    expect(r.ebx >>> 0).toBe(0xffff0002);
    expect(r.esp).toBe(STACK_TOP);
  });
  it("66 CALL / 66 RET push and pop a 16-bit return address", async () => {
    // A 16-bit near call in 32-bit code truncates EIP to 16 bits; code at 0x1000 stays reachable.
    const r = await runCode("pm32", "call word f\njmp done\nf:\nmov ebx, [esp]\nretw\ndone:");
    expect(r.ebx & 0xffff).toBe(0x1004);
    expect(r.esp).toBe(STACK_TOP);
  });
  it("66 ENTER / 66 LEAVE use 16-bit frame slots on a 32-bit stack", async () => {
    const r = await runCode("pm32", "mov ebp, 0x12345678\no16 enter 8, 0\nmov ecx, esp\nmov edx, ebp\nmov ebp, 0x8ffe\no16 leave");
    expect(r.ecx).toBe(STACK_TOP - 2 - 8);
    // A 16-bit ENTER sets BP only, whatever the stack size (as the host CPU does).
    expect(r.edx >>> 0).toBe(0x12348ffe);
    // LEAVE: ESP <- EBP (32-bit stack), then a 16-bit pop into BP.
    expect(r.ebp >>> 0).toBe(0x5678);
    expect(r.esp).toBe(STACK_TOP);
  });
  it("PUSH imm8 is sign-extended to the operand size", async () => {
    const r = await runCode("pm32", "push byte -2\npop eax\no16 push byte -3\no16 pop bx");
    expect(r.eax >>> 0).toBe(0xfffffffe);
    expect(r.ebx & 0xffff).toBe(0xfffd);
  });
});
