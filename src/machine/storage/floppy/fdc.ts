// Intel 82077AA floppy disk controller in PC-AT mode (datasheet 290166): ports 0x3F2-0x3F5 and
// 0x3F7, IRQ 6, DMA channel 2. Commands go through the FIFO in three phases (command, execution,
// result); seeks run in the background and report through SENSE INTERRUPT STATUS. Data moves by
// DMA (or by the FIFO in non-DMA mode), and a data command ends either at terminal count (normal
// termination) or after the EOT sector (abnormal termination with EN), as on the real part.
//
// Timing, all on the VirtualClock: a seek takes the SPECIFY step rate per track; a command that
// cannot find its sector ends after two revolutions (the index pulses it waits for); other
// commands complete a few microseconds after their data moved, much faster than a real diskette,
// so guests booting from floppy do not wait out real rotation.
import type { BlockBackend } from "../../block";
import type { Timer, VirtualClock } from "../../clock";
import type { DmaController, DmaDevice } from "../../dma-api";
import type { IoBus } from "../../io";
import type { IrqLine } from "../../irq";
import { StateError, type Device, type Schema } from "../../state";
import { CompletionQueue, RequestTokens } from "../completion";
import * as F from "./fdc-defs";
import { geometryForSize, RATE_KBPS, type FloppyGeometry } from "./geometry";
import {
  DIR_FROM_HOST,
  DIR_NONE,
  DIR_TO_HOST,
  FDC_BUFFER,
  fdcPowerOn,
  fdcSchema,
  IO_FORMAT_READ,
  IO_FORMAT_WRITE,
  IO_NONE,
  IO_READ,
  IO_WRITE,
  PHASE_COMMAND,
  PHASE_EXECUTION,
  PHASE_RESULT,
  STEP_CHECK,
  STEP_NONE,
  STEP_RESULT,
  type FdcState,
} from "./fdc-state";

const SECTOR = 512;
const DMA_CHANNEL = 2;
/** One revolution at 300 rpm. */
const REVOLUTION_NS = 200_000_000;
/** Delay between the end of the data and the result phase. */
const COMPLETION_NS = 20_000;

export class FloppyController implements Device<FdcState>, DmaDevice {
  readonly name = "fdc";
  readonly schema: Schema = fdcSchema;
  state!: FdcState;
  /** The diskette in each drive (null: empty, or no drive). */
  private readonly media: (BlockBackend | null)[] = [null, null, null, null];
  private readonly geometries: (FloppyGeometry | null)[] = [null, null, null, null];
  private readonly stepTimer: Timer;
  private readonly seekTimers: Timer[];
  private readonly tokens = new RequestTokens();

  constructor(
    io: IoBus,
    private readonly clock: VirtualClock,
    private readonly irq: IrqLine,
    private readonly dma: DmaController,
    private readonly queue: CompletionQueue,
    /** Number of drives cabled (1-4); absent drives never find track 0. */
    readonly driveCount = 2,
  ) {
    this.stepTimer = clock.timer("fdc.exec", () => this.stepFired());
    this.seekTimers = [0, 1, 2, 3].map((d) => clock.timer(`fdc.seek${d}`, () => this.seekDone(d)));
    dma.connect(DMA_CHANNEL, this);
    this.reset();
    io.register(this.name, 0x3f0, 6, { read8: (p) => this.read(p), write8: (p, v) => this.write(p, v) });
    io.register(this.name, 0x3f7, 1, { read8: (p) => this.read(p), write8: (p, v) => this.write(p, v) });
  }

  // ---- media (host side) ----

  /** Put a diskette in `drive`; its format comes from the image size (throws naming the size). */
  insert(drive: number, medium: BlockBackend): void {
    if (drive >= this.driveCount) throw new Error(`fdc: there is no drive ${drive}`);
    const g = geometryForSize(medium.byteLength);
    this.eject(drive);
    this.media[drive] = medium;
    this.geometries[drive] = g;
    const d = this.state.drives[drive];
    d.hasMedium = true;
    d.mediumBytes = medium.byteLength;
  }

  eject(drive: number): void {
    if (this.state.phase === PHASE_EXECUTION && this.state.drive === drive && this.state.pending !== IO_NONE) {
      // The medium left during a transfer: the command never finds its next sector.
      this.tokens.invalidate();
      this.state.pending = IO_NONE;
      this.fail(F.ST1_MISSING_AM, 0, 2 * REVOLUTION_NS);
    }
    this.media[drive] = null;
    this.geometries[drive] = null;
    const d = this.state.drives[drive];
    d.hasMedium = false;
    d.mediumBytes = 0;
    d.diskChange = true;
  }

  geometry(drive: number): FloppyGeometry | null {
    return this.geometries[drive];
  }

  // ---- reset ----

  reset(): void {
    this.tokens.invalidate();
    this.stepTimer.disarm();
    for (const t of this.seekTimers) t.disarm();
    this.state = fdcPowerOn(this.media.map((m) => m?.byteLength ?? null));
    this.dma.setDreq(DMA_CHANNEL, false);
    this.updateIrq();
  }

  /** A software reset (DOR nRESET low, or DSR bit 7): abort everything, keep locked parameters. */
  private enterReset(): void {
    const s = this.state;
    this.tokens.invalidate();
    this.stepTimer.disarm();
    s.step = STEP_NONE;
    s.stepDeadline = Infinity;
    for (let i = 0; i < 4; i++) {
      this.seekTimers[i].disarm();
      const d = s.drives[i];
      d.seeking = false;
      d.seekDeadline = Infinity;
    }
    s.phase = PHASE_COMMAND;
    s.cmdPos = s.resPos = s.resLen = 0;
    s.pending = IO_NONE;
    s.dir = DIR_NONE;
    this.setDreq(false);
    s.irq = false;
    s.resetSense = 0;
    s.seekSense = 0;
    if (!s.locked) {
      // CONFIGURE's defaults (82077AA 5.2.7): implied seek off, FIFO off, polling on, threshold 1.
      s.eis = false;
      s.efifo = true;
      s.poll = false;
      s.fifoThreshold = 0;
      s.pretrk = 0;
    }
    s.perpendicular &= 0x3c;
    this.updateIrq();
  }

  /** Leaving reset with polling enabled posts one interrupt, owed a SENSE INTERRUPT per drive. */
  private leaveReset(): void {
    const s = this.state;
    if (!s.poll) {
      s.resetSense = 0x0f;
      s.irq = true;
    }
    this.updateIrq();
  }

  // ---- ports ----

  read(port: number): number {
    const s = this.state;
    switch (port & 7) {
      case 0: // SRA and SRB exist only in PS/2 modes
      case 1:
        return 0xff;
      case 2:
        return s.dor;
      case 3:
        return s.tdr & 0x03;
      case 4:
        return this.msr();
      case 5:
        return this.readFifo();
      case 7: {
        // DIR: only bit 7 (DSKCHG of the selected drive) is driven in PC-AT mode.
        const sel = s.dor & F.DOR_SELECT;
        return sel < this.driveCount && s.drives[sel].diskChange ? 0x80 : 0x00;
      }
    }
    return 0xff;
  }

  write(port: number, value: number): void {
    const s = this.state;
    switch (port & 7) {
      case 2: {
        const before = s.dor;
        s.dor = value;
        if (!(value & F.DOR_NRESET) && before & F.DOR_NRESET) this.enterReset();
        else if (value & F.DOR_NRESET && !(before & F.DOR_NRESET)) this.leaveReset();
        this.updateIrq();
        this.driveDreq();
        return;
      }
      case 3:
        s.tdr = value & 0x03;
        return;
      case 4:
        s.dsr = value & 0x7f;
        if (value & F.DSR_SW_RESET) {
          this.enterReset();
          this.leaveReset();
        }
        return;
      case 5:
        return this.writeFifo(value);
      case 7: // CCR: the data rate
        s.dsr = (s.dsr & ~0x03) | (value & 0x03);
        return;
    }
  }

  private msr(): number {
    const s = this.state;
    if (!(s.dor & F.DOR_NRESET)) return 0;
    let busy = 0;
    for (let i = 0; i < 4; i++) if (s.drives[i].seeking) busy |= 1 << i;
    switch (s.phase) {
      case PHASE_COMMAND:
        return F.MSR_RQM | (s.cmdPos > 0 ? F.MSR_CB : 0) | busy;
      case PHASE_RESULT:
        return F.MSR_RQM | F.MSR_DIO | F.MSR_CB | busy;
    }
    if (s.nonDma && s.dir !== DIR_NONE && s.bufPos < s.bufLen && s.pending === IO_NONE && s.step === STEP_NONE) {
      return F.MSR_RQM | F.MSR_NON_DMA | F.MSR_CB | (s.dir === DIR_TO_HOST ? F.MSR_DIO : 0) | busy;
    }
    return F.MSR_CB | busy;
  }

  private readFifo(): number {
    const s = this.state;
    if (s.phase === PHASE_RESULT) {
      const v = s.result[s.resPos++];
      // Reading the result clears the interrupt (82077AA 2.1.4).
      if (s.irq) {
        s.irq = false;
        this.updateIrq();
      }
      if (s.resPos >= s.resLen) s.phase = PHASE_COMMAND;
      return v;
    }
    if (s.phase === PHASE_EXECUTION && s.nonDma && s.dir === DIR_TO_HOST && s.bufPos < s.bufLen && s.pending === IO_NONE) {
      const v = s.buffer[s.bufPos++];
      this.pioProgress();
      return v;
    }
    return 0xff;
  }

  private writeFifo(value: number): void {
    const s = this.state;
    if (!(s.dor & F.DOR_NRESET)) return;
    if (s.phase === PHASE_EXECUTION) {
      if (s.nonDma && s.dir === DIR_FROM_HOST && s.bufPos < s.bufLen && s.pending === IO_NONE) {
        s.buffer[s.bufPos++] = value;
        this.pioProgress();
      }
      return;
    }
    if (s.phase !== PHASE_COMMAND) return;
    if (s.cmdPos === 0) {
      s.cmdLen = F.commandLength(value);
      if (s.cmdLen === 0) return this.postResult([F.ST0_INVALID], false);
    }
    s.cmd[s.cmdPos++] = value;
    if (s.cmdPos >= s.cmdLen) {
      s.cmdPos = 0;
      this.execute();
    }
  }

  // ---- interrupt and DMA request ----

  private raise(): void {
    this.state.irq = true;
    this.updateIrq();
  }

  private updateIrq(): void {
    const s = this.state;
    this.irq.set(s.irq && (s.dor & F.DOR_DMA_GATE) !== 0);
  }

  private setDreq(level: boolean): void {
    this.state.dreq = level;
    this.driveDreq();
  }

  private driveDreq(): void {
    const s = this.state;
    this.dma.setDreq(DMA_CHANNEL, s.dreq && (s.dor & F.DOR_DMA_GATE) !== 0);
  }

  private postResult(bytes: number[], interrupt = true): void {
    const s = this.state;
    s.result.fill(0);
    s.result.set(bytes);
    s.resLen = bytes.length;
    s.resPos = 0;
    s.phase = PHASE_RESULT;
    s.dir = DIR_NONE;
    if (interrupt) this.raise();
  }

  // ---- commands ----

  private execute(): void {
    const s = this.state;
    const c = s.cmd;
    const op = c[0];
    switch (op & 0x1f) {
      case F.FC.READ_DATA:
      case F.FC.WRITE_DATA:
      case F.FC.VERIFY:
      case F.FC.READ_TRACK:
        return this.startData(op);
      case F.FC.READ_ID:
        return this.readId();
      case F.FC.FORMAT_TRACK:
        return this.startFormat();
    }
    switch (op) {
      case F.FC.SPECIFY:
        s.srt = c[1] >> 4;
        s.hut = c[1] & 0x0f;
        s.hlt = c[2] >> 1;
        s.nonDma = (c[2] & 1) !== 0;
        s.phase = PHASE_COMMAND;
        return;
      case F.FC.SENSE_DRIVE_STATUS: {
        const drive = c[1] & 3;
        const head = (c[1] >> 2) & 1;
        let st3 = F.ST3_ONES | (head << 2) | drive;
        if (drive < this.driveCount && s.drives[drive].cyl === 0) st3 |= F.ST3_TRACK0;
        if (this.media[drive]?.readOnly) st3 |= F.ST3_WRITE_PROTECT;
        return this.postResult([st3], false);
      }
      case F.FC.RECALIBRATE:
        return this.startSeek(c[1] & 3, 0, true);
      case F.FC.SEEK:
        return this.startSeek(c[1] & 3, c[2], false);
      case F.FC.SEEK | 0x80:
      case F.FC.SEEK | 0xc0: {
        // Relative seek (82077AA 5.3.6): DIR = bit 6, 1 towards higher cylinders.
        const cur = s.drives[c[1] & 3].cyl;
        const target = op & 0x40 ? Math.min(255, cur + c[2]) : Math.max(0, cur - c[2]);
        return this.startSeek(c[1] & 3, target, false);
      }
      case F.FC.SENSE_INTERRUPT:
        return this.senseInterrupt();
      case F.FC.VERSION:
        return this.postResult([F.VERSION_82077], false);
      case F.FC.CONFIGURE:
        s.eis = (c[2] & 0x40) !== 0;
        s.efifo = (c[2] & 0x20) !== 0;
        s.poll = (c[2] & 0x10) !== 0;
        s.fifoThreshold = c[2] & 0x0f;
        s.pretrk = c[3];
        s.phase = PHASE_COMMAND;
        return;
      case F.FC.LOCK:
      case F.FC.LOCK | 0x80:
        s.locked = (op & 0x80) !== 0;
        return this.postResult([s.locked ? 0x10 : 0x00], false);
      case F.FC.DUMPREG: {
        const pcn = s.drives.map((d) => d.cyl);
        const misc = [(s.srt << 4) | s.hut, (s.hlt << 1) | (s.nonDma ? 1 : 0), s.lastEot, (s.locked ? 0x80 : 0) | s.perpendicular];
        const config = (s.eis ? 0x40 : 0) | (s.efifo ? 0x20 : 0) | (s.poll ? 0x10 : 0) | s.fifoThreshold;
        return this.postResult([...pcn, ...misc, config, s.pretrk], false);
      }
      case F.FC.PERPENDICULAR: {
        // OW (bit 7) enables overwriting the per-drive bits D0-D3; GAP and WGATE always load.
        const v = c[1];
        s.perpendicular = (v & 0x80 ? v & 0x3c : s.perpendicular & 0x3c) | (v & 0x03);
        s.phase = PHASE_COMMAND;
        return;
      }
    }
    this.postResult([F.ST0_INVALID], false);
  }

  private senseInterrupt(): void {
    const s = this.state;
    if (s.resetSense) {
      const d = [0, 1, 2, 3].find((i) => s.resetSense & (1 << i))!;
      s.resetSense &= ~(1 << d);
      if (!s.resetSense && !s.seekSense) s.irq = false;
      this.updateIrq();
      return this.postResult([F.ST0_READY_CHANGE | d, s.drives[d].cyl], false);
    }
    if (s.seekSense) {
      const d = [0, 1, 2, 3].find((i) => s.seekSense & (1 << i))!;
      s.seekSense &= ~(1 << d);
      if (!s.seekSense) s.irq = false;
      this.updateIrq();
      return this.postResult([s.seekSt0[d], s.drives[d].cyl], false);
    }
    // Nothing pending: SENSE INTERRUPT STATUS is an invalid command (82077AA 5.3.5).
    this.postResult([F.ST0_INVALID], false);
  }

  /** Step time per track: (16 - SRT) ms at 500 kbit/s, scaled by the data rate (82077AA table 5-9). */
  private stepNs(): number {
    return ((16 - this.state.srt) * 1_000_000 * 500) / RATE_KBPS[this.state.dsr & 3];
  }

  private startSeek(drive: number, target: number, recalibrate: boolean): void {
    const s = this.state;
    const d = s.drives[drive];
    s.phase = PHASE_COMMAND;
    // A recalibrate issues at most 79 step pulses; the 82077AA keeps PCN consistent anyway.
    const steps = recalibrate ? Math.min(d.cyl, 79) : Math.abs(target - d.cyl);
    d.seeking = true;
    d.recalibrating = recalibrate;
    d.seekTarget = target;
    d.seekSteps = Math.min(steps, 255);
    d.seekDeadline = this.clock.now + Math.max(1, steps) * this.stepNs();
    // The head select of the command comes back in ST0 with the seek-end status.
    s.seekSt0[drive] = s.cmd[1] & 0x04;
    this.seekTimers[drive].armAt(d.seekDeadline);
  }

  private seekDone(drive: number): void {
    const s = this.state;
    const d = s.drives[drive];
    if (!d.seeking) return;
    d.seeking = false;
    d.seekDeadline = Infinity;
    let st0 = F.ST0_SEEK_END | drive | (s.seekSt0[drive] & 0x04);
    if (drive >= this.driveCount) {
      // No drive: a recalibrate never sees track 0 (equipment check); a seek just counts steps.
      if (d.recalibrating) st0 |= F.ST0_ABNORMAL | F.ST0_EQUIPMENT_CHECK;
    }
    d.cyl = d.recalibrating ? 0 : d.seekTarget;
    if (d.seekSteps > 0 && d.hasMedium) d.diskChange = false;
    s.seekSense |= 1 << drive;
    s.seekSt0[drive] = st0;
    this.raise();
  }

  // ---- data commands ----

  /** Why the drive cannot find address marks now (no medium, motor off, wrong rate or FM), or null. */
  private unreadable(drive: number, mfm: boolean): number | null {
    const s = this.state;
    const g = this.geometries[drive];
    if (drive >= this.driveCount || !g || !this.media[drive]) return F.ST1_MISSING_AM;
    if (!(s.dor & (F.DOR_MOTOR0 << drive))) return F.ST1_MISSING_AM;
    if (!g.rates.includes(RATE_KBPS[s.dsr & 3]) || !mfm) return F.ST1_MISSING_AM;
    if (s.drives[drive].cyl >= g.cylinders) return F.ST1_MISSING_AM;
    return null;
  }

  /** End the command abnormally after `delay` ns with the command's ID in the result. */
  private fail(st1: number, st2: number, delay: number): void {
    const s = this.state;
    const c = s.cmd;
    const st0 = F.ST0_ABNORMAL | (s.head << 2) | s.drive;
    this.schedule([st0, st1, st2, c[2], c[3], c[4], c[5]], delay);
  }

  /** Post `result` after `delay` ns (the execution phase lasts until then). */
  private schedule(result: number[], delay: number): void {
    const s = this.state;
    s.phase = PHASE_EXECUTION;
    s.dir = DIR_NONE;
    s.result.fill(0);
    s.result.set(result);
    s.resLen = result.length;
    s.step = STEP_RESULT;
    s.stepDeadline = this.clock.now + delay;
    this.stepTimer.armAt(s.stepDeadline);
  }

  private stepFired(): void {
    const s = this.state;
    const step = s.step;
    s.step = STEP_NONE;
    s.stepDeadline = Infinity;
    if (step === STEP_RESULT) return this.postResult(Array.from(s.result.subarray(0, s.resLen)));
    if (step === STEP_CHECK) this.checkTransfer();
  }

  private startData(op: number): void {
    const s = this.state;
    const c = s.cmd;
    const low = op & 0x1f;
    s.drive = c[1] & 3;
    s.head = (c[1] >> 2) & 1;
    s.lastEot = c[6];
    const d = s.drives[s.drive];
    if (s.eis && d.cyl !== c[2] && s.drive < this.driveCount) {
      // Implied seek (CONFIGURE EIS): move to the command's cylinder first.
      if (d.hasMedium) d.diskChange = false;
      d.cyl = c[2];
    }
    const bad = this.unreadable(s.drive, (op & F.FLAG_MFM) !== 0);
    if (bad !== null) return this.fail(bad, 0, 2 * REVOLUTION_NS);
    const g = this.geometries[s.drive]!;
    if (low === F.FC.WRITE_DATA && this.media[s.drive]!.readOnly) return this.fail(F.ST1_NOT_WRITABLE, 0, COMPLETION_NS);
    const [C, H, R, N, EOT] = [c[2], c[3], c[4], c[5], c[6]];
    const startR = low === F.FC.READ_TRACK ? 1 : R;
    // The sector IDs on the track carry the physical cylinder and head and N = 2 (512 bytes).
    if (low !== F.FC.READ_TRACK) {
      if (C !== d.cyl) return this.fail(F.ST1_NO_DATA, F.ST2_WRONG_CYLINDER | (C === 0xff ? F.ST2_BAD_CYLINDER : 0), 2 * REVOLUTION_NS);
      if (H !== s.head || N !== 2 || R < 1 || R > g.sectors) return this.fail(F.ST1_NO_DATA, 0, 2 * REVOLUTION_NS);
    }
    const last = Math.max(startR, Math.min(EOT, g.sectors));
    s.runR = startR;
    s.runHead = s.head;
    s.runLast = last;
    s.pastTrack = EOT > g.sectors;
    let count = last - startR + 1;
    if (op & F.FLAG_MT && s.head === 0 && low !== F.FC.READ_TRACK) count += last;
    const offset = ((d.cyl * g.heads + s.head) * g.sectors + startR - 1) * SECTOR;
    s.bufPos = 0;
    s.bufLen = count * SECTOR;
    if (low === F.FC.VERIFY) {
      // VERIFY checks the sectors' CRCs without transferring data: on an image they are good.
      s.bufPos = s.bufLen;
      return this.finishData(false, count);
    }
    s.phase = PHASE_EXECUTION;
    if (low === F.FC.WRITE_DATA) {
      s.dir = DIR_FROM_HOST;
      return this.startTransfer();
    }
    s.dir = DIR_TO_HOST;
    this.startIo(IO_READ, offset, count * SECTOR);
  }

  private startTransfer(): void {
    const s = this.state;
    s.phase = PHASE_EXECUTION;
    if (s.nonDma) {
      // Non-DMA mode: the host moves each byte through the FIFO when INT (and RQM) ask for it.
      this.raise();
      return;
    }
    this.setDreq(true);
  }

  /** The DMA controller grants a transfer on channel 2 (dma-api.ts). */
  dmaTransfer(_channel: number, toMemory: boolean, memory: { write(data: Uint8Array): number; read(max: number): Uint8Array }, max: number): number {
    const s = this.state;
    if (s.phase !== PHASE_EXECUTION || !s.dreq || s.pending !== IO_NONE) return 0;
    const want = Math.min(max, s.bufLen - s.bufPos);
    let moved = 0;
    if (s.dir === DIR_TO_HOST && toMemory) {
      moved = memory.write(s.buffer.subarray(s.bufPos, s.bufPos + want));
    } else if (s.dir === DIR_FROM_HOST && !toMemory) {
      const data = memory.read(want);
      s.buffer.set(data, s.bufPos);
      moved = data.length;
    }
    s.bufPos += moved;
    if (s.bufPos >= s.bufLen) this.setDreq(false);
    // Terminal count is known to the DMA controller only after this call returns.
    this.armCheck();
    return moved;
  }

  private pioProgress(): void {
    const s = this.state;
    if (s.bufPos >= s.bufLen) {
      s.irq = false;
      this.updateIrq();
      this.armCheck();
    }
  }

  private armCheck(): void {
    const s = this.state;
    if (s.step !== STEP_NONE) return;
    s.step = STEP_CHECK;
    s.stepDeadline = this.clock.now + COMPLETION_NS;
    this.stepTimer.armAt(s.stepDeadline);
  }

  /** After data moved: stop at terminal count, or after the run's last sector without it. */
  private checkTransfer(): void {
    const s = this.state;
    if (s.phase !== PHASE_EXECUTION || s.dir === DIR_NONE) return;
    const tc = !s.nonDma && this.dma.terminalCount(DMA_CHANNEL);
    if (!tc && s.bufPos < s.bufLen) return; // waiting for the DMA controller or the host
    this.setDreq(false);
    const sectors = Math.max(1, Math.ceil(s.bufPos / SECTOR));
    if ((s.cmd[0] & 0x1f) === F.FC.FORMAT_TRACK) return this.formatIdsReceived();
    if (s.dir === DIR_FROM_HOST) {
      // A sector cut short by terminal count is completed with zeros (82077AA 5.2.2).
      s.buffer.fill(0, s.bufPos, sectors * SECTOR);
      const g = this.geometries[s.drive]!;
      const offset = ((s.drives[s.drive].cyl * g.heads + s.runHead) * g.sectors + s.runR - 1) * SECTOR;
      s.bufPos = sectors * SECTOR;
      this.startIo(IO_WRITE, offset, sectors * SECTOR);
      return;
    }
    this.finishData(tc, sectors);
  }

  /** Result phase of a data command whose run ended after `sectors` sectors (82077AA table 5-4). */
  private finishData(tc: boolean, sectors: number): void {
    const s = this.state;
    const c = s.cmd;
    const mt = (c[0] & F.FLAG_MT) !== 0;
    const firstCount = s.runLast - s.runR + 1;
    let head = s.runHead;
    let r = s.runR + sectors - 1;
    if (sectors > firstCount) {
      head = 1;
      r = sectors - firstCount;
    }
    let [C, H, R] = [c[2], c[3], r + 1];
    if (head !== s.runHead) H ^= 1;
    if (r >= s.runLast) {
      R = 1;
      if (mt && head === 0) H ^= 1;
      else {
        C = (C + 1) & 0xff;
        if (mt) H ^= 1;
      }
    }
    let st0 = (head << 2) | s.drive;
    let st1 = 0;
    const ranOut = !tc && s.bufPos >= s.bufLen;
    if (ranOut && (c[0] & 0x1f) !== F.FC.VERIFY) {
      // No terminal count before the end of the run: abnormal termination, End of Cylinder.
      st0 |= F.ST0_ABNORMAL;
      st1 |= s.pastTrack ? F.ST1_NO_DATA : F.ST1_END_OF_CYLINDER;
    }
    this.schedule([st0, st1, 0, C, H, R, c[5]], COMPLETION_NS);
  }

  private readId(): void {
    const s = this.state;
    s.drive = s.cmd[1] & 3;
    s.head = (s.cmd[1] >> 2) & 1;
    const bad = this.unreadable(s.drive, (s.cmd[0] & F.FLAG_MFM) !== 0);
    if (bad !== null) {
      const st0 = F.ST0_ABNORMAL | (s.head << 2) | s.drive;
      return this.schedule([st0, bad, 0, 0, 0, 0, 0], 2 * REVOLUTION_NS);
    }
    // The next ID to pass under the head depends on how far the disk has turned in virtual time.
    const g = this.geometries[s.drive]!;
    const r = (Math.ceil(((this.clock.now % REVOLUTION_NS) / REVOLUTION_NS) * g.sectors) % g.sectors) + 1;
    this.schedule([(s.head << 2) | s.drive, 0, 0, s.drives[s.drive].cyl, s.head, r, 2], COMPLETION_NS);
  }

  // ---- FORMAT TRACK (82077AA 5.2.9): the host supplies C, H, R, N for each sector ----

  private startFormat(): void {
    const s = this.state;
    const c = s.cmd;
    s.drive = c[1] & 3;
    s.head = (c[1] >> 2) & 1;
    const bad = this.unreadable(s.drive, (c[0] & F.FLAG_MFM) !== 0);
    if (bad !== null) return this.fail(bad, 0, 2 * REVOLUTION_NS);
    if (this.media[s.drive]!.readOnly) return this.fail(F.ST1_NOT_WRITABLE, 0, COMPLETION_NS);
    const sc = c[3];
    if (sc === 0 || sc * 4 > FDC_BUFFER) return this.fail(F.ST1_NO_DATA, 0, COMPLETION_NS);
    s.bufPos = 0;
    s.bufLen = sc * 4;
    s.dir = DIR_FROM_HOST;
    this.startTransfer();
  }

  private formatIdsReceived(): void {
    const s = this.state;
    const g = this.geometries[s.drive]!;
    const offset = (s.drives[s.drive].cyl * g.heads + s.head) * g.sectors * SECTOR;
    // Keep the received IDs after the track data in the buffer while the track is read.
    s.buffer.copyWithin(g.sectors * SECTOR, 0, s.bufPos);
    s.bufLen = s.bufPos;
    this.startIo(IO_FORMAT_READ, offset, g.sectors * SECTOR);
  }

  /**
   * The image keeps the drive's fixed geometry, so a format writes the filler byte into each
   * listed sector that exists on this track with 512-byte size; other IDs cannot be represented.
   */
  private formatTrack(): void {
    const s = this.state;
    const g = this.geometries[s.drive]!;
    const track = g.sectors * SECTOR;
    const filler = s.cmd[5];
    const cyl = s.drives[s.drive].cyl;
    for (let i = 0; i + 4 <= s.bufLen; i += 4) {
      const [C, H, R, N] = s.buffer.subarray(track + i, track + i + 4);
      if (C === cyl && H === s.head && N === 2 && R >= 1 && R <= g.sectors) s.buffer.fill(filler, (R - 1) * SECTOR, R * SECTOR);
    }
    const offset = (cyl * g.heads + s.head) * g.sectors * SECTOR;
    this.startIo(IO_FORMAT_WRITE, offset, track);
  }

  // ---- backend requests ----

  private startIo(kind: number, offset: number, length: number): void {
    const s = this.state;
    s.pending = kind;
    s.pendingOffset = offset;
    s.pendingLength = length;
    this.issue();
  }

  private issue(): void {
    const s = this.state;
    const medium = this.media[s.drive];
    const token = this.tokens.next();
    const kind = s.pending;
    const fail = () => {
      if (!this.tokens.valid(token)) return;
      this.state.pending = IO_NONE;
      // An unreadable sector: Data Error in the data field (ST1 DE, ST2 DD).
      this.fail(0x20, 0x20, COMPLETION_NS);
    };
    const done = (data: Uint8Array | void) => {
      if (!this.tokens.valid(token)) return;
      const st = this.state;
      st.pending = IO_NONE;
      if (kind === IO_READ) {
        if (!(data instanceof Uint8Array) || data.length !== st.pendingLength) return fail();
        st.buffer.set(data, 0);
        return this.startTransfer();
      }
      if (kind === IO_FORMAT_READ) {
        if (!(data instanceof Uint8Array) || data.length !== st.pendingLength) return fail();
        st.buffer.set(data, 0);
        return this.formatTrack();
      }
      if (kind === IO_FORMAT_WRITE) {
        const c = st.cmd;
        const ids = st.buffer.subarray(st.pendingLength + st.bufLen - 4, st.pendingLength + st.bufLen);
        return this.schedule([(st.head << 2) | st.drive, 0, 0, ids[0], ids[1], ids[2], c[2]], COMPLETION_NS);
      }
      this.finishData(!st.nonDma && this.dma.terminalCount(DMA_CHANNEL), st.bufPos / SECTOR);
    };
    if (!medium) return fail();
    let answer: Uint8Array | void | Promise<Uint8Array | void>;
    try {
      if (kind === IO_READ || kind === IO_FORMAT_READ) answer = medium.read(s.pendingOffset, s.pendingLength);
      else answer = medium.write(s.pendingOffset, s.buffer.slice(0, s.pendingLength));
    } catch {
      return fail();
    }
    this.queue.submit<Uint8Array | void>(answer, done, fail);
  }

  // ---- Device ----

  postLoad(): void {
    const s = this.state;
    const at = (f: string) => `fdc.${f}`;
    if (s.phase > PHASE_RESULT) throw new StateError(at("phase"), `${s.phase} is not a phase`);
    if (s.cmdLen > 9 || s.cmdPos > s.cmdLen) throw new StateError(at("cmdPos"), `${s.cmdPos} is past the command length ${s.cmdLen}`);
    if (s.resLen > 10 || s.resPos > s.resLen) throw new StateError(at("resPos"), `${s.resPos} is past the result length ${s.resLen}`);
    if (s.bufLen > FDC_BUFFER) throw new StateError(at("bufLen"), `${s.bufLen} is larger than the buffer`);
    if (s.bufPos > s.bufLen) throw new StateError(at("bufPos"), `${s.bufPos} is past the data length ${s.bufLen}`);
    if (s.pending > IO_FORMAT_WRITE) throw new StateError(at("pending"), `${s.pending} is not a request kind`);
    if (s.pendingLength > FDC_BUFFER) throw new StateError(at("pendingLength"), "larger than the buffer");
    if (s.dir > DIR_FROM_HOST) throw new StateError(at("dir"), `${s.dir} is not a direction`);
    if (s.step > STEP_RESULT) throw new StateError(at("step"), `${s.step} is not a step`);
    if (s.step !== STEP_NONE && !Number.isFinite(s.stepDeadline)) throw new StateError(at("stepDeadline"), "a pending step needs a deadline");
    if (s.srt > 15 || s.hut > 15 || s.hlt > 127) throw new StateError(at("srt"), "SPECIFY values out of range");
    if (s.resetSense > 15 || s.seekSense > 15) throw new StateError(at("seekSense"), "only four drives");
    for (let i = 0; i < 4; i++) {
      const d = s.drives[i];
      const medium = this.media[i];
      if (d.hasMedium !== (medium !== null)) throw new StateError(at(`drives[${i}].hasMedium`), `is ${d.hasMedium} but drive ${i} ${medium ? "holds" : "has no"} diskette`);
      if (d.mediumBytes !== (medium?.byteLength ?? 0)) throw new StateError(at(`drives[${i}].mediumBytes`), `${d.mediumBytes} does not match the attached diskette`);
      if (d.seeking && !Number.isFinite(d.seekDeadline)) throw new StateError(at(`drives[${i}].seekDeadline`), "a seek in progress needs a deadline");
    }
    this.tokens.invalidate();
    this.stepTimer.disarm();
    if (s.step !== STEP_NONE) this.stepTimer.armAt(s.stepDeadline);
    for (let i = 0; i < 4; i++) {
      this.seekTimers[i].disarm();
      if (s.drives[i].seeking) this.seekTimers[i].armAt(s.drives[i].seekDeadline);
    }
    if (s.pending !== IO_NONE) {
      const restored = s;
      this.queue.defer(() => {
        if (this.state === restored && restored.pending !== IO_NONE) this.issue();
      });
    }
    this.updateIrq();
  }
}
