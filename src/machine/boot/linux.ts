// The Linux x86 boot protocol (Documentation/arch/x86/boot.rst), 32-bit entry: what
// `qemu -kernel` offers without running firmware code. We parse the bzImage setup header, place the
// protected-mode kernel at 1 MiB, the initrd at the top of usable memory, the command line and
// the zero page (struct boot_params), and enter startup_32 in flat 32-bit protected mode with
// ESI pointing at boot_params, as section "32-bit Boot Protocol" requires.
import * as L from "../../../asm/layout";
import type { Cpu } from "../cpu";
import { type E820Entry } from "./e820";

export class KernelImageError extends Error {}

export interface SetupHeader {
  setupSects: number;
  version: number;
  loadFlags: number;
  code32Start: number;
  initrdAddrMax: number;
  cmdlineSize: number;
  /** Byte offset of the protected-mode kernel in the file. */
  pmOffset: number;
  /** End (exclusive) of the setup header within the first sector pair (0x202 + jump byte). */
  headerEnd: number;
}

/** Parse and check the setup header of a bzImage. Throws KernelImageError naming the problem. */
export function parseSetupHeader(image: Uint8Array): SetupHeader {
  if (image.length < 0x1000) throw new KernelImageError(`kernel image is too small (${image.length} bytes) to be a bzImage`);
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (dv.getUint32(0x202, true) !== 0x53726448) throw new KernelImageError("not a Linux bzImage: no 'HdrS' signature at offset 0x202");
  const version = dv.getUint16(0x206, true);
  if (version < 0x0202) throw new KernelImageError(`boot protocol ${version >> 8}.${(version & 0xff).toString().padStart(2, "0")} is too old (need 2.02)`);
  const loadFlags = image[0x211];
  if ((loadFlags & 1) === 0) throw new KernelImageError("zImage kernels (not loaded high) are not supported; use a bzImage");
  let setupSects = image[0x1f1];
  if (setupSects === 0) setupSects = 4;
  const pmOffset = (setupSects + 1) * 512;
  if (pmOffset >= image.length) throw new KernelImageError("kernel image is truncated: setup sectors exceed the file");
  return {
    setupSects,
    version,
    loadFlags,
    code32Start: dv.getUint32(0x214, true),
    initrdAddrMax: version >= 0x0203 ? dv.getUint32(0x22c, true) : 0x37ffffff,
    cmdlineSize: version >= 0x0206 ? dv.getUint32(0x238, true) : 255,
    pmOffset,
    headerEnd: 0x202 + image[0x201],
  };
}

export const BOOT_PARAMS_ADDR = 0x10000;
export const CMDLINE_ADDR = 0x20000;
export const KERNEL_ADDR = 0x100000;
const GDT_ADDR = 0x1000;

/** The text screen the firmware left, as the kernel's real-mode setup would have reported it. */
export interface TextScreenInfo {
  cursorColumn: number;
  cursorRow: number;
  page: number;
  mode: number;
  columns: number;
  rows: number;
  /** Character cell height in scanlines. */
  points: number;
}

export interface LinuxBootOptions {
  kernel: Uint8Array;
  initrd?: Uint8Array;
  cmdline: string;
  e820: E820Entry[];
  /**
   * The VGA text screen, if one is showing. The 32-bit entry skips the setup code that asks the
   * video BIOS (arch/x86/boot/video.c), so the loader fills screen_info; left zero, Linux's vgacon
   * sees no screen and console=tty0 shows nothing.
   */
  screen?: TextScreenInfo;
}

/** Load the kernel into RAM and set the CPU registers for the 32-bit entry. */
export function loadLinux(cpu: Cpu, opts: LinuxBootOptions): { initrdAddr: number } {
  const hdr = parseSetupHeader(opts.kernel);
  const ram = cpu.ram();
  const ramBytes = cpu.ramBytes;
  const pm = opts.kernel.subarray(hdr.pmOffset);
  if (KERNEL_ADDR + pm.length > ramBytes) throw new KernelImageError(`the kernel (${pm.length} bytes) does not fit in ${ramBytes >> 20} MiB of RAM`);
  ram.set(pm, KERNEL_ADDR);

  const cmd = new TextEncoder().encode(opts.cmdline);
  if (cmd.length > hdr.cmdlineSize) throw new KernelImageError(`command line is ${cmd.length} bytes; this kernel accepts at most ${hdr.cmdlineSize}`);
  ram.fill(0, CMDLINE_ADDR, CMDLINE_ADDR + cmd.length + 1);
  ram.set(cmd, CMDLINE_ADDR);

  // The zero page: the setup header copied from the image, then our fields.
  const bp = new Uint8Array(4096);
  bp.set(opts.kernel.subarray(0x1f1, hdr.headerEnd), 0x1f1);
  const dv = new DataView(bp.buffer);
  bp[0x210] = 0xff; // type_of_loader: undefined loader
  bp[0x211] = hdr.loadFlags & ~0x20 | 0x80; // CAN_USE_HEAP; keep LOADED_HIGH; clear QUIET
  dv.setUint16(0x224, 0xfe00, true); // heap_end_ptr (unused with the 32-bit entry, harmless)
  dv.setUint32(0x228, CMDLINE_ADDR, true);

  let initrdAddr = 0;
  if (opts.initrd) {
    // Highest page-aligned address that keeps the initrd below initrd_addr_max and inside usable RAM.
    const ramTop = opts.e820.filter((e) => e.type === 1).reduce((t, e) => Math.max(t, e.base + e.length), 0);
    const limit = Math.min(ramTop, hdr.initrdAddrMax + 1);
    initrdAddr = Math.floor((limit - opts.initrd.length) / 4096) * 4096;
    if (initrdAddr < KERNEL_ADDR + pm.length + 0x100000) {
      throw new KernelImageError(`the initrd (${opts.initrd.length} bytes) does not fit in ${ramBytes >> 20} MiB of RAM beside the kernel`);
    }
    ram.set(opts.initrd, initrdAddr);
    dv.setUint32(0x218, initrdAddr, true);
    dv.setUint32(0x21c, opts.initrd.length, true);
  }

  // E820 table: count at 0x1e8, entries of {u64 addr, u64 size, u32 type} at 0x2d0 (max 128).
  if (opts.e820.length > 128) throw new Error("too many E820 entries");
  bp[0x1e8] = opts.e820.length;
  opts.e820.forEach((e, i) => {
    const o = 0x2d0 + i * 20;
    dv.setBigUint64(o, BigInt(e.base), true);
    dv.setBigUint64(o + 8, BigInt(e.length), true);
    dv.setUint32(o + 16, e.type, true);
  });
  // screen_info (include/uapi/linux/screen_info.h) at the start of the zero page.
  if (opts.screen) {
    const t = opts.screen;
    bp[0x00] = t.cursorColumn; // orig_x
    bp[0x01] = t.cursorRow; // orig_y
    dv.setUint16(0x04, t.page, true); // orig_video_page
    bp[0x06] = t.mode; // orig_video_mode
    bp[0x07] = t.columns; // orig_video_cols
    dv.setUint16(0x0a, 0x0003, true); // orig_video_ega_bx: INT 10h AH=12h BL=10h on a colour VGA with 256 KiB
    bp[0x0e] = t.rows; // orig_video_lines
    bp[0x0f] = 1; // orig_video_isVGA
    dv.setUint16(0x10, t.points, true); // orig_video_points
  }
  // alt_mem_k (0x1e0): extended memory in KiB above 1 MiB, for very old code paths.
  dv.setUint32(0x1e0, Math.max(0, (ramBytes - 0x100000) >> 10), true);
  ram.set(bp, BOOT_PARAMS_ADDR);

  // A GDT with the boot protocol's __BOOT_CS (0x10) and __BOOT_DS (0x18): flat 4 GiB.
  const gdt = new DataView(ram.buffer, ram.byteOffset + GDT_ADDR, 32);
  gdt.setBigUint64(0, 0n, true);
  gdt.setBigUint64(8, 0n, true);
  gdt.setBigUint64(16, 0x00cf9b000000ffffn, true);
  gdt.setBigUint64(24, 0x00cf93000000ffffn, true);
  enterFlat32(cpu, GDT_ADDR, 31, hdr.code32Start || KERNEL_ADDR);
  cpu.setReg(6, BOOT_PARAMS_ADDR); // ESI
  return { initrdAddr };
}

/** Put the CPU in flat 32-bit protected mode at CPL 0 with interrupts off, CS=0x10, data=0x18. */
export function enterFlat32(cpu: Cpu, gdtBase: number, gdtLimit: number, eip: number): void {
  cpu.set(L.GDTR_BASE, gdtBase);
  cpu.set(L.GDTR_LIMIT, gdtLimit);
  cpu.set(L.CR0, (cpu.get(L.CR0) | 1 | 0x10) & ~0x60000000 >>> 0); // PE, ET; caches enabled
  cpu.setSeg(L.SEG_CS, 0x10, 0, 0xffffffff, 0xc09b);
  for (const s of [L.SEG_DS, L.SEG_ES, L.SEG_SS, L.SEG_FS, L.SEG_GS]) cpu.setSeg(s, 0x18, 0, 0xffffffff, 0xc093);
  cpu.setEflags(0x2);
  for (let r = 0; r < 8; r++) cpu.setReg(r, 0);
  cpu.eip = eip;
  (cpu.exports.afterStateLoad as () => void)();
}
