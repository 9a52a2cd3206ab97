// INT 13h extensions (Phoenix "BIOS Enhanced Disk Drive Specification" 3.0, sections 3-4): AH=41h
// installation check, 42h/43h/44h extended read/write/verify through a disk address packet, 47h
// seek, 48h drive parameters with the EDD 3.0 device path, 45h/46h/49h/4Eh for removable media.
// Hard disks and the CD-ROM (2048-byte sectors) have them; diskettes do not (AH=01h, as on IBM).
import * as L from "../../asm/layout";
import type { BiosFirmware } from "../firmware";
import type { ServiceContext } from "../context";
import { BIOS_SEGMENT } from "../services";
import type { BiosDrive } from "./drives";
import { readSectors, writeSectors, verifySectors, DiskStatus } from "./transfer";
import { finish, finishTransfer } from "./status";
import { dpteOffset } from "./tables";

/** EDD version in AH of AH=41h: 30h = EDD 3.0. */
const EDD_VERSION = 0x30;
/** AH=41h CX: bit 0 fixed disk access (42h-44h, 47h, 48h), bit 1 drive locking/ejecting (45h, 46h, 48h, 49h, 4Eh), bit 2 EDD support (48h with DPTE). */
const EDD_SUBSETS = 0x0007;
/** The largest block count a disk address packet may carry (EDD 3.0 section 4.1: 7Fh). */
const MAX_BLOCKS = 0x7f;

interface AddressPacket {
  count: number;
  /** Physical address of the buffer. */
  buffer: number;
  lba: number;
  /** Linear address of the packet, to write the count back. */
  at: number;
}

function readPacket(ctx: ServiceContext, fw: BiosFirmware): AddressPacket | null {
  const at = ctx.lin(L.SEG_DS, ctx.si);
  const p = fw.host.mem.read(at, 0x18);
  const dv = new DataView(p.buffer, p.byteOffset);
  const size = p[0];
  if (size < 0x10) return null;
  const off = dv.getUint16(4, true), seg = dv.getUint16(6, true);
  let buffer = ((seg << 4) + off) >>> 0;
  // FFFF:FFFF with a packet of 18h bytes or more: the 64-bit flat address at offset 10h is used.
  if (off === 0xffff && seg === 0xffff) {
    if (size < 0x18) return null;
    const flat = dv.getBigUint64(0x10, true);
    if (flat > 0xffffffffn) return null;
    buffer = Number(flat);
  }
  const lba = dv.getBigUint64(8, true);
  if (lba > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return { count: dv.getUint16(2, true), buffer, lba: Number(lba), at };
}

function writeCount(fw: BiosFirmware, p: AddressPacket, n: number): void {
  fw.host.mem.write(p.at + 2, Uint8Array.of(n & 0xff, n >>> 8));
}

/** AH=42h/43h/44h/47h through the packet at DS:SI. */
function packetFunction(ctx: ServiceContext, fw: BiosFirmware, drive: BiosDrive, ah: number): void {
  const p = readPacket(ctx, fw);
  if (!p || p.count > MAX_BLOCKS) {
    if (p) writeCount(fw, p, 0);
    finish(ctx, fw, DiskStatus.InvalidFunction);
    return;
  }
  if (!drive.backend) {
    writeCount(fw, p, 0);
    finish(ctx, fw, DiskStatus.NotReady);
    return;
  }
  if (p.lba + p.count > drive.sectors || (ah === 0x47 && p.lba >= drive.sectors)) {
    writeCount(fw, p, 0);
    finish(ctx, fw, DiskStatus.SectorNotFound);
    return;
  }
  if (ah === 0x47) {
    finish(ctx, fw, 0);
    return;
  }
  if (ah === 0x44) {
    const s = verifySectors(drive, p.lba, p.count);
    if (s !== DiskStatus.Ok) writeCount(fw, p, 0);
    finish(ctx, fw, s);
    return;
  }
  // AH=43h: AL 00h/01h write without verify, 02h with verify (the image needs none).
  if (ah === 0x43 && ctx.al > 0x02) {
    writeCount(fw, p, 0);
    finish(ctx, fw, DiskStatus.InvalidFunction);
    return;
  }
  const r = ah === 0x42 ? readSectors(fw, drive, p.lba, p.count, p.buffer) : writeSectors(fw, drive, p.lba, p.count, p.buffer);
  if (r !== null && r.status !== DiskStatus.Ok) writeCount(fw, p, 0);
  finishTransfer(ctx, fw, r);
}

function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}
function put32(b: Uint8Array, o: number, v: number): void {
  put16(b, o, v & 0xffff);
  put16(b, o + 2, v >>> 16);
}
function ascii(b: Uint8Array, o: number, s: string): void {
  for (let i = 0; i < s.length; i++) b[o + i] = s.charCodeAt(i);
}

/**
 * AH=48h: the result buffer at DS:SI (EDD 3.0 section 4.6). The caller sets its size at offset 0:
 * at least 1Ah bytes (EDD 1.1), 1Eh adds the DPTE pointer (2.0), 42h the device path (3.0). We
 * fill as much as fits and return the size written.
 */
function driveParameters(ctx: ServiceContext, fw: BiosFirmware, drive: BiosDrive): void {
  const at = ctx.lin(L.SEG_DS, ctx.si);
  const given = fw.host.mem.read(at, 2);
  const size = given[0] | (given[1] << 8);
  if (size < 0x1a) {
    finish(ctx, fw, DiskStatus.InvalidFunction);
    return;
  }
  const b = new Uint8Array(0x42);
  const cd = drive.kind === "cd";
  // Info flags: bit 1 CHS information valid, which it is while the default ATA geometry (16383
  // cylinders at most) covers the disk (as SeaBIOS reports for QEMU disks); removable media (CD):
  // bit 2 removable, bit 4 change line, bit 5 lockable, bit 6 CHS set to maxima (no geometry).
  const flags = cd ? 0x74 : drive.sectors <= 16383 * 16 * 63 ? 0x02 : 0x00;
  put16(b, 2, flags);
  if (cd) {
    put32(b, 4, 0xffffffff);
    put32(b, 8, 0xffffffff);
    put32(b, 0x0c, 0xffffffff);
  } else {
    put32(b, 4, drive.physical.cylinders);
    put32(b, 8, drive.physical.heads);
    put32(b, 0x0c, drive.physical.spt);
  }
  put32(b, 0x10, drive.sectors);
  put32(b, 0x14, Math.floor(drive.sectors / 2 ** 32));
  put16(b, 0x18, drive.sectorSize);
  let written = 0x1a;
  if (size >= 0x1e) {
    const dpte = dpteOffset(drive);
    // The DPTE pointer (seg:off); FFFF:FFFF when the drive has no ATA interface (emulated images).
    put16(b, 0x1a, dpte === null ? 0xffff : dpte);
    put16(b, 0x1c, dpte === null ? 0xffff : BIOS_SEGMENT);
    written = 0x1e;
  }
  if (size >= 0x42 && drive.ide) {
    // EDD 3.0 device path: key BEDDh, path length 24h (1Eh-41h), host bus "PCI " with the
    // PIIX IDE function 00:01.1, interface "ATA"/"ATAPI", device 0/1 on its channel. The checksum
    // makes bytes 1Eh-41h sum to zero.
    put16(b, 0x1e, 0xbedd);
    b[0x20] = 0x24;
    ascii(b, 0x24, "PCI ");
    ascii(b, 0x28, (cd ? "ATAPI" : "ATA").padEnd(8, " "));
    b[0x30] = 0; // bus
    b[0x31] = 1; // device (slot)
    b[0x32] = 1; // function
    b[0x38] = drive.ide.device;
    let sum = 0;
    for (let i = 0x1e; i < 0x41; i++) sum += b[i];
    b[0x41] = -sum & 0xff;
    written = 0x42;
  }
  put16(b, 0, written);
  fw.host.mem.write(at, b.subarray(0, written));
  finish(ctx, fw, 0);
}

export function eddFunction(ctx: ServiceContext, fw: BiosFirmware, drive: BiosDrive): void {
  const ah = ctx.ah;
  if (drive.kind === "floppy") {
    finish(ctx, fw, DiskStatus.InvalidFunction);
    return;
  }
  switch (ah) {
    case 0x41:
      if (ctx.bx !== 0x55aa) break;
      finish(ctx, fw, 0);
      ctx.ah = EDD_VERSION;
      ctx.bx = 0xaa55;
      ctx.cx = EDD_SUBSETS;
      return;
    case 0x42:
    case 0x43:
    case 0x44:
    case 0x47:
      packetFunction(ctx, fw, drive, ah);
      return;
    case 0x48:
      driveParameters(ctx, fw, drive);
      return;
    case 0x45: // lock/unlock (AL 00h/01h) or status (02h): media are never locked in place here
      if (ctx.al > 0x02) break;
      finish(ctx, fw, 0);
      ctx.al = 0;
      return;
    case 0x46: // eject: fixed disks are not removable (B2h); the CD stays in the drive (B1h: locked)
      finish(ctx, fw, drive.kind === "cd" ? 0xb1 : 0xb2);
      return;
    case 0x49: // extended media change: no change
      finish(ctx, fw, 0);
      return;
    case 0x4e: // set hardware configuration (prefetch, DMA/PIO modes): accepted, nothing to set
      finish(ctx, fw, 0);
      ctx.al = 0;
      return;
  }
  finish(ctx, fw, DiskStatus.InvalidFunction);
}
