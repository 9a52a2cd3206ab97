// POST's PCI enumeration (PCI Firmware Specification 3.0, and what the PIIX3/PIIX4 datasheets ask
// of a BIOS): size and assign every BAR, route PIRQA-D, set each function's interrupt line,
// enable decoding, and configure the chipset functions (IDE legacy decode, the ACPI PM block).
import type { BiosFirmware } from "./firmware";
import { pciRead, pciWrite } from "./int1a";

/** ISA IRQs for PIRQA..D, as most PC BIOSes and SeaBIOS choose them. */
export const PIRQ_IRQS: [number, number, number, number] = [10, 10, 11, 11];
/** The PIIX4 PM I/O block's base. */
export const PM_BASE = 0xb000;
const IO_START = 0xc000;
/** The window POST assigns memory BARs from (below the I/O APIC), described in the DSDT's _CRS. */
export const PCI_MEM_START = 0xe0000000;
export const PCI_MEM_END = 0xfec00000;

interface BarRequest {
  devfn: number;
  reg: number;
  io: boolean;
  size: number;
}

export interface PciEnumResult {
  pirqIrqs: [number, number, number, number];
  pmBase: number;
  /** LFB address of the first display controller, if any (for VBE). */
  displayBars: { devfn: number; base: number }[];
  /** Devices that use an INTx pin (1-4 = INTA-D), for the MP table's PCI interrupt entries. */
  pciInterrupts: { slot: number; pin: number }[];
}

export function enumeratePci(fw: BiosFirmware): PciEnumResult {
  const bars: BarRequest[] = [];
  const present: number[] = [];
  for (let devfn = 0; devfn < 256; devfn++) {
    const id = pciRead(fw, 0, devfn, 0, 4);
    if ((id & 0xffff) === 0xffff || id === 0) {
      if ((devfn & 7) === 0) devfn += 7; // no function 0: skip the device
      continue;
    }
    present.push(devfn);
    const headerType = pciRead(fw, 0, devfn, 0x0e, 1);
    for (let i = 0; i < 6; i++) {
      const reg = 0x10 + 4 * i;
      const old = pciRead(fw, 0, devfn, reg, 4);
      pciWrite(fw, 0, devfn, reg, 4, 0xffffffff);
      const probe = pciRead(fw, 0, devfn, reg, 4);
      pciWrite(fw, 0, devfn, reg, 4, old);
      if (probe === 0 || probe === 0xffffffff && old === 0xffffffff) continue;
      const io = (probe & 1) === 1;
      const mask = io ? probe & 0xfffffffc : probe & 0xfffffff0;
      const size = (~mask + 1) >>> 0 & (io ? 0xffff : 0xffffffff);
      if (size === 0) continue;
      bars.push({ devfn, reg, io, size });
      if (!io && ((probe >> 1) & 3) === 2) i++; // 64-bit BAR: the upper half stays 0
    }
    if ((devfn & 7) === 0 && (headerType & 0x80) === 0) devfn += 7; // single-function device
  }
  // Largest first keeps every BAR naturally aligned with no holes to speak of.
  bars.sort((a, b) => b.size - a.size);
  let ioNext = IO_START;
  let memNext = PCI_MEM_START;
  const displayBars: { devfn: number; base: number }[] = [];
  for (const b of bars) {
    if (b.io) {
      const base = Math.ceil(ioNext / b.size) * b.size;
      if (base + b.size > 0x10000) continue;
      pciWrite(fw, 0, b.devfn, b.reg, 4, base | 1);
      ioNext = base + b.size;
    } else {
      const base = Math.ceil(memNext / b.size) * b.size;
      if (base + b.size > PCI_MEM_END) continue;
      pciWrite(fw, 0, b.devfn, b.reg, 4, base);
      memNext = base + b.size;
      if (pciRead(fw, 0, b.devfn, 0x0b, 1) === 0x03 && b.reg === 0x10) displayBars.push({ devfn: b.devfn, base });
    }
  }
  // PIIX3 PIRQ route control (82371SB 2.2.9): PIRQA-D at 0x60-0x63, bit 7 clear = routed.
  const isa = present.find((df) => pciRead(fw, 0, df, 0, 4) === 0x70008086);
  if (isa !== undefined) PIRQ_IRQS.forEach((irq, i) => pciWrite(fw, 0, isa, 0x60 + i, 1, irq));
  const pciInterrupts: { slot: number; pin: number }[] = [];
  for (const devfn of present) {
    const id = pciRead(fw, 0, devfn, 0, 4);
    const pin = pciRead(fw, 0, devfn, 0x3d, 1);
    if (pin >= 1 && pin <= 4 && !pciInterrupts.some((p) => p.slot === devfn >> 3 && p.pin === pin)) pciInterrupts.push({ slot: devfn >> 3, pin });
    if (pin >= 1 && pin <= 4) {
      // The PIIX swizzle: INTx of slot s arrives at PIRQ (s + pin - 1) mod 4.
      const slot = devfn >> 3;
      pciWrite(fw, 0, devfn, 0x3c, 1, PIRQ_IRQS[(slot + pin - 1) & 3]);
    }
    let cmd = pciRead(fw, 0, devfn, 0x04, 2);
    cmd |= 0x0003; // I/O and memory decode
    if (id === 0x71108086 || id === 0x71138086) cmd &= ~2; // the PM function has no memory BAR
    pciWrite(fw, 0, devfn, 0x04, 2, cmd | 0x0004); // and bus master
    if (id === 0x70108086) {
      // PIIX IDE: IDETIM decode enable for both channels (82371SB 2.5.2), legacy ports 1F0/170.
      pciWrite(fw, 0, devfn, 0x40, 2, 0x8000);
      pciWrite(fw, 0, devfn, 0x42, 2, 0x8000);
      pciWrite(fw, 0, devfn, 0x3c, 1, 14);
    }
    if (id === 0x71138086) {
      // PIIX4 PM: PMBA and PMREGMISC.PMIOSE (82371AB 7.1.11/7.1.21); the SCI is IRQ 9.
      pciWrite(fw, 0, devfn, 0x40, 4, PM_BASE | 1);
      pciWrite(fw, 0, devfn, 0x80, 1, 1);
      pciWrite(fw, 0, devfn, 0x3c, 1, 9);
      // No SMI handler: the machine is always in ACPI mode, so SCI_EN (PMCNTRL bit 0) is set now.
      fw.host.io.write(PM_BASE + 4, 2, fw.host.io.read(PM_BASE + 4, 2) | 1);
    }
  }
  // ELCR: the SCI and the PCI interrupt lines are level triggered (82371SB 2.3.x, ELCR1/ELCR2).
  let elcr = 1 << 9;
  for (const irq of PIRQ_IRQS) elcr |= 1 << irq;
  fw.host.io.write(0x4d0, 1, elcr & 0xf8);
  fw.host.io.write(0x4d1, 1, (elcr >> 8) & 0xde);
  return { pirqIrqs: PIRQ_IRQS, pmBase: PM_BASE, displayBars, pciInterrupts };
}
