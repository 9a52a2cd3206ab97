// A real-mode guest driving the UART by THRE interrupts and taking a key through the 8042 and
// the 8259, on the real CPU: the interrupt-driven paths a BIOS or DOS driver uses.
import { describe, it, expect } from "vitest";
import { assemble, nasmMissing } from "../../support/nasm";
import { guestMachine, picInit, romStart } from "./guest-machine";

const MESSAGE = "The quick brown fox jumps over the lazy dog; 0123456789 ABCDEFGH.";

const ROM = `${romStart([["0x09", "kbd_handler"], ["0x0C", "com_handler"]])}
  mov word [0x500], 0      ; characters sent
  mov word [0x502], 0      ; scan code received
  mov word [0x504], 0      ; COM1 interrupts
  ; 8259: vectors 8-15 / 0x70-0x77, cascade on IR2
${picInit("0x08", "0x70")}
  mov al, 0xed             ; IRQ 1 and IRQ 4 only
  out 0x21, al
  mov al, 0xff
  out 0xa1, al
  mov al, 0x60             ; 8042 command byte: keyboard interrupt, translation
  out 0x64, al
  mov al, 0x41
  out 0x60, al
  mov dx, 0x3fb            ; COM1: 115200 8N1, FIFO, OUT2, THRE interrupt
  mov al, 0x80
  out dx, al
  mov dx, 0x3f8
  mov al, 1
  out dx, al
  inc dx
  xor al, al
  out dx, al
  mov dx, 0x3fb
  mov al, 0x03
  out dx, al
  mov dx, 0x3fa
  mov al, 0xc7
  out dx, al
  mov dx, 0x3fc
  mov al, 0x0b
  out dx, al
  sti
  mov dx, 0x3f9            ; enabling the THRE interrupt with THR empty interrupts at once
  mov al, 0x02
  out dx, al
.wait:
  hlt
  cmp word [0x500], ${MESSAGE.length}
  jb .wait
  cmp byte [0x502], 0
  je .wait
  cli
  mov al, [0x502]
  out 0xf4, al
  hlt

com_handler:
  push ax
  push dx
  push si
  inc word [0x504]
  mov dx, 0x3fa
  in al, dx                ; IIR: reading the THRE identification clears it
  mov ah, 16               ; refill the FIFO
.fill:
  mov si, [0x500]
  cmp si, ${MESSAGE.length}
  jae .done
  mov al, [cs:message + si]
  mov dx, 0x3f8
  out dx, al
  inc word [0x500]
  dec ah
  jnz .fill
.done:
  mov al, 0x20
  out 0x20, al
  pop si
  pop dx
  pop ax
  iret

kbd_handler:
  push ax
  in al, 0x60
  mov [0x502], al
  mov al, 0x20
  out 0x20, al
  pop ax
  iret

message: db "${MESSAGE}"

times 0xfff0-($-$$) db 0xf4
  jmp 0xF000:start
times 0x10000-($-$$) db 0xf4
`;

const RTC_ROM = `${romStart([["0x70", "rtc_handler"]])}
  mov word [0x500], 0
${picInit("0x08", "0x70")}
  mov al, 0xfb             ; master: only the cascade
  out 0x21, al
  mov al, 0xfe             ; slave: only IRQ 8
  out 0xa1, al
  mov al, 0x0b             ; RTC register B: periodic interrupt, 24 h, BCD
  out 0x70, al
  mov al, 0x42
  out 0x71, al
  sti
.wait:
  hlt
  cmp word [0x500], 1024
  jb .wait
  cli
  mov al, 0x00             ; seconds
  out 0x70, al
  in al, 0x71
  out 0xf4, al
  hlt

rtc_handler:
  push ax
  inc word [0x500]
  mov al, 0x0c             ; reading register C acknowledges the RTC
  out 0x70, al
  in al, 0x71
  mov al, 0x20
  out 0xa0, al
  out 0x20, al
  pop ax
  iret

times 0xfff0-($-$$) db 0xf4
  jmp 0xF000:start
times 0x10000-($-$$) db 0xf4
`;

const machineWith = (rom: string, onSerial?: (b: number) => void) =>
  guestMachine(assemble(rom), { memoryBytes: 4 << 20, apic: false, rtcBaseTime: Date.UTC(2024, 0, 1, 12, 0, 0), onSerial });

describe.skipIf(nasmMissing())("guest I/O through interrupts", () => {
  it("1024 RTC periodic interrupts through the slave 8259 take one second of RTC time", async () => {
    const { machine, out } = await machineWith(RTC_ROM);
    expect(machine.runFor(2e9)).toEqual({ kind: "stopped", why: "debug exit" });
    // Rate 6 (976.5625 us): the 1024th edge is at exactly 1 s, when the seconds register steps.
    expect(out.exit).toBe((0x01 << 1) | 1);
    expect(machine.clock.now).toBeGreaterThanOrEqual(1e9);
    expect(machine.clock.now).toBeLessThan(1e9 + 100_000);
  });

  it("sends a message by THRE interrupts 16 bytes at a time and receives a translated key", async () => {
    let serial = "";
    const { machine, chipset, out } = await machineWith(ROM, (b) => (serial += String.fromCharCode(b)));
    // 65 characters at 115200 baud take about 5.6 ms on the line; the guest then waits for a key.
    expect(machine.runFor(20e6)).toEqual({ kind: "budget" });
    expect(serial).toBe(MESSAGE);
    const ram = machine.cpu.ram();
    // THRE interrupts: one when enabled, one per emptied FIFO after each 16-byte refill (5 refills).
    expect(ram[0x504]).toBe(Math.ceil(MESSAGE.length / 16) + 1);
    chipset.ps2.keyDown(0x1c); // 'A', set 2
    expect(machine.runFor(1e6)).toEqual({ kind: "stopped", why: "debug exit" });
    expect(out.exit).toBe((0x1e << 1) | 1); // set 1 make code of 'A' after translation
  });
});
