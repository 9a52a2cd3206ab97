// The BIOS drive numbers and what is behind them. Derived on every INT 13h call from the
// machine's drives and the El Torito emulation record, which lives in the EBDA (guest memory), so a
// snapshot carries it with no firmware state of its own.
//
// Numbering (IBM PC/AT; El Torito 1.0 section 5): floppies 00h.., hard disks 80h.. in the order of
// the IDE positions that hold a disk, the CD-ROM at E0h (the number SeaBIOS gives its first CD, and
// the one no-emulation boot images receive in DL). An El Torito floppy emulation image becomes
// drive 00h and real floppies move up by one; a hard-disk emulation image becomes 80h and real
// disks move up by one.
import type { BlockBackend } from "../../src/machine/block";
import type { BiosFirmware } from "../firmware";
import { EBDA_SEGMENT } from "../bda";
import { hardDiskGeometry, floppyFormat, emulatedFloppyFormat, Translation, type Chs, type HardDiskGeometry } from "./geometry";

export const CD_DRIVE = 0xe0;

export type DriveKind = "floppy" | "hd" | "cd";

export interface BiosDrive {
  number: number;
  kind: DriveKind;
  /** The medium, or null for a CD drive without a disc. */
  backend: BlockBackend | null;
  /** Byte offset of this drive's first sector in the backend (non-zero for El Torito images). */
  base: number;
  sectorSize: number;
  sectors: number;
  /** Geometry for CHS functions (INT 13h AH=02h-05h, 08h). */
  chs: Chs;
  /** Geometry reported as "physical" by AH=48h. */
  physical: Chs;
  readOnly: boolean;
  /** Set for an El Torito emulated drive. */
  emulated: boolean;
  /** IDE position (channel 0/1, device 0/1), for the EDD DPTE and device path; null if none. */
  ide: { channel: number; device: number } | null;
  /** How `chs` derives from `physical` (fixed disks). */
  translation: Translation;
}

// ---- Fixed disk geometry, chosen once per boot from the disk's MBR (prepare.ts) ----
// EBDA offset 0x220, 12 bytes per IDE position (channel * 2 + device): +00 u16 cylinders, +02 u8
// heads, +03 u8 sectors of the INT 13h geometry, +04 u16/+06 u8/+07 u8 the physical one, +08
// translation + 1 (0: not chosen yet).
const GEOMETRY_TABLE = (EBDA_SEGMENT << 4) + 0x220;
const GEOMETRY_ENTRY = 12;

export function chosenGeometry(fw: BiosFirmware, position: number): HardDiskGeometry | null {
  const b = fw.host.mem.read(GEOMETRY_TABLE + position * GEOMETRY_ENTRY, GEOMETRY_ENTRY);
  if (b[8] === 0) return null;
  return {
    chs: { cylinders: b[0] | (b[1] << 8), heads: b[2], spt: b[3] },
    physical: { cylinders: b[4] | (b[5] << 8), heads: b[6], spt: b[7] },
    translation: (b[8] - 1) as Translation,
  };
}

export function chooseGeometry(fw: BiosFirmware, position: number, g: HardDiskGeometry): void {
  const b = Uint8Array.of(
    g.chs.cylinders & 0xff, g.chs.cylinders >> 8, g.chs.heads, g.chs.spt,
    g.physical.cylinders & 0xff, g.physical.cylinders >> 8, g.physical.heads, g.physical.spt,
    g.translation + 1, 0, 0, 0,
  );
  fw.host.mem.write(GEOMETRY_TABLE + position * GEOMETRY_ENTRY, b);
}

// ---- El Torito emulation record (EBDA offset 0x200, 20 bytes) ----
// +00 u8 1 when a CD boot happened (the record is valid), +01 media type (El Torito boot media:
// 0 none, 1-3 floppy, 4 hard disk), +02 emulated drive number, +03 emulation active (0 after
// INT 13h AX=4B00h terminated it), +04 u32 image LBA (2048-byte CD sectors), +08 u16 load
// segment, +0A u16 sector count, +0C u16 cylinders, +0E u8 heads, +0F u8 sectors per track,
// +10 u32 boot catalog LBA (for AH=4Dh).
export const EMU_RECORD = (EBDA_SEGMENT << 4) + 0x200;

export interface EmulationRecord {
  booted: boolean;
  mediaType: number;
  drive: number;
  active: boolean;
  imageLba: number;
  loadSegment: number;
  sectorCount: number;
  chs: Chs;
  catalogLba: number;
}

const EMU_RECORD_SIZE = 20;

export function readEmulation(fw: BiosFirmware): EmulationRecord {
  const b = fw.host.mem.read(EMU_RECORD, EMU_RECORD_SIZE);
  const dv = new DataView(b.buffer, b.byteOffset);
  return {
    booted: b[0] === 1, mediaType: b[1], drive: b[2], active: b[3] === 1,
    imageLba: dv.getUint32(4, true), loadSegment: dv.getUint16(8, true), sectorCount: dv.getUint16(10, true),
    chs: { cylinders: dv.getUint16(12, true), heads: b[14], spt: b[15] }, catalogLba: dv.getUint32(16, true),
  };
}

export function writeEmulation(fw: BiosFirmware, r: EmulationRecord): void {
  const b = new Uint8Array(EMU_RECORD_SIZE);
  const dv = new DataView(b.buffer);
  b[0] = r.booted ? 1 : 0;
  b[1] = r.mediaType;
  b[2] = r.drive;
  b[3] = r.active ? 1 : 0;
  dv.setUint32(4, r.imageLba, true);
  dv.setUint16(8, r.loadSegment, true);
  dv.setUint16(10, r.sectorCount, true);
  dv.setUint16(12, r.chs.cylinders, true);
  b[14] = r.chs.heads;
  b[15] = r.chs.spt;
  dv.setUint32(16, r.catalogLba, true);
  fw.host.mem.write(EMU_RECORD, b);
}

export function clearEmulation(fw: BiosFirmware): void {
  fw.host.mem.write(EMU_RECORD, new Uint8Array(EMU_RECORD_SIZE));
}

function floppyDrive(number: number, backend: BlockBackend): BiosDrive {
  const fmt = floppyFormat(backend.byteLength);
  // An image of no standard size still works by LBA; CHS uses the 1.44 MB layout over it.
  const chs = fmt ?? { cylinders: Math.max(1, Math.ceil(backend.byteLength / (2 * 18 * 512))), heads: 2, spt: 18 };
  return {
    number, kind: "floppy", backend, base: 0, sectorSize: 512, sectors: Math.floor(backend.byteLength / 512),
    chs, physical: chs, readOnly: backend.readOnly, emulated: false, ide: null, translation: Translation.None,
  };
}

function hardDrive(fw: BiosFirmware, number: number, backend: BlockBackend, ide: { channel: number; device: number }): BiosDrive {
  const sectors = Math.floor(backend.byteLength / 512);
  // Until INT 19h has read the MBR (prepare.ts), the geometry follows from the size alone.
  const g = chosenGeometry(fw, ide.channel * 2 + ide.device) ?? hardDiskGeometry(sectors, null);
  return {
    number, kind: "hd", backend, base: 0, sectorSize: 512, sectors,
    chs: g.chs, physical: g.physical, translation: g.translation,
    readOnly: backend.readOnly, emulated: false, ide,
  };
}

/** All BIOS drives of the machine as the guest sees them now. */
export function listDrives(fw: BiosFirmware): BiosDrive[] {
  const { floppies, disks, cdrom } = fw.host.drives;
  const emu = readEmulation(fw);
  const emulating = emu.booted && emu.active && emu.mediaType >= 1 && emu.mediaType <= 4 && cdrom !== null;
  const out: BiosDrive[] = [];
  let nextFloppy = 0;
  let nextDisk = 0x80;
  if (emulating && emu.mediaType <= 3) {
    const fmt = emulatedFloppyFormat(emu.mediaType)!;
    out.push({
      number: nextFloppy++, kind: "floppy", backend: cdrom, base: emu.imageLba * 2048, sectorSize: 512,
      sectors: fmt.bytes / 512, chs: fmt, physical: fmt, readOnly: true, emulated: true, ide: null,
      translation: Translation.None,
    });
  } else if (emulating) {
    const chs = emu.chs;
    const sectors = chs.cylinders * chs.heads * chs.spt;
    out.push({
      number: nextDisk++, kind: "hd", backend: cdrom, base: emu.imageLba * 2048, sectorSize: 512,
      sectors: Math.min(sectors, Math.floor((cdrom!.byteLength - emu.imageLba * 2048) / 512)),
      chs, physical: chs, readOnly: true, emulated: true, ide: null, translation: Translation.None,
    });
  }
  for (const f of floppies) if (f) out.push(floppyDrive(nextFloppy++, f));
  disks.forEach((d, i) => {
    if (d) out.push(hardDrive(fw, nextDisk++, d, { channel: 0, device: i }));
  });
  // The CD drive exists (the PC always has its ATAPI drive on the secondary master) with or without a disc.
  out.push({
    number: CD_DRIVE, kind: "cd", backend: cdrom, base: 0, sectorSize: 2048,
    sectors: cdrom ? Math.floor(cdrom.byteLength / 2048) : 0,
    chs: { cylinders: 0, heads: 0, spt: 0 }, physical: { cylinders: 0, heads: 0, spt: 0 },
    readOnly: true, emulated: false, ide: { channel: 1, device: 0 }, translation: Translation.None,
  });
  return out;
}

export function findDrive(fw: BiosFirmware, number: number): BiosDrive | null {
  return listDrives(fw).find((d) => d.number === number) ?? null;
}
