// One IDE channel (ATA/ATAPI-6 chapters 5-7 and 9): the command block registers at base+0..7,
// the control block (Alternate Status / Device Control) at ctrl, up to two devices, the PIO data
// buffer, and the channel's INTRQ. Device models (AtaDisk, AtapiCdrom) run the commands; the
// channel moves data, keeps the register protocol (HOB, drive select, SRST, nIEN) and issues the
// block-backend requests through the CompletionQueue, recording each pending request in state so
// a snapshot taken while a request is in flight re-issues it after restore.
//
// Port decoding (legacy 0x1F0/0x3F6 or PCI native) is the PCI glue's business: it calls
// readRegister/writeRegister/readData/writeData here.
import type { BlockBackend } from "../../block";
import type { IrqLine } from "../../irq";
import { StateError, type Device, type Schema } from "../../state";
import { CompletionQueue, RequestTokens } from "../completion";
import { CMD, DC_HOB, DC_NIEN, DC_SRST, DEV_DEV, ST_BSY, ST_DRQ } from "./ata-defs";
import { blankDrive, driveSchema, type DriveRegs, type IdeDevice } from "./drive";

/** PIO buffer: 128 sectors of 512 or 32 CD sectors of 2048 bytes per backend request. */
export const BUFFER_SIZE = 0x10000;

export const PHASE_IDLE = 0;
/** Device-to-host PIO data (ATA data-in, ATAPI data-in). */
export const PHASE_IN = 1;
/** Host-to-device PIO data (ATA data-out, ATAPI data-out). */
export const PHASE_OUT = 2;
/** Host writing the 12-byte ATAPI command packet. */
export const PHASE_PACKET = 3;

export const IO_NONE = 0;
export const IO_READ = 1;
export const IO_WRITE = 2;
export const IO_FLUSH = 3;

export interface ChannelState {
  drives: DriveRegs[];
  devctl: number;
  buffer: Uint8Array;
  /** Next byte the host reads or writes. */
  pos: number;
  /** End of the current DRQ data block. */
  blockEnd: number;
  /** End of valid data in the buffer (data-in) . */
  dataEnd: number;
  phase: number;
  /** Device executing the current command. */
  active: number;
  command: number;
  /** Next medium address (sectors or CD blocks) for backend I/O. */
  lba: number;
  /** Sectors (or CD blocks) still to fetch from the backend. */
  ioLeft: number;
  /** ATA: sectors still to move to or from the host. ATAPI: bytes. */
  xferLeft: number;
  /** ATA: address of the next sector the host receives or sends (for the registers). */
  xferLba: number;
  /** ATA: sectors per DRQ block (1, or the READ/WRITE MULTIPLE count). */
  blockSectors: number;
  /** ATA addressing used by the command: 0 CHS, 1 LBA28, 2 LBA48. */
  addrMode: number;
  /** ATAPI: byte count limit of the PACKET command. */
  byteLimit: number;
  /** Length of the current DRQ block (ATA: sectors x 512; ATAPI: bytes). */
  blockLen: number;
  /** The data phase moves by bus-master DMA (DMARQ) instead of the data port. */
  dma: boolean;
  cdb: Uint8Array;
  /** The backend request in flight: IO_* kind, byte offset, length. */
  pending: number;
  pendingOffset: number;
  pendingLength: number;
}

export class IdeChannel implements Device<ChannelState> {
  readonly schema: Schema = {
    drives: { type: "struct[]", length: 2, of: driveSchema },
    devctl: "u8",
    buffer: { type: "bytes", length: BUFFER_SIZE },
    pos: "u32",
    blockEnd: "u32",
    dataEnd: "u32",
    phase: "u8",
    active: "u8",
    command: "u8",
    lba: "f64",
    ioLeft: "u32",
    xferLeft: "f64",
    xferLba: "f64",
    blockSectors: "u16",
    addrMode: "u8",
    byteLimit: "u32",
    blockLen: "u32",
    dma: "bool",
    cdb: { type: "bytes", length: 12 },
    pending: "u8",
    pendingOffset: "f64",
    pendingLength: "u32",
  };
  state!: ChannelState;
  readonly devices: (IdeDevice | null)[] = [null, null];
  private readonly tokens = new RequestTokens();
  /** Called on each rising edge of INTRQ (the PIIX bus master sets its Interrupt status bit). */
  onInterrupt: (() => void) | null = null;
  /** The bus-master DMA engine serving this channel, or null for a PIO-only controller. */
  busMaster: { dmaRequest(): void } | null = null;

  constructor(
    readonly name: string,
    private readonly irq: IrqLine,
    readonly queue: CompletionQueue,
  ) {
    this.reset();
  }

  /** Attach a device model at slot 0 (master) or 1 (slave): wiring, done before the machine runs. */
  attach(slot: number, device: IdeDevice): void {
    if (this.devices[slot]) throw new Error(`${this.name}: device ${slot} is already attached`);
    this.devices[slot] = device;
    device.powerOn(this.state.drives[slot]);
    device.signature(this.state.drives[slot]);
  }

  d(slot: number): DriveRegs {
    return this.state.drives[slot];
  }

  /** The device selected by the DEV bit. */
  selected(): number {
    return this.state.drives[0].device & DEV_DEV ? 1 : 0;
  }

  reset(): void {
    this.tokens.invalidate();
    this.state = {
      drives: [blankDrive(), blankDrive()],
      devctl: 0,
      buffer: new Uint8Array(BUFFER_SIZE),
      pos: 0,
      blockEnd: 0,
      dataEnd: 0,
      phase: PHASE_IDLE,
      active: 0,
      command: 0,
      lba: 0,
      ioLeft: 0,
      xferLeft: 0,
      xferLba: 0,
      blockSectors: 1,
      addrMode: 0,
      byteLimit: 0,
      blockLen: 0,
      dma: false,
      cdb: new Uint8Array(12),
      pending: IO_NONE,
      pendingOffset: 0,
      pendingLength: 0,
    };
    for (let i = 0; i < 2; i++) {
      const dev = this.devices[i];
      if (!dev) continue;
      dev.powerOn(this.d(i));
      dev.signature(this.d(i));
    }
    this.updateIrq();
  }

  // ---- register protocol ----

  /** Read command block register 1-7 (0 is the data port). */
  readRegister(reg: number): number {
    const sel = this.selected();
    const present = this.devices[sel] !== null;
    if (!this.devices[0] && !this.devices[1]) return 0xff; // nothing drives the bus
    // Device 0 answers Status reads for an absent device 1 with 00h; nothing drives the other
    // registers, which float. Hosts rely on this: Linux's ata_devchk and SeaBIOS write 55h/AAh
    // to Sector Count/LBA Low and read them back to see whether device 1 exists.
    if (!present) return reg === 7 ? 0 : 0xff;
    const d = this.d(sel);
    const hob = (this.state.devctl & DC_HOB) !== 0;
    switch (reg) {
      case 1:
        return d.error;
      case 2:
        return hob ? d.hobNsect : d.nsect;
      case 3:
        return hob ? d.hobLbal : d.lbal;
      case 4:
        return hob ? d.hobLbam : d.lbam;
      case 5:
        return hob ? d.hobLbah : d.lbah;
      case 6:
        return d.device;
      case 7:
        // Reading Status acknowledges the interrupt (ATA-6 7.15).
        if (d.intrq) {
          d.intrq = false;
          this.updateIrq();
        }
        return d.status;
    }
    return 0xff;
  }

  readAltStatus(): number {
    if (!this.devices[0] && !this.devices[1]) return 0xff;
    const sel = this.selected();
    return this.devices[sel] ? this.d(sel).status : 0;
  }

  writeRegister(reg: number, value: number): void {
    value &= 0xff;
    if (reg === 7) return this.writeCommand(value);
    // Every device latches command block writes; a write clears HOB (ATA-6 7.8).
    this.state.devctl &= ~DC_HOB;
    for (const d of this.state.drives) {
      switch (reg) {
        case 1:
          d.hobFeature = d.feature;
          d.feature = value;
          break;
        case 2:
          d.hobNsect = d.nsect;
          d.nsect = value;
          break;
        case 3:
          d.hobLbal = d.lbal;
          d.lbal = value;
          break;
        case 4:
          d.hobLbam = d.lbam;
          d.lbam = value;
          break;
        case 5:
          d.hobLbah = d.lbah;
          d.lbah = value;
          break;
        case 6:
          d.device = value;
          break;
      }
    }
    if (reg === 6) this.updateIrq();
  }

  private writeCommand(command: number): void {
    const sel = this.selected();
    const dev = this.devices[sel];
    if (!dev) return;
    const d = this.d(sel);
    if (this.state.devctl & DC_SRST) return;
    // A device in Sleep answers only to a reset (ATA-6 6.11.5); DEVICE RESET wakes a packet device.
    if (d.power === 0x01 && !(dev.kind === "atapi" && command === CMD.DEVICE_RESET)) return;
    // Commands written while BSY or DRQ are indeterminate; a packet device's DEVICE RESET is the
    // exception (8.7): it is how a host recovers a hung ATAPI device.
    if (d.status & (ST_BSY | ST_DRQ) && !(dev.kind === "atapi" && command === CMD.DEVICE_RESET)) return;
    d.intrq = false;
    this.updateIrq();
    if (command === CMD.EXECUTE_DIAGNOSTIC) return this.executeDiagnostic();
    this.state.active = sel;
    this.state.command = command;
    this.state.phase = PHASE_IDLE;
    this.state.dma = false;
    dev.execute(command);
  }

  /** EXECUTE DEVICE DIAGNOSTIC (8.11): both devices run it; device 0 posts the interrupt. */
  private executeDiagnostic(): void {
    this.abortTransfer();
    for (let i = 0; i < 2; i++) {
      const dev = this.devices[i];
      if (dev) dev.signature(this.d(i));
    }
    const poster = this.devices[0] ? 0 : 1;
    this.raise(poster);
  }

  writeDeviceControl(value: number): void {
    const before = this.state.devctl;
    this.state.devctl = value & (DC_HOB | DC_SRST | DC_NIEN);
    if (value & DC_SRST && !(before & DC_SRST)) {
      // SRST asserted: every device stops what it is doing and shows BSY (ATA-6 9.2).
      this.abortTransfer();
      for (let i = 0; i < 2; i++) {
        if (!this.devices[i]) continue;
        this.d(i).status = ST_BSY;
        this.d(i).intrq = false;
      }
    } else if (!(value & DC_SRST) && before & DC_SRST) {
      // SRST released: the devices complete their reset and post their signatures. No interrupt.
      for (let i = 0; i < 2; i++) {
        const dev = this.devices[i];
        if (dev) dev.signature(this.d(i));
      }
    }
    this.updateIrq();
  }

  /** Stop the data phase and forget any backend request in flight. */
  abortTransfer(): void {
    this.tokens.invalidate();
    const s = this.state;
    s.phase = PHASE_IDLE;
    s.pending = IO_NONE;
    s.dma = false;
    s.pos = s.blockEnd = s.dataEnd = 0;
  }

  // ---- interrupts ----

  /** Post the device's interrupt. */
  raise(slot: number): void {
    this.d(slot).intrq = true;
    this.updateIrq();
  }

  private updateIrq(): void {
    const sel = this.selected();
    const level = this.devices[sel] !== null && this.d(sel).intrq && (this.state.devctl & DC_NIEN) === 0;
    const rising = level && !this.irq.asserted;
    this.irq.set(level);
    if (rising) this.onInterrupt?.();
  }

  // ---- PIO data ----

  /** Read 16 bits from the data register. */
  readData(): number {
    const s = this.state;
    if (s.phase !== PHASE_IN || s.dma || !(this.d(s.active).status & ST_DRQ) || s.pos >= s.blockEnd) return 0xffff;
    const b = s.buffer;
    let v = b[s.pos];
    // An odd final byte of an ATAPI block arrives in the low half of the last word.
    if (s.pos + 1 < s.blockEnd) v |= b[s.pos + 1] << 8;
    s.pos = Math.min(s.pos + 2, s.blockEnd);
    if (s.pos >= s.blockEnd) this.devices[s.active]!.blockDone();
    return v;
  }

  writeData(value: number): void {
    const s = this.state;
    if ((s.phase !== PHASE_OUT && s.phase !== PHASE_PACKET) || (s.dma && s.phase === PHASE_OUT) || !(this.d(s.active).status & ST_DRQ) || s.pos >= s.blockEnd) return;
    const b = s.phase === PHASE_PACKET ? s.cdb : s.buffer;
    b[s.pos] = value & 0xff;
    if (s.pos + 1 < s.blockEnd) b[s.pos + 1] = (value >> 8) & 0xff;
    s.pos = Math.min(s.pos + 2, s.blockEnd);
    if (s.pos >= s.blockEnd) this.devices[s.active]!.blockDone();
  }

  readData32(): number {
    const lo = this.readData();
    return (lo | (this.readData() << 16)) >>> 0;
  }

  writeData32(value: number): void {
    this.writeData(value & 0xffff);
    this.writeData(value >>> 16);
  }

  // ---- bus-master DMA (the device side: DMARQ and the data it offers or takes) ----

  /** The active device has a DMA block ready: let the bus master run if it is started. */
  dmaReady(): void {
    this.busMaster?.dmaRequest();
  }

  /** DMARQ: the data phase is a DMA phase and the current block has bytes left. */
  dmaRequested(): boolean {
    const s = this.state;
    return s.dma && (s.phase === PHASE_IN || s.phase === PHASE_OUT) && (this.d(s.active).status & (ST_DRQ | ST_BSY)) === ST_DRQ && s.pos < s.blockEnd;
  }

  /** Direction of the DMA phase: true when the device sends data to memory. */
  dmaToMemory(): boolean {
    return this.state.phase === PHASE_IN;
  }

  /** Bytes the device can move in this block. */
  dmaAvailable(): number {
    const s = this.state;
    return s.blockEnd - s.pos;
  }

  /** Take up to `max` bytes of the device's data (device to memory). */
  dmaTake(max: number): Uint8Array {
    const s = this.state;
    const n = Math.min(max, s.blockEnd - s.pos);
    const out = s.buffer.slice(s.pos, s.pos + n);
    s.pos += n;
    if (s.pos >= s.blockEnd) this.devices[s.active]!.blockDone();
    return out;
  }

  /** Give the device bytes from memory (memory to device). */
  dmaGive(data: Uint8Array): void {
    const s = this.state;
    const n = Math.min(data.length, s.blockEnd - s.pos);
    s.buffer.set(data.subarray(0, n), s.pos);
    s.pos += n;
    if (s.pos >= s.blockEnd) this.devices[s.active]!.blockDone();
  }

  // ---- backend requests ----

  /** Issue a backend request for the active device; the device's ioDone/ioFailed gets the answer. */
  startIo(kind: number, offset: number, length: number): void {
    const s = this.state;
    s.pending = kind;
    s.pendingOffset = offset;
    s.pendingLength = length;
    this.issue();
  }

  private issue(): void {
    const s = this.state;
    const dev = this.devices[s.active];
    const backend: BlockBackend | null = dev?.medium() ?? null;
    const token = this.tokens.next();
    const done = (data: Uint8Array | null) => {
      if (!this.tokens.valid(token)) return;
      this.state.pending = IO_NONE;
      dev!.ioDone(data);
    };
    const fail = (e: unknown) => {
      if (!this.tokens.valid(token)) return;
      this.state.pending = IO_NONE;
      dev!.ioFailed(e);
    };
    if (!backend) return fail(new Error("no medium"));
    const kind = s.pending;
    let answer: Uint8Array | void | Promise<Uint8Array | void>;
    try {
      if (kind === IO_READ) answer = backend.read(s.pendingOffset, s.pendingLength);
      else if (kind === IO_WRITE) answer = backend.write(s.pendingOffset, s.buffer.slice(0, s.pendingLength));
      else answer = backend.flush();
    } catch (e) {
      return fail(e);
    }
    this.queue.submit<Uint8Array | void>(
      answer,
      (v) => {
        if (kind === IO_READ && (!(v instanceof Uint8Array) || v.length !== this.state.pendingLength)) return fail(new Error("short read"));
        done(kind === IO_READ ? (v as Uint8Array) : null);
      },
      fail,
    );
  }

  // ---- Device ----

  postLoad(): void {
    const s = this.state;
    const where = this.name;
    if (s.phase > PHASE_PACKET) throw new StateError(`${where}.phase`, `${s.phase} is not a transfer phase`);
    if (s.pending > IO_FLUSH) throw new StateError(`${where}.pending`, `${s.pending} is not a request kind`);
    if (s.active > 1 || (s.phase !== PHASE_IDLE && !this.devices[s.active])) throw new StateError(`${where}.active`, `device ${s.active} is not attached`);
    if (s.blockEnd > (s.phase === PHASE_PACKET ? 12 : BUFFER_SIZE)) throw new StateError(`${where}.blockEnd`, `${s.blockEnd} is past the buffer`);
    if (s.pos > s.blockEnd && s.phase !== PHASE_IDLE) throw new StateError(`${where}.pos`, `${s.pos} is past the block end ${s.blockEnd}`);
    if (s.dataEnd > BUFFER_SIZE) throw new StateError(`${where}.dataEnd`, `${s.dataEnd} is past the buffer`);
    if (s.pendingLength > BUFFER_SIZE) throw new StateError(`${where}.pendingLength`, `${s.pendingLength} is larger than the buffer`);
    if (s.blockSectors < 1) throw new StateError(`${where}.blockSectors`, "must be at least 1");
    if (s.addrMode > 2) throw new StateError(`${where}.addrMode`, `${s.addrMode} is not an addressing mode`);
    if (s.devctl & ~(DC_HOB | DC_SRST | DC_NIEN)) throw new StateError(`${where}.devctl`, "reserved bits are set");
    for (let i = 0; i < 2; i++) {
      const dev = this.devices[i];
      const d = this.d(i);
      if (dev) dev.validate(d, `${where}.drives[${i}]`);
      else if (d.status !== 0 || d.intrq) throw new StateError(`${where}.drives[${i}]`, "an absent device has status or a pending interrupt");
    }
    this.tokens.invalidate();
    // The request's answer was lost with the old machine: ask again once the restore is complete.
    if (s.pending !== IO_NONE) {
      const restored = s;
      this.queue.defer(() => {
        if (this.state === restored && restored.pending !== IO_NONE) this.issue();
      });
    }
    this.updateIrq();
  }
}
