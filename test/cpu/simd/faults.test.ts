// Availability and fault rules of the MMX/SSE/SSE2 unit (SDM Vol. 3A 13.1-13.2 and the
// "Exceptions" sections of each instruction in Vol. 2): CR0.EM, CR0.TS, CR4.OSFXSR, alignment,
// unmasked SIMD floating-point exceptions with and without CR4.OSXMMEXCPT, a pending x87
// exception before MMX instructions, and that a faulting instruction leaves no state behind.
import { describe, it, expect } from "vitest";
import * as L from "../../../asm/layout";
import { flatCpu, runAsm, toolsMissing, xmmBytes, hex, DATA, setRam32, CR4_OSFXSR } from "./support";

const UD = 6, NM = 7, GP = 13, MF = 16, XM = 19;
const CR0_EM = 4, CR0_TS = 8, CR0_NE = 0x20;

describe.skipIf(toolsMissing(false))("SIMD availability and faults", () => {
  it("CR0.EM makes SSE, SSE2 and MMX instructions #UD", async () => {
    for (const insn of ["addps xmm0, xmm1", "paddd xmm0, xmm1", "paddb mm0, mm1", "pavgb mm0, mm1", "emms", "ldmxcsr [0x80000]"]) {
      const cpu = await flatCpu();
      cpu.set(L.CR0, cpu.get(L.CR0) | CR0_EM);
      expect(runAsm(cpu, insn).fault, insn).toBe(UD);
    }
  });
  it("CR0.TS makes them #NM", async () => {
    for (const insn of ["addps xmm0, xmm1", "cvtsi2sd xmm0, eax", "paddb mm0, mm1", "emms", "stmxcsr [0x80000]"]) {
      const cpu = await flatCpu();
      cpu.set(L.CR0, cpu.get(L.CR0) | CR0_TS);
      expect(runAsm(cpu, insn).fault, insn).toBe(NM);
    }
  });
  it("CR4.OSFXSR clear makes SSE/SSE2 #UD, but not MMX or the SSE integer forms on MMX registers", async () => {
    for (const insn of ["addps xmm0, xmm1", "movdqa xmm0, xmm1", "paddw xmm0, xmm1", "cvtpi2ps xmm0, mm1", "ldmxcsr [0x80000]"]) {
      const cpu = await flatCpu();
      cpu.set(L.CR4, 0);
      expect(runAsm(cpu, insn).fault, insn).toBe(UD);
    }
    for (const insn of ["paddw mm0, mm1", "pavgb mm0, mm1", "pshufw mm0, mm1, 0x1b", "paddq mm0, mm1", "emms"]) {
      const cpu = await flatCpu();
      cpu.set(L.CR4, 0);
      expect(runAsm(cpu, insn).fault, insn).toBeNull();
    }
  });
  it("FXSAVE and FXRSTOR: #UD under CR0.EM, #NM under CR0.TS, and they work without CR4.OSFXSR", async () => {
    for (const insn of [`fxsave [${DATA}]`, `fxrstor [${DATA}]`]) {
      let cpu = await flatCpu();
      cpu.set(L.CR0, cpu.get(L.CR0) | CR0_EM);
      expect(runAsm(cpu, insn).fault, insn).toBe(UD);
      cpu = await flatCpu();
      cpu.set(L.CR0, cpu.get(L.CR0) | CR0_TS);
      expect(runAsm(cpu, insn).fault, insn).toBe(NM);
    }
    const cpu = await flatCpu();
    cpu.set(L.CR4, 0);
    expect(runAsm(cpu, `fxsave [${DATA}]\nfxrstor [${DATA}]`).fault).toBeNull();
  });
  it("a LOCK prefix is #UD", async () => {
    const cpu = await flatCpu();
    expect(runAsm(cpu, "db 0xf0\naddps xmm0, xmm1").fault).toBe(UD);
  });

  it("undefined encodings of the SIMD space are #UD", async () => {
    const bad: Record<string, number[]> = {
      "movmskps r32, mem": [0x0f, 0x50, 0x00], "movntps reg": [0x0f, 0x2b, 0xc0], "movlps store reg": [0x0f, 0x13, 0xc0],
      "movhpd store reg": [0x66, 0x0f, 0x17, 0xc0], "movlpd load reg": [0x66, 0x0f, 0x12, 0xc0],
      "psrlw mem, imm": [0x0f, 0x71, 0x00, 0x05], "group 71 /0": [0x0f, 0x71, 0xc0, 0x05], "psrldq without 66": [0x0f, 0x73, 0xd8, 0x05],
      "psraq": [0x66, 0x0f, 0x73, 0xe0, 0x05], "movnti reg": [0x0f, 0xc3, 0xc0], "movddup (SSE3)": [0xf2, 0x0f, 0x12, 0xc0],
      "0F D6 without prefix": [0x0f, 0xd6, 0xc0], "punpcklqdq on mm": [0x0f, 0x6c, 0xc0], "fxsave reg": [0x0f, 0xae, 0xc0],
      "ldmxcsr reg": [0x0f, 0xae, 0xd0], "xsave (not present)": [0x0f, 0xae, 0x20], "pextrw mem": [0x0f, 0xc5, 0x00, 0x01],
      "pmovmskb mem": [0x0f, 0xd7, 0x00], "maskmovq mem": [0x0f, 0xf7, 0x00], "movq2dq mem": [0xf3, 0x0f, 0xd6, 0x00],
      "0F 0D": [0x0f, 0x0d, 0x00], "pshufb (SSSE3)": [0x0f, 0x38, 0x00, 0xc0], "addsubpd (SSE3)": [0x66, 0x0f, 0xd0, 0xc0],
      "haddpd (SSE3)": [0x66, 0x0f, 0x7c, 0xc0], "lddqu (SSE3)": [0xf2, 0x0f, 0xf0, 0x00], "rsqrtpd": [0x66, 0x0f, 0x52, 0xc0],
      "0F E6 without prefix": [0x0f, 0xe6, 0xc0], "F2 0F 5B": [0xf2, 0x0f, 0x5b, 0xc0], "comiss with F3": [0xf3, 0x0f, 0x2f, 0xc0],
    };
    for (const [name, bytes] of Object.entries(bad)) {
      const cpu = await flatCpu();
      cpu.setReg(0, DATA);
      expect(runAsm(cpu, `db ${bytes.join(", ")}`).fault, name).toBe(UD);
    }
    for (const insn of ["lfence", "mfence", "sfence", "prefetcht1 [eax]", "db 0x0f, 0x18, 0xe0", "db 0x0f, 0x19, 0x00", "db 0x0f, 0x1e, 0xc0"]) {
      const cpu = await flatCpu();
      expect(runAsm(cpu, insn).fault, insn).toBeNull();
    }
  });

  it("misaligned 16-byte operands of aligned forms are #GP(0); unaligned forms and scalars accept them", async () => {
    for (const insn of ["movaps xmm0, [0x80004]", "movaps [0x80008], xmm0", "addps xmm0, [0x80004]", "paddd xmm0, [0x80001]",
      "movdqa xmm0, [0x80002]", "movntps [0x80004], xmm0", "cvtpd2ps xmm0, [0x80008]", "fxsave [0x80008]"]) {
      const cpu = await flatCpu();
      expect(runAsm(cpu, insn).fault, insn).toBe(GP);
    }
    for (const insn of ["movups xmm0, [0x80004]", "movdqu [0x80003], xmm0", "addss xmm0, [0x80001]", "addsd xmm0, [0x80004]",
      "cvtps2pd xmm0, [0x80004]", "movlps xmm0, [0x80001]", "paddd mm0, [0x80003]"]) {
      const cpu = await flatCpu();
      expect(runAsm(cpu, insn).fault, insn).toBeNull();
    }
  });

  it("an unmasked SIMD FP exception is #XM with CR4.OSXMMEXCPT, #UD without; the destination is kept", async () => {
    const src = `mov eax, 0x3f800000\nmovd xmm0, eax\nxorps xmm1, xmm1\nmov dword [${DATA}], 0x1d80\nldmxcsr [${DATA}]\ndivss xmm0, xmm1`;
    let cpu = await flatCpu();
    expect(runAsm(cpu, src).fault).toBe(XM);
    expect(cpu.get(L.MXCSR)).toBe(0x1d84); // ZE recorded
    expect(hex(xmmBytes(cpu, 0))).toBe("0000803f000000000000000000000000");
    cpu = await flatCpu();
    cpu.set(L.CR4, CR4_OSFXSR);
    expect(runAsm(cpu, src).fault).toBe(UD);
  });

  it("COMISS with an unmasked invalid operation leaves EFLAGS alone", async () => {
    const cpu = await flatCpu();
    const r = runAsm(cpu, `mov eax, 0x7fc00000\nmovd xmm1, eax\nmov dword [${DATA}], 0x1f00\nldmxcsr [${DATA}]\nxor eax, eax\ncomiss xmm0, xmm1`);
    expect(r.fault).toBe(XM);
    expect(cpu.eflags() & 0x45).toBe(0x44); // ZF PF from XOR, CF clear: not "unordered"
  });

  it("LDMXCSR with a reserved bit set is #GP(0) and changes nothing", async () => {
    const cpu = await flatCpu();
    const r = runAsm(cpu, `mov dword [${DATA}], 0x11f80\nldmxcsr [${DATA}]`);
    expect(r.fault).toBe(GP);
    expect(cpu.get(L.MXCSR)).toBe(0x1f80);
  });

  it("a pending unmasked x87 exception is taken before an MMX instruction (#MF with CR0.NE)", async () => {
    const cpu = await flatCpu();
    cpu.set(L.CR0, cpu.get(L.CR0) | CR0_NE);
    const r = runAsm(cpu, "fninit\nfldz\nfld1\nfdiv st0, st1\nmov word [0x80000], 0x37b\nfldcw [0x80000]\nfld1\nfdiv st0, st2\npaddb mm0, mm1");
    // The second division by zero with ZM cleared leaves an unmasked exception pending; the next
    // waiting instruction is the MMX one.
    expect(r.fault).toBe(MF);
  });

  it("a faulting memory operand leaves the destination and the x87 tags untouched", async () => {
    const cpu = await flatCpu();
    // DS limit 0x8ffff: the second half of the operand is beyond it.
    cpu.setSeg(L.SEG_DS, 0x10, 0, 0x8ffff, 0x4093);
    setRam32(cpu, 0x8fff8, 0x11111111);
    const r = runAsm(cpu, "pcmpeqb xmm0, xmm0\nmovups xmm0, [0x8fff8]");
    expect(r.fault).toBe(GP);
    expect(hex(xmmBytes(cpu, 0))).toBe("ff".repeat(16));
    const cpu2 = await flatCpu();
    cpu2.setSeg(L.SEG_DS, 0x10, 0, 0x8ffff, 0x4093);
    expect(runAsm(cpu2, "paddb mm0, [0x8fffc]").fault).toBe(GP);
    expect(cpu2.get(L.FPU_TW) & 0xffff).toBe(0xffff); // still all empty: no MMX transition
  });
});
