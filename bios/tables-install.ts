// POST step that writes the firmware tables: ACPI at the top of RAM (reserved in E820 as ACPI
// memory), its RSDP in the EBDA, and SMBIOS with its entry point in the shadowed F segment.
import type { BiosFirmware } from "./firmware";
import { buildAcpiTables } from "./tables/acpi";
import { buildSmbios } from "./tables/smbios";
import { buildMpTables } from "./tables/mptable";
import { e820Map } from "../src/machine/boot/e820";
import { EBDA_SEGMENT } from "./bda";
import { BIOS_SEGMENT, RUNTIME_SMBIOS_EP, RUNTIME_CONFIG_TABLE } from "./services";
import { type PciEnumResult, PCI_MEM_START, PCI_MEM_END } from "./pci-enum";

/** Bytes reserved at the top of RAM for the ACPI tables and the SMBIOS structure table. */
export const TABLES_RESERVED = 0x10000;
const RSDP_EBDA_OFFSET = 0x40;
/** The MP floating pointer: 16-byte aligned in the EBDA's first KiB, where MP 1.4 (4.0) has it searched first. */
const MP_FLOATING_EBDA_OFFSET = 0x60;
/** Layout of the reserved area: ACPI from its start, the MP configuration table, then SMBIOS in the upper half. */
const MP_TABLE_OFFSET = 0x7000;
const IOAPIC_ADDRESS = 0xfec00000;
const LAPIC_ADDRESS = 0xfee00000;

export function writeTables(fw: BiosFirmware, pci: PciEnumResult): void {
  const { host } = fw;
  const top = Math.min(host.ramBytes, 0xe0000000);
  const base = top - TABLES_RESERVED;
  fw.e820 = e820Map(host.ramBytes, TABLES_RESERVED);
  if (host.config.acpi) {
    const acpi = buildAcpiTables({
      base, pmBase: pci.pmBase, sciIrq: 9, apic: host.config.apic,
      ioApicAddress: IOAPIC_ADDRESS, localApicAddress: LAPIC_ADDRESS, pirqIrqs: pci.pirqIrqs,
      pciMemWindow: [Math.max(PCI_MEM_START, top), PCI_MEM_END - 1],
    });
    if (acpi.blob.length > MP_TABLE_OFFSET) throw new Error("ACPI tables outgrew their reserved area");
    host.mem.write(base, acpi.blob);
    host.mem.write((EBDA_SEGMENT << 4) + RSDP_EBDA_OFFSET, acpi.rsdp);
  }
  if (host.config.apic) {
    // With APICs, an MP table too: what Linux uses for the I/O APIC when ACPI is off.
    const mp = buildMpTables({
      tableAddress: base + MP_TABLE_OFFSET, localApicAddress: LAPIC_ADDRESS, ioApicAddress: IOAPIC_ADDRESS,
      ioApicId: 1, ioApicVersion: 0x11, localApicVersion: 0x14,
      // CPUID leaf 1 as asm/cpu/system/cpuid.ts reports it: family 6 model 8 stepping 3; of the
      // feature bits MP 1.4 table 4-5 defines, FPU, MCE, CX8 and APIC.
      cpuSignature: 0x683, cpuFeatures: (1 << 0) | (1 << 7) | (1 << 8) | (1 << 9),
      pirqIrqs: pci.pirqIrqs, pciInterrupts: pci.pciInterrupts, levelIrqs: [9, ...pci.pirqIrqs],
    });
    if (MP_TABLE_OFFSET + mp.table.length > TABLES_RESERVED / 2) throw new Error("the MP table outgrew its reserved area");
    host.mem.write(base + MP_TABLE_OFFSET, mp.table);
    host.mem.write((EBDA_SEGMENT << 4) + MP_FLOATING_EBDA_OFFSET, mp.floating);
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
