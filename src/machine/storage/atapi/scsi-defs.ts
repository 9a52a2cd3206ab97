// SCSI/MMC operation codes and sense data used by the ATAPI CD-ROM (SPC-3, MMC-3, SFF-8020i).

export const OP = {
  TEST_UNIT_READY: 0x00,
  REQUEST_SENSE: 0x03,
  INQUIRY: 0x12,
  MODE_SELECT_6: 0x15,
  MODE_SENSE_6: 0x1a,
  START_STOP_UNIT: 0x1b,
  PREVENT_ALLOW: 0x1e,
  READ_FORMAT_CAPACITIES: 0x23,
  READ_CAPACITY: 0x25,
  READ_10: 0x28,
  SEEK_10: 0x2b,
  READ_SUBCHANNEL: 0x42,
  READ_TOC: 0x43,
  GET_CONFIGURATION: 0x46,
  GET_EVENT_STATUS: 0x4a,
  PLAY_AUDIO_10: 0x45,
  PLAY_AUDIO_MSF: 0x47,
  PAUSE_RESUME: 0x4b,
  STOP_PLAY_SCAN: 0x4e,
  READ_DISC_INFO: 0x51,
  READ_TRACK_INFO: 0x52,
  MODE_SELECT_10: 0x55,
  MODE_SENSE_10: 0x5a,
  PLAY_AUDIO_12: 0xa5,
  READ_12: 0xa8,
  SET_CD_SPEED: 0xbb,
  MECHANISM_STATUS: 0xbd,
  READ_CD: 0xbe,
} as const;

// Sense keys (SPC-3 4.5.6)
export const SK_NO_SENSE = 0x0;
export const SK_NOT_READY = 0x2;
export const SK_MEDIUM_ERROR = 0x3;
export const SK_ILLEGAL_REQUEST = 0x5;
export const SK_UNIT_ATTENTION = 0x6;

// Additional sense codes (SPC-3 annex D)
export const ASC_INVALID_OPCODE = 0x20;
export const ASC_LBA_OUT_OF_RANGE = 0x21;
export const ASC_INVALID_FIELD_IN_CDB = 0x24;
export const ASC_MEDIUM_CHANGED = 0x28;
export const ASC_SAVING_NOT_SUPPORTED = 0x39;
export const ASC_MEDIUM_NOT_PRESENT = 0x3a;
export const ASC_MEDIUM_REMOVAL_PREVENTED = 0x53;
export const ASC_UNRECOVERED_READ_ERROR = 0x11;
export const ASC_COMMAND_SEQUENCE_ERROR = 0x2c;
export const ASC_ILLEGAL_MODE_FOR_TRACK = 0x64;

/** MMC-3 5.2 feature profiles. */
export const PROFILE_CD_ROM = 0x0008;
export const PROFILE_DVD_ROM = 0x0010;

/** Media event codes of GET EVENT STATUS NOTIFICATION, media class (MMC-3 6.1.6.4). */
export const MEDIA_EVENT_NONE = 0;
export const MEDIA_EVENT_EJECT_REQUEST = 1;
export const MEDIA_EVENT_NEW_MEDIA = 2;
export const MEDIA_EVENT_REMOVAL = 3;

export const CD_SECTOR = 2048;
/** Longest CD: 99 minutes of 75 sectors per second; larger images are presented as DVD-ROM. */
export const CD_MAX_SECTORS = 99 * 60 * 75;

export function be16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
export function be32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
export function putBe16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}
export function putBe32(b: Uint8Array, o: number, v: number): void {
  putBe16(b, o, v >>> 16);
  putBe16(b, o + 2, v & 0xffff);
}
