// The 82077AA model's declared state: everything the controller and its four drive interfaces
// hold, in one plain object (src/machine/state.ts), and the power-on values.
import type { Schema } from "../../state";

const SECTOR = 512;
/** Two sides of the largest format (2.88M, 36 sectors per track). */
export const FDC_BUFFER = 2 * 36 * SECTOR;

export const PHASE_COMMAND = 0;
export const PHASE_EXECUTION = 1;
export const PHASE_RESULT = 2;

export const DIR_NONE = 0;
export const DIR_TO_HOST = 1;
export const DIR_FROM_HOST = 2;

/** What the execution timer does when it fires. */
export const STEP_NONE = 0;
export const STEP_CHECK = 1;
export const STEP_RESULT = 2;

export const IO_NONE = 0;
export const IO_READ = 1;
export const IO_WRITE = 2;
export const IO_FORMAT_READ = 3;
export const IO_FORMAT_WRITE = 4;

export interface FdcDriveState {
  /** Present cylinder number (PCN). */
  cyl: number;
  /** DSKCHG: set when the medium is removed (and at power-on), cleared by a step with a medium in. */
  diskChange: boolean;
  hasMedium: boolean;
  mediumBytes: number;
  seeking: boolean;
  seekTarget: number;
  seekSteps: number;
  seekDeadline: number;
  recalibrating: boolean;
}

export const fdcDriveSchema: Schema = {
  cyl: "u8",
  diskChange: "bool",
  hasMedium: "bool",
  mediumBytes: "u32",
  seeking: "bool",
  seekTarget: "u8",
  seekSteps: "u8",
  seekDeadline: "f64",
  recalibrating: "bool",
};

export interface FdcState {
  dor: number;
  tdr: number;
  dsr: number;
  phase: number;
  cmd: Uint8Array;
  cmdLen: number;
  cmdPos: number;
  result: Uint8Array;
  resLen: number;
  resPos: number;
  irq: boolean;
  /** Drives owed a SENSE INTERRUPT STATUS after a reset (polling), one bit each. */
  resetSense: number;
  /** Drives whose seek ended, owed a SENSE INTERRUPT STATUS, and their ST0. */
  seekSense: number;
  seekSt0: number[];
  srt: number;
  hut: number;
  hlt: number;
  nonDma: boolean;
  eis: boolean;
  efifo: boolean;
  poll: boolean;
  fifoThreshold: number;
  pretrk: number;
  locked: boolean;
  perpendicular: number;
  lastEot: number;
  drives: FdcDriveState[];
  // ---- the data command in execution ----
  drive: number;
  head: number;
  dir: number;
  dreq: boolean;
  buffer: Uint8Array;
  bufLen: number;
  bufPos: number;
  /** First sector (R) and head of the run in the buffer. */
  runR: number;
  runHead: number;
  /** Last sector number per track the run reads (min(EOT, sectors per track)). */
  runLast: number;
  /** EOT named a sector past the end of the track: the run ends with No Data instead of EN. */
  pastTrack: boolean;
  pending: number;
  pendingOffset: number;
  pendingLength: number;
  step: number;
  stepDeadline: number;
}

export const fdcSchema: Schema = {
  dor: "u8",
  tdr: "u8",
  dsr: "u8",
  phase: "u8",
  cmd: { type: "bytes", length: 9 },
  cmdLen: "u8",
  cmdPos: "u8",
  result: { type: "bytes", length: 10 },
  resLen: "u8",
  resPos: "u8",
  irq: "bool",
  resetSense: "u8",
  seekSense: "u8",
  seekSt0: { type: "u8[]", length: 4 },
  srt: "u8",
  hut: "u8",
  hlt: "u8",
  nonDma: "bool",
  eis: "bool",
  efifo: "bool",
  poll: "bool",
  fifoThreshold: "u8",
  pretrk: "u8",
  locked: "bool",
  perpendicular: "u8",
  lastEot: "u8",
  drives: { type: "struct[]", length: 4, of: fdcDriveSchema },
  drive: "u8",
  head: "u8",
  dir: "u8",
  dreq: "bool",
  buffer: { type: "bytes", length: FDC_BUFFER },
  bufLen: "u32",
  bufPos: "u32",
  runR: "u8",
  runHead: "u8",
  runLast: "u8",
  pastTrack: "bool",
  pending: "u8",
  pendingOffset: "f64",
  pendingLength: "u32",
  step: "u8",
  stepDeadline: "f64",
};

/** Power-on state; `media[i]` tells whether drive i holds a diskette (and its size). */
export function fdcPowerOn(media: (number | null)[]): FdcState {
  const drives = [0, 1, 2, 3].map((i) => ({
    cyl: 0,
    diskChange: true,
    hasMedium: media[i] !== null,
    mediumBytes: media[i] ?? 0,
    seeking: false,
    seekTarget: 0,
    seekSteps: 0,
    seekDeadline: Infinity,
    recalibrating: false,
  }));
  return {
    dor: 0, // power-on: the controller is held in reset until the BIOS sets nRESET
    tdr: 0,
    dsr: 0x02, // 250 kbit/s
    phase: PHASE_COMMAND,
    cmd: new Uint8Array(9),
    cmdLen: 0,
    cmdPos: 0,
    result: new Uint8Array(10),
    resLen: 0,
    resPos: 0,
    irq: false,
    resetSense: 0,
    seekSense: 0,
    seekSt0: [0, 0, 0, 0],
    srt: 0,
    hut: 0,
    hlt: 0,
    nonDma: false,
    eis: false,
    efifo: true,
    poll: false,
    fifoThreshold: 0,
    pretrk: 0,
    locked: false,
    perpendicular: 0,
    lastEot: 0,
    drives,
    drive: 0,
    head: 0,
    dir: DIR_NONE,
    dreq: false,
    buffer: new Uint8Array(FDC_BUFFER),
    bufLen: 0,
    bufPos: 0,
    runR: 1,
    runHead: 0,
    runLast: 1,
    pastTrack: false,
    pending: IO_NONE,
    pendingOffset: 0,
    pendingLength: 0,
    step: STEP_NONE,
    stepDeadline: Infinity,
  };
}
