// Assorted protected-mode rules: far JMP through a call gate, direct JMP privilege checks, RETF
// imm16, unreal mode, POPF/CLI/STI under IOPL and CR4.PVI, IN/OUT with IOPL, INTO, 16-bit
// interrupt gates, and INIT.
import { describe, it, expect } from "vitest";
import { pm, BACK_TO_REAL_MODE, OUT, L, VEC, ERR, EIPR, CSR, FLR, COUNT } from "./sys";
import { nasmMissing } from "../../support/nasm";

// Drop to CPL 3 with the given EFLAGS.
const ring3 = (label: string, eflags: number) => `
      push dword SEL_DATA32_3
      push dword STACK3
      push dword ${eflags}
      push dword SEL_CODE32_3
      push dword ${label}
      iretd`;

describe.skipIf(nasmMissing())("protected-mode rules", () => {
  it("JMP through a call gate keeps CPL and pushes nothing", async () => {
    const s = await pm(`
      mov ebx, esp
      jmp 0x48:0
    target:
      mov [OUTA], esp
      mov [OUTA + 4], ebx
      mov [OUTA + 8], cs
      hlt
    `, "GATE SEL_CODE32, ABS(target), 0x8c, 0");
    expect(s.r32(OUT)).toBe(s.r32(OUT + 4));
    expect(s.r16(OUT + 8)).toBe(0x08);
  });

  it("JMP directly to a non-conforming segment of another DPL raises #GP(selector)", async () => {
    const s = await pm(`
      jmp SEL_CODE32_3:target
    target:
      hlt
    `);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0x28);
  });

  it("a far JMP beyond the CS limit raises #GP(0) and leaves CS unchanged", async () => {
    const s = await pm(`
      jmp SEL_CODE16:0x12345
    `);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0);
    expect(s.r32(CSR)).toBe(0x08);
  });

  it("RETF imm16 to the same level releases the parameters", async () => {
    const s = await pm(`
      mov ebx, esp
      push dword 1
      push dword 2
      call SEL_CODE32:far_proc
      mov [OUTA], esp
      mov [OUTA + 4], ebx
      hlt
    far_proc:
      retf 8
    `);
    expect(s.r32(OUT)).toBe(s.r32(OUT + 4));
  });

  it("unreal mode: a 4 GiB limit loaded in protected mode survives the return to real mode", async () => {
    const s = await pm(`${BACK_TO_REAL_MODE}
      xor ax, ax
      mov ds, ax             ; base 0, the 4 GiB limit stays
      mov dword [dword 0x200000], 0x600d
      mov eax, [dword 0x200000]
      mov [0x700], eax
      mov ax, ss
      hlt
    `, "", );
    expect(s.r32(OUT)).toBe(0x600d);
    expect(s.seg(L.SEG_DS).limit).toBe(0xffffffff);
    expect(s.seg(L.SEG_DS).base).toBe(0);
    expect(s.r32(COUNT)).toBe(0);
  });

  it("POPF at CPL 3 with IOPL 0 leaves IF and IOPL alone; CLI raises #GP(0)", async () => {
    const s = await pm(`
      ${ring3("r3", 0x202)}
    r3:
      mov ax, SEL_DATA32_3
      mov ds, ax
      push dword 0x3000        ; IF=0, IOPL=3
      popfd
      pushfd
      pop dword [OUTA]
      cli
      hlt
    `);
    expect(s.r32(OUT) & 0x3200).toBe(0x200);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0);
  });

  it("CR4.PVI: CLI/STI at CPL 3 with IOPL < 3 change VIF instead of faulting", async () => {
    const s = await pm(`
      mov eax, 2
      mov cr4, eax
      ${ring3("r3", 0x80202)}
    r3:
      cli
      pushfd
      pop dword [ss:OUTA]
      sti
      pushfd
      pop dword [ss:OUTA + 4]
      hlt
    `);
    expect(s.r32(OUT) & 0x80200).toBe(0x200);
    expect(s.r32(OUT + 4) & 0x80200).toBe(0x80200);
    expect(s.r32(VEC)).toBe(13); // the HLT
  });

  it("IN/OUT at CPL 3 are allowed by IOPL 3 without consulting the bitmap", async () => {
    const s = await pm(`
      ${ring3("r3", 0x3002)}
    r3:
      mov al, 0x42
      out 0x99, al
      hlt
    `);
    expect(s.portWrites).toEqual([{ port: 0x99, size: 1, value: 0x42 }]);
  });

  it("IN at CPL 3 with IOPL 0 and the port's bit set raises #GP(0)", async () => {
    const s = await pm(`
      ${ring3("r3", 0x0002)}
    r3:
      in al, 0x60
      hlt
    `);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0);
    expect(s.portWrites).toEqual([]);
  });

  it("INTO traps to vector 4 only when OF is set, reporting the next instruction", async () => {
    const s = await pm(`
      mov dword [OUTA + 4], after
      xor eax, eax
      into                     ; OF clear: nothing
      mov al, 0x7f
      add al, 1                ; OF set
      into
    after:
      hlt
    `);
    expect(s.r32(VEC)).toBe(4);
    expect(s.r32(EIPR)).toBe(s.r32(OUT + 4));
    expect(s.r32(COUNT)).toBe(1);
  });

  it("a 16-bit interrupt gate from CPL 3 pushes a word frame on the inner stack", async () => {
    const s = await pm(`
      mov word [IDT_BASE + 0x60 * 8], h16
      mov word [IDT_BASE + 0x60 * 8 + 2], SEL_CODE32
      mov word [IDT_BASE + 0x60 * 8 + 4], 0xe600   ; DPL 3, 16-bit interrupt gate
      mov word [IDT_BASE + 0x60 * 8 + 6], 0
      ${ring3("r3", 0x202)}
    r3:
      int 0x60
    h16:
      mov [ss:OUTA], esp
      movzx eax, word [esp + 2]
      mov [ss:OUTA + 4], eax   ; CS
      movzx eax, word [esp + 8]
      mov [ss:OUTA + 8], eax   ; SS
      hlt
    `);
    expect(s.r32(OUT)).toBe(0x9000 - 10);
    expect(s.r32(OUT + 4)).toBe(0x2b);
    expect(s.r32(OUT + 8)).toBe(0x33);
  });

  it("INIT resets the registers but keeps MSRs, CR0.CD/NW and the x87 control word", async () => {
    const s = await pm(`
      mov ecx, 0x174
      mov eax, 0x77
      xor edx, edx
      wrmsr
      mov eax, cr0
      and eax, ~0x60000000
      mov cr0, eax
      hlt
    `);
    s.cpu.set(L.FPU_CW, 0x27f);
    (s.cpu.exports.initReset as () => void)();
    expect(s.cpu.eip).toBe(0xfff0);
    expect(s.seg(L.SEG_CS).base).toBe(0xffff0000);
    expect(s.cpu.get(L.CR0)).toBe(0x10);
    expect(s.cpu.get(L.MSR_SYSENTER_CS)).toBe(0x77);
    expect(s.cpu.get(L.FPU_CW)).toBe(0x27f);
    s.cpu.reset();
    expect(s.cpu.get(L.CR0)).toBe(0x60000010);
    expect(s.cpu.get(L.MSR_SYSENTER_CS)).toBe(0);
    expect(s.cpu.get(L.FPU_CW)).toBe(0x40);
  });

  it("alignment check: #AC(0) for a misaligned access at CPL 3 with CR0.AM and EFLAGS.AC", async () => {
    const s = await pm(`
      mov eax, cr0
      or eax, 0x40000
      mov cr0, eax
      ${ring3("r3", 0x40202)}
    r3:
      mov eax, [ss:0x7000]      ; aligned: fine
      mov [ss:OUTA], eax
      mov ax, [ss:0x7001]       ; misaligned word
      hlt
    `);
    expect(s.r32(VEC)).toBe(17);
    expect(s.r32(ERR)).toBe(0);
    expect(s.r32(CSR)).toBe(0x2b);
    // Without EFLAGS.AC the same access is fine (it ends at the HLT's #GP).
    const t = await pm(`
      mov eax, cr0
      or eax, 0x40000
      mov cr0, eax
      ${ring3("r3", 0x202)}
    r3:
      mov ax, [ss:0x7001]
      hlt
    `);
    expect(t.r32(VEC)).toBe(13);
  });
});
