// IDENTIFY DEVICE and IDENTIFY PACKET DEVICE data (ATA/ATAPI-6 8.15 and 8.16, tables 27 and 28).
// Everything advertised here is implemented: PIO modes 0-4 with IORDY, multiword DMA modes 0-2
// only when the controller has a bus master (otherwise word 49 bit 8 is clear and hosts stay on
// PIO), no Ultra DMA (the PIIX3 has none), LBA28 and LBA48, READ/WRITE MULTIPLE up to
// MAX_MULTIPLE sectors, write cache and look-ahead, FLUSH CACHE (EXT), the Host Protected Area
// commands, NOP, READ/WRITE BUFFER and the power management commands.
import { MAX_MULTIPLE } from "./ata-defs";

export interface DiskGeometry {
  cylinders: number;
  heads: number;
  sectors: number;
}

/** Largest capacity addressable by CHS through IDENTIFY words 54-58: 16383 * 16 * 63 (ATA-6 6.2.1). */
export const CHS_LIMIT_SECTORS = 16383 * 16 * 63;
/** LBA28 addresses (words 60-61 saturate here for larger devices, ATA-6 8.15.24). */
export const LBA28_LIMIT = 0x0fffffff;

/** The default CHS translation: 16 heads and 63 sectors per track, as ATA-6 6.2.1 recommends. */
export function defaultGeometry(totalSectors: number): DiskGeometry {
  const heads = 16;
  const sectors = 63;
  const cylinders = Math.max(1, Math.min(16383, Math.floor(totalSectors / (heads * sectors))));
  return { cylinders, heads, sectors };
}

/** Cylinders of the translation `heads` x `sectors` (INITIALIZE DEVICE PARAMETERS), or 0 if none fit. */
export function cylindersFor(totalSectors: number, heads: number, sectors: number): number {
  if (heads < 1 || sectors < 1) return 0;
  return Math.min(65535, Math.floor(Math.min(totalSectors, CHS_LIMIT_SECTORS) / (heads * sectors)));
}

/** ATA strings: space padded, each pair of characters swapped into one little-endian word (3.2.9). */
export function putString(words: Uint16Array, first: number, count: number, text: string): void {
  const s = text.padEnd(count * 2, " ").slice(0, count * 2);
  for (let i = 0; i < count; i++) words[first + i] = (s.charCodeAt(2 * i) << 8) | s.charCodeAt(2 * i + 1);
}

/** Word 255: signature A5h and a checksum making the 512 bytes sum to zero mod 256 (8.15.61). */
export function sealIdentify(words: Uint16Array): Uint8Array {
  words[255] = 0x00a5;
  let sum = 0;
  for (let i = 0; i < 255; i++) sum += (words[i] & 0xff) + (words[i] >> 8);
  sum += 0xa5;
  words[255] |= ((0x100 - (sum & 0xff)) & 0xff) << 8;
  const out = new Uint8Array(512);
  for (let i = 0; i < 256; i++) {
    out[2 * i] = words[i] & 0xff;
    out[2 * i + 1] = words[i] >> 8;
  }
  return out;
}

export interface DriveStrings {
  model: string;
  serial: string;
  firmware: string;
}

export interface AtaIdentifyParams extends DriveStrings {
  /** Sectors the host may address (the Host Protected Area limit: SET MAX ADDRESS). */
  userSectors: number;
  geometry: DiskGeometry;
  /** Current translation (INITIALIZE DEVICE PARAMETERS); cylinders 0 when none is valid. */
  current: DiskGeometry;
  multiple: number;
  writeCache: boolean;
  lookAhead: boolean;
  /** A bus master serves the channel: advertise multiword DMA 0-2. */
  dma: boolean;
  /** Selected multiword DMA mode (SET FEATURES value 20h-22h), 0 for none. */
  dmaMode: number;
}

/** Words 49, 63, 65 and 66 for DMA support (8.15.10, 8.15.27, 8.15.29-30). */
function putDma(w: Uint16Array, dma: boolean, dmaMode: number): void {
  if (!dma) return;
  w[49] |= 0x0100;
  w[63] = 0x0007 | (dmaMode >= 0x20 ? 0x0100 << (dmaMode & 7) : 0);
  w[65] = 120; // minimum multiword DMA cycle time (ns), mode 2
  w[66] = 120; // recommended
}

export function ataIdentify(p: AtaIdentifyParams): Uint8Array {
  const w = new Uint16Array(256);
  w[0] = 0x0040; // fixed device, ATA
  w[1] = p.geometry.cylinders;
  w[2] = 0xc837; // specific configuration: no SET FEATURES spin-up needed, IDENTIFY complete (8.15.8)
  w[3] = p.geometry.heads;
  // Words 4 and 5 are retired since ATA-2; ATA-1 defined them as unformatted bytes per track and
  // per sector. The Bochs BIOS still takes word 5 as the block size of its PIO transfers (with 0
  // it reads nothing), and QEMU and Bochs drives report 512 there.
  w[4] = Math.min(0xffff, 512 * p.geometry.sectors);
  w[5] = 512;
  w[6] = p.geometry.sectors;
  putString(w, 10, 10, p.serial);
  putString(w, 23, 4, p.firmware);
  putString(w, 27, 20, p.model);
  w[47] = 0x8000 | MAX_MULTIPLE;
  w[49] = 0x0e00; // IORDY supported (11), IORDY may be disabled (10), LBA (9); DMA (8) below
  w[50] = 0x4000;
  w[51] = 0x0200; // obsolete PIO timing mode 2
  w[53] = 0x0003; // words 54-58 and 64-70 are valid; word 88 (UDMA) is not
  const cur = p.current;
  if (cur.cylinders > 0) {
    w[54] = cur.cylinders;
    w[55] = cur.heads;
    w[56] = cur.sectors;
    const capacity = Math.min(cur.cylinders * cur.heads * cur.sectors, p.userSectors);
    w[57] = capacity & 0xffff;
    w[58] = capacity >>> 16;
  }
  w[59] = p.multiple > 0 ? 0x0100 | p.multiple : 0;
  const lba28 = Math.min(p.userSectors, LBA28_LIMIT);
  w[60] = lba28 & 0xffff;
  w[61] = lba28 >>> 16;
  w[64] = 0x0003; // PIO modes 3 and 4
  w[67] = 120; // minimum PIO cycle time without flow control (ns)
  w[68] = 120; // with IORDY
  w[80] = 0x007e; // ATA-1 through ATA/ATAPI-6
  // Command sets (8.15.39-44): NOP, READ/WRITE BUFFER, HPA, look-ahead, write cache, power management.
  w[82] = 0x4000 | 0x2000 | 0x1000 | 0x0400 | 0x0040 | 0x0020 | 0x0008;
  w[83] = 0x4000 | 0x2000 | 0x1000 | 0x0400; // FLUSH CACHE EXT, FLUSH CACHE, 48-bit addressing
  w[84] = 0x4000;
  w[85] = 0x4000 | 0x2000 | 0x1000 | 0x0400 | (p.lookAhead ? 0x0040 : 0) | (p.writeCache ? 0x0020 : 0) | 0x0008;
  w[86] = 0x2000 | 0x1000 | 0x0400;
  w[87] = 0x4000;
  // Words 100-103: maximum user LBA for 48-bit commands plus one (8.15.52).
  let n = p.userSectors;
  for (let i = 100; i <= 103; i++) {
    w[i] = n % 0x10000;
    n = Math.floor(n / 0x10000);
  }
  putDma(w, p.dma, p.dmaMode);
  return sealIdentify(w);
}

export interface AtapiIdentifyParams extends DriveStrings {
  dma: boolean;
  dmaMode: number;
}

export function atapiIdentify(p: AtapiIdentifyParams): Uint8Array {
  const w = new Uint16Array(256);
  // Word 0 (8.16.2): packet device (15:14 = 10b), CD-ROM type 05h, removable, accelerated DRQ
  // (DRQ within 50 us of PACKET: 6:5 = 10b), 12-byte command packets (1:0 = 00b).
  w[0] = 0x8000 | (0x05 << 8) | 0x0080 | 0x0040;
  putString(w, 10, 10, p.serial);
  putString(w, 23, 4, p.firmware);
  putString(w, 27, 20, p.model);
  w[49] = 0x0e00; // IORDY, IORDY may be disabled, LBA; DMA (8) only with a bus master
  w[53] = 0x0003;
  w[64] = 0x0003;
  w[67] = 120;
  w[68] = 120;
  w[80] = 0x007e;
  // NOP, DEVICE RESET, PACKET, power management (8.16.33).
  w[82] = 0x4000 | 0x0200 | 0x0010 | 0x0008;
  w[83] = 0x4000;
  w[84] = 0x4000;
  w[85] = w[82];
  w[87] = 0x4000;
  putDma(w, p.dma, p.dmaMode);
  return sealIdentify(w);
}
