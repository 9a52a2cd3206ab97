// Interrupt routing of a PC with a PIIX-style southbridge: every ISA IRQ line feeds both the
// 8259 pair (input n) and the I/O APIC (pin n, except IRQ 0 on pin 2, as the ACPI MADT interrupt
// source override and the MP table describe it); the 8259's INTR output feeds the local APIC's
// LINT0 (virtual wire mode A) and I/O APIC pin 0 (virtual wire mode B); platform NMI sources
// feed LINT1 through the NMI mask of port 0x70.
//
// The machine sees one INTR level (mirrored into the CPU's INTR_LINE), one intrAck() for the INTA
// cycle, and NMI edges. Without an APIC (--no-apic), or while IA32_APIC_BASE disables it, the
// 8259's INTR and the NMI line go to the CPU directly, as on a pre-APIC PC.
import type { VirtualClock } from "../clock";
import type { MmioBus } from "../io";
import { IrqLine, type IrqSink } from "../irq";
import { IoApic, IOAPIC_PINS } from "./ioapic";
import { LocalApic } from "./lapic";
import { PicPair } from "./pic8259";

export const ISA_IRQS = 16;

/** The I/O APIC pin of a bus IRQ: ISA IRQ 0 (the PIT) is on pin 2; pin 0 takes the 8259's INTR. */
export function ioapicPinOf(irq: number): number {
  return irq === 0 ? 2 : irq;
}

export interface RouterOptions {
  /** Build a local APIC and I/O APIC (false: --no-apic, the 8259 pair only). */
  apic: boolean;
  /** The CPU's INTR input changed. */
  onIntr(level: boolean): void;
  /** An NMI edge for the CPU. */
  onNmi(): void;
  /** An SMI for the CPU (an APIC message in SMI delivery mode). */
  onSmi?(): void;
  /** INIT and STARTUP IPIs delivered to the processor. */
  onInit?(): void;
  onStartup?(vector: number): void;
  /** Port 0x70 bit 7 (owned by the RTC): while true, platform NMI sources are blocked. */
  nmiMasked?(): boolean;
  /** Local APIC timer bus clock. */
  apicBusHz?: number;
  /** Reset LINT0 to ExtINT (virtual wire) for firmware that never programs the local APIC. */
  lint0ExtIntAtReset?: boolean;
}

export class InterruptRouter implements IrqSink {
  readonly pic: PicPair;
  readonly lapic: LocalApic | null;
  readonly ioapic: IoApic | null;
  private intr = false;
  private nmiSource = false; // the platform NMI sources' level before the port 0x70 mask
  private nmiLine = false; // the NMI line after the mask
  /**
   * Per-line source levels: several devices may share one IRQ line (wired-OR, e.g. COM1/COM3, or
   * a PCI interrupt routed onto an ISA IRQ). Slot 0 of each line is the router's direct setIrq().
   */
  private readonly sources: boolean[][] = Array.from({ length: IOAPIC_PINS }, () => [false]);

  constructor(clock: VirtualClock, private readonly options: RouterOptions) {
    this.pic = new PicPair({ onIntr: (level) => this.picIntrChanged(level) });
    if (options.apic) {
      const lapic = new LocalApic(
        clock,
        {
          onIntrChange: () => this.refresh(),
          onNmi: () => this.options.onNmi(),
          onSmi: () => this.options.onSmi?.(),
          onEoiBroadcast: (vector) => this.ioapic?.eoi(vector),
          onInit: () => this.options.onInit?.(),
          onStartup: (v) => this.options.onStartup?.(v),
        },
        options.apicBusHz,
        options.lint0ExtIntAtReset,
      );
      this.lapic = lapic;
      this.ioapic = new IoApic(lapic);
    } else {
      this.lapic = null;
      this.ioapic = null;
    }
  }

  /** Devices in reset/snapshot order. */
  get devices(): (PicPair | LocalApic | IoApic)[] {
    return [this.pic, ...(this.lapic ? [this.lapic] : []), ...(this.ioapic ? [this.ioapic] : [])];
  }

  attachMmio(mmio: MmioBus): void {
    this.lapic?.attach(mmio);
    this.ioapic?.attach(mmio);
  }

  /**
   * An interrupt line for one device. Lines of several devices on the same IRQ combine as a
   * wired-OR; a device that owns its IRQ alone may also use the router as its IrqSink directly.
   */
  line(irq: number): IrqLine {
    if (irq < 0 || irq >= IOAPIC_PINS) throw new Error(`no IRQ ${irq}`);
    const list = this.sources[irq];
    const index = list.length;
    list.push(false);
    return new IrqLine(
      {
        setIrq: (_irq, level) => {
          list[index] = level;
          this.drive(irq, list.some((l) => l));
        },
      },
      irq,
    );
  }

  /** IrqSink: IRQ 0-15 are ISA lines (8259 and I/O APIC), 16-23 reach the I/O APIC only. */
  setIrq(irq: number, level: boolean): void {
    if (irq < 0 || irq >= IOAPIC_PINS) throw new Error(`no IRQ ${irq}`);
    const list = this.sources[irq];
    list[0] = level;
    this.drive(irq, list.some((l) => l));
  }

  private drive(irq: number, level: boolean): void {
    if (irq < ISA_IRQS) this.pic.setIrq(irq, level);
    if (irq !== 2) this.ioapic?.setPin(ioapicPinOf(irq), level);
  }

  /** Platform NMI sources (IOCHK, SERR#): level, gated by the NMI mask of port 0x70. */
  setNmiSource(level: boolean): void {
    this.nmiSource = level;
    this.nmiMaskChanged();
  }

  /** Port 0x70 bit 7 changed: a source held high reaches the CPU once unmasked. */
  nmiMaskChanged(): void {
    const gated = this.nmiSource && !this.options.nmiMasked?.();
    if (gated === this.nmiLine) return;
    this.nmiLine = gated;
    if (this.apicActive()) this.lapic!.setLint(1, gated);
    else if (gated) this.options.onNmi();
  }

  private apicActive(): boolean {
    return this.lapic !== null && this.lapic.enabled;
  }

  private picIntrChanged(level: boolean): void {
    this.lapic?.setLint(0, level);
    this.ioapic?.setPin(0, level);
    this.refresh();
  }

  /** The CPU's INTR input. */
  intrAsserted(): boolean {
    return this.apicActive() ? this.lapic!.intrAsserted() : this.pic.hasInterrupt();
  }

  /** INTA: the vector of the interrupt the CPU takes now. */
  intrAck(): number {
    let vector: number;
    if (!this.apicActive()) vector = this.pic.acknowledge();
    else if (this.lapic!.extIntActive()) vector = this.pic.acknowledge(); // ExtINT: the 8259 supplies the vector
    else vector = this.lapic!.acknowledge();
    this.refresh();
    return vector;
  }

  /** IA32_APIC_BASE was written (the machine forwards the CPU's MSR). */
  setApicBase(msr: number): void {
    this.lapic?.setApicBase(msr);
    this.refresh();
  }

  /** Recompute INTR after any controller change; `force` reports it even if unchanged (after a restore). */
  refresh(force = false): void {
    const level = this.intrAsserted();
    if (level !== this.intr || force) {
      this.intr = level;
      this.options.onIntr(level);
    }
  }
}
