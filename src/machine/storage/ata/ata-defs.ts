// Register bits and command codes of ATA/ATAPI-6 (T13 1410D), chapters 7 and 8.

// Status register (7.15)
export const ST_BSY = 0x80;
export const ST_DRDY = 0x40;
export const ST_DF = 0x20;
/** DSC in ATA-3 (seek complete); SERV for packet devices. Set by drives after a seek settles. */
export const ST_DSC = 0x10;
export const ST_DRQ = 0x08;
export const ST_ERR = 0x01;

// Error register (7.9)
export const ER_UNC = 0x40;
export const ER_IDNF = 0x10;
export const ER_ABRT = 0x04;

// Device Control register (7.8)
export const DC_NIEN = 0x02;
export const DC_SRST = 0x04;
export const DC_HOB = 0x80;

// Device register (7.7)
export const DEV_LBA = 0x40;
export const DEV_DEV = 0x10;

// Interrupt reason, in the Sector Count register for packet devices (ATA-6 7.13, SFF-8020i 5.11)
export const IR_COD = 0x01;
export const IR_IO = 0x02;

// Commands (ATA-6 chapter 8; obsolete commands older drivers still send are marked)
export const CMD = {
  NOP: 0x00,
  DEVICE_RESET: 0x08,
  RECALIBRATE: 0x10, // 0x10-0x1F (obsolete)
  READ_SECTORS: 0x20,
  READ_SECTORS_NORETRY: 0x21,
  READ_SECTORS_EXT: 0x24,
  READ_DMA_EXT: 0x25,
  READ_NATIVE_MAX_EXT: 0x27,
  READ_MULTIPLE_EXT: 0x29,
  WRITE_SECTORS: 0x30,
  WRITE_SECTORS_NORETRY: 0x31,
  WRITE_SECTORS_EXT: 0x34,
  WRITE_DMA_EXT: 0x35,
  SET_MAX_EXT: 0x37,
  WRITE_MULTIPLE_EXT: 0x39,
  READ_VERIFY: 0x40,
  READ_VERIFY_NORETRY: 0x41,
  READ_VERIFY_EXT: 0x42,
  SEEK: 0x70, // 0x70-0x7F
  EXECUTE_DIAGNOSTIC: 0x90,
  INITIALIZE_PARAMETERS: 0x91,
  PACKET: 0xa0,
  IDENTIFY_PACKET: 0xa1,
  READ_MULTIPLE: 0xc4,
  WRITE_MULTIPLE: 0xc5,
  SET_MULTIPLE: 0xc6,
  READ_DMA: 0xc8,
  READ_DMA_NORETRY: 0xc9,
  WRITE_DMA: 0xca,
  WRITE_DMA_NORETRY: 0xcb,
  STANDBY_IMMEDIATE: 0xe0,
  IDLE_IMMEDIATE: 0xe1,
  STANDBY: 0xe2,
  IDLE: 0xe3,
  READ_BUFFER: 0xe4,
  CHECK_POWER_MODE: 0xe5,
  SLEEP: 0xe6,
  FLUSH_CACHE: 0xe7,
  WRITE_BUFFER: 0xe8,
  FLUSH_CACHE_EXT: 0xea,
  IDENTIFY: 0xec,
  SET_FEATURES: 0xef,
  READ_NATIVE_MAX: 0xf8,
  SET_MAX: 0xf9,
} as const;

/** Signatures left in the command block after reset or diagnostics (ATA-6 9.12). */
export const SIG_ATAPI_LBAM = 0x14;
export const SIG_ATAPI_LBAH = 0xeb;

/** READ/WRITE MULTIPLE block size limit advertised in IDENTIFY word 47. */
export const MAX_MULTIPLE = 16;

/** Power modes, as CHECK POWER MODE reports them in the Sector Count register (8.6). */
export const POWER_STANDBY = 0x00;
export const POWER_IDLE = 0x80;
export const POWER_ACTIVE = 0xff;
/** Not a CHECK POWER MODE value: the device is in Sleep and answers only to a reset. */
export const POWER_SLEEP = 0x01;
