// The lab86 command line, run as a user runs it.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { assemble, nasmMissing } from "../support/nasm";

function lab86(args: string[], timeoutMs = 60_000) {
  const r = spawnSync("node", ["bin/lab86.mjs", ...args], { encoding: "utf8", timeout: timeoutMs });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}
function tmp(): string {
  mkdirSync("build/tmp", { recursive: true });
  return mkdtempSync("build/tmp/cli-");
}

describe("lab86 run: argument errors are one clear line and status 2", () => {
  const cases: [string[], RegExp][] = [
    [["run", "--bios", "/nonexistent/bios.bin"], /--bios: file not found: \/nonexistent\/bios.bin/],
    [["run", "--mem", "12Q"], /--mem: '12Q' is not a size/],
    [["run", "--mem", "4G"], /--mem: 4G is more than the 3584M/],
    [["run", "--boot", "net"], /--boot: 'net' is not one of cd, hd, fd/],
    [["run", "--timeout", "-3"], /--timeout: '-3' is not a positive number/],
    [["run", "--debugcon", "0x1ffff=file:/tmp/x"], /'0x1ffff' is not an I\/O port number/],
    [["run", "--frobnicate"], /unknown option '--frobnicate'/],
    [["run", "--initrd", "x"], /--initrd needs --kernel/],
    [["fly"], /unknown command 'fly'/],
  ];
  for (const [args, msg] of cases) {
    it(args.join(" "), () => {
      const r = lab86(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    });
  }

  it("refuses images of the wrong size, naming the size", () => {
    const dir = tmp();
    writeFileSync(join(dir, "bios.bin"), new Uint8Array(1000));
    writeFileSync(join(dir, "disk.img"), new Uint8Array(1000));
    writeFileSync(join(dir, "cd.iso"), new Uint8Array(4096 + 512));
    writeFileSync(join(dir, "floppy.img"), new Uint8Array(512 * 100));
    writeFileSync(join(dir, "kernel"), new Uint8Array(8192));
    expect(lab86(["run", "--bios", join(dir, "bios.bin")]).stderr).toMatch(/is 1000 bytes; a BIOS image must be 64, 128 or 256 KiB/);
    expect(lab86(["run", "--hda", join(dir, "disk.img")]).stderr).toMatch(/--hda: .* is 1000 bytes, not a positive multiple of 512/);
    expect(lab86(["run", "--cdrom", join(dir, "cd.iso")]).stderr).toMatch(/--cdrom: .* not a positive multiple of 2048/);
    expect(lab86(["run", "--fda", join(dir, "floppy.img")]).stderr).toMatch(/--fda: .* floppy images are 360K, 720K, 1.2M, 1.44M or 2.88M/);
    const k = lab86(["run", "--kernel", join(dir, "kernel")]);
    expect(k.status).toBe(2);
    expect(k.stderr).toMatch(/--kernel: .*not a Linux bzImage: no 'HdrS' signature/);
  });
});

describe("lab86 run --bios with a test ROM", () => {
  /** A 64 KiB ROM whose reset vector runs `code` (real mode, at F000:FFF0: at most 16 bytes). */
  function rom(code: number[]): Uint8Array {
    const r = new Uint8Array(0x10000).fill(0xf4);
    r.set(code, 0xfff0);
    return r;
  }

  it("sends debug console bytes to the files given per port and exits 0 on HLT with IF=0", () => {
    const dir = tmp();
    // mov al,'O'; out 0e9h,al; mov al,'K'; mov dx,0190h; out dx,al; cli; hlt
    writeFileSync(join(dir, "rom.bin"), rom([0xb0, 0x4f, 0xe6, 0xe9, 0xb0, 0x4b, 0xba, 0x90, 0x01, 0xee, 0xfa, 0xf4]));
    const r = lab86(["run", "--bios", join(dir, "rom.bin"), "--debugcon", `file:${join(dir, "e9.txt")}`, "--debugcon", `0x190=file:${join(dir, "post.txt")}`, "--timeout", "20"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, "e9.txt"), "utf8")).toBe("O");
    expect(readFileSync(join(dir, "post.txt"), "utf8")).toBe("K");
  });

  it("exits 1 at the timeout when the guest spins", () => {
    const dir = tmp();
    writeFileSync(join(dir, "rom.bin"), rom([0xeb, 0xfe])); // jmp $
    const r = lab86(["run", "--bios", join(dir, "rom.bin"), "--timeout", "1"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/timeout after 1 s/);
  });

  it("exits 1 on a triple fault", () => {
    const dir = tmp();
    // lidt [cs:0] pointing at a zero-limit IDT... simpler: with IDTR.limit = 0, INT 3 in real mode
    // faults (#GP on the vector beyond the limit), then #DF, then shutdown.
    // lidt [cs:imm] with a 6-byte zero descriptor at F000:FFFA; int3
    const r0 = rom([0x2e, 0x0f, 0x01, 0x1e, 0xfa, 0xff, 0xcc]);
    r0.fill(0, 0xfffa, 0x10000);
    writeFileSync(join(dir, "rom.bin"), r0);
    const r = lab86(["run", "--bios", join(dir, "rom.bin"), "--timeout", "20"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/triple-faulted/);
  });

  it("ends with (v << 1) | 1 when the guest writes v to isa-debug-exit (0xF4)", () => {
    const dir = tmp();
    writeFileSync(join(dir, "rom.bin"), rom([0xb0, 0x10, 0xe6, 0xf4, 0xeb, 0xfe])); // mov al,16; out 0f4h,al; jmp $
    expect(lab86(["run", "--bios", join(dir, "rom.bin"), "--timeout", "20"]).status).toBe(33);
  });
});

describe.skipIf(nasmMissing())("lab86 run --serial stdio", () => {
  it("delivers typed input to COM1 and prints COM1 output on stdout", () => {
    const dir = tmp();
    // A ROM that echoes COM1 input to COM1 and to the debug console until it reads '!'.
    const code = assemble(`
      bits 16
      org 0
      start:
        mov dx, 0x3f8 + 5       ; LSR
      wait_rx:
        in al, dx
        test al, 1              ; DR: data ready
        jz wait_rx
        mov dx, 0x3f8
        in al, dx               ; RBR
        out 0xe9, al
        out dx, al              ; THR: echo (the UART takes one byte at a time when idle)
        mov bl, al
        mov dx, 0x3f8 + 5
      wait_tx:
        in al, dx
        test al, 0x40           ; TEMT: the echo has gone out
        jz wait_tx
        cmp bl, '!'
        jne wait_rx
        cli
        hlt
      times 0xfff0 - ($ - $$) db 0xf4
        jmp 0xf000:start
      times 0x10000 - ($ - $$) db 0xf4
    `);
    writeFileSync(join(dir, "rom.bin"), code);
    const r = spawnSync("node", ["bin/lab86.mjs", "run", "--bios", join(dir, "rom.bin"), "--serial", "stdio", "--debugcon", `file:${join(dir, "e9.txt")}`, "--timeout", "60"], {
      input: "typed at the console!", encoding: "utf8", timeout: 90_000,
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, "e9.txt"), "utf8")).toBe("typed at the console!");
    expect(r.stdout).toBe("typed at the console!");
  });
});
