// Privilege transitions (SDM Vol. 3A 5.8, 6.12): interrupts and call gates to an inner level with
// the stack switch from the TSS, returns to an outer level, software-interrupt DPL checks,
// conforming segments, and the double-fault rules of Table 6-5.
import { describe, it, expect } from "vitest";
import { pm, OUT, L, VEC, ERR, EIPR, CSR, COUNT } from "./sys";
import { nasmMissing } from "../../support/nasm";

const STACK0 = 0x9000, STACK3 = 0x8000;

describe.skipIf(nasmMissing())("privilege transitions", () => {
  it("INT from CPL 3 through a DPL-3 gate switches to the TSS stack and IRET returns", async () => {
    const s = await pm(`
      SET_GATE 0x40, handler, 0xee00
      TO_RING3 ring3
    handler:
      mov [OUTA + 0], esp
      mov eax, [esp + 4]
      mov [OUTA + 4], eax      ; CS
      mov eax, [esp + 12]
      mov [OUTA + 8], eax      ; ESP
      mov eax, [esp + 16]
      mov [OUTA + 12], eax     ; SS
      mov [OUTA + 16], ss
      iretd
    ring3:
      mov ax, ds
      mov [ss:OUTA + 20], ax   ; DS was nulled by the IRET to CPL 3 (DPL 0 < 3)
      mov ax, SEL_DATA32_3
      mov ds, ax
      int 0x40
      mov [OUTA + 24], esp
      mov [OUTA + 28], cs
      hlt                      ; #GP(0) at CPL 3 ends the test
    `);
    expect(s.r32(OUT + 0)).toBe(STACK0 - 20);
    expect(s.r32(OUT + 4)).toBe(0x2b);
    expect(s.r32(OUT + 8)).toBe(STACK3);
    expect(s.r32(OUT + 12)).toBe(0x33);
    expect(s.r16(OUT + 16)).toBe(0x10);
    expect(s.r16(OUT + 20)).toBe(0);
    expect(s.r32(OUT + 24)).toBe(STACK3);
    expect(s.r16(OUT + 28)).toBe(0x2b);
    expect(s.r32(VEC)).toBe(13); // HLT at CPL 3
    expect(s.r32(ERR)).toBe(0);
    expect(s.r32(CSR)).toBe(0x2b);
  });

  it("INT n from CPL 3 through a DPL-0 gate raises #GP(vector*8+2)", async () => {
    const s = await pm(`
      SET_GATE 0x41, handler, 0x8e00
      TO_RING3 ring3
    handler:
      hlt
    ring3:
      int 0x41
    `);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0x41 * 8 + 2);
    expect(s.r32(CSR)).toBe(0x2b);
  });

  it("INT3 is checked against the gate DPL, INT1 (ICEBP) is not", async () => {
    const s = await pm(`
      SET_GATE 3, handler3, 0x8e00
      SET_GATE 1, handler1, 0x8e00
      mov dword [RES_HOOK], 0
      TO_RING3 ring3
    handler1:
      mov dword [ss:OUTA], 1
      add esp, 20
      hlt
    handler3:
      hlt
    ring3:
      int1
    `);
    expect(s.r32(OUT)).toBe(1);
    const t = await pm(`
      SET_GATE 3, handler3, 0x8e00
      TO_RING3 ring3
    handler3:
      hlt
    ring3:
      int3
    `);
    expect(t.r32(VEC)).toBe(13);
    expect(t.r32(ERR)).toBe(3 * 8 + 2);
  });

  it("a 32-bit call gate to CPL 0 copies parameters; RETF n returns to CPL 3 and pops them", async () => {
    const s = await pm(`
      TO_RING3 ring3
    gate_target:
      mov [OUTA + 0], esp
      mov eax, [esp + 8]
      mov [OUTA + 4], eax      ; parameter nearest the return address (pushed last)
      mov eax, [esp + 12]
      mov [OUTA + 8], eax
      mov eax, [esp + 16]
      mov [OUTA + 12], eax     ; caller ESP
      mov eax, [esp + 20]
      mov [OUTA + 16], eax     ; caller SS
      mov eax, [esp + 4]
      mov [OUTA + 20], eax     ; caller CS
      retf 8
    ring3:
      mov ax, SEL_DATA32_3
      mov ds, ax
      push dword 0x11111111
      push dword 0x22222222
      call 0x4b:0
      mov [OUTA + 24], esp
      hlt
    `, "GATE SEL_CODE32, ABS(gate_target), 0xec, 2");
    expect(s.r32(OUT + 0)).toBe(STACK0 - 24);
    expect(s.r32(OUT + 4)).toBe(0x22222222);
    expect(s.r32(OUT + 8)).toBe(0x11111111);
    expect(s.r32(OUT + 12)).toBe(STACK3 - 8);
    expect(s.r32(OUT + 16)).toBe(0x33);
    expect(s.r32(OUT + 20)).toBe(0x2b);
    expect(s.r32(OUT + 24)).toBe(STACK3);
    expect(s.r32(CSR)).toBe(0x2b);
  });

  it("a 16-bit call gate pushes words", async () => {
    const s = await pm(`
      TO_RING3 ring3
    gate_target:
      mov [OUTA + 0], esp
      movzx eax, word [esp + 4]
      mov [OUTA + 4], eax      ; the word parameter
      o16 retf 2
    ring3:
      mov ax, SEL_DATA32_3
      mov ds, ax
      push word 0x1234
      call 0x4b:0
      mov [OUTA + 8], esp
      hlt
    `, "GATE SEL_CODE32, ABS(gate_target), 0xe4, 1");
    expect(s.r32(OUT + 0)).toBe(STACK0 - 10);
    expect(s.r32(OUT + 4)).toBe(0x1234);
    expect(s.r32(OUT + 8)).toBe(STACK3);
  });

  it("a call gate with DPL < CPL raises #GP(gate selector)", async () => {
    const s = await pm(`
      TO_RING3 ring3
    gate_target:
      hlt
    ring3:
      call 0x4b:0
    `, "GATE SEL_CODE32, ABS(gate_target), 0x8c, 0");
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0x48);
  });

  it("a far call to a conforming segment keeps CPL 3", async () => {
    const s = await pm(`
      TO_RING3 ring3
    conf:
      mov [ss:OUTA], cs
      retf
    ring3:
      call 0x4b:ABS(conf)
      mov [ss:OUTA + 4], cs
      hlt
    `, "DESC 0, 0xfffff, 0xc09f");
    expect(s.r16(OUT)).toBe(0x4b);
    expect(s.r16(OUT + 4)).toBe(0x2b);
    expect(s.r32(CSR)).toBe(0x2b);
  });

  it("RETF to CPL 3 with an SS of the wrong DPL raises #GP(SS)", async () => {
    const s = await pm(`
      push dword SEL_DATA32      ; DPL 0 stack for a CPL 3 return
      push dword STACK3
      push dword SEL_CODE32_3
      push dword ring3
      retf
    ring3:
      hlt
    `);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0x10);
    expect(s.r32(CSR)).toBe(0x08);
  });

  it("a #GP whose gate is not present becomes #NP(vector*8+2+EXT), then #DF(0)", async () => {
    const s = await pm(`
      mov byte [IDT_BASE + 13 * 8 + 5], 0x0e     ; clear P in the #GP gate
      mov ax, 0x1f8
      mov ds, ax
    `);
    expect(s.r32(VEC)).toBe(8);
    expect(s.r32(ERR)).toBe(0);
  });

  it("a #NP during #UD delivery is handled serially (benign, then contributory)", async () => {
    const s = await pm(`
      mov byte [IDT_BASE + 6 * 8 + 5], 0x0e      ; #UD gate not present
      ud2
    `);
    expect(s.r32(VEC)).toBe(11);
    expect(s.r32(ERR)).toBe(6 * 8 + 2 + 1);
  });

  it("a fault while delivering #DF shuts the processor down", async () => {
    const s = await pm(`
      mov byte [IDT_BASE + 13 * 8 + 5], 0x0e
      mov byte [IDT_BASE + 8 * 8 + 5], 0x0e
      mov ax, 0x1f8
      mov ds, ax
    `);
    expect(s.exit).toBe(L.EXIT_TRIPLE_FAULT);
    expect(s.r32(COUNT)).toBe(0);
  });

  it("faults push the faulting EIP; INT n pushes the next EIP", async () => {
    const s = await pm(`
      mov dword [RES_HOOK], after
    fault:
      ud2
    after:
      add esp, 12
      mov eax, [RES_EIP]
      mov [OUTA], eax
      mov dword [OUTA + 4], fault
      SET_GATE 0x50, h50, 0x8e00
      int 0x50
    next:
      hlt
    h50:
      mov eax, [esp]
      mov [OUTA + 8], eax
      mov dword [OUTA + 12], next
      iretd
    `);
    expect(s.r32(OUT)).toBe(s.r32(OUT + 4));
    expect(s.r32(OUT + 8)).toBe(s.r32(OUT + 12));
  });

  it("trap gates keep IF, interrupt gates clear it", async () => {
    const s = await pm(`
      SET_GATE 0x50, h, 0x8f00
      SET_GATE 0x51, h, 0x8e00
      sti
      int 0x50
      mov [OUTA], eax
      int 0x51
      mov [OUTA + 4], eax
      cli
      hlt
    h:
      pushfd
      pop eax
      iretd
    `);
    expect(s.r32(OUT) & 0x200).toBe(0x200);
    expect(s.r32(OUT + 4) & 0x200).toBe(0);
  });

  it("an external interrupt at CPL 3 enters the handler at CPL 0 with EXT semantics (no DPL check)", async () => {
    const s = await pm(`
      SET_GATE 0x20, h, 0x8e00      ; DPL 0: hardware interrupts ignore the gate DPL
      mov dword [OUTA], 0
      or dword [esp], 0
      pushfd
      or dword [esp], 0x200
      popfd
      cli
      TO_RING3_IF ring3
    h:
      mov eax, [esp + 4]
      mov [ss:OUTA], eax
      hlt
    ring3:
      jmp ring3
    `.replace("TO_RING3_IF ring3", `push dword SEL_DATA32_3
      push dword STACK3
      push dword 0x202
      push dword SEL_CODE32_3
      push dword ring3
      iretd`));
    expect(s.r32(OUT)).toBe(0); // INTR not asserted yet
    s.cpu.set(L.INTR_LINE, 1);
    s.pendingVector = 0x20;
    s.run();
    expect(s.r32(OUT)).toBe(0x2b);
  });
});
