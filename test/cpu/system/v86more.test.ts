// More virtual-8086 mode paths: exceptions with error codes from V86, IRET back into V86 from the
// monitor, and a task switch into a V86 task.
import { describe, it, expect } from "vitest";
import { boot, OUT, L, VEC, ERR, CSR, FLR } from "./sys";
import { nasmMissing } from "../../support/nasm";

describe.skipIf(nasmMissing())("virtual-8086 monitor paths", () => {
  it("a #GP from V86 reaches the CPL-0 handler, which resumes V86 with IRETD", async () => {
    const s = await boot(`%include "pm.inc"
test_main:
      mov dword [RES_HOOK], monitor
      push dword 0
      push dword 0
      push dword 0x0050
      push dword 0
      push dword 0
      push dword 0x7000
      push dword 0x20002          ; VM, IOPL 0
      push dword 0x0100
      push dword ABS(v86code) - 0x1000
      iretd
    monitor:
      ; Frame: EIP CS EFLAGS ESP SS ES DS FS GS (the hook was entered with RET: no extra words).
      inc dword [ss:OUTA]
      add dword [esp], 1          ; skip the one-byte CLI
      iretd
    bits 16
    v86code:
      cli                         ; IOPL 0: #GP(0), emulated by the monitor as a no-op
      mov ax, 0x1234
      mov [0x204], ax             ; DS = 0x50: linear 0x704
      hlt                         ; #GP again: the monitor skips it
      mov word [0x206], 1
      jmp $
    `);
    s.run(3);
    expect(s.r32(OUT)).toBe(2);
    expect(s.r16(OUT + 4)).toBe(0x1234);
    expect(s.r16(OUT + 6)).toBe(1);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0);
    expect(s.r32(FLR) & 0x20000).toBe(0x20000);
    expect(s.cpu.get(L.FLAGS_BITS) & 0x20000).toBe(0x20000); // still in V86
  });

  it("a task switch into a TSS whose EFLAGS has VM=1 runs a V86 task at CPL 3", async () => {
    const s = await boot(`%macro GDT_EXTRA 0
  DESC 0x6000, 0x67, 0x0089
%endmacro
%include "pm.inc"
test_main:
      mov dword [0x6000 + 32], ABS(v86code) - 0x1000
      mov dword [0x6000 + 36], 0x23002
      mov dword [0x6000 + 56], 0x7000
      mov word [0x6000 + 72], 0
      mov word [0x6000 + 76], 0x0100
      mov word [0x6000 + 80], 0
      mov word [0x6000 + 84], 0x0050
      mov dword [0x6000 + 4], STACK0      ; the V86 task's ring-0 stack for its exceptions
      mov dword [0x6000 + 8], SEL_DATA32
      jmp 0x48:0
    bits 16
    v86code:
      mov word [0x200], 0x5a5a
      hlt
    `);
    s.run();
    expect(s.r16(OUT)).toBe(0x5a5a);
    expect(s.r32(VEC)).toBe(13); // HLT at CPL 3
    expect(s.r32(CSR)).toBe(0x100);
    expect(s.seg(L.SEG_TR).sel).toBe(0x48);
  });
});
