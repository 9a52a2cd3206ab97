// The per-device register file of an IDE channel and the interface between the channel (which
// owns the ports, the data buffer and the interrupt line) and a device model (disk or CD-ROM).
import type { BlockBackend } from "../../block";
import type { Schema } from "../../state";

/** State of one device on the channel. Both models share the layout; each uses its own fields. */
export interface DriveRegs {
  // Command block registers with their "previous content" for 48-bit commands (ATA-6 6.20.2).
  feature: number;
  hobFeature: number;
  nsect: number;
  hobNsect: number;
  lbal: number;
  hobLbal: number;
  lbam: number;
  hobLbam: number;
  lbah: number;
  hobLbah: number;
  device: number;
  status: number;
  error: number;
  /** The device's interrupt is pending (INTRQ asserted while selected and nIEN = 0). */
  intrq: boolean;
  /** POWER_* */
  power: number;
  // ---- ATA disk ----
  multiple: number;
  curCyls: number;
  curHeads: number;
  curSectors: number;
  writeCache: boolean;
  lookAhead: boolean;
  revertDefaults: boolean;
  /** PIO transfer mode last set with SET FEATURES 03h (Sector Count value 00h-0Ch). */
  xferMode: number;
  /** Multiword DMA mode selected with SET FEATURES 03h (20h-22h), or 0 for none. */
  dmaMode: number;
  /** Sectors addressable by the host: the native capacity unless SET MAX ADDRESS lowered it. */
  userSectors: number;
  /** The previous command was READ NATIVE MAX ADDRESS (EXT), which SET MAX must follow. */
  nativeMaxRead: boolean;
  // ---- ATAPI CD-ROM ----
  senseKey: number;
  asc: number;
  ascq: number;
  /** Pending unit attention ASC (0 for none). */
  unitAttention: number;
  hasMedium: boolean;
  mediumSectors: number;
  trayOpen: boolean;
  locked: boolean;
  /** Media event code for GET EVENT STATUS NOTIFICATION (0 = no change). */
  mediaEvent: number;
}

export const driveSchema: Schema = {
  feature: "u8",
  hobFeature: "u8",
  nsect: "u8",
  hobNsect: "u8",
  lbal: "u8",
  hobLbal: "u8",
  lbam: "u8",
  hobLbam: "u8",
  lbah: "u8",
  hobLbah: "u8",
  device: "u8",
  status: "u8",
  error: "u8",
  intrq: "bool",
  power: "u8",
  multiple: "u8",
  curCyls: "u16",
  curHeads: "u8",
  curSectors: "u8",
  writeCache: "bool",
  lookAhead: "bool",
  revertDefaults: "bool",
  xferMode: "u8",
  dmaMode: "u8",
  userSectors: "f64",
  nativeMaxRead: "bool",
  senseKey: "u8",
  asc: "u8",
  ascq: "u8",
  unitAttention: "u8",
  hasMedium: "bool",
  mediumSectors: "f64",
  trayOpen: "bool",
  locked: "bool",
  mediaEvent: "u8",
};

export function blankDrive(): DriveRegs {
  return {
    feature: 0,
    hobFeature: 0,
    nsect: 0,
    hobNsect: 0,
    lbal: 0,
    hobLbal: 0,
    lbam: 0,
    hobLbam: 0,
    lbah: 0,
    hobLbah: 0,
    device: 0,
    status: 0,
    error: 0,
    intrq: false,
    power: 0xff,
    multiple: 0,
    curCyls: 0,
    curHeads: 0,
    curSectors: 0,
    writeCache: false,
    lookAhead: false,
    revertDefaults: false,
    xferMode: 0,
    dmaMode: 0,
    userSectors: 0,
    nativeMaxRead: false,
    senseKey: 0,
    asc: 0,
    ascq: 0,
    unitAttention: 0,
    hasMedium: false,
    mediumSectors: 0,
    trayOpen: false,
    locked: false,
    mediaEvent: 0,
  };
}

/** What the channel needs from a device model. */
export interface IdeDevice {
  readonly kind: "ata" | "atapi";
  /** Power-on register values (hardware reset). */
  powerOn(d: DriveRegs): void;
  /** Software reset (SRST) or EXECUTE DEVICE DIAGNOSTIC completed: signature and status. */
  signature(d: DriveRegs): void;
  /** A command was written to the Command register while this device is selected. */
  execute(command: number): void;
  /** The host has moved every byte of the current DRQ data block. */
  blockDone(): void;
  /** The backend request the channel issued for this device completed. */
  ioDone(data: Uint8Array | null): void;
  ioFailed(error: unknown): void;
  /** The medium the device reads (null for an empty CD-ROM drive). */
  medium(): BlockBackend | null;
  /** Check the device's saved registers against its configuration; throws StateError. */
  validate(d: DriveRegs, where: string): void;
}
