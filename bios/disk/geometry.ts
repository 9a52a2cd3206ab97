// CHS geometries the BIOS reports for its drives. Nothing here reads a disk: geometry is a pure
// function of the image size (and, for an El Torito hard-disk image, of its partition table).
//
// Hard disks: the "physical" geometry is the one an IDE disk reports in IDENTIFY words 1/3/6
// (by default 16 heads, 63 sectors, size / 1008 cylinders, 2..16383), and the INT 13h geometry is
// the BIOS translation of it: none while it fits the INT 13h limit of 1024 cylinders, else "large"
// (bit-shift) or "LBA-assist" (Phoenix EDD 3.0 annex: 63 sectors, heads the smallest of
// 16/32/64/128/255 that brings the cylinders to 1024). DOS fdisk, SYSLINUX's and GRUB's CHS
// fallbacks use the geometry INT 13h AH=08h reports, so it must be the one QEMU + SeaBIOS give for
// the same image (hardDiskGeometry).

export interface Chs {
  cylinders: number;
  heads: number;
  spt: number;
}

/** INT 13h can address at most 1024 cylinders, 255 heads (256 with some BIOSes), 63 sectors. */
export const INT13_MAX_CYLINDERS = 1024;

/** The geometry an ATA disk of `sectors` 512-byte sectors reports in IDENTIFY (ATA-1 default translation). */
export function ataPhysicalGeometry(sectors: number): Chs {
  const cylinders = Math.min(16383, Math.max(2, Math.floor(sectors / (16 * 63))));
  return { cylinders, heads: 16, spt: 63 };
}

/** How the BIOS maps the physical geometry to the INT 13h one. */
export const enum Translation {
  /** INT 13h geometry = physical geometry (cylinders capped at 1024). */
  None,
  /** "Large" (bit-shift, ECHS): halve the cylinders and double the heads until they fit. */
  Large,
  /** LBA-assist: 63 sectors, heads from the capacity. */
  LbaAssist,
}

export interface HardDiskGeometry {
  physical: Chs;
  chs: Chs;
  translation: Translation;
}

/**
 * The geometry a partitioned disk was laid out with, from its MBR: the first used entry whose end
 * CHS gives heads and sectors and a cylinder count of 1-16383 over the whole disk. This is how
 * QEMU picks the geometry its IDE disks report (and SeaBIOS then translates).
 */
function mbrLayoutGeometry(mbr: Uint8Array, sectors: number): Chs | null {
  if (mbr.length < 512 || mbr[510] !== 0x55 || mbr[511] !== 0xaa) return null;
  for (let i = 0; i < 4; i++) {
    const e = 0x1be + 16 * i;
    const count = (mbr[e + 12] | (mbr[e + 13] << 8) | (mbr[e + 14] << 16) | (mbr[e + 15] << 24)) >>> 0;
    const endHead = mbr[e + 5];
    if (count === 0 || endHead === 0) continue;
    const heads = endHead + 1;
    const spt = mbr[e + 6] & 0x3f;
    if (spt === 0) continue;
    const cylinders = Math.floor(sectors / (heads * spt));
    if (cylinders < 1 || cylinders > 16383) continue;
    return { cylinders, heads, spt };
  }
  return null;
}

/**
 * The geometries of a hard disk of `sectors` sectors whose first sector is `mbr` (null when it
 * could not be read), chosen as QEMU 7.2 + SeaBIOS 1.16 choose them, so that CHS partition tables
 * made under QEMU read back the same:
 * - no layout in the MBR: the ATA default geometry; translated (LBA-assist) above 1024 cylinders;
 * - a layout with more than 16 heads (made under a translating BIOS): the ATA default geometry,
 *   with "large" translation up to 8192 cylinders, LBA-assist above;
 * - a layout with up to 16 heads: that layout is the physical geometry, untranslated.
 */
export function hardDiskGeometry(sectors: number, mbr: Uint8Array | null): HardDiskGeometry {
  const layout = mbr ? mbrLayoutGeometry(mbr, sectors) : null;
  let physical: Chs;
  let translation: Translation;
  if (!layout) {
    physical = ataPhysicalGeometry(sectors);
    translation = physical.cylinders <= INT13_MAX_CYLINDERS ? Translation.None : Translation.LbaAssist;
  } else if (layout.heads > 16) {
    physical = ataPhysicalGeometry(sectors);
    translation = physical.cylinders * physical.heads <= 131072 ? Translation.Large : Translation.LbaAssist;
  } else {
    physical = layout;
    translation = Translation.None;
  }
  return { physical, chs: translate(physical, sectors, translation), translation };
}

function translate(p: Chs, sectors: number, t: Translation): Chs {
  if (t === Translation.None) return { ...p, cylinders: Math.min(p.cylinders, INT13_MAX_CYLINDERS) };
  if (t === Translation.Large) {
    let { cylinders, heads } = p;
    while (cylinders > INT13_MAX_CYLINDERS && heads <= 127) {
      cylinders >>>= 1;
      heads <<= 1;
    }
    return { cylinders: Math.min(cylinders, INT13_MAX_CYLINDERS), heads, spt: p.spt };
  }
  if (sectors > 63 * 255 * 1024) return { cylinders: 1024, heads: 255, spt: 63 };
  const tracks = Math.floor(sectors / 63);
  const need = Math.floor(tracks / 1024);
  const heads = need > 128 ? 255 : need > 64 ? 128 : need > 32 ? 64 : need > 16 ? 32 : 16;
  return { cylinders: Math.min(INT13_MAX_CYLINDERS, Math.floor(tracks / heads)), heads, spt: 63 };
}

/** Floppy formats by image size (IBM PC/AT diskette formats), with the INT 13h AH=08h drive type in BL. */
export interface FloppyFormat extends Chs {
  bytes: number;
  /** CMOS / INT 13h AH=08h drive type: 1 360K, 2 1.2M, 3 720K, 4 1.44M, 6 2.88M. */
  driveType: number;
  /** Gap length for read/write in the diskette parameter table. */
  gap: number;
  /** Gap length for format. */
  formatGap: number;
  /** Data rate bits of the media type (INT 13h AH=17h/18h): 0 500 kb/s, 1 300, 2 250, 3 1 Mb/s. */
  rate: number;
}

export const FLOPPY_FORMATS: FloppyFormat[] = [
  { bytes: 163840, cylinders: 40, heads: 1, spt: 8, driveType: 1, gap: 0x2a, formatGap: 0x50, rate: 2 },
  { bytes: 184320, cylinders: 40, heads: 1, spt: 9, driveType: 1, gap: 0x2a, formatGap: 0x50, rate: 2 },
  { bytes: 327680, cylinders: 40, heads: 2, spt: 8, driveType: 1, gap: 0x2a, formatGap: 0x50, rate: 2 },
  { bytes: 368640, cylinders: 40, heads: 2, spt: 9, driveType: 1, gap: 0x2a, formatGap: 0x50, rate: 2 },
  { bytes: 737280, cylinders: 80, heads: 2, spt: 9, driveType: 3, gap: 0x2a, formatGap: 0x50, rate: 2 },
  { bytes: 1228800, cylinders: 80, heads: 2, spt: 15, driveType: 2, gap: 0x1b, formatGap: 0x54, rate: 0 },
  { bytes: 1474560, cylinders: 80, heads: 2, spt: 18, driveType: 4, gap: 0x1b, formatGap: 0x6c, rate: 0 },
  { bytes: 2949120, cylinders: 80, heads: 2, spt: 36, driveType: 6, gap: 0x1b, formatGap: 0x53, rate: 3 },
];

/** The format of a floppy image of `bytes`, or null when the size is not a PC diskette format. */
export function floppyFormat(bytes: number): FloppyFormat | null {
  return FLOPPY_FORMATS.find((f) => f.bytes === bytes) ?? null;
}

/** El Torito floppy emulation media types 1/2/3 (El Torito 1.0, section 2.2, boot media type). */
export function emulatedFloppyFormat(mediaType: number): FloppyFormat | null {
  const bytes = mediaType === 1 ? 1228800 : mediaType === 2 ? 1474560 : mediaType === 3 ? 2949120 : 0;
  return floppyFormat(bytes);
}

/**
 * Geometry of an El Torito hard-disk emulation image from its MBR (El Torito 1.0, section 3.3:
 * the image holds one partition and the BIOS takes the geometry from the partition table): heads
 * and sectors from the partition's end CHS, cylinders up to the partition's end cylinder.
 */
export function mbrGeometry(mbr: Uint8Array): Chs | null {
  if (mbr.length < 512 || mbr[510] !== 0x55 || mbr[511] !== 0xaa) return null;
  for (let i = 0; i < 4; i++) {
    const e = 0x1be + 16 * i;
    if (mbr[e + 4] === 0) continue; // partition type 0: unused entry
    const endHead = mbr[e + 5];
    const endSector = mbr[e + 6] & 0x3f;
    const endCylinder = mbr[e + 7] | ((mbr[e + 6] & 0xc0) << 2);
    if (endSector === 0) continue;
    return { cylinders: endCylinder + 1, heads: endHead + 1, spt: endSector };
  }
  return null;
}
