// ACPI tables (ACPI 6.x ch. 5): RSDP (revision 0), RSDT, FADT (revision 1 layout), FACS, MADT
// (when the machine has APICs) and a DSDT with \_S5 (soft-off through the PIIX4 PM block) and the
// PCI root bridge's static interrupt routing (_PRT). Tables are built as one blob for a given
// physical address; the firmware copies the blob there and the RSDP into the EBDA.
import { Bytes, checksum } from "./bytes";
import * as aml from "./aml";

export interface AcpiConfig {
  /** Physical address where the table blob will be placed (16-byte aligned). */
  base: number;
  /** PIIX4 PM I/O base (PMBA). */
  pmBase: number;
  sciIrq: number;
  apic: boolean;
  ioApicAddress: number;
  localApicAddress: number;
  /** ISA IRQ that each PIRQ line (A-D) is routed to, as POST programmed the PIIX3. */
  pirqIrqs: [number, number, number, number];
  /** The memory window (first, last byte) where POST put the PCI memory BARs. */
  pciMemWindow: [number, number];
}

const OEM_ID = "LAB86 ";
const OEM_TABLE_ID = "LAB86PC ";

function header(b: Bytes, sig: string, revision: number): void {
  b.ascii(sig, 4).u32(0).u8(revision, 0).ascii(OEM_ID, 6).ascii(OEM_TABLE_ID, 8).u32(1).ascii("L86 ", 4).u32(1);
}

function finish(b: Bytes): Uint8Array {
  b.set32(4, b.length);
  const t = b.toArray();
  t[9] = 0;
  t[9] = checksum(t);
  return t;
}

/** A legacy device with a fixed resource template (_HID and _CRS). */
function isaDevice(n: string, hid: string, uid: number, resources: number[][]): number[] {
  return aml.device(n, [
    aml.name("_HID", aml.eisaId(hid)),
    aml.name("_UID", aml.integer(uid)),
    aml.name("_CRS", aml.buffer([...resources.flat(), ...aml.endTag()])),
  ]);
}

/**
 * The PC's motherboard devices behind the PIIX3 (Linux's PnP ACPI layer claims their resources;
 * its i8042 driver finds the keyboard controller through PNP0303/PNP0F13).
 */
function isaDevices(): number[][] {
  return [
    isaDevice("KBD_", "PNP0303", 0, [aml.ioPort(0x60, 1), aml.ioPort(0x64, 1), aml.irqNoFlags(1)]),
    isaDevice("MOU_", "PNP0F13", 0, [aml.irqNoFlags(12)]),
    isaDevice("COM1", "PNP0501", 1, [aml.ioPort(0x3f8, 8), aml.irqNoFlags(4)]),
    isaDevice("COM2", "PNP0501", 2, [aml.ioPort(0x2f8, 8), aml.irqNoFlags(3)]),
    // COM3/COM4 share IRQ 4/3 with COM1/COM2, as on the PC/AT (the 8250 driver shares them).
    isaDevice("COM3", "PNP0501", 3, [aml.ioPort(0x3e8, 8), aml.irqNoFlags(4)]),
    isaDevice("COM4", "PNP0501", 4, [aml.ioPort(0x2e8, 8), aml.irqNoFlags(3)]),
    isaDevice("RTC_", "PNP0B00", 0, [aml.ioPort(0x70, 2), aml.irqNoFlags(8)]),
    isaDevice("FDC0", "PNP0700", 0, [aml.ioPort(0x3f2, 4), aml.ioPort(0x3f7, 1), aml.irqNoFlags(6), aml.dma(2)]),
  ];
}

/**
 * The DSDT. _PRT maps every slot's INTA-D to the PIIX3 PIRQ lines with the i440FX/PIIX swizzle
 * (PIRQ = (slot + pin) mod 4), giving the ISA IRQ each PIRQ was routed to at POST as the GSI.
 */
export function buildDsdt(cfg: AcpiConfig): Uint8Array {
  const prt: number[][] = [];
  for (let slot = 1; slot < 32; slot++) {
    for (let pin = 0; pin < 4; pin++) {
      prt.push(aml.pkg([aml.integer(((slot << 16) | 0xffff) >>> 0), aml.integer(pin), aml.integer(0), aml.integer(cfg.pirqIrqs[(slot + pin) & 3])]));
    }
  }
  const body = [
    // \_S5: PM1a/PM1b SLP_TYP values for soft-off; 0 on the PIIX4 (82371AB 7.2.3, SUS_TYP).
    aml.name("\\_S5_", aml.pkg([aml.integer(0), aml.integer(0), aml.integer(0), aml.integer(0)])),
    aml.scope("\\_SB_", [
      aml.device("PCI0", [
        aml.name("_HID", aml.eisaId("PNP0A03")),
        aml.name("_ADR", aml.integer(0)),
        aml.name("_UID", aml.integer(0)),
        aml.name("_PRT", aml.pkg(prt)),
        // The root bridge's decode (what Linux uses for its root bus resources): every bus, the
        // configuration ports, all I/O except them, the legacy video window and the PCI hole.
        aml.name("_CRS", aml.buffer([
          ...aml.wordBusNumber(0, 0xff),
          ...aml.ioPort(0xcf8, 8),
          ...aml.wordIo(0x0000, 0x0cf7),
          ...aml.wordIo(0x0d00, 0xffff),
          ...aml.dwordMemory(0xa0000, 0xbffff, true),
          ...aml.dwordMemory(cfg.pciMemWindow[0], cfg.pciMemWindow[1], false),
          ...aml.endTag(),
        ])),
        ...isaDevices(),
      ]),
    ]),
  ];
  const b = new Bytes();
  header(b, "DSDT", 1);
  b.bytes(body.flat());
  return finish(b);
}

function buildFacs(): Uint8Array {
  const b = new Bytes();
  b.ascii("FACS", 4).u32(64).u32(0 /* hardware signature */).u32(0 /* waking vector */).u32(0 /* global lock */).u32(0 /* flags */);
  while (b.length < 64) b.u8(0);
  return b.toArray();
}

function buildFadt(cfg: AcpiConfig, facs: number, dsdt: number): Uint8Array {
  const b = new Bytes();
  header(b, "FACP", 1);
  b.u32(facs).u32(dsdt);
  // INT_MODEL (ACPI 1.0 FADT offset 44): 1 with APICs, 0 for the dual 8259 model (--no-apic).
  b.u8(cfg.apic ? 1 : 0, 0 /* unspecified profile */).u16(cfg.sciIrq);
  // SMI_CMD = 0: no SMM hand-off; the system is always in ACPI mode (SCI_EN set by POST).
  b.u32(0).u8(0, 0, 0, 0);
  b.u32(cfg.pmBase /* PM1a_EVT */).u32(0).u32(cfg.pmBase + 4 /* PM1a_CNT */).u32(0).u32(0);
  b.u32(cfg.pmBase + 8 /* PM_TMR */).u32(cfg.pmBase + 0x0c /* GPE0 */).u32(0);
  b.u8(4 /* PM1_EVT_LEN */, 2 /* PM1_CNT_LEN */, 0, 4 /* PM_TMR_LEN */, 4 /* GPE0_BLK_LEN */, 0, 0, 0);
  b.u16(0xfff /* no C2 */).u16(0xffff /* no C3 */).u16(0).u16(0).u8(0, 0);
  b.u8(0x0d /* DAY_ALRM: RTC register */, 0 /* MON_ALRM */, 0x32 /* CENTURY */);
  b.u16(0).u8(0);
  // Flags: WBINVD (0), PROC_C1 (2), PWR_BUTTON (4) and SLP_BUTTON (5) as control-method buttons
  // (none exist), TMR_VAL_EXT (8) clear: the PIIX4 timer is 24 bits.
  b.u32((1 << 0) | (1 << 2) | (1 << 4) | (1 << 5));
  return finish(b);
}

function buildMadt(cfg: AcpiConfig): Uint8Array {
  const b = new Bytes();
  header(b, "APIC", 1);
  b.u32(cfg.localApicAddress).u32(1 /* PCAT_COMPAT: 8259s present */);
  b.u8(0, 8, 0 /* ACPI processor id */, 0 /* APIC id */).u32(1 /* enabled */);
  b.u8(1, 12, 1 /* I/O APIC id */, 0).u32(cfg.ioApicAddress).u32(0 /* GSI base */);
  // Interrupt source overrides: ISA IRQ 0 arrives at I/O APIC pin 2; the SCI and the PCI IRQs
  // are level triggered, active high at the I/O APIC (the PIIX3 inverts PIRQ#).
  const iso = (irq: number, gsi: number, flags: number) => b.u8(2, 10, 0, irq).u32(gsi).u16(flags);
  iso(0, 2, 0);
  const level = new Set([cfg.sciIrq, ...cfg.pirqIrqs]);
  for (const irq of [...level].sort((x, y) => x - y)) iso(irq, irq, 0x0d);
  // Local APIC NMI on LINT1 for all processors.
  b.u8(4, 6, 0xff).u16(0).u8(1);
  return finish(b);
}

export interface AcpiTables {
  /** The table blob to copy to cfg.base. */
  blob: Uint8Array;
  /** The 20-byte RSDP (revision 0) to place in the EBDA or the BIOS area. */
  rsdp: Uint8Array;
}

export function buildAcpiTables(cfg: AcpiConfig): AcpiTables {
  const parts: { at: number; data: Uint8Array }[] = [];
  let offset = 0;
  const place = (data: Uint8Array, align: number) => {
    offset = Math.ceil(offset / align) * align;
    const at = cfg.base + offset;
    parts.push({ at, data });
    offset += data.length;
    return at;
  };
  const facs = place(buildFacs(), 64);
  const dsdt = place(buildDsdt(cfg), 16);
  const fadt = place(buildFadt(cfg, facs, dsdt), 16);
  const entries = [fadt];
  if (cfg.apic) entries.push(place(buildMadt(cfg), 16));
  const r = new Bytes();
  header(r, "RSDT", 1);
  for (const e of entries) r.u32(e);
  const rsdt = place(finish(r), 16);

  const blob = new Uint8Array(Math.ceil(offset / 16) * 16);
  for (const p of parts) blob.set(p.data, p.at - cfg.base);
  const rsdp = new Bytes().ascii("RSD PTR ", 8).u8(0).ascii(OEM_ID, 6).u8(0 /* revision 0: ACPI 1.0 */).u32(rsdt).toArray();
  rsdp[8] = checksum(rsdp);
  return { blob, rsdp };
}
