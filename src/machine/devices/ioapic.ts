// Intel 82093AA I/O APIC (datasheet order 290566): 24 interrupt input pins, each with a 64-bit
// redirection table entry, reached through IOREGSEL (offset 0x00) and IOWIN (offset 0x10).
// Messages go to the uniprocessor's local APIC when the entry's destination selects it.
import type { MmioBus } from "../io";
import { type Device, type Schema, StateError } from "../state";
import { DELIVERY_EXTINT, DELIVERY_FIXED, DELIVERY_LOWEST, type LocalApic } from "./lapic";

export const IOAPIC_DEFAULT_BASE = 0xfec00000;
export const IOAPIC_PINS = 24;
const IOAPIC_VERSION = 0x00170011; // 82093AA: version 0x11, maximum redirection entry 23

const RTE_MASKED = 0x10000;
const RTE_LEVEL = 0x8000;
const RTE_REMOTE_IRR = 0x4000;
const RTE_DELIVERY_STATUS = 0x1000;
const RTE_LOGICAL = 0x800;
const RTE_WRITABLE_LO = 0x1afff; // vector, mode, dest mode, polarity, trigger, mask

export interface IoApicState {
  id: number;
  select: number; // IOREGSEL
  rteLo: number[];
  rteHi: number[]; // destination in bits 24-31
  pins: boolean[]; // the electrical level at each pin (true = high)
}

const IOAPIC_SCHEMA: Schema = {
  id: "u8",
  select: "u8",
  rteLo: { type: "u32[]", length: IOAPIC_PINS },
  rteHi: { type: "u32[]", length: IOAPIC_PINS },
  pins: { type: "bool[]", length: IOAPIC_PINS },
};

export class IoApic implements Device<IoApicState> {
  readonly name = "ioapic";
  readonly schema = IOAPIC_SCHEMA;
  state: IoApicState;

  constructor(private readonly lapic: LocalApic, readonly base = IOAPIC_DEFAULT_BASE) {
    this.state = IoApic.powerOn();
  }

  private static powerOn(): IoApicState {
    return {
      id: 0,
      select: 0,
      rteLo: new Array(IOAPIC_PINS).fill(RTE_MASKED),
      rteHi: new Array(IOAPIC_PINS).fill(0),
      pins: new Array(IOAPIC_PINS).fill(false),
    };
  }

  reset(): void {
    const pins = this.state.pins;
    this.state = IoApic.powerOn();
    this.state.pins = pins;
    this.updateExtInt();
  }

  postLoad(): void {
    const s = this.state;
    s.rteLo.forEach((v, i) => {
      if (v & ~(RTE_WRITABLE_LO | RTE_REMOTE_IRR | RTE_DELIVERY_STATUS)) throw new StateError(`ioapic.rteLo[${i}]`, "sets reserved bits");
    });
    s.rteHi.forEach((v, i) => {
      if (v & 0x00ffffff) throw new StateError(`ioapic.rteHi[${i}]`, "sets reserved bits");
    });
    if (s.id > 15) throw new StateError("ioapic.id", "is a 4-bit field");
    this.updateExtInt();
  }

  attach(mmio: MmioBus): void {
    mmio.register(this.name, this.base, 0x1000, {
      read: (addr, size) => this.mmioRead(addr - this.base, size),
      write: (addr, size, v) => this.mmioWrite(addr - this.base, size, v),
    });
  }

  /**
   * Is pin `pin` asserted? The router drives every line with its logical state (true = the device
   * requests an interrupt), so the entry's polarity bit (bit 13, 82093AA 3.2.4) is kept for the guest to
   * read back but does not invert the input, as in QEMU's I/O APIC. Electrical polarity is a
   * contract between the board and its firmware tables, and the firmware lab86 boots disagree:
   * SeaBIOS's MADT declares IRQs 5, 9, 10 and 11 active high, while the Bochs BIOS's MADT has no
   * override for the SCI, so Linux programs IRQ 9 with ACPI's default, active low. Honouring the bit
   * would leave the SCI asserted for ever under the Bochs BIOS ("irq 9: nobody cared").
   */
  private asserted(pin: number): boolean {
    return this.state.pins[pin];
  }

  /** An input pin's electrical level changed (the router drives ISA and PCI lines active high). */
  setPin(pin: number, level: boolean): void {
    const s = this.state;
    const before = this.asserted(pin);
    s.pins[pin] = level;
    const now = this.asserted(pin);
    const lo = s.rteLo[pin];
    if (((lo >>> 8) & 7) === DELIVERY_EXTINT) {
      this.updateExtInt();
      return;
    }
    if (lo & RTE_LEVEL) {
      if (now) this.deliverLevel(pin);
    } else if (now && !before && !(lo & RTE_MASKED)) {
      // Edge triggered: an edge on a masked pin is lost (82093AA 3.2.4).
      this.send(pin);
    }
  }

  /** Level-triggered: deliver while asserted, unmasked and not already awaiting EOI. */
  private deliverLevel(pin: number): void {
    const lo = this.state.rteLo[pin];
    if (lo & (RTE_MASKED | RTE_REMOTE_IRR) || !this.asserted(pin)) return;
    if (this.send(pin)) this.state.rteLo[pin] = (this.state.rteLo[pin] | RTE_REMOTE_IRR) >>> 0;
  }

  /** Send the entry's message; returns whether the local APIC was a destination. */
  private send(pin: number): boolean {
    const lo = this.state.rteLo[pin];
    const dest = this.state.rteHi[pin] >>> 24;
    if (!this.lapic.matchesDestination(dest, (lo & RTE_LOGICAL) !== 0)) return false;
    const mode = (lo >>> 8) & 7;
    const level = (lo & RTE_LEVEL) !== 0;
    this.lapic.deliver(mode === DELIVERY_LOWEST ? DELIVERY_FIXED : mode, lo & 0xff, level);
    return true;
  }

  /** The local APIC's EOI for a level-triggered vector: clear remote IRR of entries with that vector. */
  eoi(vector: number): void {
    const s = this.state;
    for (let pin = 0; pin < IOAPIC_PINS; pin++) {
      const lo = s.rteLo[pin];
      if (lo & RTE_REMOTE_IRR && (lo & 0xff) === vector) {
        s.rteLo[pin] = (lo & ~RTE_REMOTE_IRR) >>> 0;
        this.deliverLevel(pin); // still asserted: interrupt again
      }
    }
  }

  /** ExtINT entries pass the 8259's INTR (on pin 0) straight to the local APIC. */
  private updateExtInt(): void {
    let ext = false;
    for (let pin = 0; pin < IOAPIC_PINS; pin++) {
      const lo = this.state.rteLo[pin];
      if (((lo >>> 8) & 7) === DELIVERY_EXTINT && !(lo & RTE_MASKED) && this.asserted(pin)) ext = true;
    }
    this.lapic.setExtIntFromIoapic(ext);
  }

  readRegister(index: number): number {
    const s = this.state;
    if (index === 0x00) return (s.id << 24) >>> 0;
    if (index === 0x01) return IOAPIC_VERSION;
    if (index === 0x02) return (s.id << 24) >>> 0; // arbitration ID follows the APIC ID
    if (index >= 0x10 && index < 0x10 + 2 * IOAPIC_PINS) {
      const pin = (index - 0x10) >> 1;
      return index & 1 ? s.rteHi[pin] : s.rteLo[pin];
    }
    return 0;
  }

  writeRegister(index: number, v: number): void {
    const s = this.state;
    if (index === 0x00) {
      s.id = (v >>> 24) & 0x0f;
      return;
    }
    if (index >= 0x10 && index < 0x10 + 2 * IOAPIC_PINS) {
      const pin = (index - 0x10) >> 1;
      if (index & 1) {
        s.rteHi[pin] = (v & 0xff000000) >>> 0;
        return;
      }
      const keep = s.rteLo[pin] & (RTE_REMOTE_IRR | RTE_DELIVERY_STATUS);
      let lo = (v & RTE_WRITABLE_LO) | keep;
      if (!(lo & RTE_LEVEL)) lo &= ~RTE_REMOTE_IRR; // remote IRR is meaningless for edge entries
      s.rteLo[pin] = lo >>> 0;
      if (lo & RTE_LEVEL) this.deliverLevel(pin); // unmasking an asserted level pin interrupts
      this.updateExtInt();
    }
    // Version and arbitration registers are read-only.
  }

  private mmioRead(offset: number, size: number): number {
    const s = this.state;
    let v: number;
    if ((offset & 0xf0) === 0x00) v = s.select;
    else if ((offset & 0xf0) === 0x10) v = this.readRegister(s.select);
    else return 0;
    const shift = (offset & 3) * 8;
    return size === 4 ? v >>> 0 : (v >>> shift) & ((1 << (size * 8)) - 1);
  }

  private mmioWrite(offset: number, size: number, v: number): void {
    if ((offset & 0xf0) === 0x00) {
      if ((offset & 3) === 0) this.state.select = v & 0xff; // IOREGSEL takes byte or dword writes
    } else if ((offset & 0xf0) === 0x10 && size === 4 && (offset & 0xf) === 0) {
      this.writeRegister(this.state.select, v >>> 0);
    }
  }
}
