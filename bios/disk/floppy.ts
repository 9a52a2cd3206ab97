// INT 13h diskette-only functions (IBM PC/AT Technical Reference, diskette BIOS; Ralf Brown's
// Interrupt List INT 13h AH=05h/08h/15h-18h). Reads and writes are the common CHS path in
// int13.ts; the BIOS moves sectors between the image and memory directly, as a DMA transfer would.
import * as L from "../../asm/layout";
import type { BiosFirmware } from "../firmware";
import type { ServiceContext } from "../context";
import { BIOS_SEGMENT } from "../services";
import { BDA_EQUIPMENT } from "../bda";
import type { BiosDrive } from "./drives";
import { FLOPPY_FORMATS, type FloppyFormat } from "./geometry";
import { DiskStatus } from "./transfer";
import { finish } from "./status";
import { DISKETTE_TABLE_OFFSET } from "./tables";

function formatOf(drive: BiosDrive): FloppyFormat | null {
  return "driveType" in drive.chs ? (drive.chs as FloppyFormat) : null;
}

/** Number of diskette drives the equipment word reports (bits 6-7 + 1 when bit 0 is set). */
function floppyCount(fw: BiosFirmware): number {
  const b = fw.host.mem.read(BDA_EQUIPMENT, 1)[0];
  return b & 1 ? ((b >> 6) & 3) + 1 : 0;
}

function pointAtDisketteTable(ctx: ServiceContext): void {
  ctx.setSeg(L.SEG_ES, BIOS_SEGMENT);
  ctx.di = DISKETTE_TABLE_OFFSET;
}

/** AH=05h: format the track CH, head DH: its sectors get the parameter table's fill byte (F6h). */
function formatTrack(ctx: ServiceContext, fw: BiosFirmware, drive: BiosDrive): void {
  const g = drive.chs;
  const sectors = ctx.al || g.spt;
  if (!drive.backend) {
    finish(ctx, fw, DiskStatus.Timeout);
    return;
  }
  if (ctx.ch >= g.cylinders || ctx.dh >= g.heads || sectors > g.spt) {
    finish(ctx, fw, DiskStatus.SectorNotFound);
    return;
  }
  if (drive.readOnly) {
    finish(ctx, fw, DiskStatus.WriteProtected);
    return;
  }
  const offset = drive.base + (ctx.ch * g.heads + ctx.dh) * g.spt * 512;
  try {
    const r = drive.backend.write(offset, new Uint8Array(sectors * 512).fill(0xf6));
    // On an asynchronous backend the pattern lands in the background; later reads queue behind it.
    if (r instanceof Promise) r.catch((e: Error) => fw.host.log(`INT 13h: format write failed: ${e.message}`));
    finish(ctx, fw, 0);
  } catch (e) {
    fw.host.log(`INT 13h: format write failed: ${(e as Error).message}`);
    finish(ctx, fw, DiskStatus.ControllerFailure);
  }
}

/** Formats each drive type can write (AH=18h): its own and the lower densities of its size. */
const WRITABLE_TYPES: Record<number, number[]> = { 1: [1], 2: [1, 2], 3: [3], 4: [3, 4], 6: [3, 4, 6] };

export function floppyFunction(ctx: ServiceContext, fw: BiosFirmware, drive: BiosDrive): void {
  const fmt = formatOf(drive);
  switch (ctx.ah) {
    case 0x05:
      formatTrack(ctx, fw, drive);
      return;
    case 0x08: { // parameters: BL drive type, CH/CL max cylinder/sectors, DH max head, DL drives, ES:DI table
      const g = drive.chs;
      const maxCyl = g.cylinders - 1;
      finish(ctx, fw, 0);
      ctx.al = 0;
      ctx.bx = fmt?.driveType ?? 4;
      ctx.ch = maxCyl & 0xff;
      ctx.cl = ((maxCyl >> 2) & 0xc0) | g.spt;
      ctx.dh = g.heads - 1;
      ctx.dl = floppyCount(fw);
      pointAtDisketteTable(ctx);
      return;
    }
    case 0x15: // drive type: AH=01h, a diskette drive without change-line support (as SeaBIOS
      // answers): DOS then checks the medium itself, which stays right if the host swaps images.
      finish(ctx, fw, 0);
      ctx.ah = 0x01;
      return;
    case 0x16: // change line: without one (AH=15h), report "may have changed" (06h), as SeaBIOS does
      finish(ctx, fw, DiskStatus.MediaChanged);
      return;
    case 0x17: // set media type for format (AL: 1 320/360K, 2 360K in 1.2M, 3 1.2M, 4 720K): accepted
      finish(ctx, fw, ctx.al >= 1 && ctx.al <= 4 ? 0 : DiskStatus.InvalidFunction);
      return;
    case 0x18: { // set media type for format: CH/CL max track and sectors -> ES:DI table, or 0Ch
      const maxTrack = ctx.ch | ((ctx.cl & 0xc0) << 2);
      const spt = ctx.cl & 0x3f;
      const writable = WRITABLE_TYPES[fmt?.driveType ?? 4] ?? [];
      const ok = FLOPPY_FORMATS.some((f) => f.cylinders === maxTrack + 1 && f.spt === spt && f.heads === 2 && writable.includes(f.driveType));
      if (!ok) {
        finish(ctx, fw, DiskStatus.UnsupportedTrack);
        return;
      }
      pointAtDisketteTable(ctx);
      finish(ctx, fw, 0);
      return;
    }
  }
  finish(ctx, fw, DiskStatus.InvalidFunction);
}
