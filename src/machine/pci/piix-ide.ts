// PIIX3 IDE function 00:01.1 (Intel 82371SB datasheet, 2.4 and 2.7): two channels at the legacy
// compatibility ports (primary 0x1F0-0x1F7/0x3F6 on IRQ 14, secondary 0x170-0x177/0x376 on
// IRQ 15), decoded while the command register's I/O enable and the channel's IDETIM IDE Decode
// Enable bit are set, and the bus-master IDE registers in BAR4.
//
// Bus-master DMA transfers are not implemented yet: the BMIDE registers are kept as storage, and
// IDENTIFY advertises no DMA modes, so guests use PIO. The Interrupt status bit does follow the
// channels' INTRQ, as drivers polling BMISTA after PIO expect.
import type { IoBus } from "../io";
import { StateError, type Schema } from "../state";
import type { IdeChannel } from "../storage/ata/channel";
import { PciFunction, pciConfigSchema, type PciConfigState } from "./pci-function";

export const IDETIM_PRIMARY = 0x40;
export const IDETIM_SECONDARY = 0x42;
const IDETIM_IDE = 0x80; // bit 15: IDE Decode Enable (high byte)

const BMICOM_START = 0x01;
const BMICOM_READ = 0x08;
const BMISTA_ACTIVE = 0x01;
const BMISTA_ERROR = 0x02;
const BMISTA_INTERRUPT = 0x04;
const BMISTA_CAPABLE = 0x60;

const LEGACY = [
  { base: 0x1f0, ctrl: 0x3f6, idetim: IDETIM_PRIMARY },
  { base: 0x170, ctrl: 0x376, idetim: IDETIM_SECONDARY },
];

export interface PiixIdeState extends PciConfigState {
  /** Bus-master IDE registers (BAR4): per channel BMICOM, -, BMISTA, -, BMIDTP[4]. */
  bmide: Uint8Array;
}

export class PiixIde extends PciFunction<PiixIdeState> {
  readonly name = "piix-ide";
  readonly schema: Schema = { ...pciConfigSchema, bmide: { type: "bytes", length: 16 } };
  /** Which channels' legacy ports are claimed now (derived from config). */
  private readonly decoding = [false, false];

  constructor(
    private readonly ioBus: IoBus,
    readonly channels: [IdeChannel, IdeChannel],
  ) {
    super(
      { vendorId: 0x8086, deviceId: 0x7010, revision: 0x00, classCode: 0x010180, commandMask: 0x0005 },
      [null, null, null, null, { kind: "io", size: 16, io: { read8: (o) => this.bmRead(o), write8: (o, v) => this.bmWrite(o, v) } }, null],
      ioBus,
      null,
    );
    channels.forEach((ch, i) => {
      ch.onInterrupt = () => {
        this.state.bmide[i * 8 + 2] |= BMISTA_INTERRUPT;
      };
    });
    this.reset();
  }

  reset(): void {
    this.resetPci({ bmide: new Uint8Array(16) });
    const c = this.state.config;
    c[0x07] = 0x02; // DEVSEL medium
    c[0x20] |= 0x01; // BAR4 I/O indicator (already set by the BAR spec)
    for (const t of [IDETIM_PRIMARY, IDETIM_SECONDARY]) {
      this.wmask[t] = 0xff;
      this.wmask[t + 1] = 0xf3;
    }
    this.wmask[0x44] = 0xff; // SIDETIM
    this.updateLegacy();
  }

  protected configWritten(offset: number, size: number): void {
    if ((offset <= 0x05 && offset + size > 0x04) || (offset < 0x44 && offset + size > 0x40)) this.updateLegacy();
  }

  /** Claim or release each channel's compatibility ports as the enables say (82371SB 2.4.2, 2.7.1). */
  private updateLegacy(): void {
    const ioEnabled = (this.command() & 0x0001) !== 0;
    LEGACY.forEach((l, i) => {
      const want = ioEnabled && (this.state.config[l.idetim + 1] & IDETIM_IDE) !== 0;
      if (want === this.decoding[i]) return;
      this.decoding[i] = want;
      const ch = this.channels[i];
      if (!want) {
        this.ioBus.unregister(l.base, 8);
        this.ioBus.unregister(l.ctrl, 1);
        return;
      }
      const owner = `ide${i}`;
      this.ioBus.register(owner, l.base, 1, {
        read8: () => ch.readData() & 0xff,
        read16: () => ch.readData(),
        read32: () => ch.readData32(),
        write8: (_p, v) => ch.writeData(v),
        write16: (_p, v) => ch.writeData(v),
        write32: (_p, v) => ch.writeData32(v),
      });
      this.ioBus.register(owner, l.base + 1, 7, {
        read8: (p) => ch.readRegister(p - l.base),
        write8: (p, v) => ch.writeRegister(p - l.base, v),
      });
      this.ioBus.register(owner, l.ctrl, 1, {
        read8: () => ch.readAltStatus(),
        write8: (_p, v) => ch.writeDeviceControl(v),
      });
    });
  }

  /** Whether channel `i`'s legacy ports decode now. */
  legacyDecoding(i: number): boolean {
    return this.decoding[i];
  }

  // ---- bus-master IDE registers (82371SB 2.7) ----

  private bmRead(offset: number): number {
    return this.state.bmide[offset & 15];
  }

  private bmWrite(offset: number, value: number): void {
    const bm = this.state.bmide;
    const reg = offset & 7;
    const base = offset & 8;
    if (reg === 0) {
      bm[offset] = value & (BMICOM_START | BMICOM_READ);
      // No DMA engine yet: the Active bit follows Start so a guest sees the channel it started.
      bm[base + 2] = (bm[base + 2] & ~BMISTA_ACTIVE) | (value & BMICOM_START ? BMISTA_ACTIVE : 0);
    } else if (reg === 2) {
      bm[offset] = (bm[offset] & ~BMISTA_CAPABLE & ~(value & (BMISTA_ERROR | BMISTA_INTERRUPT))) | (value & BMISTA_CAPABLE);
    } else if (reg >= 4) {
      // BMIDTP: descriptor table pointer, dword aligned (bits 1:0 read as zero).
      bm[offset] = reg === 4 ? value & 0xfc : value;
    }
  }

  postLoad(): void {
    super.postLoad();
    const bm = this.state.bmide;
    for (const base of [0, 8]) {
      if (bm[base] & ~(BMICOM_START | BMICOM_READ)) throw new StateError("piix-ide.bmide", `BMICOM${base / 8} reserved bits are set`);
      if (bm[base + 4] & 3) throw new StateError("piix-ide.bmide", `BMIDTP${base / 8} is not dword aligned`);
    }
    this.updateLegacy();
  }
}
