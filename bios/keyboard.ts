// IRQ 1 (INT 09h) and INT 16h: scancodes from the 8042 (translated to set 1) become BIOS
// keystrokes (scan code << 8 | ASCII) in the BDA's 16-entry ring buffer. Tables after the IBM
// PC/AT Technical Reference keyboard section, for the US layout; the guest OS uses its own layout.
import { Service, BIOS_SEGMENT } from "./services";
import type { BiosFirmware } from "./firmware";
import type { ServiceContext } from "./context";
import { BDA_KBD_FLAGS0, BDA_KBD_FLAGS1, BDA_KBD_HEAD, BDA_KBD_TAIL, BDA_KBD_BUFFER_START, BDA_KBD_BUFFER_END, BDA_KBD_FLAGS2, BDA_RESET_FLAG, WARM_BOOT_FLAG } from "./bda";

// ASCII for set-1 make codes 0x00-0x39: [normal, shifted].
const ROW = (n: string, s: string) => [...n].map((c, i) => [c.charCodeAt(0), s.charCodeAt(i)]);
const ASCII: number[][] = [
  [0, 0], [0x1b, 0x1b], ...ROW("1234567890-=", "!@#$%^&*()_+"), [0x08, 0x08], [0x09, 0],
  ...ROW("qwertyuiop[]", "QWERTYUIOP{}"), [0x0d, 0x0d], [0, 0],
  ...ROW("asdfghjkl;'`", 'ASDFGHJKL:"~'), [0, 0], ...ROW("\\zxcvbnm,./", "|ZXCVBNM<>?"), [0, 0],
  [0x2a, 0x2a], [0, 0], [0x20, 0x20],
];
// Keypad 0x47-0x53 with NumLock: digits.
const KEYPAD = "789-456+1230.";

const F_RSHIFT = 0x01, F_LSHIFT = 0x02, F_CTRL = 0x04, F_ALT = 0x08, F_SCROLL = 0x10, F_NUM = 0x20, F_CAPS = 0x40;
const F2_E0 = 0x02;

function r8(fw: BiosFirmware, a: number): number {
  return fw.host.mem.read(a, 1)[0];
}
function w8(fw: BiosFirmware, a: number, v: number): void {
  fw.host.mem.write(a, Uint8Array.of(v));
}
function r16(fw: BiosFirmware, a: number): number {
  const b = fw.host.mem.read(a, 2);
  return b[0] | (b[1] << 8);
}
function w16(fw: BiosFirmware, a: number, v: number): void {
  fw.host.mem.write(a, Uint8Array.of(v & 0xff, v >>> 8));
}

/** Append a keystroke to the BDA ring; false when full (the BIOS beeps; we drop it). */
export function enqueueKey(fw: BiosFirmware, key: number): boolean {
  const start = r16(fw, BDA_KBD_BUFFER_START), end = r16(fw, BDA_KBD_BUFFER_END);
  const tail = r16(fw, BDA_KBD_TAIL);
  let next = tail + 2;
  if (next >= end) next = start;
  if (next === r16(fw, BDA_KBD_HEAD)) return false;
  w16(fw, 0x400 + tail, key);
  w16(fw, BDA_KBD_TAIL, next);
  return true;
}

function peekKey(fw: BiosFirmware): number | null {
  const head = r16(fw, BDA_KBD_HEAD);
  if (head === r16(fw, BDA_KBD_TAIL)) return null;
  return r16(fw, 0x400 + head);
}
function dequeueKey(fw: BiosFirmware): void {
  let head = r16(fw, BDA_KBD_HEAD) + 2;
  if (head >= r16(fw, BDA_KBD_BUFFER_END)) head = r16(fw, BDA_KBD_BUFFER_START);
  w16(fw, BDA_KBD_HEAD, head);
}

/** Translate one set-1 scancode byte, updating shift state; returns a keystroke or null. */
export function translateScancode(fw: BiosFirmware, code: number): number | null {
  let f0 = r8(fw, BDA_KBD_FLAGS0);
  let f2 = r8(fw, BDA_KBD_FLAGS2);
  if (code === 0xe0) {
    w8(fw, BDA_KBD_FLAGS2, f2 | F2_E0);
    return null;
  }
  const e0 = (f2 & F2_E0) !== 0;
  w8(fw, BDA_KBD_FLAGS2, f2 & ~F2_E0);
  const make = code & 0x7f;
  const release = (code & 0x80) !== 0;
  const shiftBit = make === 0x2a ? F_LSHIFT : make === 0x36 ? F_RSHIFT : make === 0x1d ? F_CTRL : make === 0x38 ? F_ALT : 0;
  if (shiftBit) {
    if (e0 && (make === 0x2a || make === 0x36)) return null; // fake shifts around E0 keys
    f0 = release ? f0 & ~shiftBit : f0 | shiftBit;
    w8(fw, BDA_KBD_FLAGS0, f0);
    return null;
  }
  const toggle = make === 0x3a ? F_CAPS : make === 0x45 && !e0 ? F_NUM : make === 0x46 && !e0 ? F_SCROLL : 0;
  if (toggle) {
    if (!release) w8(fw, BDA_KBD_FLAGS0, f0 ^ toggle);
    return null;
  }
  if (release) return null;
  const shift = (f0 & (F_LSHIFT | F_RSHIFT)) !== 0;
  if (make < ASCII.length && !e0) {
    let ch = ASCII[make][shift ? 1 : 0];
    if ((f0 & F_CAPS) && ch >= 0x61 && ch <= 0x7a) ch -= 0x20;
    else if ((f0 & F_CAPS) && ch >= 0x41 && ch <= 0x5a) ch += 0x20;
    if (f0 & F_CTRL) ch = ch >= 0x40 && ch < 0x80 ? ch & 0x1f : 0;
    if (f0 & F_ALT) ch = 0;
    return (make << 8) | ch;
  }
  if (make >= 0x47 && make <= 0x53) {
    // Keypad: digits with NumLock (xor Shift) unless it came with E0 (the grey cursor block).
    const digits = !e0 && ((f0 & F_NUM) !== 0) !== shift;
    if (digits) return (make << 8) | KEYPAD.charCodeAt(make - 0x47);
    return (make << 8) | (e0 ? 0xe0 : 0);
  }
  if (e0 && make === 0x1c) return 0xe00d; // keypad Enter
  if (e0 && make === 0x35) return 0xe02f; // keypad /
  // Function keys F1-F10 (0x3B-0x44), F11/F12 (0x57/0x58 -> 0x85/0x86), with Shift/Ctrl/Alt variants.
  if (make >= 0x3b && make <= 0x44) {
    const base = f0 & F_ALT ? 0x68 : f0 & F_CTRL ? 0x5e : shift ? 0x54 : 0x3b;
    return (base + make - 0x3b) << 8;
  }
  if (make === 0x57 || make === 0x58) {
    const base = f0 & F_ALT ? 0x8b : f0 & F_CTRL ? 0x89 : shift ? 0x87 : 0x85;
    return (base + make - 0x57) << 8;
  }
  return make << 8;
}

/** Del (0x53: the keypad's, or the grey one with E0) while Ctrl and Alt are held. */
function isCtrlAltDel(fw: BiosFirmware, key: number): boolean {
  const f0 = r8(fw, BDA_KBD_FLAGS0);
  return key >>> 8 === 0x53 && (f0 & (F_CTRL | F_ALT)) === (F_CTRL | F_ALT);
}

/**
 * Ctrl+Alt+Del before an OS takes IRQ 1 over: as the IBM PC/AT BIOS, mark a warm boot in the BDA
 * (40:72 = 1234h, which POST keeps) and restart. The restart is a platform reset through the 8042
 * (command FEh pulses the CPU reset line, as AT BIOSes do), so devices start over as well; should
 * the machine ignore the pulse, execution continues at the reset vector, as on the PC/XT.
 */
function warmReboot(fw: BiosFirmware): void {
  w16(fw, BDA_RESET_FLAG, WARM_BOOT_FLAG);
  fw.host.io.write(0x64, 1, 0xfe);
  fw.jumpTo(BIOS_SEGMENT, 0xfff0);
}

export function installKeyboard(fw: BiosFirmware): void {
  fw.on(Service.Int09Keyboard, () => {
    const code = fw.host.io.read(0x60, 1);
    const key = translateScancode(fw, code);
    fw.host.io.write(0x20, 1, 0x20);
    if (key !== null && isCtrlAltDel(fw, key)) warmReboot(fw);
    else if (key !== null) enqueueKey(fw, key);
  });
  fw.on(Service.Int16Keyboard, (ctx) => int16(ctx, fw));
}

function int16(ctx: ServiceContext, fw: BiosFirmware): void {
  const ah = ctx.ah;
  const extended = ah === 0x10 || ah === 0x11;
  // The 00h/01h functions hide extended keys' E0 marker (ASCII 0xE0 -> 0).
  const compat = (k: number) => (!extended && (k & 0xff) === 0xe0 ? k & 0xff00 : k);
  switch (ah) {
    case 0x00:
    case 0x10: {
      const k = peekKey(fw);
      if (k === null) {
        fw.block(Service.Int16Keyboard); // wait for IRQ 1 with interrupts enabled
        return;
      }
      dequeueKey(fw);
      ctx.ax = compat(k);
      return;
    }
    case 0x01:
    case 0x11: {
      const k = peekKey(fw);
      ctx.setZF(k === null);
      if (k !== null) ctx.ax = compat(k);
      return;
    }
    case 0x02:
      ctx.al = r8(fw, BDA_KBD_FLAGS0);
      return;
    case 0x12:
      ctx.al = r8(fw, BDA_KBD_FLAGS0);
      ctx.ah = r8(fw, BDA_KBD_FLAGS1);
      return;
    case 0x03: // typematic rate: accepted, nothing to do
      return;
    case 0x05: // store keystroke CX
      ctx.al = enqueueKey(fw, ctx.cx) ? 0 : 1;
      return;
  }
}
