// The physical memory map reported to guests (INT 15h E820, Linux boot_params, Multiboot mmap).
// ACPI 6.x Table 15-374 defines the types.

export const E820_RAM = 1;
export const E820_RESERVED = 2;
export const E820_ACPI = 3;

export interface E820Entry {
  base: number;
  length: number;
  type: number;
}

/** Where the firmware keeps the extended BIOS data area (below 640 KiB). */
export const EBDA_BASE = 0x9fc00;

/**
 * The map for `ramBytes` of RAM: conventional memory up to the EBDA, the BIOS area reserved,
 * extended memory above 1 MiB, minus `reservedTop` bytes at the top of RAM (ACPI tables).
 */
export function e820Map(ramBytes: number, reservedTop = 0): E820Entry[] {
  const map: E820Entry[] = [
    { base: 0, length: EBDA_BASE, type: E820_RAM },
    { base: EBDA_BASE, length: 0xa0000 - EBDA_BASE, type: E820_RESERVED },
    { base: 0xf0000, length: 0x10000, type: E820_RESERVED },
  ];
  const top = ramBytes - reservedTop;
  if (top > 0x100000) map.push({ base: 0x100000, length: top - 0x100000, type: E820_RAM });
  if (reservedTop > 0) map.push({ base: top, length: reservedTop, type: E820_ACPI });
  // The BIOS ROM alias just below 4 GiB.
  map.push({ base: 0xfffc0000, length: 0x40000, type: E820_RESERVED });
  return map;
}
