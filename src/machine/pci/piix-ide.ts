// PIIX3 IDE function 00:01.1 (Intel 82371SB datasheet, 2.4 and 2.7): two channels at the legacy
// compatibility ports (primary 0x1F0-0x1F7/0x3F6 on IRQ 14, secondary 0x170-0x177/0x376 on
// IRQ 15), decoded while the command register's I/O enable and the channel's IDETIM IDE Decode
// Enable bit are set, and the bus-master IDE registers in BAR4.
//
// Bus-master IDE (82371SB 2.7, and the "Programming Interface for Bus Master IDE Controller"
// 1.0): given guest memory, each channel walks a Physical Region Descriptor table (8-byte entries:
// a physical address, a byte count with 0 meaning 64 KiB, and EOT in bit 31) and moves the data
// the selected device offers while the device asserts DMARQ; the devices then advertise multiword
// DMA modes in IDENTIFY. Without guest memory the registers are storage and devices are PIO only.
// The Interrupt status bit follows the channels' INTRQ either way, as drivers polling BMISTA expect.
import type { PhysicalMemory } from "../dma-api";
import type { IoBus } from "../io";
import { StateError, type Schema } from "../state";
import type { IdeChannel } from "../storage/ata/channel";
import { CMD_BUS_MASTER, PciFunction, pciConfigSchema, type PciConfigState } from "./pci-function";

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

/** Where each channel's bus master is in its PRD table. */
export interface PrdCursor {
  /** Address of the next descriptor to load. */
  next: number;
  /** Current region: next physical address and bytes left (0: no region loaded). */
  addr: number;
  left: number;
  /** The loaded region is the table's last (EOT). */
  eot: boolean;
}

export interface PiixIdeState extends PciConfigState {
  /** Bus-master IDE registers (BAR4): per channel BMICOM, -, BMISTA, -, BMIDTP[4]. */
  bmide: Uint8Array;
  prd: PrdCursor[];
}

const prdSchema: Schema = { next: "u32", addr: "u32", left: "u32", eot: "bool" };

export class PiixIde extends PciFunction<PiixIdeState> {
  readonly name = "piix-ide";
  readonly schema: Schema = { ...pciConfigSchema, bmide: { type: "bytes", length: 16 }, prd: { type: "struct[]", length: 2, of: prdSchema } };
  /** Which channels' legacy ports are claimed now (derived from config). */
  private readonly decoding = [false, false];
  /** A bus-master run is in progress on the channel (re-entry from the device's callbacks). */
  private readonly running = [false, false];

  constructor(
    private readonly ioBus: IoBus,
    readonly channels: [IdeChannel, IdeChannel],
    /** Guest memory for bus-master DMA; null leaves the channels PIO-only. */
    private readonly memory: PhysicalMemory | null = null,
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
      if (memory) ch.busMaster = { dmaRequest: () => this.runBusMaster(i) };
    });
    this.reset();
  }

  reset(): void {
    this.resetPci({ bmide: new Uint8Array(16), prd: [0, 1].map(() => ({ next: 0, addr: 0, left: 0, eot: false })) });
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
    // Enabling bus mastering lets a started engine proceed with a waiting device.
    if (offset <= 0x04 && offset + size > 0x04) for (let i = 0; i < 2; i++) this.runBusMaster(i);
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
    const i = base >> 3;
    if (reg === 0) {
      const before = bm[base];
      bm[base] = value & (BMICOM_START | BMICOM_READ);
      if (value & BMICOM_START && !(before & BMICOM_START)) {
        // Start: the engine begins at the descriptor table BMIDTP points to.
        bm[base + 2] |= BMISTA_ACTIVE;
        this.state.prd[i] = { next: this.tablePointer(i), addr: 0, left: 0, eot: false };
        this.runBusMaster(i);
      } else if (!(value & BMICOM_START)) {
        // Stop: the host aborts (or ends) the transfer; Active clears (82371SB 2.7.2).
        bm[base + 2] &= ~BMISTA_ACTIVE;
      }
    } else if (reg === 2) {
      bm[offset] = (bm[offset] & ~BMISTA_CAPABLE & ~(value & (BMISTA_ERROR | BMISTA_INTERRUPT))) | (value & BMISTA_CAPABLE);
    } else if (reg >= 4) {
      // BMIDTP: descriptor table pointer, dword aligned (bits 1:0 read as zero).
      bm[offset] = reg === 4 ? value & 0xfc : value;
    }
  }

  private tablePointer(i: number): number {
    const bm = this.state.bmide;
    const o = i * 8 + 4;
    return (bm[o] | (bm[o + 1] << 8) | (bm[o + 2] << 16) | (bm[o + 3] << 24)) >>> 0;
  }

  /**
   * Move data while the engine is active and the channel's device asserts DMARQ. The direction
   * is the device's; BMICOM's read/write control must agree or nothing moves (the host erred).
   */
  private runBusMaster(i: number): void {
    const memory = this.memory;
    // The function masters the PCI bus only while the command register's Bus Master Enable is set.
    if (!memory || this.running[i] || !(this.command() & CMD_BUS_MASTER)) return;
    const bm = this.state.bmide;
    const ch = this.channels[i];
    this.running[i] = true;
    try {
      while (bm[i * 8 + 2] & BMISTA_ACTIVE && bm[i * 8] & BMICOM_START && ch.dmaRequested()) {
        const toMemory = ch.dmaToMemory();
        if (toMemory !== ((bm[i * 8] & BMICOM_READ) !== 0)) return;
        const cur = this.state.prd[i];
        if (cur.left === 0) {
          if (cur.eot) {
            // The table ran out before the device's data: Active clears, no interrupt (2.7.2).
            bm[i * 8 + 2] &= ~BMISTA_ACTIVE;
            return;
          }
          const entry = memory.read(cur.next, 8);
          const dv = new DataView(entry.buffer, entry.byteOffset, 8);
          cur.addr = dv.getUint32(0, true) & ~1;
          cur.left = dv.getUint16(4, true) & 0xfffe || 0x10000;
          cur.eot = (dv.getUint32(4, true) & 0x80000000) !== 0;
          cur.next = (cur.next + 8) >>> 0;
        }
        const n = Math.min(cur.left, ch.dmaAvailable());
        const addr = cur.addr;
        cur.addr = (cur.addr + n) >>> 0;
        cur.left -= n;
        // The device may finish the command (and interrupt) inside dmaTake/dmaGive.
        if (toMemory) memory.write(addr, ch.dmaTake(n));
        else ch.dmaGive(memory.read(addr, n));
        if (cur.left === 0 && cur.eot) bm[i * 8 + 2] &= ~BMISTA_ACTIVE;
      }
    } finally {
      this.running[i] = false;
    }
  }

  postLoad(): void {
    super.postLoad();
    const bm = this.state.bmide;
    for (const base of [0, 8]) {
      if (bm[base] & ~(BMICOM_START | BMICOM_READ)) throw new StateError("piix-ide.bmide", `BMICOM${base / 8} reserved bits are set`);
      if (bm[base + 4] & 3) throw new StateError("piix-ide.bmide", `BMIDTP${base / 8} is not dword aligned`);
    }
    this.state.prd.forEach((p, i) => {
      if (p.left > 0x10000) throw new StateError(`piix-ide.prd[${i}].left`, `${p.left} exceeds a 64 KiB region`);
    });
    this.updateLegacy();
  }
}
