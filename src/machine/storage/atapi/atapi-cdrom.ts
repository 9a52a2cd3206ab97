// An ATAPI CD/DVD-ROM drive (SFF-8020i, ATA/ATAPI-6 PACKET feature set, MMC-3 commands) on an
// IdeChannel. The PACKET command takes a 12-byte CDB by PIO; data-in goes out in DRQ blocks no
// longer than the host's byte count limit, each announced with an interrupt, the byte count in
// LBA Mid/High and the interrupt reason (CoD, IO) in Sector Count; the status phase ends with
// IO = CoD = 1 and a final interrupt (ATA-6 9.10). Failures are CHECK CONDITION: ERR with the
// sense key in the Error register, details by REQUEST SENSE. The host inserts and ejects media
// through insertMedium/ejectMedium/requestEject, which raise unit attention and media events.
import type { BlockBackend } from "../../block";
import { StateError } from "../../state";
import { CMD, ER_ABRT, IR_COD, IR_IO, POWER_ACTIVE, POWER_IDLE, POWER_SLEEP, POWER_STANDBY, SIG_ATAPI_LBAH, SIG_ATAPI_LBAM, ST_BSY, ST_DRDY, ST_DRQ, ST_DSC, ST_ERR } from "../ata/ata-defs";
import { BUFFER_SIZE, IO_READ, PHASE_IDLE, PHASE_IN, PHASE_OUT, PHASE_PACKET, type IdeChannel } from "../ata/channel";
import type { DriveRegs, IdeDevice } from "../ata/drive";
import { atapiIdentify, type DriveStrings } from "../ata/identify";
import {
  ASC_INVALID_FIELD_IN_CDB,
  ASC_INVALID_OPCODE,
  ASC_LBA_OUT_OF_RANGE,
  ASC_MEDIUM_CHANGED,
  ASC_MEDIUM_NOT_PRESENT,
  ASC_MEDIUM_REMOVAL_PREVENTED,
  ASC_SAVING_NOT_SUPPORTED,
  ASC_UNRECOVERED_READ_ERROR,
  ASC_COMMAND_SEQUENCE_ERROR,
  ASC_ILLEGAL_MODE_FOR_TRACK,
  CD_MAX_SECTORS,
  CD_SECTOR,
  MEDIA_EVENT_EJECT_REQUEST,
  MEDIA_EVENT_NEW_MEDIA,
  MEDIA_EVENT_NONE,
  MEDIA_EVENT_REMOVAL,
  OP,
  SK_ILLEGAL_REQUEST,
  SK_MEDIUM_ERROR,
  SK_NOT_READY,
  SK_UNIT_ATTENTION,
  be16,
  be32,
} from "./scsi-defs";
import { capacityData, configurationData, discInfoData, eventStatusData, formatCapacitiesData, inquiryData, mechanismStatusData, modeSenseData, profileFor, senseData, subChannelData, tocData, trackInfoData, type MechanismView } from "./scsi-responses";

/** Commands that neither report nor clear a unit attention (SPC-3 5.9.6; MMC-3 for the last two). */
const UA_EXEMPT: readonly number[] = [OP.INQUIRY, OP.REQUEST_SENSE, OP.GET_CONFIGURATION, OP.GET_EVENT_STATUS];

export interface AtapiCdromOptions extends Partial<DriveStrings> {
  vendor?: string;
  product?: string;
  revision?: string;
  /** Present media as DVD-ROM; by default media longer than a CD (99 minutes) are DVDs. */
  dvd?: boolean;
}

export class AtapiCdrom implements IdeDevice {
  readonly kind = "atapi";
  private backend: BlockBackend | null = null;
  private ch!: IdeChannel;
  private slot = 0;
  private readonly strings: DriveStrings;
  private readonly inquiry: { vendor: string; product: string; revision: string };

  constructor(
    medium: BlockBackend | null,
    private readonly opts: AtapiCdromOptions = {},
  ) {
    if (medium) AtapiCdrom.checkMedium(medium);
    this.backend = medium;
    this.strings = { model: opts.model ?? "LAB86 DVD-ROM", serial: opts.serial ?? "LAB86-CD-0001", firmware: opts.firmware ?? "1.0" };
    this.inquiry = { vendor: opts.vendor ?? "LAB86", product: opts.product ?? "DVD-ROM", revision: opts.revision ?? "1.0" };
  }

  private static checkMedium(m: BlockBackend): void {
    if (m.byteLength === 0 || m.byteLength % CD_SECTOR !== 0) throw new Error(`CD image size ${m.byteLength} is not a positive multiple of 2048 bytes`);
  }

  attachTo(channel: IdeChannel, slot: number): this {
    this.ch = channel;
    this.slot = slot;
    channel.attach(slot, this);
    return this;
  }

  medium(): BlockBackend | null {
    return this.backend;
  }

  private get d(): DriveRegs {
    return this.ch.d(this.slot);
  }

  powerOn(d: DriveRegs): void {
    d.power = POWER_ACTIVE;
    d.hasMedium = this.backend !== null;
    d.mediumSectors = this.backend ? this.backend.byteLength / CD_SECTOR : 0;
    d.trayOpen = false;
    d.locked = false;
    d.dmaMode = 0;
    d.mediaEvent = MEDIA_EVENT_NONE;
    d.unitAttention = 0;
    d.senseKey = d.asc = d.ascq = 0;
  }

  /** Packet device signature (ATA-6 9.12): LBA Mid 14h, LBA High EBh; status 00h. */
  signature(d: DriveRegs): void {
    d.nsect = d.hobNsect = 1;
    d.lbal = d.hobLbal = 1;
    d.lbam = d.hobLbam = SIG_ATAPI_LBAM;
    d.lbah = d.hobLbah = SIG_ATAPI_LBAH;
    d.device = 0;
    d.error = 0x01;
    d.status = 0x00;
    d.power = POWER_ACTIVE;
  }

  // ---- host media API ----

  /** Put a disc in the drive and close the tray: unit attention and a new-media event. */
  insertMedium(medium: BlockBackend): void {
    AtapiCdrom.checkMedium(medium);
    this.abortMediumAccess();
    this.backend = medium;
    const d = this.d;
    d.hasMedium = true;
    d.mediumSectors = medium.byteLength / CD_SECTOR;
    d.trayOpen = false;
    d.unitAttention = ASC_MEDIUM_CHANGED;
    d.mediaEvent = MEDIA_EVENT_NEW_MEDIA;
  }

  /** Take the disc out (the host forces it, as the emergency eject hole does). */
  ejectMedium(): void {
    this.abortMediumAccess();
    this.backend = null;
    const d = this.d;
    if (d.hasMedium) d.mediaEvent = MEDIA_EVENT_REMOVAL;
    d.hasMedium = false;
    d.mediumSectors = 0;
  }

  /** The eject button: opens the tray unless the guest prevented removal, then only reports the request. */
  requestEject(): boolean {
    const d = this.d;
    if (d.locked) {
      d.mediaEvent = MEDIA_EVENT_EJECT_REQUEST;
      return false;
    }
    this.openTray();
    return true;
  }

  get locked(): boolean {
    return this.d.locked;
  }

  get trayOpen(): boolean {
    return this.d.trayOpen;
  }

  private openTray(): void {
    this.abortMediumAccess();
    const d = this.d;
    if (d.hasMedium && !d.trayOpen) d.mediaEvent = MEDIA_EVENT_REMOVAL;
    d.trayOpen = true;
  }

  /** A read in flight on media that just went away ends as NOT READY. */
  private abortMediumAccess(): void {
    const s = this.ch.state;
    if (s.active === this.slot && s.command === CMD.PACKET && s.pending !== 0 && this.d.status & ST_BSY) {
      this.ch.abortTransfer();
      this.checkCondition(SK_NOT_READY, ASC_MEDIUM_NOT_PRESENT, 0x02);
    }
  }

  private view(): MechanismView {
    const d = this.d;
    return { hasMedium: d.hasMedium, trayOpen: d.trayOpen, locked: d.locked };
  }

  private ready(): boolean {
    const d = this.d;
    return d.hasMedium && !d.trayOpen && this.backend !== null;
  }

  // ---- ATA commands ----

  private ataDone(): void {
    this.ch.state.phase = PHASE_IDLE;
    this.d.status = ST_DRDY | ST_DSC;
    this.d.error = 0;
    this.ch.raise(this.slot);
  }

  private ataAbort(): void {
    this.ch.state.phase = PHASE_IDLE;
    this.d.status = ST_DRDY | ST_ERR;
    this.d.error = ER_ABRT;
    this.ch.raise(this.slot);
  }

  execute(command: number): void {
    const d = this.d;
    const s = this.ch.state;
    switch (command) {
      case CMD.PACKET:
        // Features bit 0 asks for a DMA data phase (only with a bus master), bit 1 for overlap (unsupported).
        if (d.feature & 0x02 || (d.feature & 0x01 && !this.ch.busMaster)) return this.ataAbort();
        s.dma = (d.feature & 0x01) !== 0;
        s.byteLimit = d.lbam | (d.lbah << 8);
        s.pos = 0;
        s.blockEnd = 12;
        s.phase = PHASE_PACKET;
        d.nsect = IR_COD;
        // Accelerated DRQ (IDENTIFY PACKET word 0): the packet is requested without an interrupt.
        d.status = ST_DRDY | ST_DSC | ST_DRQ;
        return;
      case CMD.IDENTIFY_PACKET: {
        const id = atapiIdentify({ ...this.strings, dma: this.ch.busMaster !== null, dmaMode: d.dmaMode });
        s.buffer.set(id, 0);
        s.pos = 0;
        s.blockEnd = s.dataEnd = id.length;
        s.phase = PHASE_IN;
        d.status = ST_DRDY | ST_DSC | ST_DRQ;
        return this.ch.raise(this.slot);
      }
      case CMD.IDENTIFY:
        // A packet device aborts IDENTIFY DEVICE and leaves its signature for the host (ATA-6 8.15).
        this.signature(d);
        return this.ataAbort();
      case CMD.DEVICE_RESET:
        // DEVICE RESET (8.7): stop everything, post the signature; no interrupt.
        this.ch.abortTransfer();
        this.signature(d);
        return;
      case CMD.CHECK_POWER_MODE:
        d.nsect = d.power === POWER_STANDBY ? 0x00 : 0xff;
        return this.ataDone();
      case CMD.IDLE_IMMEDIATE:
      case CMD.IDLE:
        d.power = POWER_IDLE;
        return this.ataDone();
      case CMD.STANDBY_IMMEDIATE:
      case CMD.STANDBY:
        d.power = POWER_STANDBY;
        return this.ataDone();
      case CMD.SLEEP:
        this.ataDone();
        d.power = POWER_SLEEP;
        return;
      case CMD.SET_FEATURES: {
        const f = d.feature;
        if (f === 0x03) {
          const mode = d.nsect;
          if (mode === 0x00 || mode === 0x01 || (mode >= 0x08 && mode <= 0x0c)) d.xferMode = mode;
          else if (this.ch.busMaster && mode >= 0x20 && mode <= 0x22) d.dmaMode = mode;
          else return this.ataAbort();
          return this.ataDone();
        }
        if ([0x02, 0x82, 0x55, 0xaa, 0x66, 0xcc].includes(f)) return this.ataDone();
        return this.ataAbort();
      }
    }
    this.ataAbort();
  }

  blockDone(): void {
    const s = this.ch.state;
    if (s.phase === PHASE_PACKET) return this.runPacket();
    if (s.command !== CMD.PACKET) {
      // IDENTIFY PACKET DEVICE: done after its one block, without another interrupt.
      s.phase = PHASE_IDLE;
      this.d.status = ST_DRDY | ST_DSC;
      return;
    }
    s.xferLeft -= s.blockLen;
    if (s.phase === PHASE_OUT) {
      if (s.xferLeft <= 0) return this.packetOk();
      s.pos = 0;
      return this.nextOutBlock();
    }
    if (s.xferLeft <= 0) return this.packetOk();
    if (s.pos < s.dataEnd) return this.nextInBlock();
    if (s.ioLeft > 0) return this.fetch();
    this.packetOk();
  }

  // ---- packet phases ----

  private packetOk(): void {
    const d = this.d;
    this.ch.state.phase = PHASE_IDLE;
    d.status = ST_DRDY | ST_DSC;
    d.error = 0;
    d.nsect = IR_IO | IR_COD;
    this.ch.raise(this.slot);
  }

  /** CHECK CONDITION: keep the sense for REQUEST SENSE; the Error register carries the key. */
  private checkCondition(key: number, asc: number, ascq: number): void {
    const d = this.d;
    d.senseKey = key;
    d.asc = asc;
    d.ascq = ascq;
    this.ch.state.phase = PHASE_IDLE;
    d.status = ST_DRDY | ST_DSC | ST_ERR;
    d.error = key << 4;
    d.nsect = IR_IO | IR_COD;
    this.ch.raise(this.slot);
  }

  private notReady(): void {
    this.checkCondition(SK_NOT_READY, ASC_MEDIUM_NOT_PRESENT, this.d.trayOpen ? 0x02 : 0x01);
  }

  private invalidField(): void {
    this.checkCondition(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB, 0);
  }

  /** The byte count limit as the device applies it: 0 and FFFFh mean the largest even count. */
  private limit(): number {
    const l = this.ch.state.byteLimit;
    return l === 0 || l === 0xffff ? 0xfffe : l;
  }

  /** Send `data` (cut to the allocation length) as the command's data-in. */
  private sendData(data: Uint8Array, allocation: number): void {
    const s = this.ch.state;
    const len = Math.min(data.length, allocation);
    if (len === 0) return this.packetOk();
    s.buffer.set(data.subarray(0, len), 0);
    s.pos = 0;
    s.dataEnd = len;
    s.xferLeft = len;
    s.ioLeft = 0;
    this.nextInBlock();
  }

  /**
   * Offer the next data block. PIO: byte count, IO = 1, CoD = 0, and an interrupt (ATA-6 9.10).
   * DMA: everything in the buffer goes to the bus master; only the status phase interrupts (9.11).
   */
  private nextInBlock(): void {
    const s = this.ch.state;
    const d = this.d;
    if (s.dma) {
      s.blockLen = Math.min(s.xferLeft, s.dataEnd - s.pos);
      s.blockEnd = s.pos + s.blockLen;
      s.phase = PHASE_IN;
      d.nsect = IR_IO;
      d.status = ST_DRDY | ST_DSC | ST_DRQ;
      return this.ch.dmaReady();
    }
    let size = Math.min(s.xferLeft, s.dataEnd - s.pos, this.limit());
    // Only the last block of a command may have an odd length.
    if (size < s.xferLeft && size & 1 && size > 1) size--;
    s.blockLen = size;
    s.blockEnd = s.pos + size;
    s.phase = PHASE_IN;
    d.lbam = size & 0xff;
    d.lbah = size >> 8;
    d.nsect = IR_IO;
    d.status = ST_DRDY | ST_DSC | ST_DRQ;
    this.ch.raise(this.slot);
  }

  /** Accept `length` parameter bytes from the host (MODE SELECT); they are read and discarded. */
  private receiveData(length: number): void {
    const s = this.ch.state;
    if (length === 0) return this.packetOk();
    s.xferLeft = length;
    s.pos = 0;
    this.nextOutBlock();
  }

  private nextOutBlock(): void {
    const s = this.ch.state;
    const d = this.d;
    let size = Math.min(s.xferLeft, s.dma ? BUFFER_SIZE : this.limit(), BUFFER_SIZE);
    if (size < s.xferLeft && size & 1 && size > 1) size--;
    s.blockLen = size;
    s.blockEnd = size;
    s.phase = PHASE_OUT;
    d.lbam = size & 0xff;
    d.lbah = size >> 8;
    d.nsect = 0; // IO = 0, CoD = 0: host to device data
    d.status = ST_DRDY | ST_DSC | ST_DRQ;
    if (s.dma) this.ch.dmaReady();
    else this.ch.raise(this.slot);
  }

  /** Read the next run of blocks of a READ command from the medium. */
  private fetch(): void {
    const s = this.ch.state;
    const n = Math.min(s.ioLeft, BUFFER_SIZE / CD_SECTOR);
    s.phase = PHASE_IN;
    this.d.status = ST_BSY | ST_DRDY;
    this.ch.startIo(IO_READ, s.lba * CD_SECTOR, n * CD_SECTOR);
  }

  ioDone(data: Uint8Array | null): void {
    const s = this.ch.state;
    if (!data) return this.packetOk();
    s.buffer.set(data, 0);
    const n = data.length / CD_SECTOR;
    s.pos = 0;
    s.dataEnd = data.length;
    s.lba += n;
    s.ioLeft -= n;
    this.nextInBlock();
  }

  ioFailed(_error: unknown): void {
    if (!this.ready()) return this.notReady();
    this.checkCondition(SK_MEDIUM_ERROR, ASC_UNRECOVERED_READ_ERROR, 0);
  }

  /** Start a read of `count` blocks at `lba` (READ(10), READ(12), READ CD user data). */
  private startRead(lba: number, count: number): void {
    if (!this.ready()) return this.notReady();
    if (lba + count > this.d.mediumSectors) return this.checkCondition(SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0);
    if (count === 0) return this.packetOk();
    const s = this.ch.state;
    s.lba = lba;
    s.ioLeft = count;
    s.xferLeft = count * CD_SECTOR;
    this.fetch();
  }

  private isDvd(): boolean {
    return this.opts.dvd ?? this.d.mediumSectors > CD_MAX_SECTORS;
  }

  private runPacket(): void {
    const s = this.ch.state;
    const d = this.d;
    const cdb = s.cdb;
    const op = cdb[0];
    s.phase = PHASE_IDLE;
    d.power = POWER_ACTIVE;
    // Sense data describes the last command; any command but REQUEST SENSE replaces it.
    if (op !== OP.REQUEST_SENSE) d.senseKey = d.asc = d.ascq = 0;
    if (d.unitAttention && !UA_EXEMPT.includes(op)) {
      const asc = d.unitAttention;
      d.unitAttention = 0;
      return this.checkCondition(SK_UNIT_ATTENTION, asc, 0);
    }
    switch (op) {
      case OP.TEST_UNIT_READY:
        return this.ready() ? this.packetOk() : this.notReady();
      case OP.REQUEST_SENSE: {
        let [key, asc, ascq] = [d.senseKey, d.asc, d.ascq];
        if (key === 0 && d.unitAttention) {
          [key, asc, ascq] = [SK_UNIT_ATTENTION, d.unitAttention, 0];
          d.unitAttention = 0;
        }
        d.senseKey = d.asc = d.ascq = 0;
        return this.sendData(senseData(key, asc, ascq), cdb[4]);
      }
      case OP.INQUIRY:
        return this.inquiryCommand(cdb);
      case OP.READ_CAPACITY:
        if (!this.ready()) return this.notReady();
        return this.sendData(capacityData(d.mediumSectors), 8);
      case OP.READ_10:
        return this.startRead(be32(cdb, 2), be16(cdb, 7));
      case OP.READ_12:
        return this.startRead(be32(cdb, 2), be32(cdb, 6));
      case OP.READ_CD: {
        // Only user data of mode 1 / any-type sectors (flags 10h): what a data disc image holds.
        const type = (cdb[1] >> 2) & 7;
        if ((type !== 0 && type !== 2) || cdb[9] !== 0x10) return this.invalidField();
        return this.startRead(be32(cdb, 2), (cdb[6] << 16) | (cdb[7] << 8) | cdb[8]);
      }
      case OP.SEEK_10:
        if (!this.ready()) return this.notReady();
        if (be32(cdb, 2) >= d.mediumSectors) return this.checkCondition(SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0);
        return this.packetOk();
      case OP.READ_TOC: {
        if (!this.ready()) return this.notReady();
        let format = cdb[2] & 0x0f;
        // SFF-8020i put the format in bits 7:6 of byte 9; older drivers still send it there.
        if (format === 0 && cdb[9] >> 6) format = cdb[9] >> 6;
        const data = tocData(format, (cdb[1] & 0x02) !== 0, cdb[6], d.mediumSectors);
        if (!data) return this.invalidField();
        return this.sendData(data, be16(cdb, 7));
      }
      case OP.READ_SUBCHANNEL: {
        if (!this.ready()) return this.notReady();
        // The head rests at the last block read (s.lba points past it).
        const data = subChannelData((cdb[2] & 0x40) !== 0, cdb[3], (cdb[1] & 0x02) !== 0, Math.max(0, Math.min(s.lba, d.mediumSectors) - 1));
        if (!data) return this.invalidField();
        return this.sendData(data, be16(cdb, 7));
      }
      case OP.MODE_SENSE_6:
      case OP.MODE_SENSE_10: {
        const ten = op === OP.MODE_SENSE_10;
        const data = modeSenseData(cdb[2] & 0x3f, cdb[2] >> 6, ten, this.view());
        if (data === "saving") return this.checkCondition(SK_ILLEGAL_REQUEST, ASC_SAVING_NOT_SUPPORTED, 0);
        if (!data) return this.invalidField();
        return this.sendData(data, ten ? be16(cdb, 7) : cdb[4]);
      }
      case OP.MODE_SELECT_6:
        return this.receiveData(cdb[4]);
      case OP.MODE_SELECT_10:
        return this.receiveData(be16(cdb, 7));
      case OP.GET_CONFIGURATION: {
        const rt = cdb[1] & 3;
        if (rt === 3) return this.invalidField();
        const profile = profileFor(d.mediumSectors, this.ready(), this.isDvd());
        return this.sendData(configurationData(rt, be16(cdb, 2), profile), be16(cdb, 7));
      }
      case OP.GET_EVENT_STATUS: {
        // Only polled operation is supported (MMC-3 6.1.6: Polled = 0 asks for asynchronous).
        if ((cdb[1] & 1) === 0) return this.invalidField();
        const data = eventStatusData(cdb[4], d.mediaEvent, this.view());
        if (cdb[4] & 0x10) d.mediaEvent = MEDIA_EVENT_NONE;
        return this.sendData(data, be16(cdb, 7));
      }
      case OP.START_STOP_UNIT:
        return this.startStop(cdb[4]);
      case OP.PREVENT_ALLOW:
        d.locked = (cdb[4] & 0x01) !== 0;
        return this.packetOk();
      case OP.READ_DISC_INFO:
        if (!this.ready()) return this.notReady();
        if (cdb[1] & 0x07) return this.invalidField(); // only standard disc information
        return this.sendData(discInfoData(), be16(cdb, 7));
      case OP.READ_TRACK_INFO: {
        if (!this.ready()) return this.notReady();
        const data = trackInfoData(cdb[1] & 0x03, be32(cdb, 2), d.mediumSectors);
        if (!data) return this.invalidField();
        return this.sendData(data, be16(cdb, 7));
      }
      case OP.READ_FORMAT_CAPACITIES:
        return this.sendData(formatCapacitiesData(d.mediumSectors, this.ready()), be16(cdb, 7));
      case OP.PLAY_AUDIO_10:
      case OP.PLAY_AUDIO_12:
      case OP.PLAY_AUDIO_MSF: {
        // The disc holds one data track: playing it as audio is refused (MMC-3 6.1.14), except a
        // zero-length play, which only positions the head.
        if (!this.ready()) return this.notReady();
        const zero = op === OP.PLAY_AUDIO_10 ? be16(cdb, 7) === 0 : op === OP.PLAY_AUDIO_12 ? be32(cdb, 6) === 0 : cdb[3] === cdb[6] && cdb[4] === cdb[7] && cdb[5] === cdb[8];
        if (zero) return this.packetOk();
        return this.checkCondition(SK_ILLEGAL_REQUEST, ASC_ILLEGAL_MODE_FOR_TRACK, 0);
      }
      case OP.PAUSE_RESUME:
        // Nothing ever plays, so there is nothing to pause or resume (MMC-3 6.1.12).
        if (!this.ready()) return this.notReady();
        return this.checkCondition(SK_ILLEGAL_REQUEST, ASC_COMMAND_SEQUENCE_ERROR, 0);
      case OP.STOP_PLAY_SCAN:
        return this.packetOk();
      case OP.SET_CD_SPEED:
        return this.packetOk();
      case OP.MECHANISM_STATUS:
        return this.sendData(mechanismStatusData(this.view()), be16(cdb, 8));
    }
    this.checkCondition(SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0);
  }

  private inquiryCommand(cdb: Uint8Array): void {
    const alloc = be16(cdb, 3);
    if ((cdb[1] & 1) === 0) {
      if (cdb[2] !== 0) return this.invalidField();
      return this.sendData(inquiryData(this.inquiry), alloc);
    }
    // Vital product data (SPC-3 7.6): the supported-pages list and the unit serial number.
    if (cdb[2] === 0x00) return this.sendData(new Uint8Array([0x05, 0x00, 0x00, 2, 0x00, 0x80]), alloc);
    if (cdb[2] === 0x80) {
      const sn = this.strings.serial;
      const b = new Uint8Array(4 + sn.length);
      b[0] = 0x05;
      b[1] = 0x80;
      b[3] = sn.length;
      for (let i = 0; i < sn.length; i++) b[4 + i] = sn.charCodeAt(i);
      return this.sendData(b, alloc);
    }
    this.invalidField();
  }

  /** START STOP UNIT (MMC-3 6.1.23): LoEj with Start clear ejects, with Start set loads. */
  private startStop(flags: number): void {
    const d = this.d;
    const loej = (flags & 0x02) !== 0;
    const start = (flags & 0x01) !== 0;
    if (!loej) {
      d.power = start ? POWER_ACTIVE : POWER_STANDBY;
      return this.packetOk();
    }
    if (!start) {
      if (d.locked) return this.checkCondition(SK_ILLEGAL_REQUEST, ASC_MEDIUM_REMOVAL_PREVENTED, 0x02);
      this.openTray();
      return this.packetOk();
    }
    if (d.trayOpen) {
      d.trayOpen = false;
      if (d.hasMedium) {
        d.mediaEvent = MEDIA_EVENT_NEW_MEDIA;
        d.unitAttention = ASC_MEDIUM_CHANGED;
      }
    }
    this.packetOk();
  }

  validate(d: DriveRegs, where: string): void {
    if (d.hasMedium !== (this.backend !== null)) throw new StateError(`${where}.hasMedium`, `is ${d.hasMedium} but the drive ${this.backend ? "holds" : "has no"} medium`);
    const sectors = this.backend ? this.backend.byteLength / CD_SECTOR : 0;
    if (d.mediumSectors !== sectors) throw new StateError(`${where}.mediumSectors`, `${d.mediumSectors} does not match the attached medium (${sectors})`);
    if (d.senseKey > 0x0f) throw new StateError(`${where}.senseKey`, `${d.senseKey} is not a sense key`);
    if (d.mediaEvent > MEDIA_EVENT_REMOVAL) throw new StateError(`${where}.mediaEvent`, `${d.mediaEvent} is not a media event code`);
    if (![POWER_ACTIVE, POWER_IDLE, POWER_STANDBY, POWER_SLEEP].includes(d.power)) throw new StateError(`${where}.power`, `${d.power} is not a power mode`);
  }
}
