// An interrupt request line, as a device sees it. A device raises and lowers its line; it never
// knows which interrupt controller (PIC, I/O APIC, or both) is wired to it.

export interface IrqSink {
  setIrq(irq: number, level: boolean): void;
}

export class IrqLine {
  private level = false;
  constructor(private readonly sink: IrqSink, readonly irq: number) {}
  raise(): void {
    this.set(true);
  }
  lower(): void {
    this.set(false);
  }
  /** An edge: raise then lower (ISA edge-triggered devices such as the PIT output and RTC). */
  pulse(): void {
    this.sink.setIrq(this.irq, true);
    this.sink.setIrq(this.irq, false);
    this.level = false;
  }
  set(level: boolean): void {
    if (level === this.level) return;
    this.level = level;
    this.sink.setIrq(this.irq, level);
  }
  get asserted(): boolean {
    return this.level;
  }
}
