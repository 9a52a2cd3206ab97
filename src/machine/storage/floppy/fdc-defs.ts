// Registers, commands and status bits of the Intel 82077AA floppy disk controller (datasheet
// 290166, sections 2 and 5), as used in PC-AT mode.

// Digital Output Register (0x3F2)
export const DOR_SELECT = 0x03;
export const DOR_NRESET = 0x04;
/** DMAGATE#: in PC-AT mode, INT and DRQ are driven only while this bit is set. */
export const DOR_DMA_GATE = 0x08;
export const DOR_MOTOR0 = 0x10;

// Main Status Register (0x3F4)
export const MSR_RQM = 0x80;
export const MSR_DIO = 0x40;
export const MSR_NON_DMA = 0x20;
export const MSR_CB = 0x10;

// Data rate select / DSR (0x3F4 write)
export const DSR_SW_RESET = 0x80;

// ST0
export const ST0_ABNORMAL = 0x40;
export const ST0_INVALID = 0x80;
export const ST0_READY_CHANGE = 0xc0;
export const ST0_SEEK_END = 0x20;
export const ST0_EQUIPMENT_CHECK = 0x10;
// ST1
export const ST1_END_OF_CYLINDER = 0x80;
export const ST1_NO_DATA = 0x04;
export const ST1_NOT_WRITABLE = 0x02;
export const ST1_MISSING_AM = 0x01;
// ST2
export const ST2_WRONG_CYLINDER = 0x10;
export const ST2_BAD_CYLINDER = 0x02;
// ST3 (bits 5 and 3 read as one on the 82077AA)
export const ST3_WRITE_PROTECT = 0x40;
export const ST3_TRACK0 = 0x10;
export const ST3_ONES = 0x28;

/** Command codes (low five bits for the commands that carry MT/MFM/SK flags). */
export const FC = {
  READ_TRACK: 0x02,
  SPECIFY: 0x03,
  SENSE_DRIVE_STATUS: 0x04,
  WRITE_DATA: 0x05,
  READ_DATA: 0x06,
  RECALIBRATE: 0x07,
  SENSE_INTERRUPT: 0x08,
  READ_ID: 0x0a,
  FORMAT_TRACK: 0x0d,
  DUMPREG: 0x0e,
  SEEK: 0x0f,
  VERSION: 0x10,
  PERPENDICULAR: 0x12,
  CONFIGURE: 0x13,
  LOCK: 0x14,
  VERIFY: 0x16,
} as const;

export const FLAG_MT = 0x80;
export const FLAG_MFM = 0x40;
export const FLAG_SK = 0x20;

/** Command length in bytes for a first byte, or 0 for an invalid command (82077AA table 5-1). */
export function commandLength(b: number): number {
  const low = b & 0x1f;
  const flags = b & 0xe0;
  switch (low) {
    case FC.READ_DATA:
    case FC.VERIFY:
      return 9;
    case FC.WRITE_DATA:
      return flags & FLAG_SK ? 0 : 9;
    case FC.READ_TRACK:
      return flags & FLAG_MT ? 0 : 9;
    case FC.READ_ID:
      return flags & ~FLAG_MFM & 0xe0 ? 0 : 2;
    case FC.FORMAT_TRACK:
      return flags & ~FLAG_MFM & 0xe0 ? 0 : 6;
  }
  switch (b) {
    case FC.SPECIFY:
      return 3;
    case FC.SENSE_DRIVE_STATUS:
    case FC.RECALIBRATE:
    case FC.PERPENDICULAR:
      return 2;
    case FC.SENSE_INTERRUPT:
    case FC.DUMPREG:
    case FC.VERSION:
    case FC.LOCK:
    case FC.LOCK | 0x80:
      return 1;
    case FC.SEEK:
    case FC.SEEK | 0x80: // relative seek, outward
    case FC.SEEK | 0xc0: // relative seek, inward
      return 3;
    case FC.CONFIGURE:
      return 4;
  }
  return 0;
}

/** 82077AA VERSION result: an enhanced controller. */
export const VERSION_82077 = 0x90;
