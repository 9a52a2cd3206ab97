// The services of lab86's BIOS. The ROM (rom.ts) holds one small x86 stub per service; the stub
// traps into TypeScript through SERVICE_PORT, and the firmware (firmware.ts) runs the service.
// This list is the contract between the two halves, recorded in the ROM's service table.

/** The port the ROM's stubs write to. Chosen outside every PC, PCI and QEMU/Bochs device range. */
export const SERVICE_PORT = 0x0ee0;

export const enum Service {
  /** Power-on self test, entered from the reset vector. */
  Post = 1,
  /** POST continues here after an option ROM's initialisation returns (RETF). */
  PostResume = 2,
  /** Default handler for unused software interrupts: returns with nothing done. */
  Unhandled = 3,
  /** Hardware interrupts with no driver: EOI the controller(s). */
  SpuriousIrq = 4,
  /** A bare IRET (INT 1Ch, the user timer hook, by default). Not a trap. */
  Iret = 5,
  Int08Timer = 0x08,
  Int09Keyboard = 0x09,
  Int0eFloppy = 0x0e,
  Int10Video = 0x10,
  Int11Equipment = 0x11,
  Int12Memory = 0x12,
  Int13Disk = 0x13,
  Int14Serial = 0x14,
  Int15System = 0x15,
  Int16Keyboard = 0x16,
  Int17Printer = 0x17,
  Int18NoBoot = 0x18,
  Int19Boot = 0x19,
  Int1aTime = 0x1a,
  Int70Rtc = 0x70,
  Int76Disk = 0x76,
}

/** The ROM's service table: magic "L86S", a version, a count, then {callOffset, waitOffset, id} u16 triples. */
export const SERVICE_TABLE_OFFSET = 0xe000;
export const SERVICE_TABLE_MAGIC = 0x5336384c; // "L86S"
export const SERVICE_TABLE_VERSION = 1;
export const BIOS_SEGMENT = 0xf000;
/**
 * Offsets in F000 that POST fills at run time, after shadowing the BIOS into RAM: the SMBIOS
 * entry point (must be 16-byte aligned in 0xF0000-0xFFFFF), the INT 15h C0h configuration
 * table, and parameter tables pointed to by INT 1Eh/41h/46h.
 */
export const RUNTIME_AREA = 0xe800;
export const RUNTIME_SMBIOS_EP = 0xe800;
export const RUNTIME_CONFIG_TABLE = 0xe830;
export const RUNTIME_DISKETTE_PARAMS = 0xe840;
/** INT 41h/46h fixed disk parameter tables (16 bytes each) and EDD DPTEs (16 bytes per IDE position): disk/tables.ts. */
export const RUNTIME_DISK_TABLES = 0xef00;
export const RUNTIME_AREA_END = 0xf000;
/** Static video data in the ROM image (fonts, video tables, VBE strings): bios/video/rom-area.ts. */
export const VIDEO_ROM_AREA = 0xa000;
export const VIDEO_ROM_AREA_END = 0xe000;

export interface ServiceStub {
  id: Service;
  /** Offset (in segment F000) of the stub's OUT instruction. */
  callOffset: number;
  /** Offset of the stub's wait loop (STI; HLT; JMP back to the OUT), where a blocked service parks the CPU. */
  waitOffset: number;
  /** Offset of the stub's entry point (what the IVT points to). */
  entryOffset: number;
}

/** Read the service table from a ROM image. Returns null if the image is not a lab86 BIOS. */
export function readServiceTable(rom: Uint8Array): Map<number, ServiceStub> | null {
  const base = rom.length - 0x10000 + SERVICE_TABLE_OFFSET;
  if (base < 0) return null;
  const dv = new DataView(rom.buffer, rom.byteOffset + base);
  if (dv.getUint32(0, true) !== SERVICE_TABLE_MAGIC || dv.getUint16(4, true) !== SERVICE_TABLE_VERSION) return null;
  const n = dv.getUint16(6, true);
  const map = new Map<number, ServiceStub>();
  for (let i = 0; i < n; i++) {
    const o = 8 + i * 8;
    const stub = { entryOffset: dv.getUint16(o, true), callOffset: dv.getUint16(o + 2, true), waitOffset: dv.getUint16(o + 4, true), id: dv.getUint16(o + 6, true) as Service };
    map.set(stub.callOffset, stub);
  }
  return map;
}
