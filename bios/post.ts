// Power-on self test. Runs in two steps because option ROMs are x86 code that must run on the
// CPU: Post (from the reset vector) sets up the IVT, BDA, EBDA and chipset and calls the first
// option ROM; PostResume runs when each option ROM's init returns, calls the next, and finally
// enters INT 19h (bootstrap). Every step takes a few microseconds of guest time.
import * as L from "../asm/layout";
import { Service, BIOS_SEGMENT } from "./services";
import type { BiosFirmware } from "./firmware";
import type { ServiceContext } from "./context";
import {
  BDA_COM_PORTS, BDA_EBDA_SEGMENT, BDA_EQUIPMENT, BDA_MEMORY_KB, BDA_KBD_HEAD, BDA_KBD_TAIL,
  BDA_KBD_BUFFER_START, BDA_KBD_BUFFER_END, BDA_HD_COUNT, EBDA_SEGMENT, BDA_RESET_FLAG, WARM_BOOT_FLAG,
} from "./bda";

/** The stack the firmware gives option ROMs and the boot sector (below the boot sector at 0x7C00). */
export const POST_STACK_SEGMENT = 0x0000;
export const POST_STACK_TOP = 0x7000;


function w8(fw: BiosFirmware, addr: number, v: number): void {
  fw.host.mem.write(addr, Uint8Array.of(v));
}
function w16(fw: BiosFirmware, addr: number, v: number): void {
  fw.host.mem.write(addr, Uint8Array.of(v & 0xff, v >>> 8));
}
function out(fw: BiosFirmware, port: number, v: number): void {
  fw.host.io.write(port, 1, v);
}

/** Interrupt vectors whose handlers are BIOS services. */
const VECTORS: [number, Service][] = [
  [0x09, Service.Int09Keyboard], [0x0e, Service.Int0eFloppy], [0x10, Service.Int10Video],
  [0x11, Service.Int11Equipment], [0x12, Service.Int12Memory], [0x13, Service.Int13Disk],
  [0x14, Service.Int14Serial], [0x15, Service.Int15System], [0x16, Service.Int16Keyboard],
  [0x17, Service.Int17Printer], [0x18, Service.Int18NoBoot], [0x19, Service.Int19Boot],
  [0x1a, Service.Int1aTime], [0x70, Service.Int70Rtc], [0x76, Service.Int76Disk],
];

function setVector(fw: BiosFirmware, v: number, seg: number, off: number): void {
  w16(fw, v * 4, off);
  w16(fw, v * 4 + 2, seg);
}

function initIvt(fw: BiosFirmware): void {
  const unhandled = fw.stub(Service.Unhandled).entryOffset;
  const spurious = fw.stub(Service.SpuriousIrq).entryOffset;
  for (let v = 0; v < 256; v++) setVector(fw, v, BIOS_SEGMENT, unhandled);
  for (let v = 0x08; v < 0x10; v++) setVector(fw, v, BIOS_SEGMENT, spurious);
  for (let v = 0x70; v < 0x78; v++) setVector(fw, v, BIOS_SEGMENT, spurious);
  setVector(fw, 0x08, BIOS_SEGMENT, fw.stub(Service.Int08Timer).entryOffset);
  for (const [v, id] of VECTORS) setVector(fw, v, BIOS_SEGMENT, fw.stub(id).entryOffset);
  // INT 1Ch (the user timer hook) and INT 0Fh/77h defaults: a bare IRET.
  setVector(fw, 0x1c, BIOS_SEGMENT, fw.stub(Service.Iret).entryOffset);
  // Vectors that hold data pointers, not code: 1Dh video parameters, 1Eh diskette parameters,
  // 1Fh graphics font, 41h/46h hard disk parameters. Null until the modules that own them set them.
  for (const v of [0x1d, 0x1e, 0x1f, 0x41, 0x43, 0x46]) setVector(fw, v, 0, 0);
}

function initBda(fw: BiosFirmware): void {
  const { host } = fw;
  // A platform reset keeps RAM: a warm boot (Ctrl+Alt+Del, keyboard.ts) left 1234h in the reset
  // flag, which the BDA keeps through POST so that the boot code can tell it from a power-on, as
  // on the IBM PC/AT (its POST skips the memory test then; ours has none to skip).
  const reset = host.mem.read(BDA_RESET_FLAG, 2);
  const warm = (reset[0] | (reset[1] << 8)) === WARM_BOOT_FLAG;
  host.mem.write(0x400, new Uint8Array(0x100));
  if (warm) w16(fw, BDA_RESET_FLAG, WARM_BOOT_FLAG);
  [0x3f8, 0x2f8, 0x3e8, 0x2e8].forEach((p, i) => w16(fw, BDA_COM_PORTS + 2 * i, p));
  w16(fw, BDA_EBDA_SEGMENT, EBDA_SEGMENT);
  const floppies = host.drives.floppies.filter((f) => f).length;
  // Equipment word (INT 11h): bit 0 floppy present, bit 1 x87, bits 4-5 initial video mode
  // (10b: 80x25 colour), bits 6-7 floppies - 1, bits 9-11 serial ports.
  let eq = 0x0002 | (2 << 4) | (4 << 9);
  if (floppies > 0) eq |= 1 | ((floppies - 1) << 6);
  w16(fw, BDA_EQUIPMENT, eq);
  w16(fw, BDA_MEMORY_KB, (EBDA_SEGMENT << 4) >> 10);
  w16(fw, BDA_KBD_HEAD, 0x1e);
  w16(fw, BDA_KBD_TAIL, 0x1e);
  w16(fw, BDA_KBD_BUFFER_START, 0x1e);
  w16(fw, BDA_KBD_BUFFER_END, 0x3e);
  w8(fw, BDA_HD_COUNT, host.drives.disks.filter((d) => d).length);
  // EBDA: its size in KiB in the first byte.
  host.mem.write(EBDA_SEGMENT << 4, new Uint8Array(0x400));
  w8(fw, EBDA_SEGMENT << 4, 1);
}

function initChipset(fw: BiosFirmware): void {
  // 8259A pair: ICW1 edge/cascade/ICW4, ICW2 vectors 08h and 70h, ICW3 cascade on IRQ 2, ICW4 8086 mode.
  out(fw, 0x20, 0x11); out(fw, 0x21, 0x08); out(fw, 0x21, 0x04); out(fw, 0x21, 0x01);
  out(fw, 0xa0, 0x11); out(fw, 0xa1, 0x70); out(fw, 0xa1, 0x02); out(fw, 0xa1, 0x01);
  // Unmask the timer, keyboard and cascade; everything else stays masked until a driver wants it.
  out(fw, 0x21, 0xf8);
  out(fw, 0xa1, 0xff);
  // 8254 channel 0: mode 3 (square wave), lobyte/hibyte, count 0 = 65536: 18.2 Hz, as DOS expects.
  out(fw, 0x43, 0x36); out(fw, 0x40, 0); out(fw, 0x40, 0);
  // 8042: self test, then the command byte: translation, system flag, keyboard IRQ; mouse off.
  out(fw, 0x64, 0xaa);
  fw.host.io.read(0x60, 1);
  out(fw, 0x64, 0x60); out(fw, 0x60, 0x65);
  out(fw, 0x60, 0xf4); // keyboard: enable scanning
  fw.host.io.read(0x60, 1); // its ACK
  // Local APIC in virtual-wire mode (MP Specification 1.4, 3.6.2.2): software-enabled with
  // spurious vector FFh, LINT0 ExtINT (the 8259's INTR), LINT1 NMI. The LVTs are masked after
  // reset (SDM Vol. 3A 10.4.7.1), so without this no 8259 interrupt would reach the CPU.
  if (fw.host.config.apic) {
    fw.host.mmio.write(0xfee000f0, 4, 0x1ff);
    fw.host.mmio.write(0xfee00350, 4, 0x700);
    fw.host.mmio.write(0xfee00360, 4, 0x400);
    // I/O APIC ID 1 (82093AA 3.2.1, IOAPICID; resets to 0): distinct from the BSP's local APIC
    // ID on the APIC bus, and what the MADT and the MP table report.
    fw.host.mmio.write(0xfec00000, 4, 0);
    fw.host.mmio.write(0xfec00010, 4, 1 << 24);
  }
  // Fast A20 on (port 0x92 bit 1), as every modern BIOS leaves it.
  out(fw, 0x92, fw.host.io.read(0x92, 1) & ~1 | 2);
}

/** Set up a far call from the firmware to seg:off that returns (RETF) into the PostResume stub. */
function callOptionRom(fw: BiosFirmware, ctx: ServiceContext, seg: number, off: number): void {
  const cpu = fw.host.cpu;
  const ss = cpu.seg(L.SEG_SS);
  cpu.setSeg(L.SEG_SS, POST_STACK_SEGMENT, POST_STACK_SEGMENT << 4, 0xffff, ss.attrs);
  const sp = POST_STACK_TOP - 4;
  w16(fw, (POST_STACK_SEGMENT << 4) + sp, fw.stub(Service.PostResume).entryOffset);
  w16(fw, (POST_STACK_SEGMENT << 4) + sp + 2, BIOS_SEGMENT);
  cpu.setReg(4, sp);
  // Option ROM init conventions (PCI Firmware spec 3.0, 5.2.1): AX = bus/dev/fn for PCI ROMs
  // (0 for legacy scans), DS and ES pointing somewhere sane.
  ctx.ax = 0;
  ctx.setSeg(L.SEG_DS, 0);
  ctx.setSeg(L.SEG_ES, 0);
  fw.jumpTo(seg, off);
}

/** Find the next legacy option ROM (55 AA, length in 512-byte units, checksum 0) from nextRomScan. */
function nextOptionRom(fw: BiosFirmware): { addr: number; size: number } | null {
  for (let a = fw.state.nextRomScan; a < 0xe0000; a += 0x800) {
    fw.host.shadowRom(a, 0x800, true);
    const head = fw.host.mem.read(a, 3);
    if (head[0] !== 0x55 || head[1] !== 0xaa || head[2] === 0) continue;
    const size = head[2] * 512;
    fw.host.shadowRom(a, size, true);
    const body = fw.host.mem.read(a, size);
    let sum = 0;
    for (const b of body) sum = (sum + b) & 0xff;
    if (sum !== 0) {
      fw.host.log(`option ROM at 0x${a.toString(16)} has a bad checksum: skipped`);
      continue;
    }
    fw.state.nextRomScan = Math.min(0xe0000, a + ((size + 0x7ff) & ~0x7ff));
    return { addr: a, size };
  }
  fw.state.nextRomScan = 0xe0000;
  return null;
}

function continuePost(ctx: ServiceContext, fw: BiosFirmware): void {
  const rom = nextOptionRom(fw);
  if (rom) {
    callOptionRom(fw, ctx, rom.addr >>> 4, 3);
    return;
  }
  // All option ROMs ran: write-protect the shadowed ROM area and bootstrap through INT 19h, with
  // an interrupt frame that returns to INT 18h if every boot device fails.
  fw.host.shadowRom(0xc0000, 0x20000, false);
  fw.state.postStage = 2;
  const cpu = fw.host.cpu;
  const sp = POST_STACK_TOP - 6;
  const base = POST_STACK_SEGMENT << 4;
  w16(fw, base + sp, fw.stub(Service.Int18NoBoot).entryOffset);
  w16(fw, base + sp + 2, BIOS_SEGMENT);
  w16(fw, base + sp + 4, 0x0202); // FLAGS: IF
  cpu.setSeg(L.SEG_SS, POST_STACK_SEGMENT, base, 0xffff, cpu.seg(L.SEG_SS).attrs);
  cpu.setReg(4, sp);
  fw.jumpTo(BIOS_SEGMENT, fw.stub(Service.Int19Boot).entryOffset);
  cpu.setEflags(0x0202);
}

export function installPost(fw: BiosFirmware): void {
  fw.on(Service.Post, (ctx, fw) => {
    fw.state.postStage = 1;
    fw.state.nextRomScan = 0xc0000;
    initIvt(fw);
    initBda(fw);
    initChipset(fw);
    fw.runPostHooks();
    continuePost(ctx, fw);
  });
  fw.on(Service.PostResume, (ctx, fw) => continuePost(ctx, fw));
}
