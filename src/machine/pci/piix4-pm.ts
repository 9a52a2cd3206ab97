// PIIX4 power-management function 00:01.3 (Intel 82371AB datasheet, 7.1 "PCI Configuration
// Registers, Function 3"): PMBA (0x40) places the 64-byte ACPI register block in I/O space and
// PMREGMISC bit 0 (0x80) enables it. The PCI command register's I/O enable gates only the SMBus,
// which this model leaves absent (SMBBA and SMBHSTCFG read as zero and cannot be set).
//
// The APM ports (82371AB 7.2.1): APMC at B2h, whose writes raise SMI# when APMC_EN (DEVACTB bit
// 25, config 0x58) is set, and the APMS scratch byte at B3h. The firmware's SMM handler serves the
// SMI (the Bochs BIOS relocates SMBASE with one at POST, and its handler switches ACPI mode).
// The ACPI mode switch that the FADT's SMI_CMD/ACPI_ENABLE/ACPI_DISABLE fields describe is also
// done here in hardware, as QEMU's PIIX4 does: SeaBIOS's FADT (SMI_CMD = B2h, F1h enables, F0h
// disables) relies on it (SeaBIOS sets no SMM handler up here), and Linux reports "Hardware did
// not enter ACPI mode" when SCI_EN stays clear. lab86's BIOS sets SCI_EN at POST and advertises no
// SMI_CMD.
import type { IoBus } from "../io";
import { StateError, type Schema } from "../state";
import { PM_IO_SIZE, type AcpiPm } from "./acpi-pm";
import { SCI_EN } from "./acpi-pm";
import { PciFunction, get32, pciConfigSchema, type PciConfigState } from "./pci-function";

export const PMBA = 0x40;
export const PMREGMISC = 0x80;
const PMIOSE = 0x01;
/** DEVACTB (device activity B, dword 0x58): bit 25 APMC_EN, a write to APMC raises SMI#. */
export const DEVACTB = 0x58;
export const DEVACTB_APMC_EN = 1 << 25;
export const APMC_PORT = 0xb2;
export const APMS_PORT = 0xb3;
/** The APMC commands of SeaBIOS's FADT (ACPI_ENABLE and ACPI_DISABLE). */
export const APMC_ACPI_ENABLE = 0xf1;
export const APMC_ACPI_DISABLE = 0xf0;
const PMCNTRL = 0x04;

export interface Piix4PmState extends PciConfigState {
  apmc: number;
  apms: number;
}

export class Piix4Pm extends PciFunction<Piix4PmState> {
  readonly name = "piix4-pm";
  readonly schema: Schema = { ...pciConfigSchema, apmc: "u8", apms: "u8" };
  /** Where the PM block decodes now (host bookkeeping derived from PMBA/PMREGMISC). */
  private pmBase: number | null = null;
  /** Assert SMI# to the processor. */
  onSmi: (() => void) | null = null;

  constructor(
    private readonly ioBus: IoBus,
    readonly pm: AcpiPm,
  ) {
    super({ vendorId: 0x8086, deviceId: 0x7113, revision: 0x03, classCode: 0x068000, interruptPin: 1, commandMask: 0x0001 }, [], null, null);
    this.reset();
    ioBus.register("piix4-apm", APMC_PORT, 2, {
      read8: (p) => (p === APMC_PORT ? this.state.apmc : this.state.apms),
      write8: (p, v) => (p === APMC_PORT ? this.apmCommand(v) : void (this.state.apms = v & 0xff)),
    });
  }

  /** A write to APMC: the ACPI mode switch in hardware, then SMI# if APMC_EN is set. */
  private apmCommand(v: number): void {
    this.state.apmc = v & 0xff;
    if (v === APMC_ACPI_ENABLE || v === APMC_ACPI_DISABLE) {
      const cnt = this.pm.read(PMCNTRL, 2);
      this.pm.write(PMCNTRL, 1, (v === APMC_ACPI_ENABLE ? cnt | SCI_EN : cnt & ~SCI_EN) & 0xff);
    }
    if (get32(this.state.config, DEVACTB) & DEVACTB_APMC_EN) this.onSmi?.();
  }

  reset(): void {
    this.resetPci({ apmc: 0, apms: 0 });
    const c = this.state.config;
    c[0x06] = 0x80; // fast back-to-back
    c[0x07] = 0x02; // DEVSEL medium
    c[PMBA] = 0x01; // bit 0 hardwired: an I/O space indicator
    this.wmask[PMBA] = 0xc0; // base bits 15:6
    this.wmask[PMBA + 1] = 0xff;
    this.wmask[PMREGMISC] = PMIOSE;
    // CNTA/CNTB, GPICTL and the device resource/activity registers (0x44-0x7F): firmware storage.
    for (let r = 0x44; r < 0x80; r++) this.wmask[r] = 0xff;
    this.pmMap();
  }

  protected configWritten(offset: number, size: number): void {
    if ((offset < PMBA + 4 && offset + size > PMBA) || (offset <= PMREGMISC && offset + size > PMREGMISC)) this.pmMap();
  }

  /** The PM I/O base programmed in PMBA. */
  pmBaseRegister(): number {
    return get32(this.state.config, PMBA) & 0xffc0;
  }

  private pmMap(): void {
    const want = this.state.config[PMREGMISC] & PMIOSE && this.pmBaseRegister() !== 0 ? this.pmBaseRegister() : null;
    if (want === this.pmBase) return;
    if (this.pmBase !== null) this.ioBus.unregister(this.pmBase, PM_IO_SIZE);
    this.pmBase = null;
    if (want === null) return;
    try {
      this.ioBus.register("acpi-pm", want, PM_IO_SIZE, {
        read8: (p) => this.pm.read(p - want, 1),
        read16: (p) => this.pm.read(p - want, 2),
        read32: (p) => this.pm.read(p - want, 4),
        write8: (p, v) => this.pm.write(p - want, 1, v),
        write16: (p, v) => this.pm.write(p - want, 2, v),
        write32: (p, v) => this.pm.write(p - want, 4, v),
      });
      this.pmBase = want;
    } catch {
      // The guest placed the block over another device's ports: it does not decode.
    }
  }

  /** The base the PM block decodes at now, or null. */
  decodedBase(): number | null {
    return this.pmBase;
  }

  postLoad(): void {
    super.postLoad();
    const c = this.state.config;
    if ((c[PMBA] & 0x3f) !== 0x01) throw new StateError("piix4-pm.config", "PMBA low bits must read 01h");
    if (c[PMREGMISC] & ~PMIOSE) throw new StateError("piix4-pm.config", "PMREGMISC reserved bits are set");
    this.pmMap();
  }
}
