// The BIOS Data Area at 0x400 (segment 0x40): the fields DOS-era software, bootloaders and
// Linux's real-mode setup read. Offsets per the IBM PC/AT Technical Reference and Ralf Brown's
// Interrupt List (memory map).

export const BDA = 0x400;
export const BDA_COM_PORTS = 0x400; // 4 words
export const BDA_LPT_PORTS = 0x408; // 3 words
export const BDA_EBDA_SEGMENT = 0x40e;
export const BDA_EQUIPMENT = 0x410;
export const BDA_MEMORY_KB = 0x413;
export const BDA_KBD_FLAGS0 = 0x417;
export const BDA_KBD_FLAGS1 = 0x418;
export const BDA_KBD_HEAD = 0x41a;
export const BDA_KBD_TAIL = 0x41c;
export const BDA_KBD_BUFFER = 0x41e; // 16 words, offsets relative to segment 0x40
export const BDA_FLOPPY_RECAL = 0x43e;
export const BDA_FLOPPY_MOTOR = 0x43f;
export const BDA_FLOPPY_MOTOR_TIMEOUT = 0x440;
export const BDA_FLOPPY_STATUS = 0x441;
export const BDA_VIDEO_MODE = 0x449;
export const BDA_VIDEO_COLS = 0x44a;
export const BDA_VIDEO_PAGE_SIZE = 0x44c;
export const BDA_VIDEO_PAGE_START = 0x44e;
export const BDA_CURSOR_POS = 0x450; // 8 words: (row << 8) | col per page
export const BDA_CURSOR_SHAPE = 0x460;
export const BDA_VIDEO_PAGE = 0x462;
export const BDA_CRTC_BASE = 0x463;
export const BDA_VIDEO_MSR = 0x465;
export const BDA_TIMER_TICKS = 0x46c; // dword
export const BDA_TIMER_ROLLOVER = 0x470;
export const BDA_CTRL_BREAK = 0x471;
export const BDA_RESET_FLAG = 0x472;
/** The reset flag's value for a warm boot (Ctrl+Alt+Del): POST skips the memory test. */
export const WARM_BOOT_FLAG = 0x1234;
export const BDA_HD_STATUS = 0x474;
export const BDA_HD_COUNT = 0x475;
export const BDA_KBD_BUFFER_START = 0x480;
export const BDA_KBD_BUFFER_END = 0x482;
export const BDA_VIDEO_ROWS = 0x484; // rows - 1
export const BDA_CHAR_HEIGHT = 0x485;
export const BDA_VIDEO_CTL = 0x487;
export const BDA_VIDEO_SWITCHES = 0x488;
export const BDA_VIDEO_MODESET_CTL = 0x489;
export const BDA_KBD_FLAGS2 = 0x496;
export const BDA_KBD_LEDS = 0x497;

/** Timer ticks per day at 1193182 / 65536 Hz: 0x1800B0 (IBM BIOS). */
export const TICKS_PER_DAY = 0x1800b0;

/** The EBDA: 1 KiB below 640 KiB (e820.ts reserves it). */
export const EBDA_SEGMENT = 0x9fc0;
