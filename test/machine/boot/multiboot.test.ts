import { describe, it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadMultiboot, findMultibootHeader, MultibootError, MULTIBOOT_BOOTLOADER_MAGIC } from "../../../src/machine/boot/multiboot";
import { e820Map } from "../../../src/machine/boot/e820";
import { bareCpu } from "../../support/cpu";
import { nasmMissing } from "../../support/nasm";

/** A minimal Multiboot ELF kernel linked at 2 MiB, built with nasm + ld as a real one would be. */
function buildElfKernel(): Uint8Array {
  mkdirSync("build/tmp", { recursive: true });
  const dir = mkdtempSync("build/tmp/mb-");
  writeFileSync(join(dir, "k.asm"), `
    bits 32
    section .text
    dd 0x1BADB002, 0x00000003, -(0x1BADB002 + 0x00000003)
    global _start
    _start: mov byte [0xb8000], 'K'
    cli
    hlt
    section .bss
    resb 8192
  `);
  execFileSync("nasm", ["-f", "elf32", "-o", join(dir, "k.o"), join(dir, "k.asm")]);
  execFileSync("ld", ["-m", "elf_i386", "-Ttext=0x200000", "-e", "_start", "-o", join(dir, "k.elf"), join(dir, "k.o")]);
  return new Uint8Array(readFileSync(join(dir, "k.elf")));
}

describe.skipIf(nasmMissing())("Multiboot 1 loader", () => {
  it("loads an ELF kernel and builds multiboot_info with memory, command line, modules and mmap", async () => {
    const kernel = buildElfKernel();
    expect(findMultibootHeader(kernel)).not.toBeNull();
    const { cpu } = await bareCpu(new Uint8Array(0x10000), 32);
    const mod = new TextEncoder().encode("module payload");
    const e820 = e820Map(32 << 20);
    loadMultiboot(cpu, { kernel, cmdline: "kernel arg=1", modules: [{ data: mod, cmdline: "mod0 x" }], e820 });
    const ram = cpu.ram();
    const dv = new DataView(ram.buffer, ram.byteOffset);
    // Machine state of spec section 3.2.
    expect(cpu.reg(0)).toBe(MULTIBOOT_BOOTLOADER_MAGIC);
    expect(cpu.eip).toBe(0x20000c); // _start, after the 12-byte header
    const info = cpu.reg(3);
    const flags = dv.getUint32(info, true);
    expect(flags & 0x4d).toBe(0x4d); // mem, cmdline, mods, mmap
    expect(dv.getUint32(info + 4, true)).toBe(639); // mem_lower KiB
    expect(dv.getUint32(info + 8, true)).toBe(31 * 1024); // mem_upper: 32 MiB - 1 MiB
    const cstr = (a: number) => new TextDecoder().decode(ram.subarray(a, ram.indexOf(0, a)));
    expect(cstr(dv.getUint32(info + 16, true))).toBe("kernel arg=1");
    expect(dv.getUint32(info + 20, true)).toBe(1);
    const mods = dv.getUint32(info + 24, true);
    const start = dv.getUint32(mods, true), end = dv.getUint32(mods + 4, true);
    expect(start % 4096).toBe(0);
    expect(start).toBeGreaterThanOrEqual(0x200000 + 8192); // after the kernel's bss
    expect(new TextDecoder().decode(ram.subarray(start, end))).toBe("module payload");
    expect(cstr(dv.getUint32(mods + 8, true))).toBe("mod0 x");
    const mmapLen = dv.getUint32(info + 44, true), mmap = dv.getUint32(info + 48, true);
    expect(mmapLen).toBe(e820.length * 24);
    expect(dv.getUint32(mmap, true)).toBe(20);
    expect(Number(dv.getBigUint64(mmap + 4 + 3 * 24, true))).toBe(0x100000);
    // The kernel's code is at its link address, its bss zeroed.
    expect(ram[0x20000c]).toBe(0xc6); // mov byte [imm32], imm8
  });

  it("refuses a kernel without a header, and one that wants a video mode", async () => {
    const { cpu } = await bareCpu(new Uint8Array(0x10000), 8);
    expect(() => loadMultiboot(cpu, { kernel: new Uint8Array(9000), cmdline: "", modules: [], e820: e820Map(8 << 20) })).toThrow(/no Multiboot header/);
    const k = new Uint8Array(64);
    const dv = new DataView(k.buffer);
    dv.setUint32(0, 0x1badb002, true);
    dv.setUint32(4, 4, true);
    dv.setUint32(8, -(0x1badb002 + 4) >>> 0, true);
    expect(() => loadMultiboot(cpu, { kernel: k, cmdline: "", modules: [], e820: e820Map(8 << 20) })).toThrow(MultibootError);
  });
});
