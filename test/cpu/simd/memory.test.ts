// Memory forms, state save/restore and MMX aliasing of the SIMD unit (SDM Vol. 1 Table 10-2 for
// the FXSAVE image, Vol. 1 9.5 for MMX aliasing, Vol. 2 for each instruction).
import { describe, it, expect } from "vitest";
import * as L from "../../../asm/layout";
import {
  flatCpu, runAsm, runTo, assemble as assemble32, toolsMissing, xmmBytes, mmBytes, hex, DATA, ram32, setRam32, setXmmBytes,
} from "./support";
import type { Cpu } from "../../../src/machine/cpu";

function ramHex(cpu: Cpu, addr: number, n: number): string {
  return hex(cpu.ram().slice(addr, addr + n));
}
function fill(cpu: Cpu, addr: number, bytes: number[]): void {
  cpu.ram().set(bytes, addr);
}
const seq = (n: number, from = 0) => Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe.skipIf(toolsMissing(false))("SIMD memory forms", () => {
  it("MOVSS/MOVSD loads clear the upper elements; register moves keep them", async () => {
    const cpu = await flatCpu();
    fill(cpu, DATA, seq(16, 0x10));
    expect(runAsm(cpu, `pcmpeqb xmm0, xmm0\nmovss xmm0, [${DATA}]\npcmpeqb xmm1, xmm1\nmovsd xmm1, [${DATA}]\npcmpeqb xmm2, xmm2\nmovss xmm2, xmm0`).fault).toBeNull();
    expect(hex(xmmBytes(cpu, 0))).toBe("10111213" + "00".repeat(12));
    expect(hex(xmmBytes(cpu, 1))).toBe("1011121314151617" + "00".repeat(8));
    expect(hex(xmmBytes(cpu, 2))).toBe("10111213" + "ff".repeat(12));
  });

  it("stores write exactly their operand size", async () => {
    const cpu = await flatCpu();
    setXmmBytes(cpu, 3, new Uint8Array(seq(16, 0xa0)));
    cpu.ram().fill(0xee, DATA, DATA + 0x100);
    const src = `movss [${DATA}], xmm3\nmovsd [${DATA + 0x10}], xmm3\nmovhps [${DATA + 0x20}], xmm3\nmovlpd [${DATA + 0x30}], xmm3\n` +
      `movq [${DATA + 0x40}], xmm3\nmovd [${DATA + 0x50}], xmm3\nmovntdq [${DATA + 0x60}], xmm3\nmov eax, 0x12345678\nmovnti [${DATA + 0x70}], eax\n` +
      `movdqu [${DATA + 0x81}], xmm3\nstmxcsr [${DATA + 0x98}]`;
    expect(runAsm(cpu, src).fault).toBeNull();
    expect(ramHex(cpu, DATA, 8)).toBe("a0a1a2a3eeeeeeee");
    expect(ramHex(cpu, DATA + 0x10, 9)).toBe("a0a1a2a3a4a5a6a7ee");
    expect(ramHex(cpu, DATA + 0x20, 9)).toBe("a8a9aaabacadaeafee");
    expect(ramHex(cpu, DATA + 0x30, 9)).toBe("a0a1a2a3a4a5a6a7ee");
    expect(ramHex(cpu, DATA + 0x40, 9)).toBe("a0a1a2a3a4a5a6a7ee");
    expect(ramHex(cpu, DATA + 0x50, 5)).toBe("a0a1a2a3ee");
    expect(ramHex(cpu, DATA + 0x60, 16)).toBe(hex(new Uint8Array(seq(16, 0xa0))));
    expect(ram32(cpu, DATA + 0x70)).toBe(0x12345678);
    expect(ramHex(cpu, DATA + 0x80, 18)).toBe("ee" + hex(new Uint8Array(seq(16, 0xa0))) + "ee");
    expect(ram32(cpu, DATA + 0x98)).toBe(0x1f80);
  });

  it("MOVLPS/MOVHPS/MOVHPD loads replace one half; MOVQ xmm, m64 and MOVD clear the rest", async () => {
    const cpu = await flatCpu();
    fill(cpu, DATA, seq(8, 0x40));
    const r = runAsm(cpu, `pcmpeqb xmm0, xmm0\nmovlps xmm0, [${DATA}]\npcmpeqb xmm1, xmm1\nmovhpd xmm1, [${DATA}]\n` +
      `pcmpeqb xmm2, xmm2\nmovq xmm2, [${DATA}]\npcmpeqb xmm4, xmm4\nmovd xmm4, [${DATA}]\npinsrw xmm4, [${DATA}], 7`);
    expect(r.fault).toBeNull();
    expect(hex(xmmBytes(cpu, 0))).toBe("4041424344454647" + "ff".repeat(8));
    expect(hex(xmmBytes(cpu, 1))).toBe("ff".repeat(8) + "4041424344454647");
    expect(hex(xmmBytes(cpu, 2))).toBe("4041424344454647" + "00".repeat(8));
    expect(hex(xmmBytes(cpu, 4))).toBe("40414243" + "00".repeat(10) + "4041");
  });

  it("integer and FP arithmetic with memory sources", async () => {
    const cpu = await flatCpu();
    setRam32(cpu, DATA, 0x40000000); // 2.0f
    for (let i = 0; i < 4; i++) setRam32(cpu, DATA + 0x10 + 4 * i, 0x00010001 * (i + 1));
    setRam32(cpu, DATA + 0x20, 7);
    const r = runAsm(cpu, `mov eax, 0x3f800000\nmovd xmm0, eax\naddss xmm0, [${DATA}]\n` +
      `pxor xmm1, xmm1\npaddw xmm1, [${DATA + 0x10}]\npsllw xmm1, [${DATA + 0x20}]\ncvtsi2sd xmm2, [${DATA + 0x20}]\ncomiss xmm0, [${DATA}]`);
    expect(r.fault).toBeNull();
    expect(ram32(cpu, DATA)).toBe(0x40000000);
    expect(hex(xmmBytes(cpu, 0))).toBe("00004040" + "00".repeat(12)); // 3.0f
    const w = new DataView(xmmBytes(cpu, 1).buffer);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => w.getUint16(i * 2, true))).toEqual([0x80, 0x80, 0x100, 0x100, 0x180, 0x180, 0x200, 0x200]);
    expect(hex(xmmBytes(cpu, 2))).toBe("0000000000001c40" + "00".repeat(8)); // 7.0
    expect(cpu.eflags() & 0x45).toBe(0); // 3.0 > 2.0: ZF PF CF clear
  });

  it("MASKMOVQ and MASKMOVDQU store only the selected bytes at DS:EDI", async () => {
    const cpu = await flatCpu();
    cpu.ram().fill(0xee, DATA, DATA + 32);
    setXmmBytes(cpu, 1, new Uint8Array(seq(16, 0x30)));
    setXmmBytes(cpu, 2, new Uint8Array([0x80, 0, 0xff, 0x7f, 0, 0, 0, 0x81, 0, 0, 0, 0, 0, 0, 0, 0x80]));
    const r = runAsm(cpu, `mov edi, ${DATA}\nmaskmovdqu xmm1, xmm2\nmov eax, 0x00ff0080\nmovd mm3, eax\nmov eax, 0x44332211\nmovd mm4, eax\nmov edi, ${DATA + 16}\nmaskmovq mm4, mm3`);
    expect(r.fault).toBeNull();
    expect(ramHex(cpu, DATA, 16)).toBe("30ee32eeeeeeee37eeeeeeeeeeeeee3f");
    expect(ramHex(cpu, DATA + 16, 8)).toBe("11ee33eeeeeeeeee");
  });

  it("FXSAVE writes MXCSR, MXCSR_MASK and XMM0-7 at their offsets; FXRSTOR reads them back", async () => {
    const cpu = await flatCpu();
    for (let i = 0; i < 8; i++) setXmmBytes(cpu, i, new Uint8Array(seq(16, i * 16)));
    cpu.set(L.MXCSR, 0x9fc0);
    cpu.ram().fill(0xcc, DATA, DATA + 512);
    expect(runAsm(cpu, `fxsave [${DATA}]`).fault).toBeNull();
    expect(ram32(cpu, DATA + 24)).toBe(0x9fc0);
    expect(ram32(cpu, DATA + 28)).toBe(0xffff);
    for (let i = 0; i < 8; i++) expect(ramHex(cpu, DATA + 160 + 16 * i, 16)).toBe(hex(new Uint8Array(seq(16, i * 16))));
    expect(ramHex(cpu, DATA + 288, 224)).toBe("cc".repeat(224)); // reserved area untouched
    // Restore into a clean register file.
    for (let i = 0; i < 8; i++) setXmmBytes(cpu, i, new Uint8Array(16));
    cpu.set(L.MXCSR, 0x1f80);
    expect(runAsm(cpu, `fxrstor [${DATA}]`).fault).toBeNull();
    expect(cpu.get(L.MXCSR)).toBe(0x9fc0);
    for (let i = 0; i < 8; i++) expect(hex(xmmBytes(cpu, i))).toBe(hex(new Uint8Array(seq(16, i * 16))));
  });

  it("FXRSTOR with a reserved MXCSR bit is #GP(0) before anything is loaded", async () => {
    const cpu = await flatCpu();
    cpu.ram().fill(0x11, DATA, DATA + 512);
    setRam32(cpu, DATA + 24, 0x00011f80);
    expect(runAsm(cpu, `fxrstor [${DATA}]`).fault).toBe(13);
    expect(cpu.get(L.MXCSR)).toBe(0x1f80);
    expect(hex(xmmBytes(cpu, 0))).toBe("00".repeat(16));
    expect(cpu.get(L.FPU_CW) & 0xffff).toBe(0x37f);
  });

  it("prefetches, fences and CLFLUSH have no effect and do not fault on harmless addresses", async () => {
    const cpu = await flatCpu();
    const r = runAsm(cpu, `prefetchnta [0xfffffff0]\nprefetcht0 [eax]\nsfence\nlfence\nmfence\nclflush [${DATA}]\nnop dword [eax]`);
    expect(r.fault).toBeNull();
  });
});

describe.skipIf(toolsMissing(false))("MMX aliasing on the x87 registers", () => {
  it("an MMX write sets TOP=0, all tags in use, and the register's exponent field to all ones; EMMS empties the tags", async () => {
    const cpu = await flatCpu();
    cpu.set(L.FPU_SW, 5 << 11); // TOP=5
    expect(runAsm(cpu, "mov eax, 0x89abcdef\nmovd mm2, eax\npunpckldq mm2, mm2").fault).toBeNull();
    expect((cpu.get(L.FPU_SW) >> 11) & 7).toBe(0);
    // Every register is in use (no tag is 11 = empty); how valid/zero/special is encoded for
    // FSTENV is the x87 unit's business.
    const tw = cpu.get(L.FPU_TW);
    for (let i = 0; i < 8; i++) expect((tw >> (2 * i)) & 3, `tag ${i}`).not.toBe(3);
    expect(hex(mmBytes(cpu, 2))).toBe("efcdab89efcdab89");
    expect(cpu.dv.getUint16(L.FPU_REGS + 32 + 8, true)).toBe(0xffff);
    expect(runAsm(cpu, "emms").fault).toBeNull();
    expect(cpu.get(L.FPU_TW) & 0xffff).toBe(0xffff);
  });
  it("CVTPI2PS enters MMX state only with a register source; CVTPS2PI always does", async () => {
    const allEmpty = (tw: number) => (tw & 0xffff) === 0xffff;
    let cpu = await flatCpu();
    expect(runAsm(cpu, `cvtpi2ps xmm0, [${DATA}]`).fault).toBeNull();
    expect(allEmpty(cpu.get(L.FPU_TW))).toBe(true);
    cpu = await flatCpu();
    cpu.set(L.FPU_SW, 3 << 11);
    expect(runAsm(cpu, "cvtpi2ps xmm0, mm1").fault).toBeNull();
    expect(allEmpty(cpu.get(L.FPU_TW))).toBe(false);
    expect((cpu.get(L.FPU_SW) >> 11) & 7).toBe(0);
    cpu = await flatCpu();
    expect(runAsm(cpu, "cvtps2pi mm0, xmm1").fault).toBeNull();
    expect(allEmpty(cpu.get(L.FPU_TW))).toBe(false);
  });
  it("MOVQ2DQ and MOVDQ2Q move between the register files", async () => {
    const cpu = await flatCpu();
    setXmmBytes(cpu, 5, new Uint8Array(seq(16, 0x70)));
    expect(runAsm(cpu, "movdq2q mm1, xmm5\npcmpeqb xmm6, xmm6\nmovq2dq xmm6, mm1").fault).toBeNull();
    expect(hex(mmBytes(cpu, 1))).toBe("7071727374757677");
    expect(hex(xmmBytes(cpu, 6))).toBe("7071727374757677" + "00".repeat(8));
  });
});

describe.skipIf(toolsMissing(false))("SIMD in real mode", () => {
  it("uses 16-bit addressing, DS:DI for MASKMOVQ, and raises #GP for misaligned aligned forms", async () => {
    const cpu = await flatCpu();
    // Real mode: PE clear, 64 KiB segments; the IVT sends every vector to a HLT at HANDLERS + v.
    cpu.set(L.CR0, cpu.get(L.CR0) & ~1);
    const ram = cpu.ram();
    for (let v = 0; v < 32; v++) ram.set([(0x600 + v) & 0xff, (0x600 + v) >> 8, 0, 0], v * 4);
    cpu.set(L.IDTR_BASE, 0); cpu.set(L.IDTR_LIMIT, 0x3ff);
    for (let s = 0; s < 6; s++) cpu.setSeg(s, 0, 0, 0xffff, 0x93);
    cpu.setSeg(L.SEG_CS, 0x1000, 0x10000, 0xffff, 0x93);
    cpu.setSeg(L.SEG_DS, 0x2000, 0x20000, 0xffff, 0x93);
    cpu.setReg(4, 0x8000);
    const code = assemble16(`mov di, 0x100\nmov eax, 0x80808080\nmovd mm1, eax\nmov eax, 0x04030201\nmovd mm0, eax\nmaskmovq mm0, mm1\n` +
      `mov bx, 0x210\nmov si, 0x10\nmovaps xmm2, [bx+si-0x20]\nfxsave [bx+si+0x1e0]\nmovaps xmm3, [bx+2]\nhlt`);
    ram.set(code, 0x10000);
    ram.set(seq(16, 0x90), 0x20200);
    cpu.set(L.MXCSR, 0x1f81);
    const r = runTo(cpu, 0);
    expect(ramHex(cpu, 0x20100, 4)).toBe("01020304");
    expect(hex(xmmBytes(cpu, 2))).toBe(hex(new Uint8Array(seq(16, 0x90))));
    expect(ram32(cpu, 0x20400 + 24)).toBe(0x1f81); // FXSAVE at DS:0x400
    expect(r.fault).toBe(13); // movaps from DS:0x212
  });
});

function assemble16(src: string): Uint8Array {
  return assemble32(`bits 16\n${src}`, 0);
}
