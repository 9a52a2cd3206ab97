// The PIIX3 PCI-to-ISA bridge, function 00:01.0 (Intel 82371SB datasheet, 2.2): the PIRQ route
// control registers that steer the PCI interrupt lines PIRQA#-PIRQD# onto ISA IRQs. The other
// registers are storage that firmware programs. ELCR (level/edge per IRQ at 0x4D0/0x4D1) belongs to
// the interrupt controller, and the Reset Control Register at 0xCF9 to the system ports module.
import type { IrqSink } from "../irq";
import { StateError, type Schema } from "../state";
import { PciFunction, pciConfigSchema, type PciConfigState } from "./pci-function";
import type { PciBus, PirqRouter } from "./pci-bus";

export const PIRQRC = 0x60;
/** PIRQRC bit 7: routing disabled. */
const IRQROUTEN_DISABLE = 0x80;
/** ISA IRQs a PIRQ may be routed to (82371SB 2.2.8): 0-2, 8 and 13 are reserved. */
const ROUTABLE = 0b1101_1110_1111_1000;

export interface Piix3State extends PciConfigState {
  /** ISA IRQs currently driven high by PCI interrupts (bit per IRQ). */
  driven: number;
  /** PIRQA-D levels as last reported by the bus (bit per PIRQ). */
  pirqLevels: number;
}

export class Piix3IsaBridge extends PciFunction<Piix3State> implements PirqRouter {
  readonly name = "piix3-isa";
  readonly schema: Schema = { ...pciConfigSchema, driven: "u16", pirqLevels: "u8" };
  /** Each PIRQ line's level, for an I/O APIC that takes PIRQA-D on its own pins. */
  onPirqLevel: ((pirq: number, level: boolean) => void) | null = null;

  constructor(
    bus: PciBus,
    private readonly irqs: IrqSink,
  ) {
    super({ vendorId: 0x8086, deviceId: 0x7000, revision: 0x00, classCode: 0x060100, headerType: 0x80, commandMask: 0x0008 }, [], null, null);
    this.reset();
    bus.setRouter(this);
  }

  reset(): void {
    const wasDriven = this.state?.driven ?? 0;
    this.resetPci({ driven: 0, pirqLevels: 0 });
    const c = this.state.config;
    c[0x04] = 0x07; // I/O, memory, bus master: hardwired on (82371SB 2.2.3)
    c[0x07] = 0x02; // DEVSEL medium
    const defaults: [number, number, number][] = [
      // [offset, power-on value, writable bits]
      [0x4c, 0x4d, 0x7f], // IORT
      [0x4e, 0x03, 0xff], // XBCS
      [0x4f, 0x00, 0x07],
      [0x69, 0x02, 0xfe], // TOM
      [0x6a, 0x00, 0xff], // MSTAT
      [0x6b, 0x00, 0xff],
      [0x70, 0x80, 0xcf], // MBIRQ0
      [0x71, 0x80, 0xcf], // MBIRQ1
      [0x76, 0x0c, 0x8f], // MBDMA
      [0x77, 0x0c, 0x8f],
      [0x78, 0x02, 0xff], // PCSC
      [0x79, 0x00, 0xff],
      [0x80, 0x00, 0x3f], // APICBASE
      [0x82, 0x00, 0x0f], // DLC
      [0xa0, 0x08, 0x1f], // SMICNTL
      [0xa2, 0x00, 0xff], // SMIEN
      [0xa3, 0x00, 0x01],
      [0xa4, 0x00, 0xff], // SEE
      [0xa5, 0x00, 0xff],
      [0xa6, 0x00, 0xff],
      [0xa7, 0x00, 0xff],
      [0xa8, 0x0f, 0xff], // FTMR
      [0xaa, 0x00, 0xff], // SMIREQ
      [0xab, 0x00, 0x01],
      [0xac, 0x00, 0xff], // CTLTMR
      [0xae, 0x00, 0xff], // CTHTMR
    ];
    for (const [o, v, m] of defaults) {
      c[o] = v;
      this.wmask[o] = m;
    }
    for (let i = 0; i < 4; i++) {
      c[PIRQRC + i] = IRQROUTEN_DISABLE;
      this.wmask[PIRQRC + i] = 0x8f;
    }
    // Release whatever PCI interrupts were driving before the reset.
    for (let irq = 0; irq < 16; irq++) if (wasDriven & (1 << irq)) this.irqs.setIrq(irq, false);
  }

  /** The ISA IRQ PIRQ `pirq` (0-3 for A-D) is routed to, or -1 when routing is disabled. */
  pirqToIrq(pirq: number): number {
    const v = this.state.config[PIRQRC + (pirq & 3)];
    if (v & IRQROUTEN_DISABLE) return -1;
    const irq = v & 0x0f;
    return ROUTABLE & (1 << irq) ? irq : -1;
  }

  /** The ISA IRQ a function's INTx pin (1-4) reaches, through the slot swizzle and PIRQRC. */
  intxToIrq(devfn: number, pin: number): number {
    return this.pirqToIrq((((devfn >> 3) + pin - 1) & 3));
  }

  pirqChanged(pirq: number, level: boolean): void {
    const bit = 1 << pirq;
    this.state.pirqLevels = level ? this.state.pirqLevels | bit : this.state.pirqLevels & ~bit;
    this.onPirqLevel?.(pirq, level);
    this.drive();
  }

  protected configWritten(offset: number, size: number): void {
    if (offset < PIRQRC + 4 && offset + size > PIRQRC) this.drive();
  }

  /** Drive each ISA IRQ with the OR of the PIRQs routed to it; only changes reach the sink. */
  private drive(): void {
    let want = 0;
    for (let p = 0; p < 4; p++) {
      const irq = this.pirqToIrq(p);
      if (irq >= 0 && this.state.pirqLevels & (1 << p)) want |= 1 << irq;
    }
    const changed = want ^ this.state.driven;
    this.state.driven = want;
    for (let irq = 0; irq < 16; irq++) if (changed & (1 << irq)) this.irqs.setIrq(irq, (want & (1 << irq)) !== 0);
  }

  postLoad(): void {
    super.postLoad();
    const s = this.state;
    if (s.pirqLevels > 0xf) throw new StateError("piix3-isa.pirqLevels", `${s.pirqLevels} is not a 4-bit mask`);
    let want = 0;
    for (let p = 0; p < 4; p++) if (this.pirqToIrq(p) >= 0 && s.pirqLevels & (1 << p)) want |= 1 << this.pirqToIrq(p);
    if (want !== s.driven) throw new StateError("piix3-isa.driven", `0x${s.driven.toString(16)} does not match the PIRQ levels and routes (0x${want.toString(16)})`);
  }
}
