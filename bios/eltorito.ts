// El Torito CD-ROM boot ("El Torito" Bootable CD-ROM Format Specification 1.0, Phoenix/IBM 1995)
// and the INT 13h functions of the CD drive: the boot record volume descriptor at sector 17
// points to the boot catalog; its validation entry (header 01h, key 55AAh, word checksum 0) is
// followed by the initial/default entry, which says how to boot: no emulation (load N virtual
// 512-byte sectors at the load segment and jump there with DL = the CD's drive number), or a
// 1.2/1.44/2.88 MB floppy image or a hard-disk image that the BIOS then serves as drive 00h / 80h.
import * as L from "../asm/layout";
import { Service } from "./services";
import type { BiosFirmware } from "./firmware";
import type { ServiceContext } from "./context";
import { BDA_EQUIPMENT, BDA_HD_COUNT } from "./bda";
import { enterBootCode } from "./boot";
import { CD_DRIVE, findDrive, readEmulation, writeEmulation, type BiosDrive, type EmulationRecord } from "./disk/drives";
import { emulatedFloppyFormat, mbrGeometry, type Chs } from "./disk/geometry";
import { writeDisketteTable } from "./disk/tables";
import { finish, finishTransfer } from "./disk/status";
import { DiskStatus, readSectors } from "./disk/transfer";
import { eddFunction } from "./disk/edd";

const CD_SECTOR = 2048;
const BOOT_RECORD_LBA = 17;
const EL_TORITO_ID = "EL TORITO SPECIFICATION";

/**
 * Reads made while booting: a boot takes several reads, and with an asynchronous backend each
 * one may park the CPU; what already arrived is kept until the boot attempt ends, so the retry
 * after the next interrupt continues where it stopped.
 */
const bootReads = new WeakMap<BiosFirmware, Map<number, Uint8Array>>();

function bootRead(fw: BiosFirmware, offset: number, length: number): Uint8Array | null {
  let cache = bootReads.get(fw);
  if (!cache) bootReads.set(fw, (cache = new Map()));
  const key = offset * 65536 + length;
  const hit = cache.get(key);
  if (hit) return hit;
  const data = fw.diskReader.read(fw.host.drives.cdrom!, offset, length);
  if (data) cache.set(key, data);
  return data;
}

function r8(fw: BiosFirmware, a: number): number {
  return fw.host.mem.read(a, 1)[0];
}
function w8(fw: BiosFirmware, a: number, v: number): void {
  fw.host.mem.write(a, Uint8Array.of(v));
}
function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** The boot entry the BIOS uses: the initial/default entry after a valid validation entry. */
interface BootEntry {
  catalogLba: number;
  mediaType: number;
  loadSegment: number;
  sectorCount: number;
  imageLba: number;
}

/** Parse the boot record and catalog; a string says why the disc can't boot. */
export function parseBootCatalog(bootRecord: Uint8Array, catalog: (lba: number) => Uint8Array | null): BootEntry | string | null {
  const id = String.fromCharCode(...bootRecord.subarray(1, 6));
  const system = String.fromCharCode(...bootRecord.subarray(7, 7 + 32)).replace(/\0+$/, "");
  if (bootRecord[0] !== 0 || id !== "CD001" || bootRecord[6] !== 1 || system !== EL_TORITO_ID) return "no El Torito boot record";
  const catalogLba = u32(bootRecord, 0x47);
  const c = catalog(catalogLba);
  if (!c) return null;
  let sum = 0;
  for (let i = 0; i < 32; i += 2) sum = (sum + u16(c, i)) & 0xffff;
  if (c[0] !== 0x01 || c[0x1e] !== 0x55 || c[0x1f] !== 0xaa || sum !== 0) return "El Torito validation entry is invalid";
  if (c[0x20] !== 0x88) return "El Torito default entry is not bootable";
  return {
    catalogLba,
    mediaType: c[0x21] & 0x0f,
    loadSegment: u16(c, 0x22) || 0x07c0,
    sectorCount: u16(c, 0x26),
    imageLba: u32(c, 0x28),
  };
}

function cdBoot(fw: BiosFirmware): boolean | null {
  const cd = fw.host.drives.cdrom;
  if (!cd) {
    fw.host.log("CD-ROM: no disc in the drive");
    return false;
  }
  if (cd.byteLength < (BOOT_RECORD_LBA + 1) * CD_SECTOR) {
    fw.host.log("CD-ROM: no El Torito boot record (the disc is too small)");
    return false;
  }
  const vd = bootRead(fw, BOOT_RECORD_LBA * CD_SECTOR, CD_SECTOR);
  if (!vd) return null;
  const entry = parseBootCatalog(vd, (lba) => (lba * CD_SECTOR + CD_SECTOR <= cd.byteLength ? bootRead(fw, lba * CD_SECTOR, CD_SECTOR) : new Uint8Array(CD_SECTOR)));
  if (entry === null) return null;
  if (typeof entry === "string") {
    fw.host.log(`CD-ROM: ${entry}`);
    return false;
  }
  const imageOffset = entry.imageLba * CD_SECTOR;
  // A count of 0 makes no sense; load the one sector every boot image starts with.
  const loadBytes = Math.max(1, entry.sectorCount) * 512;
  if (imageOffset + loadBytes > cd.byteLength) {
    fw.host.log(`CD-ROM: El Torito boot image (LBA ${entry.imageLba}, ${entry.sectorCount} sectors) lies outside the disc`);
    return false;
  }
  if ((entry.loadSegment << 4) + loadBytes > 0xa0000) {
    fw.host.log(`CD-ROM: El Torito boot image (${entry.sectorCount} sectors at ${entry.loadSegment.toString(16)}:0000) does not fit below 640 KiB`);
    return false;
  }
  let chs: Chs = { cylinders: 0, heads: 0, spt: 0 };
  let drive = CD_DRIVE;
  if (entry.mediaType >= 1 && entry.mediaType <= 3) {
    chs = emulatedFloppyFormat(entry.mediaType)!;
    drive = 0x00;
  } else if (entry.mediaType === 4) {
    const mbr = bootRead(fw, imageOffset, 512);
    if (!mbr) return null;
    const g = mbrGeometry(mbr);
    if (!g) {
      fw.host.log("CD-ROM: El Torito hard disk image has no partition table");
      return false;
    }
    chs = g;
    drive = 0x80;
  } else if (entry.mediaType !== 0) {
    fw.host.log(`CD-ROM: El Torito boot media type ${entry.mediaType} is not defined`);
    return false;
  }
  const image = bootRead(fw, imageOffset, loadBytes);
  if (!image) return null;
  bootReads.delete(fw);

  const record: EmulationRecord = {
    booted: true, mediaType: entry.mediaType, drive, active: entry.mediaType !== 0,
    imageLba: entry.imageLba, loadSegment: entry.loadSegment, sectorCount: entry.sectorCount, chs, catalogLba: entry.catalogLba,
  };
  writeEmulation(fw, record);
  if (record.active) adjustDriveCounts(fw, record, +1);
  if (drive === 0x00) writeDisketteTable(fw, emulatedFloppyFormat(entry.mediaType));
  fw.host.mem.write(entry.loadSegment << 4, image);
  const kind = ["no emulation", "1.2 MB floppy emulation", "1.44 MB floppy emulation", "2.88 MB floppy emulation", "hard disk emulation"][entry.mediaType];
  fw.host.log(`CD-ROM: El Torito ${kind}, ${entry.sectorCount} sectors at ${entry.loadSegment.toString(16)}:0000, drive 0x${drive.toString(16)}`);
  enterBootCode(fw, entry.loadSegment, 0, drive);
  return true;
}

/** An emulated drive appears in (or leaves) the BDA's fixed disk count or the equipment word's diskette count. */
function adjustDriveCounts(fw: BiosFirmware, r: EmulationRecord, delta: 1 | -1): void {
  if (r.drive >= 0x80) {
    w8(fw, BDA_HD_COUNT, Math.max(0, r8(fw, BDA_HD_COUNT) + delta));
    return;
  }
  const eq = r8(fw, BDA_EQUIPMENT);
  const n = Math.max(0, (eq & 1 ? ((eq >> 6) & 3) + 1 : 0) + delta);
  w8(fw, BDA_EQUIPMENT, (eq & 0x3e) | (n > 0 ? 1 | (Math.min(n - 1, 3) << 6) : 0));
}

/** The specification packet (El Torito 1.0 section 5.2, table 13): 13h bytes at DS:SI. */
function writeSpecPacket(ctx: ServiceContext, fw: BiosFirmware, r: EmulationRecord): void {
  const p = new Uint8Array(0x13);
  const dv = new DataView(p.buffer);
  p[0] = 0x13;
  p[1] = r.mediaType;
  p[2] = r.drive;
  p[3] = 1; // controller index: the secondary IDE channel
  dv.setUint32(4, r.imageLba, true);
  dv.setUint16(8, 0, true); // device specification: IDE master
  dv.setUint16(0x0a, 0, true); // no user buffer
  dv.setUint16(0x0c, r.loadSegment, true);
  dv.setUint16(0x0e, r.sectorCount, true);
  // Geometry in the register format of INT 13h AH=08h (CH, CL, DH: maximum cylinder and head
  // numbers, sectors per track), as the table describes it and SeaBIOS fills it; zero without emulation.
  const maxCylinder = Math.max(0, r.chs.cylinders - 1), maxHead = Math.max(0, r.chs.heads - 1);
  p[0x10] = maxCylinder & 0xff;
  p[0x11] = ((maxCylinder >> 2) & 0xc0) | (r.chs.spt & 0x3f);
  p[0x12] = maxHead;
  fw.host.mem.write(ctx.lin(L.SEG_DS, ctx.si), p);
}

/** AH=4Bh: AL=00h terminate disk emulation, AL=01h get status (El Torito 1.0 section 5.2). */
export function emulationStatus(ctx: ServiceContext, fw: BiosFirmware): void {
  const r = readEmulation(fw);
  const al = ctx.al;
  // Valid after a CD boot, for as long as the emulation runs (no-emulation boots always answer).
  if (al > 0x01 || !r.booted || (r.mediaType !== 0 && !r.active)) {
    finish(ctx, fw, DiskStatus.InvalidFunction);
    return;
  }
  // The packet describes the boot drive: asked for by its number (or 7Fh, "any", to terminate).
  if (ctx.dl !== r.drive && !(al === 0x00 && ctx.dl === 0x7f)) {
    finish(ctx, fw, DiskStatus.InvalidFunction);
    return;
  }
  writeSpecPacket(ctx, fw, r);
  if (al === 0x00 && r.active) {
    writeEmulation(fw, { ...r, active: false });
    adjustDriveCounts(fw, r, -1);
  }
  finish(ctx, fw, 0);
}

/**
 * AH=4Ah: initiate disk emulation from the packet at DS:SI (El Torito 1.0 section 5.1; the same
 * layout as the AH=4Bh packet): media type 1-3 (floppy, becomes 00h) or 4 (hard disk, becomes 80h,
 * geometry from the image's MBR) of the image at the packet's LBA. Only one emulation at a time.
 */
export function initiateEmulation(ctx: ServiceContext, fw: BiosFirmware): void {
  const cd = fw.host.drives.cdrom;
  const p = fw.host.mem.read(ctx.lin(L.SEG_DS, ctx.si), 0x13);
  const mediaType = p[1] & 0x0f;
  const imageLba = u32(p, 4);
  const current = readEmulation(fw);
  if (!cd || p[0] < 0x13 || mediaType < 1 || mediaType > 4 || (current.booted && current.active) || imageLba * CD_SECTOR >= cd.byteLength) {
    finish(ctx, fw, DiskStatus.InvalidFunction);
    return;
  }
  let chs: Chs;
  if (mediaType === 4) {
    let mbr: Uint8Array | null;
    try {
      mbr = fw.diskReader.read(cd, imageLba * CD_SECTOR, 512);
    } catch {
      finish(ctx, fw, DiskStatus.ControllerFailure);
      return;
    }
    if (!mbr) {
      fw.block(Service.Int13Disk);
      return;
    }
    const g = mbrGeometry(mbr);
    if (!g) {
      finish(ctx, fw, DiskStatus.InvalidFunction);
      return;
    }
    chs = g;
  } else {
    chs = emulatedFloppyFormat(mediaType)!;
  }
  const record: EmulationRecord = {
    booted: true, mediaType, drive: mediaType === 4 ? 0x80 : 0x00, active: true, imageLba,
    loadSegment: u16(p, 0x0c), sectorCount: u16(p, 0x0e), chs, catalogLba: current.catalogLba,
  };
  writeEmulation(fw, record);
  adjustDriveCounts(fw, record, +1);
  if (record.drive === 0x00) writeDisketteTable(fw, emulatedFloppyFormat(mediaType));
  finish(ctx, fw, 0);
}

/** AH=4Dh: read boot catalog sectors; DS:SI command packet {size 08h, count, buffer seg:off, first sector}. */
function returnBootCatalog(ctx: ServiceContext, fw: BiosFirmware, cdDrive: BiosDrive | null): void {
  const r = readEmulation(fw);
  const at = ctx.lin(L.SEG_DS, ctx.si);
  const p = fw.host.mem.read(at, 8);
  if (!r.booted || r.catalogLba === 0 || !cdDrive || p[0] < 8) {
    finish(ctx, fw, DiskStatus.InvalidFunction);
    return;
  }
  const buffer = (u16(p, 4) << 4) + u16(p, 2);
  finishTransfer(ctx, fw, readSectors(fw, cdDrive, r.catalogLba + u16(p, 6), p[1], buffer));
}

/** INT 13h for the CD drive (E0h), and AH=4Dh for whichever drive the caller names (AH=4Bh: emulationStatus). */
export function cdromInt13(ctx: ServiceContext, fw: BiosFirmware, drive: BiosDrive): void {
  const ah = ctx.ah;
  if (ah === 0x4d) {
    returnBootCatalog(ctx, fw, findDrive(fw, CD_DRIVE));
    return;
  }
  if (ah >= 0x41 && ah <= 0x4e) {
    eddFunction(ctx, fw, drive);
    return;
  }
  switch (ah) {
    case 0x00: // reset
    case 0x0d:
    case 0x11:
      finish(ctx, fw, 0);
      return;
    case 0x10: // ready?
      finish(ctx, fw, drive.backend ? 0 : DiskStatus.NotReady);
      return;
    case 0x03:
    case 0x05:
      finish(ctx, fw, DiskStatus.WriteProtected);
      return;
    case 0x15: // type: AH=01h, as SeaBIOS answers for its CD drives (no fixed-disk sector count to give)
      finish(ctx, fw, 0);
      ctx.ah = 0x01;
      return;
    case 0x16: // change line: no change
      finish(ctx, fw, 0);
      return;
  }
  // CHS functions (02h, 04h, 08h...) have no meaning for 2048-byte sectors without emulation.
  finish(ctx, fw, DiskStatus.InvalidFunction);
}

export function installElTorito(fw: BiosFirmware): void {
  fw.cdBoot = () => {
    const r = cdBoot(fw);
    if (r !== null) bootReads.delete(fw);
    return r;
  };
}
