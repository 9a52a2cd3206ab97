import { describe, it, expect } from "vitest";
import { nasmMissing } from "../../support/nasm";
import { runVideoProgram } from "./harness";

// Every INT 10h function with pseudo-random registers (a fixed linear congruential sequence):
// the services must neither throw nor hang nor touch memory outside the buffers the caller
// names (ES is a scratch segment, so the program itself survives), and the machine must reach
// the end of the program. AH covers 00h-1Fh and 4Fh.
describe.skipIf(nasmMissing())("INT 10h with arbitrary arguments", () => {
  it("survives 3000 calls and ends in a sane mode", async () => {
    const r = await runVideoProgram(`
  sti
  mov dword [seed], 12345
  mov cx, 3000
.l:
  push cx
  call rand
  mov bx, ax
  call rand
  mov cx, ax
  call rand
  mov dx, ax
  call rand
  mov si, ax
  call rand
  mov bp, ax
  call rand
  mov di, ax
  call rand
  and ah, 0x1f
  test al, 0x40
  jz .n
  mov ah, 0x4f
  and al, 0x0f
.n:
  push ds
  push es
  push word 0x5000
  pop es
  push ax
  mov ax, 0x5000
  mov ds, ax
  pop ax
  int 0x10
  pop es
  pop ds
  pop cx
  loop .l
  mov ax, 0x0003
  int 0x10
  mov si, done
.p:
  lodsb
  test al, al
  jz .e
  mov ah, 0x0e
  int 0x10
  jmp .p
.e:
  mov al, 'k'
  out 0xe9, al
  jmp exit
rand:
  mov eax, [seed]
  imul eax, eax, 1103515245
  add eax, 12345
  mov [seed], eax
  shr eax, 8
  ret
seed: dd 0
done: db "done", 0
`, { maxVirtualSeconds: 60 });
    expect(r.exited).toBe(true);
    expect(r.out).toBe("k");
    const t = r.pc.vga.textCells()!;
    expect(t.columns).toBe(80);
    expect(t.rowText(0).startsWith("done")).toBe(true);
  }, 120_000);
});
