// Disk parameter tables the BIOS publishes in its (shadowed, then write-protected) F segment:
// the diskette parameter table (INT 1Eh vector, INT 13h AH=08h ES:DI), the fixed disk parameter
// tables (INT 41h for drive 80h, INT 46h for 81h) and the EDD device parameter table extensions
// (DPTE) that INT 13h AH=48h points to.
import type { BiosFirmware } from "../firmware";
import { BIOS_SEGMENT, RUNTIME_DISKETTE_PARAMS, RUNTIME_DISK_TABLES } from "../services";
import { listDrives, type BiosDrive } from "./drives";
import { INT13_MAX_CYLINDERS, Translation, type FloppyFormat } from "./geometry";

const FDPT_OFFSET = RUNTIME_DISK_TABLES; // two 16-byte tables
const DPTE_OFFSET = RUNTIME_DISK_TABLES + 0x20; // four 16-byte DPTEs, by IDE position

/** Offset in F000 of the DPTE of `drive`, or null when it is not an IDE device (El Torito images). */
export function dpteOffset(drive: BiosDrive): number | null {
  if (!drive.ide || drive.emulated) return null;
  return DPTE_OFFSET + 16 * (drive.ide.channel * 2 + drive.ide.device);
}

/**
 * Diskette parameter table (IBM PC/AT Technical Reference, diskette BIOS "DISK_BASE"; Ralf Brown
 * table 01264): FDC specify bytes, motor-off delay, 512-byte sectors, the media's sectors per
 * track and gaps, fill byte F6h, head settle 15 ms, motor start 1 s.
 */
export function disketteParameterTable(fmt: FloppyFormat | null): Uint8Array {
  const spt = fmt?.spt ?? 18;
  return Uint8Array.of(0xaf, 0x02, 0x25, 0x02, spt, fmt?.gap ?? 0x1b, 0xff, fmt?.formatGap ?? 0x6c, 0xf6, 0x0f, 0x08);
}

export const DISKETTE_TABLE_OFFSET = RUNTIME_DISKETTE_PARAMS;

/**
 * Fixed disk parameter table (IBM PC/AT Technical Reference, "FD_TBL"; for translated drives the
 * Phoenix EDD 1.1 translated form, marked by A0h at offset 3, with the physical geometry).
 */
function fixedDiskParameterTable(d: BiosDrive): Uint8Array {
  const t = new Uint8Array(16);
  const dv = new DataView(t.buffer);
  const log = d.chs, phys = d.physical;
  const control = log.heads > 8 ? 0x08 : 0x00; // more than 8 heads
  if (phys.cylinders <= INT13_MAX_CYLINDERS && phys.heads === log.heads && phys.spt === log.spt) {
    dv.setUint16(0, log.cylinders, true);
    t[2] = log.heads;
    dv.setUint16(5, 0xffff, true); // no write precompensation
    t[8] = control;
    dv.setUint16(0x0c, log.cylinders, true); // landing zone
    t[0x0e] = log.spt;
    return t;
  }
  dv.setUint16(0, log.cylinders, true);
  t[2] = log.heads;
  t[3] = 0xa0; // translated table signature
  t[4] = phys.spt;
  dv.setUint16(5, 0xffff, true);
  t[8] = control;
  dv.setUint16(9, phys.cylinders, true);
  t[0x0b] = phys.heads;
  dv.setUint16(0x0c, phys.cylinders, true);
  t[0x0e] = log.spt;
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += t[i];
  t[15] = -sum & 0xff;
  return t;
}

/** EDD 3.0 section 4.7, device parameter table extension: the ATA/ATAPI register block of the drive. */
function dpte(d: BiosDrive): Uint8Array {
  const t = new Uint8Array(16);
  const dv = new DataView(t.buffer);
  const ch = d.ide!.channel, dev = d.ide!.device;
  const cd = d.kind === "cd";
  dv.setUint16(0, ch === 0 ? 0x1f0 : 0x170, true);
  dv.setUint16(2, ch === 0 ? 0x3f6 : 0x376, true);
  t[4] = 0xa0 | (dev << 4) | (cd ? 0 : 0x40); // device/head register prefix; LBA for ATA disks
  t[6] = ch === 0 ? 14 : 15;
  t[7] = 1; // one sector per PIO block
  // Option flags: bit 3 CHS translation, bit 4 LBA, bit 5 removable, bit 6 ATAPI, bits 9-10 translation type (01 LBA-assist).
  const translation = d.translation === Translation.Large ? 0x08 : d.translation === Translation.LbaAssist ? 0x08 | (1 << 9) : 0;
  const options = cd ? 0x60 : 0x10 | translation;
  dv.setUint16(0x0a, options, true);
  t[0x0e] = 0x11; // revision 1.1
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += t[i];
  t[15] = -sum & 0xff;
  return t;
}

function setVector(fw: BiosFirmware, v: number, seg: number, off: number): void {
  fw.host.mem.write(v * 4, Uint8Array.of(off & 0xff, off >>> 8, seg & 0xff, seg >>> 8));
}

/** Write the diskette parameter table for `fmt` (POST, and El Torito floppy emulation). */
export function writeDisketteTable(fw: BiosFirmware, fmt: FloppyFormat | null): void {
  const { host } = fw;
  host.shadowRom(BIOS_SEGMENT << 4, 0x10000, true);
  host.mem.write((BIOS_SEGMENT << 4) + DISKETTE_TABLE_OFFSET, disketteParameterTable(fmt));
  host.shadowRom(BIOS_SEGMENT << 4, 0x10000, false);
  setVector(fw, 0x1e, BIOS_SEGMENT, DISKETTE_TABLE_OFFSET);
}

/** POST: write the tables and point INT 1Eh/41h/46h at them. */
export function writeDiskTables(fw: BiosFirmware): void {
  const { host } = fw;
  const drives = listDrives(fw);
  const floppy = drives.find((d) => d.kind === "floppy");
  const fmt = floppy && "driveType" in floppy.chs ? (floppy.chs as FloppyFormat) : null;
  host.shadowRom(BIOS_SEGMENT << 4, 0x10000, true);
  const base = BIOS_SEGMENT << 4;
  host.mem.write(base + DISKETTE_TABLE_OFFSET, disketteParameterTable(fmt));
  const disks = drives.filter((d) => d.kind === "hd");
  disks.slice(0, 2).forEach((d, i) => host.mem.write(base + FDPT_OFFSET + 16 * i, fixedDiskParameterTable(d)));
  for (const d of drives) {
    const o = dpteOffset(d);
    if (o !== null) host.mem.write(base + o, dpte(d));
  }
  host.shadowRom(BIOS_SEGMENT << 4, 0x10000, false);
  setVector(fw, 0x1e, BIOS_SEGMENT, DISKETTE_TABLE_OFFSET);
  if (disks[0]) setVector(fw, 0x41, BIOS_SEGMENT, FDPT_OFFSET);
  if (disks[1]) setVector(fw, 0x46, BIOS_SEGMENT, FDPT_OFFSET + 16);
}
