// Intel MultiProcessor Specification 1.4 tables (chapter 4): the MP floating pointer structure and
// the MP configuration table (processor, bus, I/O APIC, I/O interrupt and local interrupt
// entries). Linux reads it to find the I/O APIC and its interrupt routing when ACPI is off
// (acpi=off, or --no-acpi), so it describes the same wiring as the MADT and the DSDT's _PRT.
import { Bytes, checksum } from "./bytes";

export interface MpConfig {
  /** Physical address of the configuration table. */
  tableAddress: number;
  localApicAddress: number;
  ioApicAddress: number;
  ioApicId: number;
  /** I/O APIC version register's low byte (0x11 for the 82093AA). */
  ioApicVersion: number;
  /** Local APIC version register's low byte. */
  localApicVersion: number;
  /** CPUID leaf 1 EAX (signature) and EDX (features), copied into the processor entry. */
  cpuSignature: number;
  cpuFeatures: number;
  /** ISA IRQ of each PIRQ line (A-D), as POST routed them. */
  pirqIrqs: [number, number, number, number];
  /** PCI devices (slot, interrupt pin 1-4) whose INTx lines are in use. */
  pciInterrupts: { slot: number; pin: number }[];
  /** ISA IRQs that are level triggered, active high at the I/O APIC (the SCI, the PIRQ targets). */
  levelIrqs: number[];
}

export interface MpTables {
  /** The 16-byte floating pointer, to place on a 16-byte boundary in the EBDA's first KiB or in E0000h-FFFFFh. */
  floating: Uint8Array;
  /** The configuration table for cfg.tableAddress. */
  table: Uint8Array;
}

const BUS_PCI = 0;
const BUS_ISA = 1;
const INT_TYPE_INT = 0, INT_TYPE_NMI = 1, INT_TYPE_EXTINT = 3;
// Interrupt entry flags (MP 1.4 table 4-10): polarity bits 0-1 (1 active high), trigger bits 2-3
// (1 edge, 3 level); 0 conforms to the bus (ISA: edge, active high).
const FLAGS_CONFORM = 0;
const FLAGS_LEVEL_HIGH = 0x0d;

export function buildMpTables(cfg: MpConfig): MpTables {
  const entries = new Bytes();
  let count = 0;
  // Processor entry (4.3.1): the BSP, enabled.
  entries.u8(0, 0 /* local APIC id */, cfg.localApicVersion, 0x03 /* EN | BP */).u32(cfg.cpuSignature).u32(cfg.cpuFeatures).u32(0).u32(0);
  count++;
  // Bus entries (4.3.2), ids in ascending order.
  entries.u8(1, BUS_PCI).ascii("PCI   ", 6);
  entries.u8(1, BUS_ISA).ascii("ISA   ", 6);
  count += 2;
  // I/O APIC entry (4.3.3).
  entries.u8(2, cfg.ioApicId, cfg.ioApicVersion, 0x01 /* EN */).u32(cfg.ioApicAddress);
  count++;
  const intr = (type: number, flags: number, bus: number, busIrq: number, pin: number) => {
    entries.u8(3, type).u16(flags).u8(bus, busIrq, cfg.ioApicId, pin);
    count++;
  };
  // Pin 0 takes the 8259's INTR (ExtINT, virtual wire mode B; 3.6.2.2).
  intr(INT_TYPE_EXTINT, FLAGS_CONFORM, BUS_ISA, 0, 0);
  const level = new Set(cfg.levelIrqs);
  for (let irq = 0; irq < 16; irq++) {
    if (irq === 2) continue; // the cascade: no ISA device drives it
    intr(INT_TYPE_INT, level.has(irq) ? FLAGS_LEVEL_HIGH : FLAGS_CONFORM, BUS_ISA, irq, irq === 0 ? 2 : irq);
  }
  // PCI interrupts (4.3.4, PCI source bus IRQ: device number in bits 2-6, pin in bits 0-1),
  // through the PIIX3 swizzle onto the PIRQ's ISA IRQ. The PIIX3 inverts PIRQ#, so the I/O APIC
  // sees them active high.
  for (const { slot, pin } of cfg.pciInterrupts) {
    intr(INT_TYPE_INT, FLAGS_LEVEL_HIGH, BUS_PCI, (slot << 2) | (pin - 1), cfg.pirqIrqs[(slot + pin - 1) & 3]);
  }
  // Local interrupt entries (4.3.5): LINT0 ExtINT, LINT1 NMI, on every local APIC.
  entries.u8(4, INT_TYPE_EXTINT).u16(FLAGS_CONFORM).u8(BUS_ISA, 0, 0xff, 0);
  entries.u8(4, INT_TYPE_NMI).u16(FLAGS_CONFORM).u8(BUS_ISA, 0, 0xff, 1);
  count += 2;

  const t = new Bytes();
  t.ascii("PCMP", 4).u16(0).u8(4 /* spec revision 1.4 */, 0).ascii("LAB86   ", 8).ascii("LAB86 PC    ", 12);
  t.u32(0 /* no OEM table */).u16(0).u16(count).u32(cfg.localApicAddress).u16(0 /* no extended entries */).u8(0, 0);
  t.bytes(entries.toArray());
  const table = t.toArray();
  table[4] = table.length & 0xff;
  table[5] = table.length >> 8;
  table[7] = checksum(table);

  // Floating pointer (4.1): length in 16-byte units, feature byte 1 = 0 (a table is present),
  // feature byte 2 bit 7 (IMCRP) clear: virtual wire mode, no IMCR.
  const floating = new Bytes().ascii("_MP_", 4).u32(cfg.tableAddress).u8(1, 4, 0, 0, 0, 0, 0, 0).toArray();
  floating[10] = checksum(floating);
  return { floating, table };
}
