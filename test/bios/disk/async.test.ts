// INT 13h and El Torito boot with backends that answer later (the browser's HTTP and IndexedDB
// storage): the service parks the CPU in its stub's wait loop and finishes after an interrupt,
// with the same results as a synchronous image.
import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../../src/machine/block";
import { assemble, nasmMissing } from "../../support/nasm";
import { program } from "./lib";
import { patternDisk, elToritoIso } from "./images";
import { runLab86, byLabel, lbaHeader, AsyncBackend } from "./harness";

const BODY = `
  SAY "drive "
  mov al, [bootdrive]
  call hex8
  call nl
  SAY "chs "
  mov ax, 0x0202
  mov cx, 0x0105
  mov dh, 0
  mov dl, [bootdrive]
  mov bx, buf
  int 0x13
  call regs
  SAY "chsdata "
  mov si, buf + 512
  mov cx, 8
  call dump
  mov di, buf
  mov cx, 512
  mov al, 0x77
  rep stosb
  SAY "write "
  mov ax, 0x0301
  mov cx, 0x0002
  mov dh, 1
  mov dl, [bootdrive]
  mov bx, buf
  int 0x13
  call regs
  SAY "lba "
  mov byte [dap], 0x10
  mov word [dap + 2], 2
  mov word [dap + 4], buf2
  mov dword [dap + 8], DAPLBA
  mov si, dap
  mov ah, 0x42
  mov dl, [bootdrive]
  int 0x13
  call regs
  SAY "lbadata "
  mov si, buf2
  mov cx, 8
  call dump
  jmp exit
dap: times 0x18 db 0
`;

describe.skipIf(nasmMissing())("INT 13h with asynchronous backends", () => {
  it("boots a hard disk and reads and writes it by CHS and LBA", async () => {
    const image = patternDisk(4096, assemble("DAPLBA equ 3000\n" + program(BODY)));
    const backend = new AsyncBackend(new MemoryBackend(image));
    const run = await runLab86({ hda: backend }, ["hd"], 10, { yieldToHost: true });
    const out = byLabel(run.out);
    expect(run.exit, run.out).toBe(0x21);
    expect(out.get("drive")).toBe("80");
    expect(out.get("chs")).toMatch(/^c=0 0002 /);
    expect(out.get("chsdata")).toBe(lbaHeader(16 * 63 + 5)); // the sector after C1 H0 S5 (LBA 16*63 + 4)
    expect(out.get("write")).toMatch(/^c=0 0001 /);
    expect(image.subarray(64 * 512, 65 * 512).every((b) => b === 0x77)).toBe(true); // C0 H1 S2
    expect(out.get("lbadata")).toBe(lbaHeader(3000));
    expect(backend.reads).toBeGreaterThan(3);
    expect(backend.writes).toBe(1);
  });

  it("boots a no-emulation CD", async () => {
    const code = assemble(program(`
  SAY "drive "
  mov al, [bootdrive]
  call hex8
  call nl
  SAY "lba "
  mov byte [dap], 0x10
  mov word [dap + 2], 1
  mov word [dap + 4], buf
  mov dword [dap + 8], 25
  mov si, dap
  mov ah, 0x42
  mov dl, 0xe0
  int 0x13
  call regs
  SAY "lbadata "
  mov si, buf
  mov cx, 8
  call dump
  jmp exit
dap: times 0x18 db 0
`));
    const iso = elToritoIso({ mediaType: 0, image: code, sectorCount: 8, totalSectors: 30 });
    const run = await runLab86({ cdrom: new AsyncBackend(new MemoryBackend(iso, true)) }, ["cd"], 10, { yieldToHost: true });
    const out = byLabel(run.out);
    expect(run.exit, run.out + run.log.join("\n")).toBe(0x21);
    expect(out.get("drive")).toBe("e0");
    expect(out.get("lbadata")).toBe(lbaHeader(25));
  });
});
