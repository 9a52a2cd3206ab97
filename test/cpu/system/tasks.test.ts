// Hardware task switching (SDM Vol. 3A 7.3, Table 7-1): JMP, CALL, task gates in the IDT, IRET
// with NT, busy bits, the back link, CR0.TS, 16-bit TSSs, and the #TS/#GP checks.
import { describe, it, expect } from "vitest";
import { pm as pmProgram, OUT, L, VEC, ERR, EIPR, COUNT } from "./sys";
import { nasmMissing } from "../../support/nasm";

const TSS2 = 0x6000, TSS16 = 0x6100;

// GDT additions: 0x48 32-bit TSS at TSS2; 0x50 task gate to it; 0x58 16-bit TSS at TSS16;
// 0x60 32-bit TSS with a limit below 0x67; 0x68 an LDT at 0x6200 (two descriptors).
const GDT = `
  DESC 0x6000, 0x67, 0x0089
  GATE 0x48, 0, 0x85, 0
  DESC 0x6100, 0x2b, 0x0081
  DESC 0x6000, 0x60, 0x0089
  DESC 0x6200, 0x0f, 0x0082
`;
// Fill TSS2 so that a switch to it runs \`task2\` with flat ring-0 segments.
const INIT_TSS2 = `
  mov dword [0x6000 + 32], task2
  mov dword [0x6000 + 36], 0x2
  mov dword [0x6000 + 40], 0xaaaa0001
  mov dword [0x6000 + 56], 0x7000
  mov word [0x6000 + 72], SEL_DATA32
  mov word [0x6000 + 76], SEL_CODE32
  mov word [0x6000 + 80], SEL_DATA32
  mov word [0x6000 + 84], SEL_DATA32
`;

/** A pm.inc program with the GDT additions above and TSS2 filled in. */
const pm = (body: string) => pmProgram(`${INIT_TSS2}\n${body}`, GDT);

describe.skipIf(nasmMissing())("task switching", () => {
  it("JMP to a TSS: saves the old task, clears its busy bit, loads the new one, sets CR0.TS", async () => {
    const s = await pm(`
      mov eax, 0x12345678
      mov ebx, 0x9abc
      jmp 0x48:0
    task2:
      str [OUTA]
      mov [OUTA + 4], eax
      mov [OUTA + 8], esp
      mov eax, cr0
      mov [OUTA + 12], eax
      pushfd
      pop dword [OUTA + 16]
      mov eax, [gdt + 0x38 + 4]
      mov [OUTA + 20], eax
      mov eax, [gdt + 0x48 + 4]
      mov [OUTA + 24], eax
      hlt
    `);
    expect(s.r32(COUNT)).toBe(0);
    expect(s.r16(OUT)).toBe(0x48);
    expect(s.r32(OUT + 4)).toBe(0xaaaa0001);
    expect(s.r32(OUT + 8)).toBe(0x7000);
    expect(s.r32(OUT + 12) & 8).toBe(8); // TS
    expect(s.r32(OUT + 16) & 0x4000).toBe(0); // NT clear: JMP does not nest
    expect((s.r32(OUT + 20) >> 8) & 0xf).toBe(9); // old TSS available again
    expect((s.r32(OUT + 24) >> 8) & 0xf).toBe(11); // new TSS busy
    // The old TSS holds the outgoing state.
    expect(s.r32(0x3800 + 40)).toBe(0x12345678); // EAX
    expect(s.r32(0x3800 + 52)).toBe(0x9abc); // EBX
    expect(s.r16(0x3800 + 76)).toBe(0x08); // CS
    expect(s.r16(0x6000)).toBe(0); // no back link
  });

  it("CALL through a task gate nests (NT, back link), IRET returns and frees the callee", async () => {
    const s = await pm(`
      mov esi, 0x5555
      call 0x50:0
      mov [OUTA + 12], esi
      str [OUTA + 16]
      mov eax, [gdt + 0x48 + 4]
      mov [OUTA + 20], eax
      pushfd
      pop dword [OUTA + 24]
      hlt
    task2:
      pushfd
      pop dword [OUTA]
      mov ax, [0x6000]
      mov [OUTA + 4], ax
      mov eax, [gdt + 0x38 + 4]
      mov [OUTA + 8], eax
      mov esi, 0x6666
      iretd
    `);
    expect(s.r32(COUNT)).toBe(0);
    expect(s.r32(OUT) & 0x4000).toBe(0x4000); // NT in the called task
    expect(s.r16(OUT + 4)).toBe(0x38); // back link
    expect((s.r32(OUT + 8) >> 8) & 0xf).toBe(11); // caller stays busy
    expect(s.r32(OUT + 12)).toBe(0x5555); // caller's registers restored
    expect(s.r16(OUT + 16)).toBe(0x38);
    expect((s.r32(OUT + 20) >> 8) & 0xf).toBe(9); // callee freed by IRET
    expect(s.r32(OUT + 24) & 0x4000).toBe(0);
    // The callee's TSS was saved with NT clear and ESI=0x6666.
    expect(s.r32(0x6000 + 64)).toBe(0x6666);
    expect(s.r32(0x6000 + 36) & 0x4000).toBe(0);
  });

  it("an exception through a task gate pushes its error code on the new task's stack", async () => {
    const s = await pm(`
      mov dword [IDT_BASE + 13 * 8], 0x00480000
      mov dword [IDT_BASE + 13 * 8 + 4], 0x00008500
      mov ax, 0x1f8
    fault:
      mov ds, ax
      hlt
    task2:
      mov eax, [esp]
      mov [OUTA], eax
      mov [OUTA + 4], esp
      mov eax, [0x3800 + 32]
      mov [OUTA + 8], eax
      mov dword [OUTA + 12], fault
      hlt
    `);
    expect(s.r32(OUT)).toBe(0x1f8);
    expect(s.r32(OUT + 4)).toBe(0x7000 - 4);
    expect(s.r32(OUT + 8)).toBe(s.r32(OUT + 12)); // the old task resumes at the fault
  });

  it("JMP to a busy TSS raises #GP(selector)", async () => {
    const s = await pm(`
      jmp 0x38:0
    task2:
      hlt
    `);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0x38);
  });

  it("a TSS descriptor with a limit below 67h raises #TS(selector)", async () => {
    const s = await pm(`
      jmp 0x60:0
    task2:
      hlt
    `);
    expect(s.r32(VEC)).toBe(10);
    expect(s.r32(ERR)).toBe(0x60);
  });

  it("IRET with NT whose back link is not a busy TSS raises #TS(back link)", async () => {
    const s = await pm(`
      mov word [0x3800], 0x48     ; back link to an available TSS
      pushfd
      or dword [esp], 0x4000
      popfd
      iretd
    task2:
      hlt
    `);
    expect(s.r32(VEC)).toBe(10);
    expect(s.r32(ERR)).toBe(0x48);
  });

  it("a bad DS in the new TSS faults with #TS(DS) in the context of the new task", async () => {
    const s = await pm(`
      mov word [0x6000 + 84], 0x1f8
      mov dword [OUTA], task2
      jmp 0x48:0
    task2:
      hlt
    `);
    expect(s.r32(VEC)).toBe(10);
    expect(s.r32(ERR)).toBe(0x1f8);
    expect(s.r32(EIPR)).toBe(s.r32(OUT)); // reported at the new task's first instruction
    expect(s.seg(L.SEG_TR).sel).toBe(0x48); // the switch had committed
    expect(s.r32(0x3800 + 32)).not.toBe(0); // the old task was saved
  });

  it("switches to and from a 16-bit TSS", async () => {
    const s = await pm(`
      mov word [0x6100 + 14], task16       ; IP
      mov word [0x6100 + 16], 0x2          ; FLAGS
      mov word [0x6100 + 26], 0x7800       ; SP
      mov word [0x6100 + 34], SEL_DATA32   ; ES
      mov word [0x6100 + 36], SEL_CODE32   ; CS
      mov word [0x6100 + 38], SEL_DATA32   ; SS
      mov word [0x6100 + 40], SEL_DATA32   ; DS
      mov ecx, 0xdead0000
      call 0x58:0
      mov [OUTA + 8], ecx
      hlt
    task16:
      mov [OUTA], esp
      str [OUTA + 4]
      mov cx, 0x4321
      iretd
    task2:
      hlt
    `);
    expect(s.r32(COUNT)).toBe(0);
    expect(s.r32(OUT) & 0xffff).toBe(0x7800);
    expect(s.r16(OUT + 4)).toBe(0x58);
    expect(s.r32(OUT + 8)).toBe(0xdead0000); // the 32-bit caller's ECX came back whole
    expect(s.r16(0x6100 + 20)).toBe(0x4321); // the 16-bit TSS holds CX
  });

  it("loads CR3 and the LDT of the new task", async () => {
    const s = await pm(`
      ; Two page directories mapping 0-4 MiB identically, except that linear 0x200000 is
      ; physical 0x200000 under the first and 0x300000 under the second.
      mov edi, 0x11000
      mov eax, 0x003
      mov ecx, 1024
    .fill:
      mov [edi], eax
      mov [edi + 0x2000], eax
      add eax, 0x1000
      add edi, 4
      loop .fill
      mov dword [0x13000 + 0x200 * 4], 0x300003
      mov dword [0x10000], 0x11003
      mov dword [0x12000], 0x13003
      mov dword [0x200000], 0xaaaa
      mov dword [0x300000], 0xbbbb
      mov eax, 0x10000
      mov cr3, eax
      mov eax, cr0
      or eax, 0x80000000
      mov cr0, eax
      ; LDT: entry 1 (selector 0x0c) is flat data.
      mov dword [0x6208], 0x0000ffff
      mov dword [0x620c], 0x00cf9300
      mov dword [0x6000 + 28], 0x12000   ; CR3
      mov word [0x6000 + 96], 0x68        ; LDT
      mov word [0x6000 + 88], 0x0c        ; FS from the LDT
      jmp 0x48:0
    task2:
      mov eax, [0x200000]
      mov [OUTA], eax
      mov eax, cr3
      mov [OUTA + 4], eax
      sldt [OUTA + 8]
      mov [OUTA + 12], fs
      hlt
    `);
    expect(s.r32(COUNT)).toBe(0);
    expect(s.r32(OUT)).toBe(0xbbbb);
    expect(s.r32(OUT + 4)).toBe(0x12000);
    expect(s.r16(OUT + 8)).toBe(0x68);
    expect(s.r16(OUT + 12)).toBe(0x0c);
    expect(s.seg(L.SEG_FS).attrs & 0xff).toBe(0x93);
    expect(s.r32(0x3800 + 28)).toBe(0); // CR3 is not saved in the old TSS
  });

  it("the T bit of the new TSS raises #DB with DR6.BT after the switch", async () => {
    const s = await pm(`
      mov word [0x6000 + 100], 1
      jmp 0x48:0
    task2:
      hlt
    `);
    expect(s.r32(VEC)).toBe(1);
    const dr6 = s.cpu.get(L.DR + 24);
    expect(dr6 & 0x8000).toBe(0x8000);
  });

  it("the T bit also traps when the switch comes from an interrupt through a task gate", async () => {
    const s = await pm(`
      mov word [0x6000 + 100], 1
      mov dword [IDT_BASE + 0x40 * 8], 0x00480000
      mov dword [IDT_BASE + 0x40 * 8 + 4], 0x00008500
      mov dword [OUTA], task2
      int 0x40
    task2:
      hlt
    `);
    expect(s.r32(VEC)).toBe(1);
    expect(s.r32(EIPR)).toBe(s.r32(OUT)); // before the new task's first instruction
    expect(s.cpu.get(L.DR + 24) & 0x8000).toBe(0x8000);
  });
});
