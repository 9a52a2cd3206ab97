// The PC/AT CMOS RAM layout the BIOS reads (IBM PC/AT technical reference, "CMOS RAM address
// map"), with the extensions that Bochs' BIOS and SeaBIOS read (memory above 16 MiB and 4 GiB,
// boot order). The machine fills these before the BIOS runs; the checksum covers 0x10-0x2D.
import type { Rtc146818 } from "./rtc146818";

export const CMOS_FLOPPY_TYPES = 0x10;
export const CMOS_DISK_TYPES = 0x12;
export const CMOS_EQUIPMENT = 0x14;
export const CMOS_BASE_MEM = 0x15; // u16 KiB, 0x15 low, 0x16 high
export const CMOS_EXT_MEM = 0x17; // u16 KiB above 1 MiB (0x17/0x18), mirrored at 0x30/0x31
export const CMOS_DISK0_EXT_TYPE = 0x19;
export const CMOS_DISK1_EXT_TYPE = 0x1a;
export const CMOS_DISK0_PARAMS = 0x1b; // 9 bytes per disk: cyl u16, heads, wpcomp u16, control, landing zone u16, sectors
export const CMOS_DISK1_PARAMS = 0x24;
export const CMOS_CHECKSUM = 0x2e; // u16 big endian: high byte at 0x2E
export const CMOS_EXT_MEM_POST = 0x30;
export const CMOS_CENTURY_BYTE = 0x32;
export const CMOS_MEM_ABOVE_16M = 0x34; // u16 in 64 KiB units (Bochs/SeaBIOS)
export const CMOS_BOOT_FLAGS = 0x38; // bits 7-4: third boot device; bit 0: skip the floppy boot signature check
export const CMOS_DISK_TRANSLATION = 0x39; // 2 bits per ATA disk (0 none, 1 LBA, 2 large, 3 r-echs)
export const CMOS_BOOT_ORDER = 0x3d; // bits 3-0: first boot device, bits 7-4: second
export const CMOS_MEM_ABOVE_4G = 0x5b; // 3 bytes in 64 KiB units (SeaBIOS)
export const CMOS_CPU_COUNT = 0x5f; // processors minus one (SeaBIOS)

export const FLOPPY_NONE = 0;
export const FLOPPY_360K = 1;
export const FLOPPY_1200K = 2;
export const FLOPPY_720K = 3;
export const FLOPPY_1440K = 4;
export const FLOPPY_2880K = 5;

export type BootDevice = "floppy" | "disk" | "cdrom" | "network";
const BOOT_CODES: Record<BootDevice, number> = { floppy: 1, disk: 2, cdrom: 3, network: 4 };

function put16(rtc: Rtc146818, index: number, v: number): void {
  rtc.writeNvram(index, v & 0xff);
  rtc.writeNvram(index + 1, (v >>> 8) & 0xff);
}

/**
 * Memory sizes: 640 KiB base; extended memory in KiB up to 64 MiB (capped at 0xFFFF, the most the
 * registers hold); memory above 16 MiB and above 4 GiB in 64 KiB units.
 */
export function setMemorySize(rtc: Rtc146818, belowGiB4: number, aboveGiB4 = 0): void {
  put16(rtc, CMOS_BASE_MEM, 640);
  const extKiB = Math.min(Math.max(0, belowGiB4 - 0x100000) / 1024, 0xffff);
  put16(rtc, CMOS_EXT_MEM, extKiB);
  put16(rtc, CMOS_EXT_MEM_POST, extKiB);
  const above16 = Math.min(Math.max(0, belowGiB4 - 0x1000000) / 0x10000, 0xffff);
  put16(rtc, CMOS_MEM_ABOVE_16M, above16);
  const above4g = Math.floor(aboveGiB4 / 0x10000);
  rtc.writeNvram(CMOS_MEM_ABOVE_4G, above4g & 0xff);
  rtc.writeNvram(CMOS_MEM_ABOVE_4G + 1, (above4g >>> 8) & 0xff);
  rtc.writeNvram(CMOS_MEM_ABOVE_4G + 2, (above4g >>> 16) & 0xff);
}

/** Drive types of floppy A: and B: (FLOPPY_* codes). */
export function setFloppyTypes(rtc: Rtc146818, a: number, b: number): void {
  rtc.writeNvram(CMOS_FLOPPY_TYPES, ((a & 15) << 4) | (b & 15));
}

/**
 * The equipment byte (0x14), as INT 11h reports it: bit 0 floppy drives present, bit 1 math
 * coprocessor, bits 5-4 primary display (00 = EGA/VGA), bits 7-6 number of floppy drives - 1.
 */
export function setEquipment(rtc: Rtc146818, opts: { floppies: number; fpu: boolean }): void {
  let v = opts.fpu ? 0x02 : 0;
  if (opts.floppies > 0) v |= 0x01 | (((opts.floppies - 1) & 3) << 6);
  rtc.writeNvram(CMOS_EQUIPMENT, v);
}

/** Fixed disk 0 or 1 as user-defined type 47 with the given CHS geometry, LBA translation. */
export function setDiskGeometry(rtc: Rtc146818, disk: 0 | 1, g: { cylinders: number; heads: number; sectors: number } | null): void {
  const types = rtc.readNvram(CMOS_DISK_TYPES);
  const shift = disk === 0 ? 4 : 0;
  const translation = rtc.readNvram(CMOS_DISK_TRANSLATION) & ~(3 << (disk * 2));
  if (!g) {
    rtc.writeNvram(CMOS_DISK_TYPES, types & ~(15 << shift));
    rtc.writeNvram(disk === 0 ? CMOS_DISK0_EXT_TYPE : CMOS_DISK1_EXT_TYPE, 0);
    rtc.writeNvram(CMOS_DISK_TRANSLATION, translation);
    return;
  }
  rtc.writeNvram(CMOS_DISK_TYPES, (types & ~(15 << shift)) | (15 << shift));
  rtc.writeNvram(disk === 0 ? CMOS_DISK0_EXT_TYPE : CMOS_DISK1_EXT_TYPE, 47);
  const base = disk === 0 ? CMOS_DISK0_PARAMS : CMOS_DISK1_PARAMS;
  const cyl = Math.min(g.cylinders, 0xffff);
  put16(rtc, base, cyl);
  rtc.writeNvram(base + 2, g.heads & 0xff);
  put16(rtc, base + 3, 0xffff); // no write precompensation
  rtc.writeNvram(base + 5, g.heads > 8 ? 0x08 : 0); // control byte: more than 8 heads
  put16(rtc, base + 6, cyl); // landing zone
  rtc.writeNvram(base + 8, g.sectors & 0xff);
  rtc.writeNvram(CMOS_DISK_TRANSLATION, translation | (1 << (disk * 2)));
}

/** Boot order of up to three devices, in the Bochs/SeaBIOS encoding of 0x3D and 0x38. */
export function setBootOrder(rtc: Rtc146818, order: BootDevice[], skipFloppySignatureCheck = false): void {
  if (order.length > 3) throw new Error("at most three boot devices fit in CMOS");
  const code = (i: number): number => (i < order.length ? BOOT_CODES[order[i]] : 0);
  rtc.writeNvram(CMOS_BOOT_ORDER, code(0) | (code(1) << 4));
  rtc.writeNvram(CMOS_BOOT_FLAGS, (code(2) << 4) | (skipFloppySignatureCheck ? 1 : 0));
}

/** The number of processors, as SeaBIOS reads it (stored minus one). */
export function setCpuCount(rtc: Rtc146818, count: number): void {
  rtc.writeNvram(CMOS_CPU_COUNT, (count - 1) & 0xff);
}

/** Recompute the standard checksum: the 16-bit sum of 0x10-0x2D, high byte at 0x2E. */
export function updateChecksum(rtc: Rtc146818): void {
  let sum = 0;
  for (let i = 0x10; i <= 0x2d; i++) sum += rtc.readNvram(i);
  rtc.writeNvram(CMOS_CHECKSUM, (sum >>> 8) & 0xff);
  rtc.writeNvram(CMOS_CHECKSUM + 1, sum & 0xff);
}
