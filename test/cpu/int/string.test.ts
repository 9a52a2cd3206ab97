// String instructions with and without REP (SDM Vol. 2B REP/REPE/REPNE, MOVS, CMPS, SCAS, LODS,
// STOS, INS, OUTS): counts of zero, direction, 16-bit index wraparound, early termination,
// batches longer than one step, and a fault in the middle that keeps the completed iterations.
import { describe, it, expect } from "vitest";
import { runCode, MODES, ZF, CF, DATA, poke, poke32 } from "./harness";
import * as L from "../../../asm/layout";

describe.each(MODES)("strings (%s)", (mode) => {
  const si = mode === "real" ? "si" : "esi";
  const di = mode === "real" ? "di" : "edi";
  const cx = mode === "real" ? "cx" : "ecx";

  it("REP MOVSB with a count of zero does nothing", async () => {
    const r = await runCode(mode, `mov ${si}, 0x4000\nmov ${di}, 0x5000\nxor ${cx}, ${cx}\nrep movsb`, {
      init: (c) => poke(c, DATA, [1, 2, 3]),
    });
    expect(r.esi & 0xffff).toBe(0x4000);
    expect(r.edi & 0xffff).toBe(0x5000);
    expect(r.mem8(0x5000)).toBe(0);
  });
  it("REP MOVSD copies and advances ESI/EDI/ECX", async () => {
    const r = await runCode(mode, `mov ${si}, 0x4000\nmov ${di}, 0x5000\nmov ${cx}, 3\ncld\nrep movsd`, {
      init: (c) => poke(c, DATA, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
    });
    expect(r.mem32(0x5000)).toBe(0x04030201);
    expect(r.mem32(0x5008)).toBe(0x0c0b0a09);
    expect(r.mem8(0x500c)).toBe(0);
    expect(r.esi & 0xffff).toBe(0x400c);
    expect(r.edi & 0xffff).toBe(0x500c);
    expect(r.ecx & 0xffff).toBe(0);
  });
  it("STD makes STOSW go down", async () => {
    const r = await runCode(mode, `mov ${di}, 0x5004\nmov ax, 0xbeef\nmov ${cx}, 3\nstd\nrep stosw\ncld`);
    expect(r.mem16(0x5004)).toBe(0xbeef);
    expect(r.mem16(0x5002)).toBe(0xbeef);
    expect(r.mem16(0x5000)).toBe(0xbeef);
    expect(r.mem16(0x4ffe)).toBe(0);
    expect(r.edi & 0xffff).toBe(0x4ffe);
  });
  it("a long REP STOSB spans many steps and completes", async () => {
    const r = await runCode(mode, `mov ${di}, 0x5000\nmov al, 0x5a\nmov ${cx}, 5000\nrep stosb\nmov bl, 1`);
    expect(r.mem8(0x5000)).toBe(0x5a);
    expect(r.mem8(0x5000 + 4999)).toBe(0x5a);
    expect(r.mem8(0x5000 + 5000)).toBe(0);
    expect(r.ecx & 0xffff).toBe(0);
    expect(r.edi & 0xffff).toBe(0x5000 + 5000);
    expect(r.ebx & 0xff).toBe(1);
  });
  it("REPE CMPSB stops at the first difference", async () => {
    const r = await runCode(mode, `mov ${si}, 0x4000\nmov ${di}, 0x5000\nmov ${cx}, 10\ncld\nrepe cmpsb`, {
      init: (c) => { poke(c, 0x4000, [0x61, 0x62, 0x63, 0x58]); poke(c, 0x5000, [0x61, 0x62, 0x63, 0x59]); },
    });
    expect(r.ecx & 0xffff).toBe(6);
    expect(r.esi & 0xffff).toBe(0x4004);
    expect(r.edi & 0xffff).toBe(0x5004);
    // 0x58 - 0x59 borrows
    expect(r.flags & (ZF | CF)).toBe(CF);
  });
  it("REPNE SCASB finds a byte", async () => {
    const r = await runCode(mode, `mov ${di}, 0x5000\nmov al, 0x63\nmov ${cx}, 100\ncld\nrepne scasb`, {
      init: (c) => poke(c, 0x5000, [0x61, 0x62, 0x63, 0x64]),
    });
    expect(r.ecx & 0xffff).toBe(97);
    expect(r.edi & 0xffff).toBe(0x5003);
    expect(r.flags & ZF).toBe(ZF);
  });
  it("REPE SCASW runs out of count with ZF still set", async () => {
    const r = await runCode(mode, `mov ${di}, 0x5000\nxor ax, ax\nmov ${cx}, 4\nrepe scasw`);
    expect(r.ecx & 0xffff).toBe(0);
    expect(r.edi & 0xffff).toBe(0x5008);
    expect(r.flags & ZF).toBe(ZF);
  });
  it("LODSB/LODSD load the accumulator", async () => {
    const r = await runCode(mode, `mov ${si}, 0x4000\nlodsd\nmov ebx, eax\nlodsb`, {
      init: (c) => poke(c, 0x4000, [1, 2, 3, 4, 0x99]),
    });
    expect(r.ebx >>> 0).toBe(0x04030201);
    expect(r.eax & 0xff).toBe(0x99);
    expect(r.esi & 0xffff).toBe(0x4005);
  });
  it("segment override on the source; ES is fixed for the destination", async () => {
    const src = mode === "real"
      ? "mov ax, 0x300\nmov fs, ax\nmov si, 0x1000\nmov di, 0x5000\nfs movsb"
      : "mov esi, 0x4000\nmov edi, 0x5000\nfs movsb";
    const r = await runCode(mode, src, { init: (c) => poke(c, 0x4000, [0x77]) });
    expect(r.mem8(0x5000)).toBe(0x77);
  });
  it("REP OUTSB and REP INSB go through the ports", async () => {
    const r = await runCode(mode, `mov dx, 0x80\nmov ${si}, 0x4000\nmov ${cx}, 3\nrep outsb\nmov ${di}, 0x5000\nmov dx, 0x60\nmov ${cx}, 2\nrep insw`, {
      init: (c) => poke(c, 0x4000, [0x11, 0x22, 0x33]),
      portReads: { 0x60: 0xabcd },
    });
    expect(r.ports).toEqual([
      { port: 0x80, size: 1, value: 0x11 }, { port: 0x80, size: 1, value: 0x22 }, { port: 0x80, size: 1, value: 0x33 },
    ]);
    expect(r.mem16(0x5000)).toBe(0xabcd);
    expect(r.mem16(0x5002)).toBe(0xabcd);
    expect(r.edi & 0xffff).toBe(0x5004);
  });
});

describe("strings: 16-bit addressing and faults (real mode)", () => {
  it("DI wraps within the segment", async () => {
    const r = await runCode("real", "mov ax, 0x3000\nmov es, ax\nmov di, 0xffff\nmov al, 0xaa\nmov cx, 2\nrep stosb");
    expect(r.mem8(0x3ffff)).toBe(0xaa);
    expect(r.mem8(0x30000)).toBe(0xaa);
    expect(r.edi & 0xffff).toBe(1);
  });
  it("16-bit address size uses CX and keeps the upper ECX/EDI halves", async () => {
    const r = await runCode("real", "mov ecx, 0x12340002\nmov edi, 0x56785000\nmov al, 1\nrep stosb");
    expect(r.ecx >>> 0).toBe(0x12340000);
    expect(r.edi >>> 0).toBe(0x56785002);
  });
  it("a 32-bit address-size prefix in real mode uses ECX and EDI", async () => {
    const r = await runCode("real", "mov ecx, 2\nmov edi, 0x5000\nmov al, 3\na32 rep stosb");
    expect(r.edi >>> 0).toBe(0x5002);
    expect(r.mem8(0x5001)).toBe(3);
  });
  it("a fault mid-way keeps the completed iterations and restarts at the instruction", async () => {
    // The third word is read at offset 0xFFFF: beyond the 64 KiB limit, #GP.
    const r = await runCode("real", "mov si, 0xfffb\nmov di, 0x5000\nmov cx, 4\nrep movsw");
    expect(r.fault).toBe(13);
    expect(r.ecx & 0xffff).toBe(2);
    expect(r.esi & 0xffff).toBe(0xffff);
    expect(r.edi & 0xffff).toBe(0x5004);
    expect(r.mem16(r.esp & 0xffff)).toBe(0x1009); // return IP: the REP MOVSW itself (3 MOVs of 3 bytes before it)
  });
});

describe("strings: a fault at a segment limit in protected mode", () => {
  it("REP MOVSD stops with #GP after the first dword", async () => {
    const r = await runCode("pm32", "mov esi, 0x4000\nmov edi, 0x5000\nmov ecx, 4\nrep movsd", {
      init: (c) => { c.setSeg(L.SEG_DS, 0x10, 0, 0x4003, 0x4093); poke(c, 0x4000, [1, 2, 3, 4, 5]); },
    });
    expect(r.fault).toBe(13);
    expect(r.ecx).toBe(3);
    expect(r.esi).toBe(0x4004);
    expect(r.mem32(0x5000)).toBe(0x04030201);
    expect(r.mem32(0x5004)).toBe(0);
  });
});

describe.each(MODES)("REP MOVS/STOS in bulk (%s)", (mode) => {
  const si = mode === "real" ? "si" : "esi";
  const di = mode === "real" ? "di" : "edi";
  const cx = mode === "real" ? "cx" : "ecx";
  it("an overlapping forward MOVSB replicates the first byte, as element by element", async () => {
    const r = await runCode(mode, `mov ${si}, 0x4000\nmov ${di}, 0x4001\nmov ${cx}, 100\ncld\nrep movsb`, {
      init: (c) => poke(c, 0x4000, [0x3c, 1, 2, 3]),
    });
    for (const a of [0x4000, 0x4001, 0x4032, 0x4064]) expect(r.mem8(a)).toBe(0x3c);
    expect(r.mem8(0x4065)).toBe(0);
  });
  it("an overlapping copy downwards moves the data intact", async () => {
    const r = await runCode(mode, `mov ${si}, 0x4002\nmov ${di}, 0x4000\nmov ${cx}, 4\ncld\nrep movsb`, {
      init: (c) => poke(c, 0x4000, [9, 9, 1, 2, 3, 4]),
    });
    expect([0, 1, 2, 3, 4, 5].map((i) => r.mem8(0x4000 + i))).toEqual([1, 2, 3, 4, 3, 4]);
  });
  it("a copy across page boundaries and longer than one batch", async () => {
    const n = 3000; // dwords: 12000 bytes, three pages, three batches
    const r = await runCode(mode, `mov ${si}, 0x4ffe\nmov ${di}, 0x9ffa\nmov ${cx}, ${n}\ncld\nrep movsd`, {
      init: (c) => { for (let i = 0; i < n * 4; i += 4) poke32(c, 0x4ffe + i, 0x1000000 + i); },
    });
    for (const i of [0, 1, 2, 1023, 1024, 2047, 2999]) expect(r.mem32(0x9ffa + i * 4)).toBe(0x1000000 + i * 4);
    expect(r.mem32(0x9ffa + n * 4)).toBe(0);
    expect(r.ecx & 0xffff).toBe(0);
    expect(r.esi & 0xffff).toBe(0x4ffe + n * 4);
    expect(r.edi & 0xffff).toBe((0x9ffa + n * 4) & 0xffff);
  });
  it("STOSW and STOSD fill with the accumulator", async () => {
    const r = await runCode(mode, `mov ${di}, 0x4ff0\nmov eax, 0x11223344\nmov ${cx}, 40\nrep stosd\nmov ax, 0x5566\nmov ${cx}, 3\nrep stosw`);
    expect(r.mem32(0x4ff0)).toBe(0x11223344);
    expect(r.mem32(0x4ff0 + 39 * 4)).toBe(0x11223344);
    expect(r.mem16(0x4ff0 + 160)).toBe(0x5566);
    expect(r.mem16(0x4ff0 + 164)).toBe(0x5566);
    expect(r.mem16(0x4ff0 + 166)).toBe(0);
  });
});

describe("REP STOS in bulk: 16-bit wrap", () => {
  it("wraps DI at 64 KiB in the middle of a run", async () => {
    const r = await runCode("real", "mov ax, 0x3000\nmov es, ax\nmov di, 0xfffc\nmov ax, 0x7788\nmov cx, 4\nrep stosw");
    expect(r.mem16(0x3fffc)).toBe(0x7788);
    expect(r.mem16(0x3fffe)).toBe(0x7788);
    expect(r.mem16(0x30000)).toBe(0x7788);
    expect(r.mem16(0x30002)).toBe(0x7788);
    expect(r.mem16(0x40000)).toBe(0);
    expect(r.edi & 0xffff).toBe(4);
  });
});

describe("strings under paging (pm32)", () => {
  it("REP MOVSB into a not-present page faults after the bytes before it, with CR2 at the first", async () => {
    const r = await runCode("pm32", "mov esi, 0x4000\nmov edi, 0x6ff0\nmov ecx, 0x40\ncld\nrep movsb", {
      paging: { absent: [0x7000] },
      init: (c) => { for (let i = 0; i < 0x40; i++) poke(c, 0x4000 + i, [i + 1]); },
    });
    expect(r.fault).toBe(14);
    expect(r.cpu.get(L.CR2)).toBe(0x7000);
    expect(r.ecx).toBe(0x30);
    expect(r.esi).toBe(0x4010);
    expect(r.edi).toBe(0x7000);
    expect(r.mem8(0x6fff)).toBe(0x10);
    expect(r.mem32(r.esp)).toBe(2); // error code: not present, write, supervisor
  });
  it("REP STOSD onto a read-only page faults with the protection error code", async () => {
    const r = await runCode("pm32", "mov edi, 0x5ff8\nmov eax, 0xabcdabcd\nmov ecx, 8\nrep stosd", {
      paging: { readOnly: [0x6000] },
    });
    expect(r.fault).toBe(14);
    expect(r.ecx).toBe(6);
    expect(r.mem32(0x5ffc)).toBe(0xabcdabcd);
    expect(r.mem32(r.esp)).toBe(3); // present, write
  });
  it("a bulk copy under paging gives the same bytes", async () => {
    const r = await runCode("pm32", "mov esi, 0x4000\nmov edi, 0x8800\nmov ecx, 0x1000\nrep movsb", {
      paging: {},
      init: (c) => { for (let i = 0; i < 0x1000; i++) poke(c, 0x4000 + i, [(i * 7) & 0xff]); },
    });
    expect(r.fault).toBeNull();
    for (const i of [0, 0x7ff, 0x800, 0xfff]) expect(r.mem8(0x8800 + i)).toBe((i * 7) & 0xff);
  });
});

describe("REP is interruptible (real mode)", () => {
  it("an interrupt between batches sees the REP's own address and partial registers, then it resumes", async () => {
    // INT 20h handler at 0:0700: record CX and the saved IP, clear IF in the saved FLAGS (the
    // interrupt line stays asserted), IRET.
    const handler = [
      0x50, // push ax
      0x89, 0x0e, 0x00, 0x40, // mov [0x4000], cx
      0x89, 0xe3, // mov bx, sp
      0x36, 0x8b, 0x47, 0x02, // mov ax, [ss:bx+2]  (saved IP)
      0xa3, 0x02, 0x40, // mov [0x4002], ax
      0x36, 0x81, 0x67, 0x06, 0xff, 0xfd, // and word [ss:bx+6], 0xfdff  (saved FLAGS.IF = 0)
      0x58, // pop ax
      0xcf, // iret
    ];
    const r = await runCode("real", "", {
      bytes: [0xf3, 0xaa], // rep stosb at 0x1000
      init: (c) => {
        poke(c, 0x700, handler);
        poke(c, 0x20 * 4, [0x00, 0x07, 0x00, 0x00]);
        c.setReg(1, 20000); // CX
        c.setReg(7, 0x5000); // DI
        c.setReg(0, 0x66); // AL
        c.setReg(3, 0);
        c.set(L.INTR_LINE, 1);
        c.set(L.INHIBIT_IRQ, 1); // the first step runs before any interrupt is taken
        c.setEflags(0x202);
      },
    });
    expect(r.fault).toBeNull();
    const cxAtInterrupt = r.mem16(0x4000);
    expect(cxAtInterrupt).toBeGreaterThan(0);
    expect(cxAtInterrupt).toBeLessThan(20000);
    expect(r.mem16(0x4002)).toBe(0x1000);
    expect(r.ecx & 0xffff).toBe(0);
    expect(r.mem8(0x5000)).toBe(0x66);
    expect(r.mem8(0x5000 + 19999)).toBe(0x66);
    expect(r.mem8(0x5000 + 20000)).toBe(0);
  });
});
