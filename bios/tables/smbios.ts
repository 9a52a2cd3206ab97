// SMBIOS 2.8 (DMTF DSP0134): the 31-byte "_SM_" entry point (which must sit on a 16-byte boundary
// in 0xF0000-0xFFFFF) and the structure table: BIOS (type 0), System with the machine UUID (1),
// Chassis (3), Processor (4), Physical Memory Array (16), Memory Device (17), Memory Array Mapped
// Address (19), System Boot (32) and End of Table (127).
import { Bytes, checksum } from "./bytes";

export interface SmbiosConfig {
  /** Physical address of the structure table. */
  tableAddress: number;
  ramBytes: number;
  /** 16 bytes, in the RFC 4122 byte order; SMBIOS stores the first three fields little-endian. */
  uuid: Uint8Array;
  biosVersion: string;
  biosDate: string;
}

function structure(b: Bytes, type: number, handle: number, formatted: (f: Bytes) => void, strings: string[]): void {
  const f = new Bytes();
  formatted(f);
  b.u8(type, 4 + f.length).u16(handle).bytes(f.toArray());
  if (strings.length === 0) b.u8(0, 0);
  else {
    for (const s of strings) b.ascii(s).u8(0);
    b.u8(0);
  }
}

export function buildSmbios(cfg: SmbiosConfig): { entryPoint: Uint8Array; table: Uint8Array; count: number } {
  const t = new Bytes();
  let handle = 0;
  let count = 0;
  const s = (type: number, f: (x: Bytes) => void, strings: string[]) => {
    structure(t, type, handle++, f, strings);
    count++;
  };
  const mib = Math.floor(cfg.ramBytes / (1 << 20));
  s(0, (f) => f.u8(1, 2).u16(0xf000).u8(3, 0 /* 64 KiB ROM */)
    // Characteristics (DSP0134 7.1.1): PCI (7), shadowing allowed (12), selectable boot (16),
    // EDD (19), INT 9h 8042 keyboard (27), INT 14h serial (28), INT 10h CGA/mono video (30).
    .u32((1 << 7) | (1 << 12) | (1 << 16) | (1 << 19) | (1 << 27) | (1 << 28) | (1 << 30)).u32(0)
    .u8(0x01 /* ACPI */, 0x04 /* targeted content distribution */).u8(0, 1, 0xff, 0xff),
    ["lab86", cfg.biosVersion, cfg.biosDate]);
  const u = cfg.uuid;
  const uuidSmbios = [u[3], u[2], u[1], u[0], u[5], u[4], u[7], u[6], ...u.subarray(8)];
  s(1, (f) => f.u8(1, 2, 3, 4).bytes(uuidSmbios).u8(6 /* power switch */, 5, 6), ["lab86", "lab86 PC", "1.0", "0", "lab86 PC", "lab86"]);
  s(3, (f) => f.u8(1, 0x01 /* other */, 0, 0, 0).u8(3, 3, 3, 2).u32(0).u8(0, 0, 0, 0), ["lab86"]);
  s(4, (f) => f.u8(1, 3 /* CPU */, 1 /* other */, 2).bytes([0x63, 0x06, 0, 0, 0, 0, 0, 0]).u8(3)
    .u8(0).u16(0).u16(1000).u16(1000).u8(0x41 /* populated, enabled */, 1).u16(0xffff).u16(0xffff).u16(0xffff).u8(0, 0, 0),
    ["CPU0", "GenuineIntel", "lab86 i686"]);
  const arrayHandle = handle;
  s(16, (f) => f.u8(1 /* other */, 3 /* system memory */, 3 /* no error correction */).u32(mib * 1024).u16(0xfffe).u16(1), []);
  const deviceHandle = handle;
  s(17, (f) => f.u16(arrayHandle).u16(0xfffe).u16(64).u16(64).u16(mib).u8(0x09 /* DIMM */, 0, 1, 0).u8(0x07 /* RAM */).u16(0x0002), ["DIMM 0"]);
  s(19, (f) => f.u32(0).u32(mib * 1024 - 1).u16(arrayHandle).u8(1), []);
  void deviceHandle;
  s(32, (f) => f.u8(0, 0, 0, 0, 0, 0).u8(0 /* no errors */), []);
  s(127, () => {}, []);
  const table = t.toArray();
  let maxSize = 0;
  for (let o = 0; o < table.length; ) {
    let e = o + table[o + 1];
    while (table[e] !== 0 || table[e + 1] !== 0) e++;
    e += 2;
    maxSize = Math.max(maxSize, e - o);
    o = e;
  }
  const ep = new Bytes().ascii("_SM_", 4).u8(0, 31, 2, 8).u16(maxSize).u8(0).bytes([0, 0, 0, 0, 0])
    .ascii("_DMI_", 5).u8(0).u16(table.length).u32(cfg.tableAddress).u16(count).u8(0x28).toArray();
  ep[0x15] = checksum(ep, 0x10, 0x1f);
  ep[4] = checksum(ep, 0, 0x1f);
  return { entryPoint: ep, table, count };
}
