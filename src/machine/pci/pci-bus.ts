// PCI bus 0 and configuration mechanism #1 (PCI Local Bus Specification 2.x, 3.2.2.3.2):
// CONFIG_ADDRESS is the dword at 0xCF8, CONFIG_DATA the dword at 0xCFC, which may be accessed as
// bytes, words or a dword at any offset. Also routes the functions' INTx# levels onto PIRQA-D
// (the swizzle of the PCI-to-PCI bridge spec, which host bridges like the i440FX use for slots).
import type { IoBus } from "../io";
import { StateError, type Device, type Schema } from "../state";
import type { PciFunction, PciInterruptSink } from "./pci-function";

export interface PciBusState {
  /** CONFIG_ADDRESS: bit 31 enable, 23:16 bus, 15:11 device, 10:8 function, 7:2 register. */
  configAddress: number;
  /** INTx# levels per devfn: bit n-1 for INTA#..INTD#. */
  intx: number[];
}

/** Receives the wired-OR level of each PIRQ line (0-3 for PIRQA#-PIRQD#). */
export interface PirqRouter {
  pirqChanged(pirq: number, level: boolean): void;
}

/** CONFIG_ADDRESS bits that hold state: bits 30:24 are reserved and bits 1:0 read as zero. */
const ADDRESS_MASK = 0x80fffffc;

export class PciBus implements Device<PciBusState> {
  readonly name = "pci";
  readonly schema: Schema = { configAddress: "u32", intx: { type: "u8[]", length: 256 } };
  state!: PciBusState;
  private readonly functions: (PciFunction | undefined)[] = new Array(256);
  private router: PirqRouter | null = null;

  constructor(io: IoBus) {
    this.reset();
    // CONFIG_ADDRESS is only the dword at 0xCF8: byte and word accesses to 0xCF8-0xCFB are ordinary
    // I/O cycles (3.2.2.3.2), so 0xCF9-0xCFB stay free for the PIIX Reset Control Register.
    io.register("pci-config", 0xcf8, 1, {
      read32: () => this.state.configAddress,
      write32: (_p, v) => {
        this.state.configAddress = (v & ADDRESS_MASK) >>> 0;
      },
    });
    io.register("pci-config", 0xcfc, 4, {
      read8: (p) => this.dataRead(p, 1),
      read16: (p) => this.dataRead(p, 2),
      read32: (p) => this.dataRead(p, 4),
      write8: (p, v) => this.dataWrite(p, 1, v),
      write16: (p, v) => this.dataWrite(p, 2, v),
      write32: (p, v) => this.dataWrite(p, 4, v),
    });
  }

  reset(): void {
    this.state = { configAddress: 0, intx: new Array(256).fill(0) };
  }

  postLoad(): void {
    if ((this.state.configAddress & ~ADDRESS_MASK) !== 0) throw new StateError("pci.configAddress", "reserved bits are set");
    this.state.intx.forEach((v, i) => {
      if (v > 0xf) throw new StateError(`pci.intx[${i}]`, `${v} is not a 4-bit INTx mask`);
    });
  }

  /** Put `fn` at device `device`, function `func` of bus 0. */
  register(fn: PciFunction, device: number, func: number): void {
    if (device < 0 || device > 31 || func < 0 || func > 7) throw new Error(`bad PCI address ${device}.${func}`);
    const devfn = (device << 3) | func;
    if (this.functions[devfn]) throw new Error(`PCI 00:${device}.${func} is taken by ${this.functions[devfn]!.name}`);
    this.functions[devfn] = fn;
    fn.devfn = devfn;
    const sink: PciInterruptSink = { setIntx: (d, pin, level) => this.setIntx(d, pin, level) };
    fn.interruptSink = sink;
  }

  setRouter(router: PirqRouter): void {
    this.router = router;
  }

  functionAt(device: number, func: number): PciFunction | undefined {
    return this.functions[(device << 3) | func];
  }

  // ---- configuration space ----

  /** A configuration read of bus 0; absent functions read as all ones (master abort). */
  configRead(bus: number, devfn: number, offset: number, size: number): number {
    const fn = bus === 0 ? this.present(devfn) : undefined;
    if (!fn) return size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
    return fn.readConfig(offset, size);
  }

  configWrite(bus: number, devfn: number, offset: number, size: number, value: number): void {
    const fn = bus === 0 ? this.present(devfn) : undefined;
    fn?.writeConfig(offset, size, value);
  }

  /**
   * A function other than 0 is only visible when function 0 exists (PCI 2.x 6.2.1: software probes
   * function 0 and the multi-function bit before the others).
   */
  private present(devfn: number): PciFunction | undefined {
    if ((devfn & 7) !== 0 && !this.functions[devfn & ~7]) return undefined;
    return this.functions[devfn];
  }

  private dataRead(port: number, size: number): number {
    const a = this.state.configAddress;
    if ((a & 0x80000000) === 0) return size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
    const offset = (a & 0xfc) + (port & 3);
    return this.configRead((a >>> 16) & 0xff, (a >>> 8) & 0xff, offset, Math.min(size, 4 - (port & 3)));
  }

  private dataWrite(port: number, size: number, value: number): void {
    const a = this.state.configAddress;
    if ((a & 0x80000000) === 0) return;
    const offset = (a & 0xfc) + (port & 3);
    this.configWrite((a >>> 16) & 0xff, (a >>> 8) & 0xff, offset, Math.min(size, 4 - (port & 3)), value);
  }

  // ---- interrupts ----

  /** Slot swizzle: device d's INTx (1-4) drives PIRQ (d + x - 1) mod 4. */
  static pirqOf(devfn: number, pin: number): number {
    return ((devfn >> 3) + pin - 1) & 3;
  }

  setIntx(devfn: number, pin: number, level: boolean): void {
    if (pin < 1 || pin > 4) return;
    const pirq = PciBus.pirqOf(devfn, pin);
    const before = this.pirqLevel(pirq);
    const bit = 1 << (pin - 1);
    this.state.intx[devfn] = level ? this.state.intx[devfn] | bit : this.state.intx[devfn] & ~bit;
    const after = this.pirqLevel(pirq);
    if (after !== before) this.router?.pirqChanged(pirq, after);
  }

  /** The wired-OR of every INTx# that lands on `pirq`. */
  pirqLevel(pirq: number): boolean {
    const intx = this.state.intx;
    for (let devfn = 0; devfn < 256; devfn++) {
      const m = intx[devfn];
      if (m === 0) continue;
      for (let pin = 1; pin <= 4; pin++) if (m & (1 << (pin - 1)) && PciBus.pirqOf(devfn, pin) === pirq) return true;
    }
    return false;
  }
}
