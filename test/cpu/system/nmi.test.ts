// NMI delivery (SDM Vol. 3A 6.7.1): vector 2, not masked by IF, wakes HLT, and further NMIs are
// held from delivery until the next IRET (any IRET, even a nested handler's).
import { describe, it, expect } from "vitest";
import { boot, withHandler, OUT, L } from "./sys";
import { nasmMissing } from "../../support/nasm";

describe.skipIf(nasmMissing())("NMI", () => {
  it("is taken with IF=0, blocks further NMIs until an IRET, which then lets the pending one in", async () => {
    const s = await boot(`${withHandler("2", "nmi")}
      mov word [0x20*4], irq
      mov word [0x20*4+2], 0
      mov word [0x700], 0
    idle:
      hlt
      jmp idle
    nmi:
      inc word [0x700]
      cmp word [0x700], 1
      jne .second
      sti
      hlt                 ; wait inside the NMI handler
      cli
      iret
    .second:
      mov word [0x702], 1
      iret
    irq:
      mov byte [0x704], 1
      iret
    `);
    expect(s.run()).toBe(L.EXIT_HLT_NOIRQ); // IF=0 and nothing pending
    s.cpu.set(L.NMI_PENDING, 1);
    expect(s.run()).toBe(L.EXIT_HLT); // in the NMI handler's HLT, IF=1
    expect(s.r16(OUT)).toBe(1);
    expect(s.cpu.get(L.NMI_BLOCKED)).toBe(1);
    s.cpu.set(L.NMI_PENDING, 1);
    expect(s.run()).toBe(L.EXIT_HLT); // blocked: the second NMI does not wake the CPU
    expect(s.r16(OUT)).toBe(1);
    s.cpu.set(L.INTR_LINE, 1);
    s.pendingVector = 0x20;
    s.run(2);
    expect(s.r16(OUT + 4) & 0xff).toBe(1); // the IRQ handler ran, and its IRET unblocked NMIs
    expect(s.r16(OUT)).toBe(2);
    expect(s.r16(OUT + 2)).toBe(1);
  });
});
