// Debug facilities (SDM Vol. 3A chapter 17): TF single-step, instruction and data breakpoints in
// DR0-DR3/DR7, DR6 status bits, RF, general detect, DR4/DR5 aliasing.
import { describe, it, expect } from "vitest";
import { boot, pm, OUT, L, VEC, ERR, EIPR, FLR, COUNT } from "./sys";
import { nasmMissing } from "../../support/nasm";

// A #DB handler that counts its runs at OUT, and stores the return EIP at OUT + 4, DR6 at OUT + 8.
const COUNT_EIP_DR6_HANDLER = `
    dbh:
      inc dword [OUTA]
      mov eax, [esp]
      mov [OUTA + 4], eax
      mov eax, dr6
      mov [OUTA + 8], eax
      iretd`;

describe.skipIf(nasmMissing())("debug", () => {
  it("single-step: #DB after each instruction that started with TF, not after the POPF that set it", async () => {
    const s = await pm(`
      SET_GATE 1, dbh, 0x8e00
      mov dword [OUTA], 0
      mov dword [OUTA + 40], i2
      mov dword [OUTA + 44], i3
      mov dword [OUTA + 48], i4
      mov dword [OUTA + 52], i5
      mov dword [OUTA + 56], after
      pushfd
      or dword [esp], 0x100
      popfd
    i1: nop
    i2: nop
    i3: pushfd
    i4: and dword [esp], ~0x100
    i5: popfd
    after:
      hlt
    dbh:
      mov eax, [OUTA]
      mov ebx, [esp]
      mov [OUTA + 4 + eax * 4], ebx
      inc dword [OUTA]
      mov eax, dr6
      mov [OUTA + 32], eax
      iretd
    `);
    // Traps after the NOP at i1 (report i2), the NOP at i2 (i3), PUSHFD, AND, and the POPF that
    // cleared TF (which started with TF set).
    const n = s.r32(OUT);
    const eips = Array.from({ length: n }, (_, i) => s.r32(OUT + 4 + i * 4));
    expect(n).toBe(5);
    expect(eips).toEqual([0, 1, 2, 3, 4].map((i) => s.r32(OUT + 40 + i * 4)));
    expect(s.r32(OUT + 32) & 0x4000).toBe(0x4000); // BS
  });

  it("an instruction breakpoint faults before the instruction; RF in the IRET image lets it run", async () => {
    const s = await pm(`
      SET_GATE 1, dbh, 0x8e00
      mov eax, target
      mov dr0, eax
      mov eax, 0x00000001       ; L0, R/W0 = 00 (execute), LEN0 = 00
      mov dr7, eax
      mov dword [OUTA], 0
      mov dword [OUTA + 20], target
    target:
      inc dword [OUTA + 4]
      hlt
    dbh:
      inc dword [OUTA]
      mov eax, [esp]
      mov [OUTA + 8], eax
      mov eax, dr6
      mov [OUTA + 12], eax
      mov eax, [esp + 8]
      mov [OUTA + 16], eax       ; pushed EFLAGS: RF clear for an instruction breakpoint
      or dword [esp + 8], 0x10000
      iretd
    `);
    expect(s.r32(OUT)).toBe(1); // one #DB only
    expect(s.r32(OUT + 4)).toBe(1); // the instruction then ran once
    expect(s.r32(OUT + 8)).toBe(s.r32(OUT + 20)); // the fault reports the breakpoint address
    expect(s.r32(OUT + 12) & 0xf).toBe(1); // B0
    expect(s.r32(OUT + 16) & 0x10000).toBe(0);
  });

  it("a data write breakpoint traps after the writing instruction with B1 set", async () => {
    const s = await pm(`
      SET_GATE 1, dbh, 0x8e00
      mov eax, 0x5002
      mov dr1, eax
      mov eax, 0x00d00004       ; L1, R/W1 = 01 (write), LEN1 = 11 (4 bytes)
      mov dr7, eax
      mov dword [OUTA + 12], w1
      mov eax, [0x5000]         ; a read does not trigger a write breakpoint
      mov byte [0x5001], 1      ; inside the aligned dword 0x5000..0x5003
    w1:
      mov byte [0x5008], 2      ; outside
    w2:
      hlt
${COUNT_EIP_DR6_HANDLER}
    `);
    expect(s.r32(OUT)).toBe(1);
    expect(s.r32(OUT + 4)).toBe(s.r32(OUT + 12)); // a trap: reported after the write
    expect(s.r32(OUT + 8) & 0xf).toBe(2);
  });

  it("a read/write breakpoint catches reads; data breakpoints are precise per access size", async () => {
    const s = await pm(`
      SET_GATE 1, dbh, 0x8e00
      mov eax, 0x5010
      mov dr3, eax
      mov eax, 0x30000040       ; L3, R/W3 = 11 (read/write), LEN3 = 00 (1 byte)
      mov dr7, eax
      mov eax, [0x500c]         ; bytes 0x500c..0x500f: no hit
      mov ax, [0x500f]          ; bytes 0x500f..0x5010: hit
      hlt
    dbh:
      inc dword [OUTA]
      mov eax, dr6
      mov [OUTA + 8], eax
      iretd
    `);
    expect(s.r32(OUT)).toBe(1);
    expect(s.r32(OUT + 8) & 0xf).toBe(8);
  });

  it("DR7.GD: a MOV DR faults with #DB, BD set and GD cleared", async () => {
    const s = await pm(`
      mov eax, 0x2000
      mov dr7, eax
    access:
      mov eax, dr0
      hlt
    `);
    expect(s.r32(VEC)).toBe(1);
    expect(s.cpu.get(L.DR + 24) & 0x2000).toBe(0x2000);
    expect(s.cpu.get(L.DR + 28) & 0x2000).toBe(0);
    expect(s.r32(FLR) & 0x10000).toBe(0x10000); // faults push RF=1
  });

  it("DR4/DR5 alias DR6/DR7 without CR4.DE and raise #UD with it; DR6/DR7 fixed bits", async () => {
    const s = await pm(`
      xor eax, eax
      mov dr7, eax
      mov dr6, eax
      db 0x0f, 0x21, 0xe8       ; mov eax, dr5
      mov [OUTA], eax
      db 0x0f, 0x21, 0xe0       ; mov eax, dr4
      mov [OUTA + 4], eax
      mov eax, 8
      mov cr4, eax
      db 0x0f, 0x21, 0xe0
      hlt
    `);
    expect(s.r32(OUT)).toBe(0x400);
    expect(s.r32(OUT + 4)).toBe(0xffff0ff0);
    expect(s.r32(VEC)).toBe(6);
  });
});

describe.skipIf(nasmMissing())("I/O breakpoints", () => {
  it("with CR4.DE, an R/W=10 breakpoint traps after an access to its port", async () => {
    const s = await pm(`
      SET_GATE 1, dbh, 0x8e00
      mov eax, 8
      mov cr4, eax
      mov eax, 0x80
      mov dr2, eax
      mov eax, 0x02000010       ; L2, R/W2 = 10 (I/O), LEN2 = 00
      mov dr7, eax
      mov dword [OUTA + 12], after
      mov al, 1
      out 0x81, al              ; another port: no trap
      out 0x80, al
    after:
      hlt
${COUNT_EIP_DR6_HANDLER}
    `);
    expect(s.r32(OUT)).toBe(1);
    expect(s.r32(OUT + 4)).toBe(s.r32(OUT + 12));
    expect(s.r32(OUT + 8) & 0xf).toBe(4);
  });
});

describe.skipIf(nasmMissing())("single-step over INT n", () => {
  it("no trap after the INT nor inside the handler; the next trap follows the instruction after IRET", async () => {
    // Checked against QEMU and Bochs: both report only the NOPs' traps here.
    const s = await pm(`
      SET_GATE 1, dbh, 0x8e00
      SET_GATE 0x40, h40, 0x8e00
      mov dword [OUTA], 0
      mov dword [OUTA + 40], n1 + 1
      mov dword [OUTA + 44], n2 + 1
      pushfd
      or dword [esp], 0x100
      popfd
    n1:
      nop
      int 0x40
    n2:
      nop
      pushfd
      and dword [esp], ~0x100
      popfd
      hlt
    h40:
      iretd
    dbh:
      mov eax, [OUTA]
      mov ebx, [esp]
      mov [OUTA + 4 + eax * 4], ebx
      inc dword [OUTA]
      iretd
    `);
    expect(s.r32(OUT + 4)).toBe(s.r32(OUT + 40));
    expect(s.r32(OUT + 8)).toBe(s.r32(OUT + 44));
  });
});

describe.skipIf(nasmMissing())("debug state across a snapshot", () => {
  it("a restored CPU re-arms the instruction breakpoints from DR0-DR7", async () => {
    const s = await pm(`
      SET_GATE 1, dbh, 0x8e00
      mov eax, target
      mov dr0, eax
      mov dword [OUTA + 4], eax
      mov eax, 1
      mov dr7, eax
      hlt                       ; the snapshot is taken here
    target:
      mov dword [OUTA + 8], 1
      hlt
    dbh:
      mov eax, [esp]
      mov [OUTA], eax
      hlt
    `);
    expect(s.exit).toBe(L.EXIT_HLT_NOIRQ);
    const state = s.cpu.saveState();
    const ram = s.cpu.ram().slice();
    const t = await boot("hlt");
    t.cpu.ram().set(ram);
    t.cpu.loadState(state);
    t.cpu.set(L.HALTED, 0);
    t.run();
    expect(t.r32(OUT)).toBe(t.r32(OUT + 4)); // #DB at the breakpoint
    expect(t.r32(OUT + 8)).toBe(0); // before the instruction ran
  });
});

describe.skipIf(nasmMissing())("DR7.GD", () => {
  it("any #DB (here a single-step trap) clears GD on entry to the handler", async () => {
    const s = await pm(`
      SET_GATE 1, dbh, 0x8e00
      mov eax, 0x2400
      mov dr7, eax              ; GD set: from now on MOV DR faults
      pushfd
      or dword [esp], 0x100
      popfd
      nop                       ; single-step #DB after this
      hlt
    dbh:
      mov eax, dr7              ; allowed: GD was cleared on entry
      mov [OUTA], eax
      and dword [esp + 8], ~0x100
      iretd
    `);
    expect(s.r32(VEC)).toBe(0); // no further #DB from the MOV DR in the handler
    expect(s.r32(OUT)).toBe(0x400);
  });
});
