import { describe, it, expect } from "vitest";
import { boot, withHandler, RES, OUT, L, EAX, EBX, ECX, EDX, ESP } from "./sys";
import { nasmMissing } from "../../support/nasm";

/** A handler that stores the IP it finds on the stack at 700h and the address of label `fault` at 702h. */
const RECORD_FAULT_IP = `
    handler:
      mov bp, sp
      mov ax, [bp]
      mov [0x700], ax
      mov word [0x702], fault
      hlt`;

describe.skipIf(nasmMissing())("real mode", () => {
  it("INT n goes through the IVT: pushes FLAGS, CS, IP and clears IF/TF; IRET returns", async () => {
    const s = await boot(`${withHandler("0x80")}
      sti
      int 0x80
      mov [0x704], sp
      pushf
      pop word [0x708]
      hlt
    handler:
      mov bp, sp
      mov ax, [bp]      ; IP
      mov [0x700], ax
      mov ax, [bp+4]    ; FLAGS
      mov [0x702], ax
      pushf
      pop word [0x70a]
      iret
    `);
    expect(s.run()).toBe(L.EXIT_HLT);
    const intEnd = s.r16(OUT); // return IP: the byte after INT 0x80 (CD 80)
    expect(s.r16(OUT + 4)).toBe(0x9000);
    expect(s.r16(OUT + 2) & 0x200).toBe(0x200); // IF was set in the pushed image
    expect(s.r16(OUT + 10) & 0x300).toBe(0); // IF and TF clear in the handler
    expect(s.r16(OUT + 8) & 0x200).toBe(0x200); // IRET restored IF
    expect(intEnd).toBeGreaterThan(0x1000);
  });

  it("delivers #UD through IVT vector 6 with the faulting IP", async () => {
    const s = await boot(`${withHandler("6")}
    fault:
      ud2
      hlt
${RECORD_FAULT_IP}
    `);
    s.run();
    expect(s.r16(OUT)).toBe(s.r16(OUT + 2));
  });

  it("a vector beyond the IDTR limit is #GP, then #DF, then shutdown (triple fault)", async () => {
    // IDTR limit 0: INT 20h raises #GP, #GP's own entry is out of limit too (#DF), and so is #DF's.
    const s = await boot(`
      lidt [idtr]
      int 0x20
      hlt
    idtr: dw 0
          dd 0
    `);
    expect(s.run()).toBe(L.EXIT_TRIPLE_FAULT);
    expect(s.cpu.get(L.SHUTDOWN)).toBe(1);
    // Shutdown ignores INTR: the CPU stays stopped.
    s.cpu.set(L.INTR_LINE, 1);
    s.cpu.setEflags(0x202);
    expect(s.run()).not.toBe(L.EXIT_BUDGET);
    expect(s.cpu.get(L.HALTED)).toBe(1);
  });

  it("a limit of 0x7f still reaches #GP's entry: INT 20h reports #GP at the INT", async () => {
    const s = await boot(`${withHandler("13")}
      lidt [idtr]
    fault:
      int 0x20
      hlt
${RECORD_FAULT_IP}
    idtr: dw 0x7f
          dd 0
    `);
    s.run();
    expect(s.r16(OUT)).toBe(s.r16(OUT + 2));
  });

  it("far call / far return and far jump load CS with base = selector << 4", async () => {
    const s = await boot(`
      xor ax, ax
      mov ss, ax
      mov sp, 0x9000
      call 0x0100:(target - 0x1000)
      mov [0x700], ax
      jmp 0x0080:(done - 0x800)
    target:
      mov ax, cs
      retf
    done:
      mov [0x702], cs
      hlt
    `);
    s.run();
    expect(s.r16(OUT)).toBe(0x0100);
    expect(s.r16(OUT + 2)).toBe(0x0080);
    expect(s.seg(L.SEG_CS).base).toBe(0x800);
  });

  it("POPF cannot change VM/VIF/VIP; PUSHFD reads VM and RF as 0", async () => {
    const s = await boot(`
      xor ax, ax
      mov ss, ax
      mov sp, 0x9000
      push dword 0x001a0000 | 0x0cd5
      popfd
      pushfd
      pop dword [0x700]
      hlt
    `);
    s.run();
    // 0xcd5: CF PF AF ZF SF OF DF... bits are kept; VM (17), VIF (19), VIP (20) are not set.
    expect(s.r32(OUT) & 0x001a0000).toBe(0);
    expect(s.r32(OUT) & 0xfff).toBe(0xcd7);
  });

  it("STI shadows the next instruction: an interrupt pending at STI is taken after it", async () => {
    const s = await boot(`${withHandler("0x20")}
      mov word [0x700], 0
      sti
      inc word [0x700]
      inc word [0x700]
      hlt
    handler:
      mov ax, [0x700]
      mov [0x702], ax
      mov byte [0x704], 1
      hlt
    `);
    s.cpu.set(L.INTR_LINE, 1);
    s.pendingVector = 0x20;
    s.run();
    // One INC ran after STI before the interrupt was recognised.
    expect(s.r16(OUT + 2)).toBe(1);
  });
});
