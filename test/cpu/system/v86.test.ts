// Virtual-8086 mode (SDM Vol. 3A chapter 20): entry by IRET, segment loads, IOPL-sensitive
// instructions, the I/O permission bitmap, interrupts to the protected-mode handler, and the
// CR4.VME extensions (VIF/VIP, interrupt redirection).
import { describe, it, expect } from "vitest";
import { pm, OUT, L, VEC, ERR, EIPR, CSR, FLR, COUNT } from "./sys";
import { nasmMissing } from "../../support/nasm";

// Enter V86 at v86code (CS=0x0100, so IP = linear - 0x1000) with SS:SP = 0x0000:0x7000 and the
// given EFLAGS (VM is added).
function enter(eflags: number): string {
  return `
      push dword 0          ; GS
      push dword 0          ; FS
      push dword 0x0050     ; DS
      push dword 0          ; ES
      push dword 0          ; SS
      push dword 0x7000     ; ESP
      push dword 0x${(eflags | 0x20000).toString(16)}
      push dword 0x0100     ; CS
      push dword ABS(v86code) - 0x1000
      iretd
    bits 16
    v86code:
  `;
}

function v86(eflags: number, v86body: string, pre = "", post = "", cr4 = 0) {
  return pm(`${cr4 ? `mov eax, ${cr4}\nmov cr4, eax\n` : ""}${pre}\n${enter(eflags)}\n${v86body}\n${post}`);
}

describe.skipIf(nasmMissing())("virtual-8086 mode", () => {
  it("IRETD with VM=1 enters V86: real-mode style segments at CPL 3", async () => {
    const s = await v86(0x3002, `
      mov ax, ds
      mov [0x200], ax       ; DS base is 0x500: linear 0x700
      mov ax, 0x0070
      mov es, ax
      mov word [es:4], 0xbeef
      hlt
    `);
    expect(s.r16(0x700)).toBe(0x50);
    expect(s.r16(0x704)).toBe(0xbeef);
    expect(s.r32(VEC)).toBe(13); // HLT is privileged
    expect(s.r32(CSR)).toBe(0x0100);
    expect(s.r32(FLR) & 0x20000).toBe(0x20000);
  });

  it("the interrupt frame from V86 holds GS FS DS ES and the data segments are nulled", async () => {
    const s = await v86(0x3002, `
      mov ax, 0x1234
      mov gs, ax
      int 0x40
    `, "SET_GATE 0x40, h, 0xee00", `
    bits 32
    h:
      mov eax, [esp + 20]
      mov [ss:OUTA], eax      ; ES
      mov eax, [esp + 24]
      mov [ss:OUTA + 4], eax  ; DS
      mov eax, [esp + 32]
      mov [ss:OUTA + 8], eax  ; GS
      mov [ss:OUTA + 12], ds
      mov [ss:OUTA + 16], gs
      mov [ss:OUTA + 20], esp
      mov eax, [esp + 4]
      mov [ss:OUTA + 24], eax ; CS
      hlt
    `);
    expect(s.r32(OUT)).toBe(0);
    expect(s.r32(OUT + 4)).toBe(0x50);
    expect(s.r32(OUT + 8)).toBe(0x1234);
    expect(s.r16(OUT + 12)).toBe(0);
    expect(s.r16(OUT + 16)).toBe(0);
    expect(s.r32(OUT + 20)).toBe(0x9000 - 36);
    expect(s.r32(OUT + 24)).toBe(0x100);
  });

  it("with IOPL < 3, INT n, CLI and PUSHF raise #GP(0)", async () => {
    for (const insn of ["int 0x40", "cli", "pushf", "popf", "iret", "sti"]) {
      const s = await v86(0x0002, `${insn}\nhlt`, "SET_GATE 0x40, h, 0xee00", "bits 32\nh: hlt");
      expect(s.r32(VEC), insn).toBe(13);
      expect(s.r32(ERR)).toBe(0);
      expect(s.r32(EIPR), insn).toBe(s.r32(EIPR)); // reported at the instruction
    }
  });

  it("with IOPL = 3, CLI/STI/PUSHF/POPF work on IF", async () => {
    const s = await v86(0x3202, `
      cli
      pushf
      pop ax
      mov [0x200], ax
      hlt
    `);
    expect(s.r16(0x700) & 0x200).toBe(0);
    expect(s.r16(0x700) & 0x3000).toBe(0x3000);
  });

  it("IN/OUT consult the I/O bitmap regardless of IOPL", async () => {
    const s = await v86(0x3002, `
      mov al, 0x5a
      out 0x80, al
      mov byte [0x200], 1
      out 0x81, al
      hlt
    `, "mov byte [TSS_BASE + 0x68 + 0x10], 0xfe   ; allow port 0x80 only");
    expect(s.portWrites).toEqual([{ port: 0x80, size: 1, value: 0x5a }]);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0);
  });

  it("a word access needs both bits clear", async () => {
    const s = await v86(0x3002, `
      mov ax, 0x5a5a
      out 0x80, ax
      hlt
    `, "mov byte [TSS_BASE + 0x68 + 0x10], 0xfe");
    expect(s.portWrites).toEqual([]);
    expect(s.r32(VEC)).toBe(13);
  });

  it("CR4.VME: CLI/STI act on VIF, PUSHF shows VIF as IF with IOPL 3", async () => {
    const s = await v86(0x0202, `
      cli
      pushf
      pop ax
      mov [0x200], ax
      sti
      pushf
      pop ax
      mov [0x202], ax
      hlt
    `, "", "", 1);
    expect(s.r16(0x700) & 0x3200).toBe(0x3000); // IF (from VIF) clear, IOPL reads 3
    expect(s.r16(0x702) & 0x3200).toBe(0x3200);
    expect(s.r32(FLR) & 0x80200).toBe(0x80200); // real IF untouched, VIF set
  });

  it("CR4.VME: STI with VIP set raises #GP(0)", async () => {
    const s = await v86(0x100002, `
      sti
      hlt
    `, "", "", 1);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(FLR) & 0x80000).toBe(0);
  });

  it("CR4.VME: INT n with a clear redirection bit goes through the V86 vector table", async () => {
    const s = await v86(0x80202, `
      xor ax, ax
      mov ds, ax
      mov word [0x42 * 4], ABS(v86h) - 0x1000
      mov word [0x42 * 4 + 2], 0x0100
      int 0x42
      mov [0x702], ax
      hlt
    v86h:
      mov bp, sp
      mov ax, [bp + 4]
      mov [0x700], ax         ; FLAGS image
      pushf
      pop ax                  ; VIF was cleared on entry: PUSHF shows IF = 0
      iret
    `, "mov word [TSS_BASE + 102], 0x88\nmov dword [TSS_BASE + 0x68 + 8], 0   ; vectors 0x40..0x5f redirected", "", 1);
    expect(s.r16(0x700) & 0x3000).toBe(0x3000); // IOPL shows 3
    expect(s.r16(0x700) & 0x200).toBe(0x200); // IF taken from VIF (set)
    expect(s.r16(0x702) & 0x200).toBe(0); // the handler ran with VIF clear
    expect(s.r32(VEC)).toBe(13); // the final HLT
  });

  it("INT3 (CC) is not IOPL-sensitive: it reaches the protected-mode handler at IOPL 0", async () => {
    const s = await v86(0x0002, `
      int3
      hlt
    `, "SET_GATE 3, h3, 0xee00", `
    bits 32
    h3:
      mov eax, [esp + 4]
      mov [ss:OUTA], eax
      hlt
    `);
    expect(s.r32(OUT)).toBe(0x100); // the V86 CS in the frame
    expect(s.r32(COUNT)).toBe(0); // no #GP
  });

  it("CR4.VME does not redirect INT3: it still goes to the protected-mode handler", async () => {
    const s = await v86(0x0202, `
      int3
      hlt
    `, "SET_GATE 3, h3, 0xee00\nmov word [TSS_BASE + 102], 0x88\nmov dword [TSS_BASE + 0x68], 0", `
    bits 32
    h3:
      mov dword [ss:OUTA], 1
      hlt
    `, 1);
    expect(s.r32(OUT)).toBe(1);
  });
});
