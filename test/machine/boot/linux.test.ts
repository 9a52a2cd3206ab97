import { describe, it, expect } from "vitest";
import { parseSetupHeader, loadLinux, KernelImageError, BOOT_PARAMS_ADDR, CMDLINE_ADDR, KERNEL_ADDR } from "../../../src/machine/boot/linux";
import { e820Map } from "../../../src/machine/boot/e820";
import { requireFixture } from "../../support/fixtures";
import { bareCpu } from "../../support/cpu";
import * as L from "../../../asm/layout";

describe("Linux boot protocol loader", () => {
  it("refuses images that are not bzImages, naming the problem", () => {
    expect(() => parseSetupHeader(new Uint8Array(100))).toThrow(/too small/);
    expect(() => parseSetupHeader(new Uint8Array(0x2000))).toThrow(/no 'HdrS' signature/);
    const old = new Uint8Array(0x2000);
    old.set([0x48, 0x64, 0x72, 0x53], 0x202); // HdrS
    old[0x206] = 0x01;
    old[0x207] = 0x02; // protocol 2.01
    expect(() => parseSetupHeader(old)).toThrow(KernelImageError);
    expect(() => parseSetupHeader(old)).toThrow(/too old/);
  });

  it("parses Debian 12's 686 kernel: protocol 2.15, loaded high, relocatable to 1 MiB", (ctx) => {
    const k = requireFixture(ctx, "vmlinuz-686", "linux");
    const h = parseSetupHeader(k);
    expect(h.version).toBe(0x020f); // Linux 6.1 implements boot protocol 2.15
    expect(h.loadFlags & 1).toBe(1);
    expect(h.code32Start).toBe(0x100000);
    expect(h.pmOffset % 512).toBe(0);
  });

  it("lays out kernel, initrd, command line, E820 and the CPU entry state", async (ctx) => {
    const k = requireFixture(ctx, "vmlinuz-686", "linux");
    const { cpu } = await bareCpu(new Uint8Array(0x10000), 64);
    const initrd = new Uint8Array(300_000).fill(0xab);
    const e820 = e820Map(64 << 20);
    const screen = { cursorColumn: 0, cursorRow: 3, page: 0, mode: 3, columns: 80, rows: 25, points: 16 };
    const { initrdAddr } = loadLinux(cpu, { kernel: k, initrd, cmdline: "console=ttyS0 quiet", e820, screen });
    const ram = cpu.ram();
    const dv = new DataView(ram.buffer, ram.byteOffset);
    const h = parseSetupHeader(k);
    // The protected-mode code is at 1 MiB, byte for byte.
    expect(ram.subarray(KERNEL_ADDR, KERNEL_ADDR + 64)).toEqual(k.subarray(h.pmOffset, h.pmOffset + 64));
    // Zero page fields (boot.rst): cmd_line_ptr, ramdisk_image/size, type_of_loader, e820.
    expect(dv.getUint32(BOOT_PARAMS_ADDR + 0x228, true)).toBe(CMDLINE_ADDR);
    expect(new TextDecoder().decode(ram.subarray(CMDLINE_ADDR, CMDLINE_ADDR + 19))).toBe("console=ttyS0 quiet");
    expect(ram[CMDLINE_ADDR + 19]).toBe(0);
    expect(dv.getUint32(BOOT_PARAMS_ADDR + 0x218, true)).toBe(initrdAddr);
    expect(dv.getUint32(BOOT_PARAMS_ADDR + 0x21c, true)).toBe(300_000);
    expect(initrdAddr % 4096).toBe(0);
    expect(initrdAddr + 300_000).toBeLessThanOrEqual(64 << 20);
    expect(ram[initrdAddr]).toBe(0xab);
    expect(ram[BOOT_PARAMS_ADDR + 0x210]).toBe(0xff);
    expect(ram[BOOT_PARAMS_ADDR + 0x1e8]).toBe(e820.length);
    // screen_info: orig_y, mode, columns, lines, isVGA, points (include/uapi/linux/screen_info.h).
    expect([ram[BOOT_PARAMS_ADDR + 0x01], ram[BOOT_PARAMS_ADDR + 0x06], ram[BOOT_PARAMS_ADDR + 0x07], ram[BOOT_PARAMS_ADDR + 0x0e], ram[BOOT_PARAMS_ADDR + 0x0f]]).toEqual([3, 3, 80, 25, 1]);
    expect(dv.getUint16(BOOT_PARAMS_ADDR + 0x10, true)).toBe(16);
    expect(Number(dv.getBigUint64(BOOT_PARAMS_ADDR + 0x2d0 + 3 * 20 + 8, true))).toBe((64 << 20) - 0x100000);
    // CPU: 32-bit flat protected mode, ESI = zero page, EIP = code32_start.
    expect(cpu.get(L.CR0) & 1).toBe(1);
    expect(cpu.eip).toBe(0x100000);
    expect(cpu.reg(6)).toBe(BOOT_PARAMS_ADDR);
    expect(cpu.seg(L.SEG_CS)).toEqual({ sel: 0x10, base: 0, limit: 0xffffffff, attrs: 0xc09b });
    expect(cpu.seg(L.SEG_SS).sel).toBe(0x18);
  });
});
