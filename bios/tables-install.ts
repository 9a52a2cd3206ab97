// POST step that writes the firmware tables: ACPI at the top of RAM (reserved in E820 as ACPI
// memory), its RSDP in the EBDA, and SMBIOS with its entry point in the shadowed F segment.
import type { BiosFirmware } from "./firmware";
import { buildAcpiTables } from "./tables/acpi";
import { buildSmbios } from "./tables/smbios";
import { e820Map } from "../src/machine/boot/e820";
import { EBDA_SEGMENT } from "./bda";
import { BIOS_SEGMENT, RUNTIME_SMBIOS_EP, RUNTIME_CONFIG_TABLE } from "./services";
import type { PciEnumResult } from "./pci-enum";

/** Bytes reserved at the top of RAM for the ACPI tables and the SMBIOS structure table. */
export const TABLES_RESERVED = 0x10000;
const RSDP_EBDA_OFFSET = 0x40;

export function writeTables(fw: BiosFirmware, pci: PciEnumResult): void {
  const { host } = fw;
  const top = Math.min(host.ramBytes, 0xe0000000);
  const base = top - TABLES_RESERVED;
  fw.e820 = e820Map(host.ramBytes, TABLES_RESERVED);
  if (host.config.acpi) {
    const acpi = buildAcpiTables({
      base, pmBase: pci.pmBase, sciIrq: 9, apic: host.config.apic,
      ioApicAddress: 0xfec00000, localApicAddress: 0xfee00000, pirqIrqs: pci.pirqIrqs,
    });
    if (acpi.blob.length > TABLES_RESERVED / 2) throw new Error("ACPI tables outgrew their reserved area");
    host.mem.write(base, acpi.blob);
    host.mem.write((EBDA_SEGMENT << 4) + RSDP_EBDA_OFFSET, acpi.rsdp);
  }
  const smbiosTable = base + TABLES_RESERVED / 2;
  const smbios = buildSmbios({ tableAddress: smbiosTable, ramBytes: host.ramBytes, uuid: host.config.uuid, biosVersion: "lab86 0.1", biosDate: "11/21/2026" });
  host.mem.write(smbiosTable, smbios.table);
  // The F segment is ROM: shadow it into RAM, write the entry point and the INT 15h C0h table,
  // and write-protect it again, as a PC BIOS does.
  host.shadowRom(BIOS_SEGMENT << 4, 0x10000, true);
  host.mem.write((BIOS_SEGMENT << 4) + RUNTIME_SMBIOS_EP, smbios.entryPoint);
  // INT 15h C0h (Ralf Brown table 00509): length 8, model FCh, submodel 01h, BIOS revision 0,
  // feature 1: EBDA allocated (bit 2); feature 2: INT 16h AH=09h... none; rest 0.
  host.mem.write((BIOS_SEGMENT << 4) + RUNTIME_CONFIG_TABLE, Uint8Array.of(8, 0, 0xfc, 0x01, 0x00, 0x04 | 0x40, 0, 0, 0, 0));
  fw.configTableOffset = RUNTIME_CONFIG_TABLE;
  host.shadowRom(BIOS_SEGMENT << 4, 0x10000, false);
}
