// Data-in payloads of the MMC commands the CD-ROM answers. Pure functions of the drive's state,
// so they can be tested and reasoned about apart from the ATAPI protocol. The disc is modelled as
// one complete session holding one data track (mode 1, control 4) starting at LBA 0.
import { CD_SECTOR, PROFILE_CD_ROM, PROFILE_DVD_ROM, putBe16, putBe32 } from "./scsi-defs";

export interface InquiryStrings {
  vendor: string;
  product: string;
  revision: string;
}

function ascii(out: Uint8Array, o: number, len: number, s: string): void {
  const t = s.padEnd(len, " ").slice(0, len);
  for (let i = 0; i < len; i++) out[o + i] = t.charCodeAt(i);
}

/** Standard INQUIRY data (SPC-3 6.4.2) as SFF-8020i 10.8 specifies it for ATAPI devices. */
export function inquiryData(s: InquiryStrings): Uint8Array {
  const b = new Uint8Array(36);
  b[0] = 0x05; // peripheral device type: CD/DVD
  b[1] = 0x80; // removable medium
  b[2] = 0x00; // ANSI version 0, as SFF-8020i requires of ATAPI devices
  b[3] = 0x21; // ATAPI version 2, response data format 1
  b[4] = 36 - 5; // additional length
  ascii(b, 8, 8, s.vendor);
  ascii(b, 16, 16, s.product);
  ascii(b, 32, 4, s.revision);
  return b;
}

/** Fixed-format sense data (SPC-3 4.5.3). */
export function senseData(key: number, asc: number, ascq: number): Uint8Array {
  const b = new Uint8Array(18);
  b[0] = 0x70; // current error, fixed format
  b[2] = key & 0x0f;
  b[7] = 10; // additional sense length
  b[12] = asc;
  b[13] = ascq;
  return b;
}

/** READ CAPACITY (MMC-3 6.1.18): the last LBA and the 2048-byte block length. */
export function capacityData(sectors: number): Uint8Array {
  const b = new Uint8Array(8);
  putBe32(b, 0, sectors - 1);
  putBe32(b, 4, CD_SECTOR);
  return b;
}

/** An address as TOC bytes: LBA, or MSF with the 2-second (150 frame) pregap of the Red Book. */
function putAddress(b: Uint8Array, o: number, lba: number, msf: boolean): void {
  if (!msf) return putBe32(b, o, lba);
  const x = lba + 150;
  b[o] = 0;
  b[o + 1] = Math.min(0xff, Math.floor(x / 4500));
  b[o + 2] = Math.floor(x / 75) % 60;
  b[o + 3] = x % 75;
}

const TRACK_CONTROL = 0x14; // ADR 1 (Q mode 1), control 4: data track, copy prohibited
const LEADOUT = 0xaa;

/**
 * READ TOC/PMA/ATIP (MMC-3 6.1.27) formats 0 (TOC), 1 (session info) and 2 (full TOC).
 * Returns null for a field the drive does not support (INVALID FIELD IN CDB).
 */
export function tocData(format: number, msf: boolean, track: number, sectors: number): Uint8Array | null {
  if (format === 0) {
    if (track > 1 && track !== LEADOUT) return null;
    const entries: [number, number][] = [];
    if (track <= 1) entries.push([1, 0]);
    entries.push([LEADOUT, sectors]);
    const b = new Uint8Array(4 + 8 * entries.length);
    putBe16(b, 0, b.length - 2);
    b[2] = 1; // first track
    b[3] = 1; // last track
    entries.forEach(([t, lba], i) => {
      const o = 4 + 8 * i;
      b[o + 1] = TRACK_CONTROL;
      b[o + 2] = t;
      putAddress(b, o + 4, lba, msf);
    });
    return b;
  }
  if (format === 1) {
    const b = new Uint8Array(12);
    putBe16(b, 0, 10);
    b[2] = 1; // first session
    b[3] = 1; // last session
    b[5] = TRACK_CONTROL;
    b[6] = 1; // first track in the last session
    putAddress(b, 8, 0, msf);
    return b;
  }
  if (format === 2) {
    // Raw Q sub-channel descriptors of session 1 (addresses always in MSF): A0 first track,
    // A1 last track, A2 lead-out start, then track 1.
    const points: [number, number, number, number][] = [
      [0xa0, 1, 0x00, 0], // PMIN = first track, PSEC = disc type (CD-DA or CD-ROM)
      [0xa1, 1, 0, 0],
      [0xa2, -1, 0, 0],
      [0x01, -2, 0, 0],
    ];
    const b = new Uint8Array(4 + 11 * points.length);
    putBe16(b, 0, b.length - 2);
    b[2] = 1;
    b[3] = 1;
    points.forEach(([point, pmin, psec, pframe], i) => {
      const o = 4 + 11 * i;
      b[o] = 1; // session
      b[o + 1] = TRACK_CONTROL;
      b[o + 3] = point;
      if (pmin >= 0) {
        b[o + 8] = pmin;
        b[o + 9] = psec;
        b[o + 10] = pframe;
      } else {
        const tmp = new Uint8Array(4);
        putAddress(tmp, 0, pmin === -1 ? sectors : 0, true);
        b[o + 8] = tmp[1];
        b[o + 9] = tmp[2];
        b[o + 10] = tmp[3];
      }
    });
    return b;
  }
  return null;
}

export interface MechanismView {
  hasMedium: boolean;
  trayOpen: boolean;
  locked: boolean;
}

/** Mode pages (MMC-3 section 7 and SFF-8020i 10.8.x): current values, or changeable masks (all zero). */
function modePage(code: number, changeable: boolean, m: MechanismView): Uint8Array | null {
  let p: Uint8Array;
  switch (code) {
    case 0x01: // read error recovery (SFF-8020i length 6)
      p = new Uint8Array([0x01, 0x06, 0x00, 0x05, 0, 0, 0, 0]);
      break;
    case 0x0d: // CD device parameters: inactivity multiplier, 60 seconds per minute, 75 frames per second
      p = new Uint8Array([0x0d, 0x06, 0x00, 0x00, 0x00, 60, 0x00, 75]);
      break;
    case 0x0e: // CD audio control: IMMED, ports 0/1 on channels 0/1 at full volume
      p = new Uint8Array([0x0e, 0x0e, 0x04, 0, 0, 0, 0, 75, 0x01, 0xff, 0x02, 0xff, 0, 0, 0, 0]);
      break;
    case 0x2a: {
      // CD/DVD capabilities and mechanical status (MMC-2 length 14h).
      p = new Uint8Array(22);
      p[0] = 0x2a;
      p[1] = 0x14;
      p[2] = 0x3b; // reads CD-R, CD-RW, method 2, DVD-ROM, DVD-R, DVD-RAM
      p[3] = 0x00; // writes nothing
      p[4] = 0x71; // audio play, mode 2 form 1 and 2, multi-session
      p[5] = 0x03; // CD-DA commands supported, accurate stream
      // Lock supported, lock state, eject supported, tray loading mechanism (001b).
      p[6] = 0x01 | (m.locked ? 0x02 : 0) | 0x08 | (1 << 5);
      p[7] = 0x03; // separate volume and channel mute
      putBe16(p, 8, 706); // maximum read speed in kB/s: 4x at 176.4 kB/s per 1x
      putBe16(p, 10, 256); // volume levels
      putBe16(p, 12, 64); // buffer size in KiB
      putBe16(p, 14, 706); // current read speed
      break;
    }
    default:
      return null;
  }
  if (changeable) p.fill(0, 2);
  return p;
}

/**
 * MODE SENSE (6) and (10) (SPC-3 6.9/6.10; MMC-3 7): page 3Fh returns all pages. Page control 3
 * (saved values) yields "saving" (SAVING PARAMETERS NOT SUPPORTED), an unknown page null.
 */
export function modeSenseData(page: number, pageControl: number, ten: boolean, m: MechanismView): Uint8Array | null | "saving" {
  if (pageControl === 3) return "saving";
  const codes = page === 0x3f ? [0x01, 0x0d, 0x0e, 0x2a] : [page];
  const pages: Uint8Array[] = [];
  for (const c of codes) {
    const p = modePage(c, pageControl === 1, m);
    if (!p) return null;
    pages.push(p);
  }
  const header = ten ? 8 : 4;
  const total = header + pages.reduce((n, p) => n + p.length, 0);
  const b = new Uint8Array(total);
  // Medium type: 70h "door open / no disc", otherwise 01h (120 mm data disc), per SFF-8020i 10.8.15.
  const medium = !m.hasMedium || m.trayOpen ? 0x70 : 0x01;
  if (ten) {
    putBe16(b, 0, total - 2);
    b[2] = medium;
  } else {
    b[0] = total - 1;
    b[1] = medium;
  }
  let o = header;
  for (const p of pages) {
    b.set(p, o);
    o += p.length;
  }
  return b;
}

/** The current profile for a medium of `sectors` blocks (0 when there is none). */
export function profileFor(sectors: number, present: boolean, dvd: boolean): number {
  if (!present) return 0;
  return dvd ? PROFILE_DVD_ROM : PROFILE_CD_ROM;
}

/** GET CONFIGURATION (MMC-3 5.2, 6.1.4). `rt` 0: all; 1: current only; 2: the one named feature. */
export function configurationData(rt: number, start: number, current: number): Uint8Array {
  const features: { code: number; current: boolean; version: number; persistent: boolean; data: number[] }[] = [];
  // 0000h Profile List: DVD-ROM and CD-ROM, the current one flagged.
  const profiles = [PROFILE_DVD_ROM, PROFILE_CD_ROM].flatMap((p) => [p >> 8, p & 0xff, p === current ? 1 : 0, 0]);
  features.push({ code: 0x0000, current: true, version: 0, persistent: true, data: profiles });
  // 0001h Core: physical interface 2 = ATAPI.
  features.push({ code: 0x0001, current: true, version: 0, persistent: true, data: [0, 0, 0, 2] });
  // 0002h Morphing: no asynchronous notification (polled GET EVENT STATUS only).
  features.push({ code: 0x0002, current: true, version: 0, persistent: true, data: [0, 0, 0, 0] });
  // 0003h Removable Medium: tray loading mechanism (001b), eject, lock; no prevent jumper.
  features.push({ code: 0x0003, current: true, version: 0, persistent: true, data: [(1 << 5) | 0x08 | 0x01, 0, 0, 0] });
  const dvd = current === PROFILE_DVD_ROM;
  // 0010h Random Readable: 2048-byte blocks, blocking 1 (CD) or 16 (DVD).
  features.push({ code: 0x0010, current: current !== 0, version: 0, persistent: false, data: [0, 0, 0x08, 0x00, 0, dvd ? 16 : 1, 0, 0] });
  // 001Eh CD Read, 001Fh DVD Read.
  features.push({ code: 0x001e, current: current === PROFILE_CD_ROM, version: 0, persistent: false, data: [0, 0, 0, 0] });
  features.push({ code: 0x001f, current: dvd, version: 0, persistent: false, data: [0, 0, 0, 0] });
  const chosen = features.filter((f) => (rt === 2 ? f.code === start : f.code >= start && (rt === 0 || f.current)));
  const len = 8 + chosen.reduce((n, f) => n + 4 + f.data.length, 0);
  const b = new Uint8Array(len);
  putBe32(b, 0, len - 4);
  putBe16(b, 6, current);
  let o = 8;
  for (const f of chosen) {
    putBe16(b, o, f.code);
    b[o + 2] = (f.version << 2) | (f.persistent ? 2 : 0) | (f.current ? 1 : 0);
    b[o + 3] = f.data.length;
    b.set(f.data, o + 4);
    o += 4 + f.data.length;
  }
  return b;
}

/** GET EVENT STATUS NOTIFICATION, polled (MMC-3 6.1.6): only the media class (4) is supported. */
export function eventStatusData(requested: number, event: number, m: MechanismView): Uint8Array {
  const MEDIA_CLASS_BIT = 0x10;
  if ((requested & MEDIA_CLASS_BIT) === 0) {
    // No supported class requested: NEA set, header only.
    const b = new Uint8Array(4);
    putBe16(b, 0, 2);
    b[2] = 0x80;
    b[3] = MEDIA_CLASS_BIT;
    return b;
  }
  const b = new Uint8Array(8);
  putBe16(b, 0, 6);
  b[2] = 4; // media class
  b[3] = MEDIA_CLASS_BIT;
  b[4] = event;
  b[5] = (m.trayOpen ? 0x01 : 0) | (m.hasMedium && !m.trayOpen ? 0x02 : 0);
  return b;
}

/** READ DISC INFORMATION (MMC-3 6.1.19): a finalized, complete disc with one session and track. */
export function discInfoData(): Uint8Array {
  const b = new Uint8Array(34);
  putBe16(b, 0, 32);
  b[2] = 0x0e; // last session complete (11b), disc finalized (10b)
  b[3] = 1; // first track on disc
  b[4] = 1; // sessions
  b[5] = 1; // first track in last session
  b[6] = 1; // last track in last session
  b[7] = 0x20; // unrestricted use
  b[8] = 0x00; // disc type: CD-DA or CD-ROM
  putBe32(b, 16, 0xffffffff); // no next session lead-in
  putBe32(b, 20, 0xffffffff); // no last possible lead-out
  return b;
}

/** MECHANISM STATUS (MMC-3 6.1.10): no changer, idle mechanism. */
export function mechanismStatusData(m: MechanismView): Uint8Array {
  const b = new Uint8Array(8);
  b[1] = m.trayOpen ? 0x10 : 0;
  return b;
}

/**
 * READ SUB-CHANNEL (MMC-3 6.1.25), format 01h (current position) or the header only (SubQ = 0).
 * No audio is ever played, so the audio status is 15h (no current status to return).
 */
export function subChannelData(subQ: boolean, format: number, msf: boolean, lba: number): Uint8Array | null {
  if (!subQ) {
    const b = new Uint8Array(4);
    b[1] = 0x15;
    return b;
  }
  if (format !== 1) return null;
  const b = new Uint8Array(16);
  b[1] = 0x15;
  putBe16(b, 2, 12);
  b[4] = 0x01; // data format: current position
  b[5] = TRACK_CONTROL;
  b[6] = 1; // track
  b[7] = 1; // index
  putAddress(b, 8, lba, msf);
  putAddress(b, 12, lba, msf);
  return b;
}

/**
 * READ TRACK INFORMATION (MMC-3 6.1.26) for the disc's one track. `type` is the Address/Number
 * Type (0: LBA, 1: track number, 2: session number); returns null when nothing matches.
 */
export function trackInfoData(type: number, number: number, sectors: number): Uint8Array | null {
  const matches = type === 0 ? number < sectors : type === 1 || type === 2 ? number === 1 : false;
  if (!matches) return null;
  const b = new Uint8Array(36);
  putBe16(b, 0, 34);
  b[2] = 1; // track number (LSB)
  b[3] = 1; // session number (LSB)
  b[5] = 0x04; // track mode: data, recorded uninterrupted
  b[6] = 0x01; // data mode 1
  putBe32(b, 8, 0); // track start address
  putBe32(b, 24, sectors); // track size
  putBe32(b, 28, sectors - 1); // last recorded address
  return b;
}

/** READ FORMAT CAPACITIES (MMC-3 6.1.16): the capacity of the formatted medium, or of none. */
export function formatCapacitiesData(sectors: number, present: boolean): Uint8Array {
  const b = new Uint8Array(12);
  b[3] = 8; // capacity list length
  putBe32(b, 4, present ? sectors : 0xffffffff);
  b[8] = present ? 0x02 : 0x03; // formatted media / no media present
  b[9] = 0x00;
  putBe16(b, 10, CD_SECTOR);
  return b;
}
