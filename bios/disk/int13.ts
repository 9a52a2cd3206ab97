// INT 13h, the fixed disk and diskette services: the dispatcher and the CHS functions common to
// hard disks and floppies (IBM PC/AT Technical Reference, fixed disk and diskette BIOS listings;
// Ralf Brown's Interrupt List, INT 13h). The EDD extensions are in edd.ts, the floppy-only
// functions in floppy.ts, El Torito's AH=4Bh/4Dh in ../eltorito.ts.
import * as L from "../../asm/layout";
import { Service } from "../services";
import type { BiosFirmware } from "../firmware";
import type { ServiceContext } from "../context";
import { BDA_HD_COUNT } from "../bda";
import { findDrive, type BiosDrive } from "./drives";
import { readSectors, writeSectors, verifySectors, DiskStatus } from "./transfer";
import { finish, finishTransfer, statusAddress } from "./status";
import { eddFunction } from "./edd";
import { floppyFunction } from "./floppy";
import { cdromInt13, emulationStatus, initiateEmulation } from "../eltorito";

/** Decode the CHS address of AH=02h-05h (CH cylinder low, CL bits 6-7 cylinder high, CL bits 0-5 sector, DH head). */
export function chsToLba(ctx: ServiceContext, drive: BiosDrive): number | null {
  const cylinder = ctx.ch | ((ctx.cl & 0xc0) << 2);
  const sector = ctx.cl & 0x3f;
  const head = ctx.dh;
  const g = drive.chs;
  if (sector === 0 || sector > g.spt || head >= g.heads || cylinder >= Math.max(g.cylinders, 1)) return null;
  return (cylinder * g.heads + head) * g.spt + sector - 1;
}

/** AH=02h read, 03h write, 04h verify: AL sectors at CHS to/from ES:BX; AL = sectors done. */
function chsTransfer(ctx: ServiceContext, fw: BiosFirmware, drive: BiosDrive, ah: number): void {
  const count = ctx.al;
  // Fixed disks take 1-128 sectors (the controller's sector count register; 80h per IBM), floppies
  // up to the end of the cylinder.
  const max = drive.kind === "hd" ? 128 : drive.chs.spt * drive.chs.heads;
  if (count === 0 || count > max) {
    ctx.al = 0;
    finish(ctx, fw, DiskStatus.InvalidFunction);
    return;
  }
  const lba = chsToLba(ctx, drive);
  if (lba === null || lba + count > drive.sectors) {
    ctx.al = 0;
    finish(ctx, fw, DiskStatus.SectorNotFound);
    return;
  }
  const addr = ctx.lin(L.SEG_ES, ctx.bx);
  if (ah === 0x04) {
    const s = verifySectors(drive, lba, count);
    if (s !== DiskStatus.Ok) ctx.al = 0;
    finish(ctx, fw, s);
    return;
  }
  const r = ah === 0x02 ? readSectors(fw, drive, lba, count, addr) : writeSectors(fw, drive, lba, count, addr);
  if (r !== null && r.status !== DiskStatus.Ok) ctx.al = 0;
  finishTransfer(ctx, fw, r);
}

/** AH=08h for fixed disks: CH/CL maximum cylinder and sectors, DH maximum head, DL number of disks. */
function hardDiskParameters(ctx: ServiceContext, fw: BiosFirmware, drive: BiosDrive): void {
  const g = drive.chs;
  // The last cylinder is reported as not usable: the PC/AT reserved it for diagnostics, and
  // partitioning tools that read AH=08h (and QEMU+SeaBIOS) keep it that way.
  const maxCylinder = Math.min(1023, Math.max(0, g.cylinders - 2));
  ctx.ax = 0;
  ctx.ch = maxCylinder & 0xff;
  ctx.cl = ((maxCylinder >> 2) & 0xc0) | (g.spt & 0x3f);
  ctx.dh = g.heads - 1;
  ctx.dl = fw.host.mem.read(BDA_HD_COUNT, 1)[0];
  finish(ctx, fw, 0);
}

function int13(ctx: ServiceContext, fw: BiosFirmware): void {
  const ah = ctx.ah;
  const dl = ctx.dl;
  if (ah === 0x01) { // status of the last operation
    const s = fw.host.mem.read(statusAddress(dl), 1)[0];
    ctx.ah = s;
    ctx.setCF(s !== 0);
    return;
  }
  if (ah === 0x4b) {
    // El Torito AX=4B00h/4B01h name the emulated drive, or 7Fh for "any" (El Torito 1.0 5.2).
    emulationStatus(ctx, fw);
    return;
  }
  if (ah === 0x4a) {
    // El Torito "initiate disk emulation": the drive to create is in the caller's packet.
    initiateEmulation(ctx, fw);
    return;
  }
  const drive = findDrive(fw, dl);
  if (!drive) {
    finish(ctx, fw, DiskStatus.InvalidFunction); // no such drive (as SeaBIOS answers)
    return;
  }
  if (drive.kind === "cd") {
    cdromInt13(ctx, fw, drive);
    return;
  }
  if (ah === 0x4d) {
    // The boot catalog can be asked for through the emulated drive too (El Torito 1.0 section 5.2).
    cdromInt13(ctx, fw, drive);
    return;
  }
  if (ah >= 0x41 && ah <= 0x4e) {
    eddFunction(ctx, fw, drive);
    return;
  }
  switch (ah) {
    case 0x00: // reset
    case 0x0d: // alternate reset
      finish(ctx, fw, 0);
      return;
    case 0x02:
    case 0x03:
    case 0x04:
      chsTransfer(ctx, fw, drive, ah);
      return;
  }
  if (drive.kind === "floppy") {
    floppyFunction(ctx, fw, drive);
    return;
  }
  switch (ah) {
    case 0x08:
      hardDiskParameters(ctx, fw, drive);
      return;
    case 0x09: // initialise drive pair characteristics (from INT 41h/46h): nothing to program
    case 0x11: // recalibrate
    case 0x14: // controller internal diagnostic
      finish(ctx, fw, 0);
      return;
    case 0x10: // test drive ready
      finish(ctx, fw, drive.backend ? 0 : DiskStatus.NotReady);
      return;
    case 0x0c: { // seek to CH/CL cylinder, DH head
      const cylinder = ctx.ch | ((ctx.cl & 0xc0) << 2);
      finish(ctx, fw, cylinder < drive.chs.cylinders && ctx.dh < drive.chs.heads ? 0 : DiskStatus.SeekFailed);
      return;
    }
    case 0x15: { // drive type: AH=03h fixed disk, CX:DX = number of 512-byte sectors
      const g = drive.chs;
      // The count the CHS functions can reach, without the reserved last cylinder (as AH=08h).
      const sectors = Math.max(0, g.cylinders - 1) * g.heads * g.spt;
      finish(ctx, fw, 0);
      ctx.ah = 0x03;
      ctx.cx = sectors >>> 16;
      ctx.dx = sectors & 0xffff;
      return;
    }
  }
  finish(ctx, fw, DiskStatus.InvalidFunction);
}

export function installInt13(fw: BiosFirmware): void {
  fw.on(Service.Int13Disk, (ctx) => int13(ctx, fw));
}
