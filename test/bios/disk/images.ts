// Disk and CD images with known contents for the INT 13h tests, built here byte by byte (ISO 9660
// volume descriptors and the El Torito boot catalog per El Torito 1.0 sections 2.0-2.5), and a
// sparse backend for large disks.
import type { BlockBackend } from "../../../src/machine/block";

/** Every 512-byte sector starts with "LBA " and its number (u32), then the byte (lba & 0xff) repeated. */
export function patternSector(lba: number, size = 512): Uint8Array {
  const s = new Uint8Array(size).fill(lba & 0xff);
  s.set([0x4c, 0x42, 0x41, 0x20], 0);
  new DataView(s.buffer).setUint32(4, lba, true);
  return s;
}

/** A disk of `sectors` pattern sectors with `boot` (padded to whole sectors) at its start. */
export function patternDisk(sectors: number, boot: Uint8Array, sectorSize = 512): Uint8Array {
  const d = new Uint8Array(sectors * sectorSize);
  for (let i = 0; i < sectors; i++) d.set(patternSector(i, sectorSize), i * sectorSize);
  d.set(boot, 0);
  return d;
}

/**
 * Make partition entry 0 of the MBR at the start of \`disk\` an active FAT16 (06h) partition from
 * C0 H1 S1 (LBA 63) to C\`cylinder\` H\`head\` S\`sector\`, \`sectors\` long: the layout a BIOS reads
 * the disk's geometry from. The CHS bytes are packed as in the MBR: cylinder bits 8-9 in the
 * sector byte's bits 6-7.
 */
export function setFirstPartition(disk: Uint8Array, end: { cylinder: number; head: number; sector: number }, sectors: number): void {
  const { cylinder, head, sector } = end;
  disk.set([0x80, 1, 1, 0, 0x06, head, (sector & 0x3f) | ((cylinder >> 2) & 0xc0), cylinder & 0xff], 0x1be);
  const entry = new DataView(disk.buffer, disk.byteOffset + 0x1be);
  entry.setUint32(8, 63, true);
  entry.setUint32(12, sectors, true);
}

/** A large disk that holds `head` at its start and zeros elsewhere; reads and writes beyond `head` stay sparse. */
export class SparseBackend implements BlockBackend {
  readonly readOnly = false;
  private readonly written = new Map<number, Uint8Array>();
  constructor(readonly byteLength: number, private readonly head: Uint8Array) {}
  read(offset: number, length: number): Uint8Array {
    if (offset + length > this.byteLength) throw new RangeError("read beyond end");
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 512) {
      const sector = (offset + i) / 512;
      const w = this.written.get(sector);
      if (w) out.set(w, i);
      else if (offset + i < this.head.length) out.set(this.head.subarray(offset + i, Math.min(offset + i + 512, this.head.length)), i);
    }
    return out;
  }
  write(offset: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i += 512) this.written.set((offset + i) / 512, data.slice(i, i + 512));
  }
  flush(): void {}
}

export interface ElToritoOptions {
  /** Boot media type: 0 no emulation, 1/2/3 1.2/1.44/2.88 MB floppy, 4 hard disk. */
  mediaType: number;
  /** The boot image (for emulation: the whole floppy or hard-disk image). */
  image: Uint8Array;
  loadSegment?: number;
  /** Virtual 512-byte sectors the BIOS loads. */
  sectorCount: number;
  /** Total disc size in 2048-byte sectors (pattern sectors after the image). */
  totalSectors?: number;
  /** Corruptions for the negative tests. */
  breakChecksum?: boolean;
  notBootable?: boolean;
}

export const CATALOG_LBA = 19;
export const IMAGE_LBA = 20;

/** A CD image: pattern sectors, with the volume descriptors at 16-18, the catalog at 19 and the boot image at 20. */
export function elToritoIso(o: ElToritoOptions): Uint8Array {
  const imageSectors = Math.ceil(o.image.length / 2048);
  const total = Math.max(o.totalSectors ?? 0, IMAGE_LBA + imageSectors + 4);
  const iso = patternDisk(total, new Uint8Array(0), 2048);
  const sector = (n: number) => iso.subarray(n * 2048, (n + 1) * 2048);
  const ascii = (buf: Uint8Array, at: number, s: string) => [...s].forEach((c, i) => (buf[at + i] = c.charCodeAt(0)));
  // Primary volume descriptor (ISO 9660 8.4): type 1, "CD001", version 1, volume space size both-endian.
  const pvd = sector(16);
  pvd.fill(0);
  pvd[0] = 1;
  ascii(pvd, 1, "CD001");
  pvd[6] = 1;
  const dv = new DataView(pvd.buffer, pvd.byteOffset);
  dv.setUint32(80, total, true);
  dv.setUint32(84, total, false);
  // Boot record volume descriptor (El Torito 2.0): type 0, "CD001", 1, "EL TORITO SPECIFICATION", catalog LBA at 47h.
  const brvd = sector(17);
  brvd.fill(0);
  ascii(brvd, 1, "CD001");
  brvd[6] = 1;
  ascii(brvd, 7, "EL TORITO SPECIFICATION");
  new DataView(brvd.buffer, brvd.byteOffset).setUint32(0x47, CATALOG_LBA, true);
  // Volume descriptor set terminator.
  const term = sector(18);
  term.fill(0);
  term[0] = 0xff;
  ascii(term, 1, "CD001");
  term[6] = 1;
  // Boot catalog: validation entry (2.1) and initial/default entry (2.2).
  const cat = sector(CATALOG_LBA);
  cat.fill(0);
  cat[0] = 0x01; // header ID
  cat[1] = 0x00; // platform 80x86
  ascii(cat, 4, "lab86 test");
  cat[0x1e] = 0x55;
  cat[0x1f] = 0xaa;
  let sum = 0;
  for (let i = 0; i < 32; i += 2) sum = (sum + cat[i] + (cat[i + 1] << 8)) & 0xffff;
  const check = (0x10000 - sum) & 0xffff;
  cat[0x1c] = check & 0xff;
  cat[0x1d] = check >> 8;
  if (o.breakChecksum) cat[0x1c] ^= 1;
  const e = new DataView(cat.buffer, cat.byteOffset + 0x20);
  cat[0x20] = o.notBootable ? 0x00 : 0x88;
  cat[0x21] = o.mediaType;
  e.setUint16(2, o.loadSegment ?? 0, true);
  cat[0x24] = o.mediaType === 4 ? o.image[0x1be + 4] : 0; // system type: the image's partition type
  e.setUint16(6, o.sectorCount, true);
  e.setUint32(8, IMAGE_LBA, true);
  iso.set(o.image, IMAGE_LBA * 2048);
  return iso;
}
