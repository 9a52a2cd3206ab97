// DOM KeyboardEvent.code (the physical key, W3C "UI Events KeyboardEvent code Values") to PS/2
// scan code set 2 make codes (IBM PS/2 keyboard technical reference), for all 105 keys of an ISO
// keyboard plus the US-only and multimedia-free extras. Codes 0xE0xx carry the E0 prefix. The
// guest applies its own layout: we send physical positions, never characters.
import { KEY_PAUSE, KEY_PRINT_SCREEN } from "../machine/devices/scancodes";

export const DOM_CODE_TO_SET2: Readonly<Record<string, number>> = {
  Escape: 0x76, F1: 0x05, F2: 0x06, F3: 0x04, F4: 0x0c, F5: 0x03, F6: 0x0b, F7: 0x83, F8: 0x0a,
  F9: 0x01, F10: 0x09, F11: 0x78, F12: 0x07, PrintScreen: KEY_PRINT_SCREEN, ScrollLock: 0x7e, Pause: KEY_PAUSE,
  Backquote: 0x0e, Digit1: 0x16, Digit2: 0x1e, Digit3: 0x26, Digit4: 0x25, Digit5: 0x2e, Digit6: 0x36,
  Digit7: 0x3d, Digit8: 0x3e, Digit9: 0x46, Digit0: 0x45, Minus: 0x4e, Equal: 0x55, Backspace: 0x66,
  Tab: 0x0d, KeyQ: 0x15, KeyW: 0x1d, KeyE: 0x24, KeyR: 0x2d, KeyT: 0x2c, KeyY: 0x35, KeyU: 0x3c,
  KeyI: 0x43, KeyO: 0x44, KeyP: 0x4d, BracketLeft: 0x54, BracketRight: 0x5b, Backslash: 0x5d,
  CapsLock: 0x58, KeyA: 0x1c, KeyS: 0x1b, KeyD: 0x23, KeyF: 0x2b, KeyG: 0x34, KeyH: 0x33, KeyJ: 0x3b,
  KeyK: 0x42, KeyL: 0x4b, Semicolon: 0x4c, Quote: 0x52, Enter: 0x5a,
  ShiftLeft: 0x12, IntlBackslash: 0x61, KeyZ: 0x1a, KeyX: 0x22, KeyC: 0x21, KeyV: 0x2a, KeyB: 0x32,
  KeyN: 0x31, KeyM: 0x3a, Comma: 0x41, Period: 0x49, Slash: 0x4a, ShiftRight: 0x59,
  ControlLeft: 0x14, MetaLeft: 0xe01f, AltLeft: 0x11, Space: 0x29, AltRight: 0xe011, MetaRight: 0xe027,
  ContextMenu: 0xe02f, ControlRight: 0xe014,
  Insert: 0xe070, Home: 0xe06c, PageUp: 0xe07d, Delete: 0xe071, End: 0xe069, PageDown: 0xe07a,
  ArrowUp: 0xe075, ArrowLeft: 0xe06b, ArrowDown: 0xe072, ArrowRight: 0xe074,
  NumLock: 0x77, NumpadDivide: 0xe04a, NumpadMultiply: 0x7c, NumpadSubtract: 0x7b, NumpadAdd: 0x79,
  NumpadEnter: 0xe05a, NumpadDecimal: 0x71, Numpad0: 0x70, Numpad1: 0x69, Numpad2: 0x72, Numpad3: 0x7a,
  Numpad4: 0x6b, Numpad5: 0x73, Numpad6: 0x74, Numpad7: 0x6c, Numpad8: 0x75, Numpad9: 0x7d,
  // Keys of Japanese and Brazilian keyboards.
  IntlRo: 0x51, IntlYen: 0x6a, KanaMode: 0x13, Convert: 0x64, NonConvert: 0x67,
};

/** The set 2 code for a DOM code, or undefined for keys a PC keyboard doesn't have. */
export function set2ForDomCode(code: string): number | undefined {
  return DOM_CODE_TO_SET2[code];
}

/** Ctrl+Alt+Del as a sequence of (code, down) for the "send Ctrl+Alt+Del" button. */
export const CTRL_ALT_DEL: [number, boolean][] = [
  [0x14, true], [0x11, true], [0xe071, true], [0xe071, false], [0x11, false], [0x14, false],
];
