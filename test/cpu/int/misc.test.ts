// Data movement, bit instructions, atomics, and decoding rules: LOCK validity and the 15-byte
// limit (SDM Vol. 2A 2.3.11, LOCK), undefined opcodes, and the remaining one-byte instructions.
import { describe, it, expect } from "vitest";
import { runCode, MODES, CF, PF, ZF, SF, OF, DATA, HANDLERS, poke, poke32 } from "./harness";
import * as L from "../../../asm/layout";

describe.each(MODES)("data movement (%s)", (mode) => {
  it("XCHG register forms and with memory", async () => {
    const r = await runCode(mode, "mov eax, 1\nmov ebx, 2\nxchg eax, ebx\nmov ecx, 3\nxchg [0x4000], ecx\nxchg dl, dh", {
      init: (c) => { poke32(c, DATA, 9); c.setReg(2, 0x1234); },
    });
    expect([r.eax, r.ebx, r.ecx, r.edx & 0xffff]).toEqual([2, 1, 9, 0x3412]);
    expect(r.mem32(DATA)).toBe(3);
  });
  it("XLAT indexes BX by AL", async () => {
    const r = await runCode(mode, "mov ebx, 0x4000\nmov al, 2\nxlatb", { init: (c) => poke(c, DATA, [10, 11, 12, 13]) });
    expect(r.eax & 0xff).toBe(12);
  });
  it("CBW CWDE CWD CDQ sign-extend", async () => {
    const r = await runCode(mode, "mov al, 0x80\ncbw\nmov bx, ax\nmov ax, 0x8000\ncwde\nmov ecx, eax\ncdq\nmov esi, edx\nmov ax, 0x7fff\ncwd");
    expect(r.ebx & 0xffff).toBe(0xff80);
    expect(r.ecx >>> 0).toBe(0xffff8000);
    expect(r.esi >>> 0).toBe(0xffffffff);
    expect(r.edx & 0xffff).toBe(0);
  });
  it("MOVZX and MOVSX", async () => {
    const r = await runCode(mode, "mov byte [0x4000], 0x90\nmovzx eax, byte [0x4000]\nmovsx ebx, byte [0x4000]\nmov cx, 0x8001\nmovsx edx, cx\nmovzx si, byte [0x4000]");
    expect(r.eax).toBe(0x90);
    expect(r.ebx >>> 0).toBe(0xffffff90);
    expect(r.edx >>> 0).toBe(0xffff8001);
    expect(r.esi & 0xffff).toBe(0x90);
  });
  it("LEA computes the offset only, truncated to the operand size", async () => {
    const r = await runCode(mode, "mov ebx, 0x10\nmov esi, 0x3\nlea eax, [ebx+esi*4+0x100]\nlea cx, [ebx-0x20]");
    expect(r.eax).toBe(0x11c);
    expect(r.ecx & 0xffff).toBe(0xfff0);
  });
  it("LAHF and SAHF move SF ZF AF PF CF through AH", async () => {
    const r = await runCode(mode, "xor eax, eax\nlahf\nmov bl, ah\nmov ah, 0xd5\nsahf\nlahf");
    expect(r.ebx & 0xff).toBe(0x46); // ZF PF and the fixed bit 1
    expect((r.eax >> 8) & 0xff).toBe(0xd7);
    expect(r.flags & (CF | PF | ZF | SF)).toBe(CF | PF | ZF | SF);
  });
  it("CMC CLC STC", async () => {
    const r = await runCode(mode, "clc\ncmc\nsetc al\ncmc\nsetc bl\nstc\nsetc cl");
    expect([r.eax & 0xff, r.ebx & 0xff, r.ecx & 0xff]).toEqual([1, 0, 1]);
  });
  it("SALC sets AL from CF", async () => {
    const r = await runCode(mode, "", { bytes: [0xf9, 0xd6, 0x88, 0xc3, 0xf8, 0xd6] });
    expect(r.ebx & 0xff).toBe(0xff);
    expect(r.eax & 0xff).toBe(0);
  });
  it("BSWAP", async () => {
    const r = await runCode(mode, "mov eax, 0x12345678\nbswap eax");
    expect(r.eax).toBe(0x78563412);
  });
  it("IN and OUT with immediate and DX ports", async () => {
    const r = await runCode(mode, "mov al, 0x12\nout 0x70, al\nmov dx, 0x3f8\nmov ax, 0x3456\nout dx, ax\nin al, 0x71\nmov bl, al\nmov dx, 0xcfc\nin eax, dx", {
      portReads: { 0x71: 0xab, 0xcfc: 0xdeadbeef },
    });
    expect(r.ports).toEqual([{ port: 0x70, size: 1, value: 0x12 }, { port: 0x3f8, size: 2, value: 0x3456 }]);
    expect(r.ebx & 0xff).toBe(0xab);
    expect(r.eax >>> 0).toBe(0xdeadbeef);
  });
  it("BOUND passes inside the range and raises #BR outside", async () => {
    const ok = await runCode(mode, "mov eax, 5\nbound eax, [0x4000]", { init: (c) => { poke32(c, DATA, -2); poke32(c, DATA + 4, 5); } });
    expect(ok.fault).toBeNull();
    const bad = await runCode(mode, "mov eax, -3\nbound eax, [0x4000]", { init: (c) => { poke32(c, DATA, -2); poke32(c, DATA + 4, 5); } });
    expect(bad.fault).toBe(5);
  });
});

describe.each(MODES)("bit instructions (%s)", (mode) => {
  it("BT BTS BTR BTC on registers set CF from the old bit", async () => {
    const r = await runCode(mode, "mov eax, 0x10\nbt eax, 4\nsetc bl\nbts eax, 0\nsetc bh\nbtr eax, 4\nsetc cl\nbtc eax, 35\nsetc ch");
    expect(r.eax).toBe(0x9); // bit 0 set, bit 4 cleared, bit 3 (35 & 31) flipped
    expect([r.ebx & 0xff, (r.ebx >> 8) & 0xff, r.ecx & 0xff, (r.ecx >> 8) & 0xff]).toEqual([1, 0, 1, 0]);
  });
  it("BT with a register offset addresses memory beyond the operand", async () => {
    const r = await runCode(mode, "mov ecx, 67\nbts dword [0x4000], ecx\nmov edx, -1\nbt dword [0x4004], edx\nsetc al", {
      init: (c) => poke32(c, DATA, 0x80000000),
    });
    expect(r.mem32(DATA + 8)).toBe(0x8); // bit 67 = dword 2, bit 3
    expect(r.eax & 0xff).toBe(1); // bit -1 from 0x4004 = bit 31 of the dword at 0x4000
  });
  it("BT with an immediate offset stays within the operand", async () => {
    const r = await runCode(mode, "bts word [0x4000], 17\nbt word [0x4000], 1\nsetc al", {});
    expect(r.mem32(DATA)).toBe(0x2);
    expect(r.eax & 0xff).toBe(1);
  });
  it("BT leaves ZF alone", async () => {
    const r = await runCode(mode, "xor eax, eax\nmov ebx, 1\nbt ebx, 0");
    expect(r.flags & (CF | ZF)).toBe(CF | ZF);
  });
  it("BSF and BSR find the lowest and highest set bit; a zero source sets ZF", async () => {
    const r = await runCode(mode, "mov eax, 0x00f00100\nbsf ebx, eax\nbsr ecx, eax\nmov edx, 0x77\nxor esi, esi\nbsf edx, esi");
    expect(r.ebx).toBe(8);
    expect(r.ecx).toBe(23);
    expect(r.edx).toBe(0x77);
    expect(r.flags & ZF).toBe(ZF);
  });
  it("SETcc writes a byte to memory or register", async () => {
    const r = await runCode(mode, "mov eax, 1\ncmp eax, 1\nsete [0x4000]\nsetne bl", { init: (c) => poke32(c, DATA, 0xffffffff) });
    expect(r.mem32(DATA)).toBe(0xffffff01);
    expect(r.ebx & 0xff).toBe(0);
  });
});

describe.each(MODES)("atomics (%s)", (mode) => {
  it("CMPXCHG success stores the source and sets ZF", async () => {
    const r = await runCode(mode, "mov eax, 5\nmov ecx, 9\nlock cmpxchg [0x4000], ecx", { init: (c) => poke32(c, DATA, 5) });
    expect(r.mem32(DATA)).toBe(9);
    expect(r.eax).toBe(5);
    expect(r.flags & ZF).toBe(ZF);
  });
  it("CMPXCHG failure loads the accumulator and clears ZF", async () => {
    const r = await runCode(mode, "mov eax, 4\nmov ecx, 9\ncmpxchg [0x4000], ecx", { init: (c) => poke32(c, DATA, 5) });
    expect(r.mem32(DATA)).toBe(5);
    expect(r.eax).toBe(5);
    // flags of CMP 4, 5
    expect(r.flags & (ZF | CF | SF)).toBe(CF | SF);
  });
  it("CMPXCHG8B both ways", async () => {
    const init = (c: any) => { poke32(c, DATA, 0x11111111); poke32(c, DATA + 4, 0x22222222); };
    const ok = await runCode(mode, "mov eax, 0x11111111\nmov edx, 0x22222222\nmov ebx, 0xaaaa\nmov ecx, 0xbbbb\nlock cmpxchg8b [0x4000]", { init });
    expect([ok.mem32(DATA), ok.mem32(DATA + 4)]).toEqual([0xaaaa, 0xbbbb]);
    expect(ok.flags & ZF).toBe(ZF);
    const no = await runCode(mode, "mov eax, 1\nmov edx, 2\nstc\ncmpxchg8b [0x4000]", { init });
    expect([no.eax, no.edx]).toEqual([0x11111111, 0x22222222]);
    expect(no.flags & (ZF | CF)).toBe(CF);
  });
  it("XADD exchanges and adds", async () => {
    const r = await runCode(mode, "mov ecx, 3\nlock xadd [0x4000], ecx\nmov eax, 0xff\nmov bl, 1\nxadd al, bl", { init: (c) => poke32(c, DATA, 10) });
    expect(r.mem32(DATA)).toBe(13);
    expect(r.ecx).toBe(10);
    expect(r.eax & 0xff).toBe(0);
    expect(r.ebx & 0xff).toBe(0xff);
    expect(r.flags & (ZF | CF)).toBe(ZF | CF);
  });
});

describe.each(MODES)("decoding rules (%s)", (mode) => {
  it("LOCK on a lockable instruction with a memory destination executes", async () => {
    const r = await runCode(mode, "mov eax, 1\nlock add [0x4000], eax\nlock inc dword [0x4000]\nlock not dword [0x4004]\nlock bts dword [0x4008], eax");
    expect(r.fault).toBeNull();
    expect(r.mem32(DATA)).toBe(2);
    expect(r.mem32(DATA + 4)).toBe(0xffffffff);
    expect(r.mem32(DATA + 8)).toBe(2);
  });
  it.each([
    ["LOCK MOV", [0xf0, 0x89, 0x18]],
    ["LOCK ADD to a register", [0xf0, 0x01, 0xd8]],
    ["LOCK CMP to memory", [0xf0, 0x39, 0x1f]],
    ["LOCK NOP", [0xf0, 0x90]],
    ["LOCK BT to memory", [0xf0, 0x0f, 0xa3, 0x1f]],
    ["LOCK INC register", [0xf0, 0x40]],
    ["LOCK TEST to memory", [0xf0, 0xf6, 0x07, 0x01]],
    ["LOCK with more prefixes then MOV", [0xf0, 0x66, 0x89, 0x18]],
  ])("%s raises #UD", async (_name, bytes) => {
    const r = await runCode(mode, "", { bytes: bytes as number[], init: (c) => { c.setReg(3, 0x4000); c.setReg(7, 0x4000); } });
    expect(r.fault).toBe(6);
  });
  it("15 bytes with prefixes execute; 16 raise #GP(0)", async () => {
    const ok = await runCode(mode, "", { bytes: [...Array(14).fill(0x3e), 0x90, 0xb0, 0x01] });
    expect(ok.fault).toBeNull();
    expect(ok.eax & 0xff).toBe(1);
    const bad = await runCode(mode, "", { bytes: [...Array(15).fill(0x3e), 0x90] });
    expect(bad.fault).toBe(13);
  });
  it("a long instruction at exactly 15 bytes, and one byte more", async () => {
    // 81 84 00 <disp32> <imm32> in 32-bit code is 11 bytes (ModRM + SIB); with 67 66 in 16-bit.
    const body32 = [0x81, 0x84, 0x00, 0x00, 0x40, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00];
    const body16 = [0x67, 0x66, ...body32];
    const body = mode === "real" ? body16 : body32;
    const pre = 15 - body.length;
    const ok = await runCode(mode, "", { bytes: [...Array(pre).fill(0x3e), ...body] });
    expect(ok.fault).toBeNull();
    expect(ok.mem32(DATA)).toBe(1);
    const bad = await runCode(mode, "", { bytes: [...Array(pre + 1).fill(0x3e), ...body] });
    expect(bad.fault).toBe(13);
    expect(bad.mem32(DATA)).toBe(0);
  });
  it.each([
    ["UD2", [0x0f, 0x0b]],
    ["UD0 (0F FF)", [0x0f, 0xff, 0xc0]],
    ["UD1 (0F B9)", [0x0f, 0xb9, 0xc0]],
    ["MOV r/m, imm with reg != 0", [0xc6, 0xc8, 0x00]],
    ["group 4 /2", [0xfe, 0xd0]],
    ["group 5 /7", [0xff, 0xf8]],
    ["LEA with a register operand", [0x8d, 0xc0]],
    ["MOV to CS", [0x8e, 0xc8]],
    ["BT group /0", [0x0f, 0xba, 0xe0 - 0x20, 0x01]],
    ["CMPXCHG8B with a register", [0x0f, 0xc7, 0xc8]],
  ])("%s raises #UD", async (_name, bytes) => {
    const r = await runCode(mode, "", { bytes: bytes as number[] });
    expect(r.fault).toBe(6);
  });
  it("multi-byte NOPs decode their operand and do nothing", async () => {
    const r = await runCode(mode, "", { bytes: [0x0f, 0x1f, 0x00, 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00, 0xf3, 0x90, 0x66, 0x90, 0xb0, 0x07] });
    expect(r.fault).toBeNull();
    expect(r.eax & 0xff).toBe(7);
  });
  it("operand-size and segment prefixes combine", async () => {
    const src = mode === "real"
      ? "mov ax, 0x300\nmov es, ax\nmov dword [es:0x1000], 0x12345678\nmov eax, [0x4000]\nmov bx, [es:0x1002]"
      : "mov dword [es:0x4000], 0x12345678\nmov eax, [0x4000]\nmov bx, [es:0x4002]";
    const r = await runCode(mode, src);
    expect(r.eax >>> 0).toBe(0x12345678);
    expect(r.ebx & 0xffff).toBe(0x1234);
  });
});

describe("segment limits on data operands", () => {
  it("real mode: a 32-bit address beyond 64 KiB is #GP with a 64 KiB limit", async () => {
    const r = await runCode("real", "mov esi, 0x10000\nmov eax, [esi]");
    expect(r.fault).toBe(13);
  });
  it("unreal mode: a 4 GiB DS limit lets 32-bit addresses reach beyond 1 MiB", async () => {
    const r = await runCode("real", "mov esi, 0x200000\nmov eax, [esi]\nmov [esi+4], eax", {
      init: (c) => { c.setSeg(L.SEG_DS, 0, 0, 0xffffffff, 0x93); poke32(c, 0x200000, 0xcafef00d); },
    });
    expect(r.fault).toBeNull();
    expect(r.eax >>> 0).toBe(0xcafef00d);
    expect(r.mem32(0x200004)).toBe(0xcafef00d);
  });
  it("flat 4 GiB segment: a dword at 0xFFFFFFFE crosses the limit and faults", async () => {
    const r = await runCode("pm32", "mov esi, 0xfffffffe\nmov eax, [esi]");
    expect(r.fault).toBe(13);
  });
  it("a read-only data segment faults on a write and on a read-modify-write, not on a read", async () => {
    const init = (c: any) => c.setSeg(L.SEG_DS, 0x10, 0, 0xffffffff, 0x4091);
    expect((await runCode("pm32", "mov eax, [0x4000]", { init })).fault).toBeNull();
    expect((await runCode("pm32", "mov [0x4000], eax", { init })).fault).toBe(13);
    expect((await runCode("pm32", "add [0x4000], eax", { init })).fault).toBe(13);
  });
  it("an expand-down data segment allows offsets above the limit only", async () => {
    const init = (c: any) => c.setSeg(L.SEG_DS, 0x10, 0, 0x3fff, 0x4097);
    expect((await runCode("pm32", "mov eax, [0x4000]", { init })).fault).toBeNull();
    expect((await runCode("pm32", "mov eax, [0x3ffe]", { init })).fault).toBe(13);
  });
  it("a DS limit below the operand: #GP", async () => {
    const r = await runCode("pm32", "mov eax, [0x4000]\nmov ebx, [0x6000]", {
      init: (c) => c.setSeg(L.SEG_DS, 0x10, 0, 0x4fff, 0x4093),
    });
    expect(r.fault).toBe(13);
  });
  it("a segment cache rewritten by the host between slices is honoured", async () => {
    const r = await runCode("pm32", "mov eax, [0x6000]\nmov ebx, [0x6000]", { budget: 1 });
    expect(r.eip).toBe(0x1005);
    r.cpu.setSeg(L.SEG_DS, 0x10, 0, 0x4fff, 0x4093); // no flush, no state load
    r.cpu.run(10);
    expect(r.cpu.eip).toBe(HANDLERS + 13 + 1); // halted in the #GP handler
  });
  it("an SS-relative operand beyond the SS limit: #SS", async () => {
    const r = await runCode("pm32", "mov ebp, 0x8ffe\nmov eax, [ebp]", { init: (c) => c.setSeg(L.SEG_SS, 0x10, 0, 0x8fff, 0x4093) });
    expect(r.fault).toBe(12);
  });
});

describe.each(MODES)("more operand sizes (%s)", (mode) => {
  it("CMPXCHG 8- and 16-bit", async () => {
    const r = await runCode(mode, "mov al, 5\nmov cl, 9\ncmpxchg [0x4000], cl\nmov ax, 0x1234\nmov cx, 0x4321\ncmpxchg [0x4002], cx", {
      init: (c) => poke32(c, DATA, 0x12340005),
    });
    expect(r.mem32(DATA)).toBe(0x43210009);
  });
  it("IMUL r16, m16 and MUL m8", async () => {
    const r = await runCode(mode, "mov cx, 300\nimul cx, [0x4000]\nmov al, 200\nmul byte [0x4002]", {
      init: (c) => poke32(c, DATA, 0x00030064),
    });
    expect(r.ecx & 0xffff).toBe(30000);
    expect(r.eax & 0xffff).toBe(600);
  });
  it("XLAT with a segment override", async () => {
    const r = await runCode(mode, "mov ebx, 0x4000\nmov al, 1\nes xlatb", { init: (c) => poke(c, DATA, [7, 8, 9]) });
    expect(r.eax & 0xff).toBe(8);
  });
  it("LOCK on NOT/NEG with a register operand is #UD", async () => {
    const r = await runCode(mode, "", { bytes: [0xf0, 0xf7, 0xd0] });
    expect(r.fault).toBe(6);
  });
});

describe("read-only destinations (pm32)", () => {
  it("CMP m, r and CMP m, imm read a code segment through a CS override", async () => {
    const r = await runCode("pm32", "mov al, 0x90\ncmp [cs:0x4000], al\nsete bl\ncmp byte [cs:0x4000], 0x90\nsete cl\ntest [cs:0x4000], al\nbt dword [cs:0x4000], 4\nsetc dl", {
      init: (c) => poke(c, DATA, [0x90]),
    });
    expect(r.fault).toBeNull();
    expect([r.ebx & 0xff, r.ecx & 0xff, r.edx & 0xff]).toEqual([1, 1, 1]);
  });
  it("a write through a CS override is #GP", async () => {
    const r = await runCode("pm32", "mov al, 1\nadd [cs:0x4000], al");
    expect(r.fault).toBe(13);
  });
});
