// System Management Mode (SDM Vol. 3C, chapter "System Management Mode"): SMI entry and the state
// save map of processors without Intel 64, the SMM execution environment, RSM back to protected
// mode with paging, SMBASE relocation, auto HALT restart, #UD for RSM outside SMM, and NMI blocking
// in SMM. The host raises an SMI as a chipset does: it latches SMI_PENDING and the next slice takes
// it. Expected values are the SDM's (the map's offsets from SMBASE + 8000H, the initial register
// values of its table "Processor Register Initialization in SMM") and the values the programs load.
import { describe, it, expect } from "vitest";
import { boot, withHandler, OUT, RES, L, EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, type Sys } from "./sys";
import { assemble, nasmMissing } from "../../support/nasm";

const SMBASE = 0x30000; // the reset value
const MAP = SMBASE + 0x8000; // the map's offsets (7FFCH...) are from SMBASE + 8000H
const PD = 0x10000, PT = 0x11000;

/** Put a 16-bit SMM handler at SMBASE + 8000H (the SMI entry point). */
function handler(s: Sys, src: string, smbase = SMBASE): void {
  s.cpu.ram().set(assemble(`bits 16\norg 0x8000\n${src}`), smbase + 0x8000);
}
/** Latch an SMI, as a chipset does; the next run() slice enters SMM. */
function smi(s: Sys): void {
  s.cpu.set(L.SMI_PENDING, 1);
}

// A protected-mode program with paging (identity map, plus linear 0x200000 -> physical 0x5000),
// CR4.PSE|PGE, FS/GS loaded, every GPR and EFLAGS set, that spins until EAX becomes 0x12345678
// (the SMM handler's doing), then stores through the alias page and halts.
const PM_PROGRAM = `%include "pm.inc"
test_main:
  mov edi, ${PT}
  mov eax, 0x003
  mov ecx, 1024
.fill:
  mov [edi], eax
  add eax, 0x1000
  add edi, 4
  loop .fill
  mov dword [${PT} + 0x200 * 4], 0x5003
  mov dword [${PD}], ${PT} | 3
  mov eax, ${PD}
  mov cr3, eax
  mov eax, cr4
  or eax, 0x90
  mov cr4, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  mov ax, SEL_DATA16
  mov fs, ax
  mov ax, SEL_DATA32_1
  mov gs, ax
  mov dword [${OUT}], spin
  mov dword [${OUT} + 12], gdt
  mov esp, 0x8ff0
  push dword 0xcd7            ; OF DF SF ZF AF PF CF
  popfd
  mov eax, 0xa0a0a0a0
  mov ecx, 0xc1c1c1c1
  mov edx, 0xd2d2d2d2
  mov ebx, 0xb3b3b3b3
  mov ebp, 0xb5b5b5b5
  mov esi, 0x56565656
  mov edi, 0x67676767
spin:
  cmp eax, 0x12345678
  jne spin
  mov dword [0x200000], ebx
  hlt
`;

async function pmAtSpin(): Promise<Sys> {
  const s = await boot(PM_PROGRAM);
  s.cpu.run(20000);
  // Stop at the loop's first instruction, so the SMI interrupts it there.
  for (let i = 0; i < 4 && s.cpu.eip !== s.r32(OUT); i++) s.cpu.run(1);
  expect(s.cpu.eip).toBe(s.r32(OUT));
  return s;
}

describe.skipIf(nasmMissing())("System Management Mode", () => {
  it("SMI entry saves the state at SMBASE + 8000H + the SDM map's offsets", async () => {
    const s = await pmAtSpin();
    const spin = s.r32(OUT);
    handler(s, "hlt");
    smi(s);
    expect(s.cpu.run(100)).toBe(L.EXIT_HLT_NOIRQ);
    const m = (off: number) => s.r32(MAP + off);
    expect(m(0x7ffc)).toBe(0xe0000011); // CR0: PG, CD, NW (reset), ET, PE
    expect(m(0x7ff8)).toBe(PD); // CR3
    // EFLAGS: DF from POPFD; the loop's CMP 0xa0a0a0a0 - 0x12345678 = 0x8e6c4a28 gave SF, AF
    // (borrow from bit 4), PF (0x28 has two bits set), no CF, ZF or OF; bit 1 always.
    expect(m(0x7ff4)).toBe(0x400 | 0x80 | 0x10 | 0x04 | 0x02);
    expect(m(0x7ff0)).toBe(spin); // EIP: the next instruction to execute
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => m(0x7fd0 + 4 * i))).toEqual(
      [0xa0a0a0a0, 0xc1c1c1c1, 0xd2d2d2d2, 0xb3b3b3b3, 0x8ff0, 0xb5b5b5b5, 0x56565656, 0x67676767]);
    expect(m(0x7fcc)).toBe(0xffff0ff0); // DR6
    expect(m(0x7fc8)).toBe(0x400); // DR7
    expect(m(0x7fc4)).toBe(0x38); // TR selector
    expect(m(0x7fc0)).toBe(0); // LDTR selector
    expect([0x7fa8, 0x7fac, 0x7fb0, 0x7fb4, 0x7fb8, 0x7fbc].map(m)).toEqual([0x10, 0x08, 0x10, 0x10, 0x20, 0x41]);
    // Segment caches {attributes, limit, base}: ES CS SS from 7F84H, DS FS GS from 7F2CH.
    expect([m(0x7f90), m(0x7f94), m(0x7f98)]).toEqual([0xc09b, 0xffffffff, 0]); // CS
    expect([m(0x7f9c), m(0x7fa0), m(0x7fa4)]).toEqual([0xc093, 0xffffffff, 0]); // SS
    expect([m(0x7f38), m(0x7f3c), m(0x7f40)]).toEqual([0x0093, 0xffff, 0]); // FS: 16-bit data
    expect([m(0x7f44), m(0x7f48), m(0x7f4c)]).toEqual([0xc0b3, 0xffffffff, 0]); // GS: DPL 1
    expect([m(0x7f5c), m(0x7f60), m(0x7f64)]).toEqual([0x008b, 0x67 + 8192 + 1, 0x3800]); // TR: busy TSS
    expect([m(0x7f74), m(0x7f70)]).toEqual([s.r32(OUT + 12), 9 * 8 - 1]); // GDTR base, limit
    expect([m(0x7f58), m(0x7f54)]).toEqual([0x3000, 0x7ff]); // IDTR base, limit
    expect(m(0x7f14)).toBe(0x90); // CR4
    expect(s.r16(MAP + 0x7f02)).toBe(0); // auto HALT restart: not halted
    expect(s.r16(MAP + 0x7f00)).toBe(0); // I/O instruction restart
    expect(m(0x7efc)).toBe(0x00020000); // revision: SMBASE relocation supported
    expect(m(0x7ef8)).toBe(SMBASE);
  });

  it("enters the SMM environment: CS = SMBASE >> 4 at EIP 8000H, 4 GiB segments, PE/PG/EM/TS and CR4 clear, NMIs blocked", async () => {
    const s = await pmAtSpin();
    handler(s, "hlt");
    smi(s);
    expect(s.cpu.run(100)).toBe(L.EXIT_HLT_NOIRQ);
    expect(s.cpu.get(L.IN_SMM)).toBe(1);
    expect(s.cpu.get(L.SMI_PENDING)).toBe(0);
    expect(s.cpu.eip).toBe(0x8001); // past the handler's HLT
    expect(s.seg(L.SEG_CS)).toMatchObject({ sel: 0x3000, base: 0x30000, limit: 0xffffffff });
    for (const seg of [L.SEG_ES, L.SEG_SS, L.SEG_DS, L.SEG_FS, L.SEG_GS]) {
      expect(s.seg(seg)).toMatchObject({ sel: 0, base: 0, limit: 0xffffffff });
    }
    expect(s.cpu.seg(L.SEG_CS).attrs & 0x4000).toBe(0); // 16-bit code
    expect(s.cpu.eflags()).toBe(0x2);
    expect(s.cpu.get(L.CR0)).toBe(0x60000010); // CD, NW and ET kept
    expect(s.cpu.get(L.CR4)).toBe(0);
    expect(s.cpu.get(L.DR + 28)).toBe(0x400);
    expect(s.cpu.get(L.CPL)).toBe(0);
    expect(s.cpu.get(L.NMI_BLOCKED)).toBe(1);
  });

  it("RSM restores protected mode with paging, from the map as the handler left it", async () => {
    const s = await pmAtSpin();
    // The handler replaces the saved EAX; the program leaves its loop only with that value.
    handler(s, "mov dword [cs:0xffd0], 0x12345678\nrsm");
    smi(s);
    expect(s.cpu.run(1000)).toBe(L.EXIT_HLT_NOIRQ);
    expect(s.cpu.get(L.IN_SMM)).toBe(0);
    expect(s.reg(EAX)).toBe(0x12345678);
    expect([ECX, EDX, EBX, ESP, EBP, ESI, EDI].map((r) => s.reg(r))).toEqual(
      [0xc1c1c1c1, 0xd2d2d2d2, 0xb3b3b3b3, 0x8ff0, 0xb5b5b5b5, 0x56565656, 0x67676767]);
    expect(s.r32(0x5000)).toBe(0xb3b3b3b3); // written through the alias page: paging is back on
    expect(s.cpu.get(L.CR0)).toBe(0xe0000011);
    expect(s.cpu.get(L.CR3)).toBe(PD);
    expect(s.cpu.get(L.CR4)).toBe(0x90);
    expect(s.cpu.get(L.CPL)).toBe(0);
    expect(s.seg(L.SEG_CS)).toMatchObject({ sel: 0x08, base: 0, limit: 0xffffffff, attrs: 0xc09b });
    expect(s.seg(L.SEG_FS)).toMatchObject({ sel: 0x20, base: 0, limit: 0xffff, attrs: 0x0093 });
    expect(s.seg(L.SEG_TR)).toMatchObject({ sel: 0x38, base: 0x3800, attrs: 0x008b });
    expect(s.cpu.eflags() & 0x400).toBe(0x400); // DF from the saved EFLAGS
    expect(s.cpu.get(L.NMI_BLOCKED)).toBe(0);
  });

  it("RSM reloads SMBASE from the map: the next SMI saves and enters at the new base", async () => {
    const s = await boot(`
      cli
    spin:
      jmp spin
    `);
    s.cpu.run(100);
    handler(s, "mov dword [cs:0xfef8], 0x50000\nrsm");
    handler(s, "hlt", 0x50000);
    smi(s);
    s.cpu.run(100);
    expect(s.cpu.get(L.IN_SMM)).toBe(0);
    expect(s.cpu.get(L.SMBASE)).toBe(0x50000);
    smi(s);
    expect(s.cpu.run(100)).toBe(L.EXIT_HLT_NOIRQ);
    expect(s.seg(L.SEG_CS)).toMatchObject({ sel: 0x5000, base: 0x50000 });
    expect(s.cpu.eip).toBe(0x8001);
    expect(s.r32(0x50000 + 0xfef8)).toBe(0x50000); // SMBASE field of the new map
    expect(s.r32(0x50000 + 0xfefc)).toBe(0x00020000);
    expect(s.r32(0x50000 + 0xfff0)).toBe(0x1001); // EIP of `spin` (org 1000H, after CLI)
  });

  it("auto HALT restart: RSM goes back to HLT when the handler leaves bit 0 set, and past it when cleared", async () => {
    const s = await boot(`
      xor ax, ax
      mov ds, ax
      cli
      hlt
      mov byte [${OUT}], 1
      hlt
    `);
    expect(s.run()).toBe(L.EXIT_HLT_NOIRQ);
    const afterHlt = s.cpu.eip;
    handler(s, "rsm");
    smi(s);
    expect(s.cpu.run(100)).toBe(L.EXIT_HLT_NOIRQ); // halted again, at the same place
    expect(s.r16(MAP + 0x7f02)).toBe(1); // the SMI interrupted HLT
    expect(s.r32(MAP + 0x7ff0)).toBe(afterHlt); // EIP saved: the instruction after HLT
    expect(s.cpu.eip).toBe(afterHlt);
    expect(s.cpu.get(L.HALTED)).toBe(1);
    expect(s.r16(OUT) & 0xff).toBe(0);
    handler(s, "mov word [cs:0xff02], 0\nrsm");
    smi(s);
    expect(s.cpu.run(100)).toBe(L.EXIT_HLT_NOIRQ); // the second HLT
    expect(s.r16(OUT) & 0xff).toBe(1);
  });

  it("RSM outside SMM raises #UD", async () => {
    const s = await boot(`%include "pm.inc"
test_main:
      rsm
      hlt
    `);
    s.run();
    expect(s.r32(RES)).toBe(6);
    expect(s.r32(RES + 4)).toBe(0xffffffff); // no error code
  });

  it("an NMI arriving in SMM waits for RSM; an SMI arriving in SMM is taken after RSM", async () => {
    const s = await boot(`${withHandler("2", "nmi")}
      cli
    spin:
      jmp spin
    nmi:
      inc byte [${OUT}]
      iret
    `);
    s.cpu.run(100);
    // The handler counts its runs at 0x600 and spins a while before RSM.
    handler(s, "inc byte [cs:0x100]\nmov ecx, 2000\n.l: a32 loop .l\nrsm");
    smi(s);
    s.cpu.run(10);
    expect(s.cpu.get(L.IN_SMM)).toBe(1);
    s.cpu.set(L.NMI_PENDING, 1);
    smi(s);
    s.cpu.run(100);
    expect(s.cpu.get(L.IN_SMM)).toBe(1);
    expect(s.r16(OUT) & 0xff).toBe(0); // blocked in SMM
    expect(s.cpu.get(L.NMI_PENDING)).toBe(1);
    for (let i = 0; i < 10 && s.r32(0x30100) !== 2; i++) s.cpu.run(5000);
    expect(s.r32(0x30100) & 0xff).toBe(2); // the latched SMI ran the handler again after RSM
    for (let i = 0; i < 10 && s.cpu.get(L.IN_SMM); i++) s.cpu.run(5000);
    s.cpu.run(100);
    expect(s.r16(OUT) & 0xff).toBe(1); // the NMI, once out of SMM
  });
});
