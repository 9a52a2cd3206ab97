// Interrupt delivery seen by a real guest: a ROM enters protected mode, programs the 8259 or the
// I/O APIC and local APIC, and counts timer interrupts in RAM; the run stops at the debug-exit
// port. This exercises the devices through the CPU's INTR/INTA path and MMIO accesses.
import { describe, it, expect } from "vitest";
import { assemble, nasmMissing } from "../../support/nasm";
import { guestMachine, picInit } from "./guest-machine";

const ROM = `
bits 16
org 0
start16:
  cli
  xor ax, ax
  mov ss, ax
  mov sp, 0x7000
  o32 lgdt [cs:gdt_desc]
  o32 lidt [cs:idt_desc]
  mov eax, cr0
  or al, 1
  mov cr0, eax
  jmp dword 0x08:(0xF0000 + start32)

bits 32
start32:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, 0x7000
  xor eax, eax
  mov [0x500], eax
  mov [0x504], eax
  mov [0x508], eax
  mov [0x50c], eax
  ; every vector: count as unexpected
  xor eax, eax
.fill:
  mov ebx, 0xF0000 + unexpected
  call set_gate
  inc eax
  cmp eax, 256
  jb .fill
  mov eax, 0x30
  mov ebx, 0xF0000 + pit_handler
  call set_gate
  mov eax, 0x40
  mov ebx, 0xF0000 + lapic_timer_handler
  call set_gate
  mov eax, 0xff
  mov ebx, 0xF0000 + spurious_handler
  call set_gate
  ; 8259: vectors 0x30 / 0x38
${picInit("0x30", "0x38")}
%ifdef APIC
  mov al, 0xff          ; 8259 fully masked: interrupts come through the I/O APIC
  out 0x21, al
  out 0xa1, al
  mov dword [0xFEE000F0], 0x1ff       ; SVR: enabled, spurious vector 0xff
  mov dword [0xFEE00350], 0x10700     ; LINT0 masked
  mov dword [0xFEC00000], 0x14        ; RTE 2 low: ISA IRQ 0
  mov dword [0xFEC00010], 0x30
  mov dword [0xFEC00000], 0x15
  mov dword [0xFEC00010], 0
  mov dword [0xFEE003E0], 0x0b        ; timer divide by 1
  mov dword [0xFEE00320], 0x20040     ; periodic, vector 0x40
  mov dword [0xFEE00380], 100000      ; 1 ms at 100 MHz
%else
  mov al, 0xfe
  out 0x21, al
  mov al, 0xff
  out 0xa1, al
%endif
  ; PIT counter 0, mode 2, 11932 clocks (100 Hz)
  mov al, 0x34
  out 0x43, al
  mov al, 0x9c
  out 0x40, al
  mov al, 0x2e
  out 0x40, al
  sti
.wait:
  hlt
  cmp dword [0x500], 10
  jb .wait
  cli
  mov al, 0
  out 0xf4, al
  hlt

set_gate:                ; eax = vector, ebx = handler
  lea edi, [0x1000 + eax*8]
  mov [edi], bx
  mov word [edi+2], 0x08
  mov word [edi+4], 0x8E00
  shr ebx, 16
  mov [edi+6], bx
  ret

pit_handler:
  inc dword [0x500]
%ifdef APIC
  mov dword [0xFEE000B0], 0
%else
  push eax
  mov al, 0x20
  out 0x20, al
  pop eax
%endif
  iret
lapic_timer_handler:
  inc dword [0x504]
  mov dword [0xFEE000B0], 0
  iret
spurious_handler:
  inc dword [0x508]
  iret
unexpected:
  inc dword [0x50c]
  iret

align 8
gdt:
  dq 0
  dq 0x00CF9A000000FFFF
  dq 0x00CF92000000FFFF
gdt_desc:
  dw 23
  dd 0xF0000 + gdt
idt_desc:
  dw 0x7ff
  dd 0x1000

times 0xfff0-($-$$) db 0xf4
bits 16
  jmp 0xF000:start16
times 0x10000-($-$$) db 0xf4
`;

async function boot(apic: boolean): Promise<{ counts: number[]; exit: number; nowNs: number }> {
  const rom = assemble(ROM, { defines: apic ? { APIC: 1 } : {} });
  const { machine, out } = await guestMachine(rom, { memoryBytes: 16 << 20, apic, rtcBaseTime: 0 });
  const stop = machine.runFor(2e9);
  expect(stop).toEqual({ kind: "stopped", why: "debug exit" });
  const ram = machine.cpu.ram();
  const dv = new DataView(ram.buffer, ram.byteOffset);
  return { counts: [0, 4, 8, 12].map((o) => dv.getUint32(0x500 + o, true)), exit: out.exit, nowNs: machine.clock.now };
}

describe.skipIf(nasmMissing())("interrupts delivered to a guest", () => {
  // Counter 0's OUT is low from power-on (mode 0 state); the mode 2 control word drives it high,
  // which is the first IRQ 0 edge; the next nine come one period (11932 clocks) apart.
  const ninePeriods = (9 * 11932 * 1e9) / 1193182;

  it("8259 only: ten PIT interrupts at 100 Hz, the first when the counter is programmed", async () => {
    const r = await boot(false);
    expect(r.exit).toBe(1);
    expect(r.counts).toEqual([10, 0, 0, 0]);
    expect(r.nowNs).toBeGreaterThan(ninePeriods);
    expect(r.nowNs).toBeLessThan(ninePeriods + 100_000);
  });

  it("I/O APIC and local APIC: PIT on pin 2 and the 1 kHz APIC timer, both with EOI", async () => {
    const r = await boot(true);
    expect(r.exit).toBe(1);
    expect(r.counts[0]).toBe(10);
    // 90 ms of a 1 ms periodic timer started a few microseconds before the PIT.
    expect(r.counts[1]).toBe(90);
    expect(r.nowNs).toBeGreaterThan(ninePeriods);
    expect(r.nowNs).toBeLessThan(ninePeriods + 100_000);
    expect(r.counts[2]).toBe(0); // no spurious vector
    expect(r.counts[3]).toBe(0); // nothing unexpected
  });
});
