// An ATA hard disk (ATA/ATAPI-6) on an IdeChannel: PIO data commands with CHS, LBA28 and LBA48
// addressing, READ/WRITE MULTIPLE, and the non-data commands a BIOS, DOS, Linux libata/ide or
// Windows send. Data-in commands post an interrupt at the start of every DRQ block; data-out
// commands after every block the device has taken (ATA-6 9.5, 9.6). Reads are fetched from the
// backend up to a buffer-full at a time; writes are collected in the buffer (as a drive's cache
// does) and handed to the backend when the buffer fills or the command's last block arrives.
import type { BlockBackend } from "../../block";
import { StateError } from "../../state";
import {
  CMD,
  DEV_LBA,
  ER_ABRT,
  ER_IDNF,
  ER_UNC,
  MAX_MULTIPLE,
  POWER_ACTIVE,
  POWER_IDLE,
  POWER_SLEEP,
  POWER_STANDBY,
  ST_BSY,
  ST_DRDY,
  ST_DRQ,
  ST_DSC,
  ST_ERR,
} from "./ata-defs";
import { BUFFER_SIZE, IO_FLUSH, IO_READ, IO_WRITE, PHASE_IDLE, PHASE_IN, PHASE_OUT, type IdeChannel } from "./channel";
import type { DriveRegs, IdeDevice } from "./drive";
import { ataIdentify, cylindersFor, defaultGeometry, LBA28_LIMIT, type DiskGeometry, type DriveStrings } from "./identify";

const SECTOR = 512;
const BUFFER_SECTORS = BUFFER_SIZE / SECTOR;

/** Commands whose data phase moves sectors of the medium. */
const SECTOR_READS: readonly number[] = [CMD.READ_SECTORS, CMD.READ_SECTORS_NORETRY, CMD.READ_SECTORS_EXT, CMD.READ_MULTIPLE, CMD.READ_MULTIPLE_EXT, CMD.READ_DMA, CMD.READ_DMA_NORETRY, CMD.READ_DMA_EXT];
const SECTOR_WRITES: readonly number[] = [CMD.WRITE_SECTORS, CMD.WRITE_SECTORS_NORETRY, CMD.WRITE_SECTORS_EXT, CMD.WRITE_MULTIPLE, CMD.WRITE_MULTIPLE_EXT, CMD.WRITE_DMA, CMD.WRITE_DMA_NORETRY, CMD.WRITE_DMA_EXT];

const ADDR_CHS = 0;
const ADDR_LBA28 = 1;
const ADDR_LBA48 = 2;

export interface AtaDiskOptions extends Partial<DriveStrings> {
  /** Default CHS geometry (IDENTIFY words 1, 3, 6); derived from the size when omitted. */
  geometry?: DiskGeometry;
}

export class AtaDisk implements IdeDevice {
  readonly kind = "ata";
  readonly sectors: number;
  readonly geometry: DiskGeometry;
  private readonly strings: DriveStrings;
  private ch!: IdeChannel;
  private slot = 0;

  constructor(
    readonly backend: BlockBackend,
    opts: AtaDiskOptions = {},
  ) {
    if (backend.byteLength % SECTOR !== 0 || backend.byteLength === 0) throw new Error(`disk image size ${backend.byteLength} is not a positive multiple of 512 bytes`);
    this.sectors = backend.byteLength / SECTOR;
    if (this.sectors > 2 ** 48 - 1) throw new Error(`disk image of ${this.sectors} sectors exceeds 48-bit addressing`);
    this.geometry = opts.geometry ?? defaultGeometry(this.sectors);
    this.strings = { model: opts.model ?? "LAB86 HARDDISK", serial: opts.serial ?? "LAB86-HD-0001", firmware: opts.firmware ?? "1.0" };
  }

  /** Put the disk on `channel` as device `slot`. */
  attachTo(channel: IdeChannel, slot: number): this {
    this.ch = channel;
    this.slot = slot;
    channel.attach(slot, this);
    return this;
  }

  medium(): BlockBackend {
    return this.backend;
  }

  private get d(): DriveRegs {
    return this.ch.d(this.slot);
  }

  powerOn(d: DriveRegs): void {
    d.multiple = MAX_MULTIPLE;
    d.curCyls = this.geometry.cylinders;
    d.curHeads = this.geometry.heads;
    d.curSectors = this.geometry.sectors;
    d.writeCache = true;
    d.lookAhead = true;
    d.revertDefaults = false;
    d.xferMode = 0;
    d.dmaMode = 0;
    d.userSectors = this.sectors;
    d.nativeMaxRead = false;
    d.power = POWER_ACTIVE;
  }

  /** ATA signature (ATA-6 9.12): Sector Count 1, LBA Low 1, LBA Mid/High 0, diagnostic code 01h. */
  signature(d: DriveRegs): void {
    if (d.revertDefaults) {
      d.writeCache = true;
      d.lookAhead = true;
      d.xferMode = 0;
      d.dmaMode = 0;
    }
    d.nsect = d.hobNsect = 1;
    d.lbal = d.hobLbal = 1;
    d.lbam = d.hobLbam = 0;
    d.lbah = d.hobLbah = 0;
    d.device = 0;
    d.error = 0x01;
    d.status = ST_DRDY | ST_DSC;
    d.power = POWER_ACTIVE;
    d.nativeMaxRead = false;
  }

  // ---- completion ----

  private finish(interrupt: boolean): void {
    const s = this.ch.state;
    s.phase = PHASE_IDLE;
    this.d.status = ST_DRDY | ST_DSC;
    this.d.error = 0;
    if (interrupt) this.ch.raise(this.slot);
  }

  private fail(error: number): void {
    const s = this.ch.state;
    s.phase = PHASE_IDLE;
    this.d.status = ST_DRDY | ST_DSC | ST_ERR;
    this.d.error = error;
    this.ch.raise(this.slot);
  }

  // ---- addressing ----

  private lba48(d: DriveRegs): number {
    return d.hobLbah * 2 ** 40 + d.hobLbam * 2 ** 32 + d.hobLbal * 2 ** 24 + d.lbah * 0x10000 + d.lbam * 0x100 + d.lbal;
  }

  /** The command's starting address, or -1 when a CHS address is invalid for the translation. */
  private startAddress(mode: number): number {
    const d = this.d;
    if (mode === ADDR_LBA48) return this.lba48(d);
    if (mode === ADDR_LBA28) return (d.device & 0x0f) * 0x1000000 + d.lbah * 0x10000 + d.lbam * 0x100 + d.lbal;
    const cyl = (d.lbah << 8) | d.lbam;
    const head = d.device & 0x0f;
    const sector = d.lbal;
    if (d.curCyls === 0 || sector === 0 || sector > d.curSectors || head >= d.curHeads || cyl >= d.curCyls) return -1;
    return (cyl * d.curHeads + head) * d.curSectors + sector - 1;
  }

  /** Write `lba` into the command block in the command's addressing mode (the sector reported last). */
  private reportAddress(lba: number): void {
    const d = this.d;
    const mode = this.ch.state.addrMode;
    if (mode === ADDR_CHS) {
      const perCyl = d.curHeads * d.curSectors;
      const cyl = Math.floor(lba / perCyl);
      const head = Math.floor((lba % perCyl) / d.curSectors);
      d.lbal = (lba % d.curSectors) + 1;
      d.lbam = cyl & 0xff;
      d.lbah = (cyl >> 8) & 0xff;
      d.device = (d.device & 0xf0) | head;
      return;
    }
    d.lbal = lba & 0xff;
    d.lbam = (lba >>> 8) & 0xff;
    d.lbah = (lba >>> 16) & 0xff;
    if (mode === ADDR_LBA28) {
      d.device = (d.device & 0xf0) | ((lba >>> 24) & 0x0f);
    } else {
      const high = Math.floor(lba / 2 ** 24);
      d.hobLbal = high & 0xff;
      d.hobLbam = (high >>> 8) & 0xff;
      d.hobLbah = (high >>> 16) & 0xff;
    }
  }

  private modeOf(ext: boolean): number {
    return ext ? ADDR_LBA48 : this.d.device & DEV_LBA ? ADDR_LBA28 : ADDR_CHS;
  }

  private countOf(ext: boolean): number {
    const d = this.d;
    if (ext) return ((d.hobNsect << 8) | d.nsect) || 65536;
    return d.nsect || 256;
  }

  /** Validate the command's address range; reports IDNF and returns -1 when it does not fit. */
  private range(ext: boolean): number {
    const s = this.ch.state;
    s.addrMode = this.modeOf(ext);
    const lba = this.startAddress(s.addrMode);
    const count = this.countOf(ext);
    if (lba < 0 || lba + count > this.d.userSectors) {
      this.fail(ER_IDNF);
      return -1;
    }
    return lba;
  }

  // ---- commands ----

  execute(command: number): void {
    const d = this.d;
    if (command !== CMD.SET_MAX && command !== CMD.SET_MAX_EXT) d.nativeMaxRead = false;
    switch (command) {
      case CMD.READ_SECTORS:
      case CMD.READ_SECTORS_NORETRY:
        return this.startRead(false, 1);
      case CMD.READ_SECTORS_EXT:
        return this.startRead(true, 1);
      case CMD.READ_MULTIPLE:
      case CMD.READ_MULTIPLE_EXT:
        if (d.multiple === 0) return this.fail(ER_ABRT);
        return this.startRead(command === CMD.READ_MULTIPLE_EXT, d.multiple);
      case CMD.WRITE_SECTORS:
      case CMD.WRITE_SECTORS_NORETRY:
        return this.startWrite(false, 1);
      case CMD.WRITE_SECTORS_EXT:
        return this.startWrite(true, 1);
      case CMD.WRITE_MULTIPLE:
      case CMD.WRITE_MULTIPLE_EXT:
        if (d.multiple === 0) return this.fail(ER_ABRT);
        return this.startWrite(command === CMD.WRITE_MULTIPLE_EXT, d.multiple);
      case CMD.READ_DMA:
      case CMD.READ_DMA_NORETRY:
      case CMD.READ_DMA_EXT:
        if (!this.ch.busMaster) return this.fail(ER_ABRT);
        return this.startRead(command === CMD.READ_DMA_EXT, 1, true);
      case CMD.WRITE_DMA:
      case CMD.WRITE_DMA_NORETRY:
      case CMD.WRITE_DMA_EXT:
        if (!this.ch.busMaster) return this.fail(ER_ABRT);
        return this.startWrite(command === CMD.WRITE_DMA_EXT, 1, true);
      case CMD.READ_VERIFY:
      case CMD.READ_VERIFY_NORETRY:
      case CMD.READ_VERIFY_EXT:
        return this.verify(command === CMD.READ_VERIFY_EXT);
      case CMD.IDENTIFY:
        return this.dataIn(this.identify());
      case CMD.SET_MULTIPLE:
        return this.setMultiple();
      case CMD.SET_FEATURES:
        return this.setFeatures();
      case CMD.INITIALIZE_PARAMETERS:
        return this.initializeParameters();
      case CMD.CHECK_POWER_MODE:
        // FFh: active or idle; 00h: standby (ATA-6 8.6).
        d.nsect = d.power === POWER_STANDBY ? 0x00 : 0xff;
        return this.finish(true);
      case CMD.IDLE:
      case CMD.IDLE_IMMEDIATE:
        d.power = POWER_IDLE;
        return this.finish(true);
      case CMD.STANDBY:
      case CMD.STANDBY_IMMEDIATE:
        d.power = POWER_STANDBY;
        return this.finish(true);
      case CMD.SLEEP:
        this.finish(true);
        d.power = POWER_SLEEP;
        return;
      case CMD.FLUSH_CACHE:
      case CMD.FLUSH_CACHE_EXT:
        d.status = ST_BSY | ST_DRDY;
        return this.ch.startIo(IO_FLUSH, 0, 0);
      case CMD.READ_NATIVE_MAX:
      case CMD.READ_NATIVE_MAX_EXT:
        return this.readNativeMax(command === CMD.READ_NATIVE_MAX_EXT);
      case CMD.SET_MAX:
      case CMD.SET_MAX_EXT:
        return this.setMax(command === CMD.SET_MAX_EXT);
      case CMD.READ_BUFFER:
        return this.dataIn(this.ch.state.buffer.slice(0, SECTOR));
      case CMD.WRITE_BUFFER:
        return this.dataOutOnce();
    }
    if ((command & 0xf0) === CMD.RECALIBRATE) {
      d.power = POWER_ACTIVE;
      this.ch.state.addrMode = this.modeOf(false);
      this.reportAddress(0);
      return this.finish(true);
    }
    if ((command & 0xf0) === CMD.SEEK) {
      d.power = POWER_ACTIVE;
      const s = this.ch.state;
      s.addrMode = this.modeOf(false);
      const lba = this.startAddress(s.addrMode);
      if (lba < 0 || lba >= d.userSectors) return this.fail(ER_IDNF);
      return this.finish(true);
    }
    // NOP, DMA, SMART, security, PACKET and everything else this device does not implement.
    this.fail(ER_ABRT);
  }

  private identify(): Uint8Array {
    const d = this.d;
    return ataIdentify({
      ...this.strings,
      userSectors: d.userSectors,
      geometry: this.geometry,
      current: { cylinders: d.curCyls, heads: d.curHeads, sectors: d.curSectors },
      multiple: d.multiple,
      writeCache: d.writeCache,
      lookAhead: d.lookAhead,
      dma: this.ch.busMaster !== null,
      dmaMode: d.dmaMode,
    });
  }

  /** A one-block data-in command (IDENTIFY, READ BUFFER): DRQ and an interrupt, done after the block. */
  private dataIn(data: Uint8Array): void {
    const s = this.ch.state;
    s.buffer.set(data, 0);
    s.pos = 0;
    s.blockEnd = s.dataEnd = data.length;
    s.xferLeft = 0;
    s.phase = PHASE_IN;
    this.d.status = ST_DRDY | ST_DSC | ST_DRQ;
    this.ch.raise(this.slot);
  }

  /** WRITE BUFFER: one 512-byte data-out block into the buffer, then an interrupt. */
  private dataOutOnce(): void {
    const s = this.ch.state;
    s.pos = 0;
    s.blockEnd = SECTOR;
    s.xferLeft = 0;
    s.phase = PHASE_OUT;
    this.d.status = ST_DRDY | ST_DSC | ST_DRQ;
  }

  private startRead(ext: boolean, blockSectors: number, dma = false): void {
    const lba = this.range(ext);
    if (lba < 0) return;
    const s = this.ch.state;
    s.dma = dma;
    this.d.power = POWER_ACTIVE;
    s.lba = s.xferLba = lba;
    s.ioLeft = s.xferLeft = this.countOf(ext);
    s.blockSectors = blockSectors;
    s.pos = s.dataEnd = s.blockEnd = 0;
    s.phase = PHASE_IN;
    this.fetch();
  }

  private fetch(): void {
    const s = this.ch.state;
    const n = Math.min(s.ioLeft, BUFFER_SECTORS);
    this.d.status = ST_BSY | ST_DRDY;
    this.ch.startIo(IO_READ, s.lba * SECTOR, n * SECTOR);
  }

  /**
   * The next data block of a sector read is in the buffer. PIO: offer one DRQ block and interrupt.
   * DMA: offer everything fetched; the interrupt comes only at the end of the command (ATA-6 9.8).
   */
  private nextInBlock(): void {
    const s = this.ch.state;
    const n = s.dma ? Math.min(s.xferLeft, (s.dataEnd - s.pos) / SECTOR) : Math.min(s.blockSectors, s.xferLeft);
    s.blockLen = n * SECTOR;
    s.blockEnd = s.pos + s.blockLen;
    this.d.status = ST_DRDY | ST_DSC | ST_DRQ;
    if (s.dma) this.ch.dmaReady();
    else this.ch.raise(this.slot);
  }

  /** Size of the next data-out block: a DRQ block in PIO, what fits in the buffer in DMA. */
  private outBlockBytes(): number {
    const s = this.ch.state;
    return s.dma ? Math.min(s.xferLeft * SECTOR, BUFFER_SIZE - s.pos) : Math.min(s.blockSectors, s.xferLeft) * SECTOR;
  }

  /** Ask for the next data-out block: PIO interrupts (except for the first block), DMA asserts DMARQ. */
  private requestOutBlock(interrupt: boolean): void {
    const s = this.ch.state;
    s.blockLen = this.outBlockBytes();
    s.blockEnd = s.pos + s.blockLen;
    this.d.status = ST_DRDY | ST_DSC | ST_DRQ;
    if (s.dma) this.ch.dmaReady();
    else if (interrupt) this.ch.raise(this.slot);
  }

  private startWrite(ext: boolean, blockSectors: number, dma = false): void {
    const lba = this.range(ext);
    if (lba < 0) return;
    if (this.backend.readOnly) return this.fail(ER_ABRT);
    const s = this.ch.state;
    s.dma = dma;
    this.d.power = POWER_ACTIVE;
    s.lba = s.xferLba = lba;
    s.xferLeft = this.countOf(ext);
    s.ioLeft = 0;
    s.blockSectors = blockSectors;
    s.pos = s.dataEnd = 0;
    s.phase = PHASE_OUT;
    // The first block is requested without an interrupt (ATA-6 9.6).
    this.requestOutBlock(false);
  }

  private verify(ext: boolean): void {
    const lba = this.range(ext);
    if (lba < 0) return;
    this.d.power = POWER_ACTIVE;
    this.reportAddress(lba + this.countOf(ext) - 1);
    this.finish(true);
  }

  blockDone(): void {
    const s = this.ch.state;
    const cmd = s.command;
    if (SECTOR_READS.includes(cmd)) return this.readBlockDone();
    if (SECTOR_WRITES.includes(cmd)) return this.writeBlockDone();
    // IDENTIFY / READ BUFFER end silently after their block; WRITE BUFFER interrupts.
    this.finish(s.phase === PHASE_OUT);
  }

  private readBlockDone(): void {
    const s = this.ch.state;
    const n = s.blockLen / SECTOR;
    s.xferLeft -= n;
    s.xferLba += n;
    this.reportAddress(s.xferLba - 1);
    this.d.nsect = s.xferLeft & 0xff;
    // PIO data-in ends silently after the last block; DMA ends with the command's interrupt.
    if (s.xferLeft === 0) return this.finish(s.dma);
    if (s.pos < s.dataEnd) return this.nextInBlock();
    this.fetch();
  }

  private writeBlockDone(): void {
    const s = this.ch.state;
    const n = s.blockLen / SECTOR;
    s.xferLeft -= n;
    s.xferLba += n;
    const next = Math.min(s.blockSectors, s.xferLeft) * SECTOR;
    if (s.dma || s.xferLeft === 0 || s.pos + next > BUFFER_SIZE) {
      this.d.status = ST_BSY | ST_DRDY;
      this.ch.startIo(IO_WRITE, s.lba * SECTOR, s.pos);
      return;
    }
    this.requestOutBlock(true);
  }

  ioDone(data: Uint8Array | null): void {
    const s = this.ch.state;
    const d = this.d;
    if (data !== null) {
      s.buffer.set(data, 0);
      const n = data.length / SECTOR;
      s.pos = 0;
      s.dataEnd = data.length;
      s.lba += n;
      s.ioLeft -= n;
      return this.nextInBlock();
    }
    if (s.phase === PHASE_OUT) {
      s.lba += s.pos / SECTOR;
      s.pos = 0;
      this.reportAddress(s.xferLba - 1);
      d.nsect = s.xferLeft & 0xff;
      if (s.xferLeft === 0) return this.finish(true);
      return this.requestOutBlock(true);
    }
    // FLUSH CACHE: the backend made every completed write durable (ATA-6 8.13).
    this.finish(true);
  }

  ioFailed(_error: unknown): void {
    const s = this.ch.state;
    if (s.phase === PHASE_IN) {
      // An unreadable sector: report it as uncorrectable at the first sector not delivered.
      this.reportAddress(s.lba);
      return this.fail(ER_UNC);
    }
    if (s.phase === PHASE_OUT) {
      this.reportAddress(s.lba);
      return this.fail(ER_ABRT);
    }
    this.fail(ER_ABRT);
  }

  // ---- non-data commands ----

  /** SET MULTIPLE MODE (8.39): a power of two up to word 47's maximum; 0 disables. */
  private setMultiple(): void {
    const n = this.d.nsect;
    if (n > MAX_MULTIPLE || (n & (n - 1)) !== 0) return this.fail(ER_ABRT);
    this.d.multiple = n;
    this.finish(true);
  }

  /** SET FEATURES (8.40). */
  private setFeatures(): void {
    const d = this.d;
    switch (d.feature) {
      case 0x02:
        d.writeCache = true;
        break;
      case 0x82:
        d.writeCache = false;
        break;
      case 0x03: {
        // Transfer mode: PIO default (00h, 01h) or PIO flow-control mode 0-4 (08h-0Ch). No DMA modes.
        const mode = d.nsect;
        if (mode === 0x00 || mode === 0x01 || (mode >= 0x08 && mode <= 0x0c)) d.xferMode = mode;
        // Multiword DMA modes 0-2 with a bus master; no Ultra DMA (the PIIX3 has none).
        else if (this.ch.busMaster && mode >= 0x20 && mode <= 0x22) d.dmaMode = mode;
        else return this.fail(ER_ABRT);
        break;
      }
      case 0x55:
        d.lookAhead = false;
        break;
      case 0xaa:
        d.lookAhead = true;
        break;
      case 0x66:
        d.revertDefaults = false;
        break;
      case 0xcc:
        d.revertDefaults = true;
        break;
      default:
        return this.fail(ER_ABRT);
    }
    this.finish(true);
  }

  /** INITIALIZE DEVICE PARAMETERS (8.17): heads from the Device register, sectors from Sector Count. */
  private initializeParameters(): void {
    const d = this.d;
    const heads = (d.device & 0x0f) + 1;
    const sectors = d.nsect;
    const cyls = cylindersFor(this.sectors, heads, sectors);
    if (cyls === 0) {
      // An unsupported translation: CHS commands fail with IDNF until a valid one is set.
      d.curCyls = 0;
      d.curHeads = heads;
      d.curSectors = sectors;
      return this.fail(ER_ABRT);
    }
    d.curCyls = cyls;
    d.curHeads = heads;
    d.curSectors = sectors;
    this.finish(true);
  }

  /** READ NATIVE MAX ADDRESS (EXT) (8.28, 8.29): the highest native LBA. */
  private readNativeMax(ext: boolean): void {
    const d = this.d;
    if (!ext && !(d.device & DEV_LBA)) return this.fail(ER_ABRT);
    this.ch.state.addrMode = ext ? ADDR_LBA48 : ADDR_LBA28;
    this.reportAddress(ext ? this.sectors - 1 : Math.min(this.sectors - 1, LBA28_LIMIT - 1));
    d.nativeMaxRead = true;
    this.finish(true);
  }

  /** SET MAX ADDRESS (EXT) (8.36, 8.37): volatile Host Protected Area; no security extension. */
  private setMax(ext: boolean): void {
    const d = this.d;
    const justRead = d.nativeMaxRead;
    d.nativeMaxRead = false;
    if (!justRead || (!ext && d.feature !== 0x00) || !(d.device & DEV_LBA)) return this.fail(ER_ABRT);
    const max = ext ? this.lba48(d) : (d.device & 0x0f) * 0x1000000 + d.lbah * 0x10000 + d.lbam * 0x100 + d.lbal;
    if (max >= this.sectors) return this.fail(ER_IDNF);
    d.userSectors = max + 1;
    this.finish(true);
  }

  validate(d: DriveRegs, where: string): void {
    if (d.userSectors < 1 || d.userSectors > this.sectors || !Number.isInteger(d.userSectors)) throw new StateError(`${where}.userSectors`, `${d.userSectors} is not within the disk's ${this.sectors} sectors`);
    if (d.multiple > MAX_MULTIPLE || (d.multiple & (d.multiple - 1)) !== 0) throw new StateError(`${where}.multiple`, `${d.multiple} is not a supported block size`);
    if (d.curCyls !== 0 && (d.curHeads < 1 || d.curHeads > 16 || d.curSectors < 1)) throw new StateError(`${where}.curHeads`, "invalid current CHS translation");
    if (![POWER_ACTIVE, POWER_IDLE, POWER_STANDBY, POWER_SLEEP].includes(d.power)) throw new StateError(`${where}.power`, `${d.power} is not a power mode`);
  }
}
