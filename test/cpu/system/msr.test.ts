// CPUID, RDMSR/WRMSR, RDTSC/RDPMC and SYSENTER/SYSEXIT (SDM Vol. 2; MSR list in Vol. 4).
import { describe, it, expect } from "vitest";
import { boot, pm, OUT, L, VEC, ERR, COUNT } from "./sys";
import { nasmMissing } from "../../support/nasm";

describe.skipIf(nasmMissing())("CPUID and MSRs", () => {
  it("CPUID reports GenuineIntel family 6 and the implemented features", async () => {
    const s = await pm(`
      xor eax, eax
      cpuid
      mov [OUTA], eax
      mov [OUTA + 4], ebx
      mov [OUTA + 8], edx
      mov [OUTA + 12], ecx
      mov eax, 1
      cpuid
      mov [OUTA + 16], eax
      mov [OUTA + 20], edx
      mov [OUTA + 24], ecx
      mov eax, 0x80000000
      cpuid
      mov [OUTA + 28], eax
      mov eax, 0x80000001
      cpuid
      mov [OUTA + 32], edx
      mov eax, 0x80000002
      cpuid
      mov [OUTA + 36], eax
      mov [OUTA + 40], ebx
      hlt
    `, "", { setup: (s) => s.cpu.set(L.CPU_CONFIG, L.CPU_CONFIG_APIC) });
    expect(s.r32(OUT)).toBe(2);
    const vendor = Buffer.alloc(12);
    vendor.writeUInt32LE(s.r32(OUT + 4), 0);
    vendor.writeUInt32LE(s.r32(OUT + 8), 4);
    vendor.writeUInt32LE(s.r32(OUT + 12), 8);
    expect(vendor.toString("latin1")).toBe("GenuineIntel");
    const sig = s.r32(OUT + 16);
    expect((sig >> 8) & 0xf).toBe(6);
    const edx = s.r32(OUT + 20);
    const bit = (n: number) => (edx >>> n) & 1;
    // FPU VME DE PSE TSC MSR PAE MCE CX8 APIC SEP MTRR PGE MCA CMOV PAT MMX FXSR SSE SSE2
    for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26]) expect(bit(n), `bit ${n}`).toBe(1);
    // PSE-36, PSN, CLFSH, DS, ACPI, SS, HTT, TM are not implemented.
    for (const n of [17, 18, 19, 21, 22, 27, 28, 29]) expect(bit(n), `bit ${n}`).toBe(0);
    expect(s.r32(OUT + 24)).toBe(0);
    expect(s.r32(OUT + 28)).toBe(0x80000004);
    expect((s.r32(OUT + 32) >>> 20) & 1).toBe(1); // NX
    expect(Buffer.from([s.r32(OUT + 36), s.r32(OUT + 40)].flatMap((v) => [v & 255, (v >> 8) & 255, (v >> 16) & 255, v >>> 24])).toString("latin1")).toBe("lab86 Pe");
    // EDX after reset holds the same signature (SDM Vol. 3A 9.1.4).
    s.cpu.reset();
    expect(s.cpu.reg(2)).toBe(sig);
  });

  it("CPUID leaf 1 leaves APIC out when the platform has none", async () => {
    const s = await pm(`
      mov eax, 1
      cpuid
      mov [OUTA], edx
      mov ecx, 0x1b
      rdmsr
      hlt
    `, "", { setup: (s) => s.cpu.set(L.CPU_CONFIG, 0) });
    expect((s.r32(OUT) >>> 9) & 1).toBe(0);
    expect(s.r32(VEC)).toBe(13); // IA32_APIC_BASE does not exist either
  });

  it("WRMSR/RDMSR round-trip SYSENTER, PAT, MTRRs and EFER.NXE; reserved bits raise #GP(0)", async () => {
    const s = await pm(`
      mov ecx, 0x174
      mov eax, 0x1008
      xor edx, edx
      wrmsr
      rdmsr
      mov [OUTA], eax
      mov ecx, 0x277
      mov eax, 0x00070106
      mov edx, 0x00050004
      wrmsr
      rdmsr
      mov [OUTA + 4], eax
      mov [OUTA + 8], edx
      mov ecx, 0xfe
      rdmsr
      mov [OUTA + 12], eax
      mov ecx, 0x201
      mov eax, 0xfff00800
      mov edx, 0xf
      wrmsr
      rdmsr
      mov [OUTA + 16], eax
      mov [OUTA + 20], edx
      mov ecx, 0xc0000080
      mov eax, 0x800
      xor edx, edx
      wrmsr
      rdmsr
      mov [OUTA + 24], eax
      mov eax, 0x100            ; LME: no long mode here
      wrmsr
      hlt
    `);
    expect(s.r32(OUT)).toBe(0x1008);
    expect(s.r32(OUT + 4)).toBe(0x00070106);
    expect(s.r32(OUT + 8)).toBe(0x00050004);
    expect(s.r32(OUT + 12)).toBe(0x508);
    expect(s.r32(OUT + 16)).toBe(0xfff00800);
    expect(s.r32(OUT + 20)).toBe(0xf);
    expect(s.r32(OUT + 24)).toBe(0x800);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0);
  });

  it("an invalid PAT type and an unknown MSR raise #GP(0)", async () => {
    for (const code of ["mov ecx, 0x277\nmov eax, 2\nxor edx, edx\nwrmsr", "mov ecx, 0x12345\nrdmsr", "mov ecx, 0xfe\nwrmsr"]) {
      const s = await pm(`${code}\nhlt`);
      expect(s.r32(VEC), code).toBe(13);
    }
  });

  it("RDTSC counts virtual time; WRMSR to the TSC sets it (high half cleared, P6)", async () => {
    const s = await pm(`
      rdtsc
      mov [OUTA], eax
      mov [OUTA + 4], edx
      mov ecx, 0x10
      mov eax, 0x1000
      mov edx, 0x55
      wrmsr
      rdtsc
      mov [OUTA + 8], eax
      mov [OUTA + 12], edx
      hlt
    `, "", { setup: (s) => { s.cpu.set(L.NS_PER_INSN, 0); s.cpu.set(L.VIRT_TICKS, 5000); s.cpu.set(L.VIRT_TICKS + 4, 0); } });
    expect(s.r32(OUT + 4)).toBe(0);
    expect(s.r32(OUT + 8)).toBe(0x1000);
    expect(s.r32(OUT + 12)).toBe(0);
  });

  it("CR4.TSD makes RDTSC privileged; RDPMC needs CR4.PCE at CPL 3", async () => {
    for (const [cr4, insn, vec] of [[4, "rdtsc", 13], [0, "rdtsc", 0], [0, "rdpmc", 13], [0x100, "rdpmc", 0]] as const) {
      const s = await pm(`
        mov eax, ${cr4}
        mov cr4, eax
        xor ecx, ecx
        TO_RING3 r3
      r3:
        ${insn}
        mov ax, SEL_DATA32_3
        mov ds, ax
        mov dword [OUTA], 1
        hlt
      `);
      expect(s.r32(VEC), `${insn} cr4=${cr4}`).toBe(13);
      expect(s.r32(OUT), `${insn} cr4=${cr4}`).toBe(vec === 0 ? 1 : 0);
    }
  });

  it("SYSENTER enters CPL 0 with flat segments from IA32_SYSENTER_CS; SYSEXIT returns to CPL 3", async () => {
    const s = await pm(`
      mov ecx, 0x174
      mov eax, SEL_CODE32
      xor edx, edx
      wrmsr
      mov ecx, 0x175
      mov eax, 0x8800
      wrmsr
      mov ecx, 0x176
      mov eax, kentry
      wrmsr
      TO_RING3 r3
    r3:
      mov ax, SEL_DATA32_3
      mov ds, ax
      mov ecx, esp
      mov edx, back
      sysenter
    back:
      mov [OUTA + 12], cs
      mov [OUTA + 14], ss
      mov [OUTA + 16], esp
      hlt
    kentry:
      mov [ss:OUTA], cs
      mov [ss:OUTA + 2], ss
      mov [ss:OUTA + 4], esp
      pushfd
      pop dword [ss:OUTA + 8]
      sysexit
    `);
    expect(s.r16(OUT)).toBe(0x08);
    expect(s.r16(OUT + 2)).toBe(0x10);
    expect(s.r32(OUT + 4)).toBe(0x8800);
    expect(s.r32(OUT + 8) & 0x200).toBe(0);
    expect(s.r16(OUT + 12)).toBe(0x1b); // SYSENTER_CS + 16, RPL 3
    expect(s.r16(OUT + 14)).toBe(0x23); // SYSENTER_CS + 24, RPL 3
    expect(s.r32(OUT + 16)).toBe(0x8000);
    expect(s.r32(VEC)).toBe(13); // HLT at CPL 3
  });

  it("SYSENTER with IA32_SYSENTER_CS = 0 raises #GP(0)", async () => {
    const s = await pm(`
      sysenter
      hlt
    `);
    expect(s.r32(VEC)).toBe(13);
  });

  it("WRMSR that moves the APIC base ends the slice right after it, for the platform to remap", async () => {
    const s = await boot(`%include "pm.inc"
test_main:
      mov ecx, 0x1b
      rdmsr
      and eax, 0xfff
      or eax, 0xfed00000
      wrmsr
    after:
      mov dword [OUTA], 1
      hlt
    `);
    s.cpu.set(L.CPU_CONFIG, L.CPU_CONFIG_APIC);
    expect(s.cpu.run(100000)).toBe(L.EXIT_HOST_REQUEST);
    expect(s.cpu.get(L.MSR_APIC_BASE)).toBe(0xfed00900);
    expect(s.r32(OUT)).toBe(0); // stopped before the next instruction
    s.run();
    expect(s.r32(OUT)).toBe(1);
  });

  it("machine-check architecture: MCG_CAP reports 5 banks with MCG_CTL; status registers take only zeros", async () => {
    const s = await pm(`
      mov eax, 0x40
      mov cr4, eax               ; CR4.MCE exists
      mov ecx, 0x179
      rdmsr
      mov [OUTA], eax
      mov ecx, 0x400 + 4 * 4     ; MC4_CTL
      mov eax, 0xffffffff
      mov edx, eax
      wrmsr
      rdmsr
      mov [OUTA + 4], edx
      mov ecx, 0x401             ; MC0_STATUS
      xor eax, eax
      xor edx, edx
      wrmsr
      rdmsr
      mov [OUTA + 8], eax
      mov eax, 1
      wrmsr                      ; a non-zero status write: #GP(0)
      hlt
    `);
    expect(s.r32(OUT)).toBe(0x105);
    expect(s.r32(OUT + 4)).toBe(0xffffffff);
    expect(s.r32(OUT + 8)).toBe(0);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0);
  });
});
