// Multiboot 1 (the Multiboot Specification 0.6.96): find the header in the first 8 KiB, load the
// kernel (ELF32 program headers, or the a.out-kludge addresses when flag 16 is set), place modules
// page-aligned after it, build the multiboot_info structure with memory sizes, the memory map,
// the command line and the module list, and enter with EAX = 0x2BADB002 and EBX = &info in flat
// 32-bit protected mode (section 3.2, "Machine state").
import type { Cpu } from "../cpu";
import type { E820Entry } from "./e820";
import { enterFlat32 } from "./linux";

export class MultibootError extends Error {}

export const MULTIBOOT_HEADER_MAGIC = 0x1badb002;
export const MULTIBOOT_BOOTLOADER_MAGIC = 0x2badb002;
const INFO_ADDR = 0x9000;
const STRINGS_ADDR = 0xa000;
const GDT_ADDR = 0x8000;

export interface MultibootHeader {
  offset: number;
  flags: number;
  headerAddr: number;
  loadAddr: number;
  loadEndAddr: number;
  bssEndAddr: number;
  entryAddr: number;
}

/** Locate and validate the Multiboot header (32-bit aligned, within the first 8192 bytes). */
export function findMultibootHeader(image: Uint8Array): MultibootHeader | null {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const end = Math.min(8192, image.length) - 12;
  for (let o = 0; o <= end; o += 4) {
    if (dv.getUint32(o, true) !== MULTIBOOT_HEADER_MAGIC) continue;
    const flags = dv.getUint32(o + 4, true);
    if (((MULTIBOOT_HEADER_MAGIC + flags + dv.getUint32(o + 8, true)) >>> 0) !== 0) continue; // checksum
    const h: MultibootHeader = { offset: o, flags, headerAddr: 0, loadAddr: 0, loadEndAddr: 0, bssEndAddr: 0, entryAddr: 0 };
    if (flags & 0x10000) {
      if (o + 32 > image.length) throw new MultibootError("Multiboot header with address fields is truncated");
      h.headerAddr = dv.getUint32(o + 12, true);
      h.loadAddr = dv.getUint32(o + 16, true);
      h.loadEndAddr = dv.getUint32(o + 20, true);
      h.bssEndAddr = dv.getUint32(o + 24, true);
      h.entryAddr = dv.getUint32(o + 28, true);
    }
    return h;
  }
  return null;
}

interface Loaded {
  entry: number;
  end: number;
}

function loadElf(image: Uint8Array, ram: Uint8Array): Loaded {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (dv.getUint32(0, false) !== 0x7f454c46) throw new MultibootError("Multiboot kernel is neither ELF nor marked with the a.out kludge (flag 16)");
  if (image[4] !== 1 || image[5] !== 1 || dv.getUint16(18, true) !== 3) throw new MultibootError("Multiboot ELF kernel is not 32-bit little-endian i386");
  const phoff = dv.getUint32(28, true), phentsize = dv.getUint16(42, true), phnum = dv.getUint16(44, true);
  let end = 0;
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (p + 32 > image.length) throw new MultibootError("ELF program headers are truncated");
    if (dv.getUint32(p, true) !== 1) continue; // PT_LOAD
    const off = dv.getUint32(p + 4, true), paddr = dv.getUint32(p + 12, true);
    const filesz = dv.getUint32(p + 16, true), memsz = dv.getUint32(p + 20, true);
    if (off + filesz > image.length) throw new MultibootError("ELF segment extends beyond the file");
    if (paddr + memsz > ram.length) throw new MultibootError(`ELF segment at 0x${paddr.toString(16)} (+${memsz}) is outside RAM`);
    ram.set(image.subarray(off, off + filesz), paddr);
    ram.fill(0, paddr + filesz, paddr + memsz);
    end = Math.max(end, paddr + memsz);
  }
  return { entry: dv.getUint32(24, true), end };
}

function loadAout(image: Uint8Array, h: MultibootHeader, ram: Uint8Array): Loaded {
  const fileStart = h.offset - (h.headerAddr - h.loadAddr);
  if (fileStart < 0) throw new MultibootError("Multiboot header_addr/load_addr are inconsistent");
  const loadEnd = h.loadEndAddr || h.loadAddr + (image.length - fileStart);
  const size = loadEnd - h.loadAddr;
  if (fileStart + size > image.length) throw new MultibootError("Multiboot load_end_addr is beyond the file");
  const bssEnd = Math.max(h.bssEndAddr, loadEnd);
  if (bssEnd > ram.length) throw new MultibootError("Multiboot kernel does not fit in RAM");
  ram.set(image.subarray(fileStart, fileStart + size), h.loadAddr);
  ram.fill(0, loadEnd, bssEnd);
  return { entry: h.entryAddr, end: bssEnd };
}

export interface MultibootOptions {
  kernel: Uint8Array;
  cmdline: string;
  modules: { data: Uint8Array; cmdline: string }[];
  e820: E820Entry[];
}

export function loadMultiboot(cpu: Cpu, opts: MultibootOptions): void {
  const h = findMultibootHeader(opts.kernel);
  if (!h) throw new MultibootError("no Multiboot header in the first 8 KiB of the kernel");
  if (h.flags & 0x4) throw new MultibootError("the kernel requires a video mode (Multiboot flag 2), which is not supported");
  const ram = cpu.ram();
  const loaded = h.flags & 0x10000 ? loadAout(opts.kernel, h, ram) : loadElf(opts.kernel, ram);
  const enc = new TextEncoder();
  let strings = STRINGS_ADDR;
  const putString = (s: string) => {
    const b = enc.encode(s);
    const at = strings;
    ram.set(b, at);
    ram[at + b.length] = 0;
    strings += b.length + 1;
    if (strings > INFO_ADDR + 0x7000) throw new MultibootError("Multiboot command lines are too long");
    return at;
  };
  // Modules, each page aligned after the kernel (flag 0 asks for page alignment; we always align).
  let next = Math.ceil(loaded.end / 4096) * 4096;
  const modList = new DataView(ram.buffer, ram.byteOffset + INFO_ADDR + 0x100, opts.modules.length * 16);
  opts.modules.forEach((m, i) => {
    if (next + m.data.length > ram.length) throw new MultibootError(`module ${i} does not fit in RAM`);
    ram.set(m.data, next);
    modList.setUint32(i * 16, next, true);
    modList.setUint32(i * 16 + 4, next + m.data.length, true);
    modList.setUint32(i * 16 + 8, putString(m.cmdline), true);
    modList.setUint32(i * 16 + 12, 0, true);
    next = Math.ceil((next + m.data.length) / 4096) * 4096;
  });
  // Memory map entries: {u32 size (20), u64 base, u64 length, u32 type}.
  const mmapAddr = INFO_ADDR + 0x800;
  const mm = new DataView(ram.buffer, ram.byteOffset + mmapAddr, opts.e820.length * 24);
  opts.e820.forEach((e, i) => {
    mm.setUint32(i * 24, 20, true);
    mm.setBigUint64(i * 24 + 4, BigInt(e.base), true);
    mm.setBigUint64(i * 24 + 12, BigInt(e.length), true);
    mm.setUint32(i * 24 + 20, e.type, true);
  });
  const info = new DataView(ram.buffer, ram.byteOffset + INFO_ADDR, 0x100);
  for (let i = 0; i < 0x100; i += 4) info.setUint32(i, 0, true);
  const lowKb = 640 - 1; // conventional memory below the EBDA
  const upperKb = ((opts.e820.find((e) => e.base === 0x100000)?.length ?? 0) >> 10);
  // flags: mem (0), cmdline (2), mods (3), mmap (6)
  info.setUint32(0, 0x1 | 0x4 | 0x8 | 0x40, true);
  info.setUint32(4, lowKb, true);
  info.setUint32(8, upperKb, true);
  info.setUint32(16, putString(opts.cmdline), true);
  info.setUint32(20, opts.modules.length, true);
  info.setUint32(24, INFO_ADDR + 0x100, true);
  info.setUint32(44, opts.e820.length * 24, true);
  info.setUint32(48, mmapAddr, true);
  // Flat segments (3.2: CS 32-bit read/execute offset 0 limit 4 GiB; data likewise), A20 on, IF clear.
  const gdt = new DataView(ram.buffer, ram.byteOffset + GDT_ADDR, 32);
  gdt.setBigUint64(16, 0x00cf9b000000ffffn, true);
  gdt.setBigUint64(24, 0x00cf93000000ffffn, true);
  enterFlat32(cpu, GDT_ADDR, 31, loaded.entry);
  cpu.setReg(0, MULTIBOOT_BOOTLOADER_MAGIC);
  cpu.setReg(3, INFO_ADDR);
}
