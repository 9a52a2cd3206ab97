// PIIX4 power-management function 00:01.3 (Intel 82371AB datasheet, 7.1 "PCI Configuration
// Registers, Function 3"): PMBA (0x40) places the 64-byte ACPI register block in I/O space and
// PMREGMISC bit 0 (0x80) enables it. The PCI command register's I/O enable gates only the SMBus,
// which this model leaves absent (SMBBA and SMBHSTCFG read as zero and cannot be set).
import type { IoBus } from "../io";
import { StateError, type Schema } from "../state";
import { PM_IO_SIZE, type AcpiPm } from "./acpi-pm";
import { PciFunction, get32, pciConfigSchema, type PciConfigState } from "./pci-function";

export const PMBA = 0x40;
export const PMREGMISC = 0x80;
const PMIOSE = 0x01;

export class Piix4Pm extends PciFunction<PciConfigState> {
  readonly name = "piix4-pm";
  readonly schema: Schema = pciConfigSchema;
  /** Where the PM block decodes now (host bookkeeping derived from PMBA/PMREGMISC). */
  private pmBase: number | null = null;

  constructor(
    private readonly ioBus: IoBus,
    readonly pm: AcpiPm,
  ) {
    super({ vendorId: 0x8086, deviceId: 0x7113, revision: 0x03, classCode: 0x068000, interruptPin: 1, commandMask: 0x0001 }, [], null, null);
    this.reset();
  }

  reset(): void {
    this.resetPci({});
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
