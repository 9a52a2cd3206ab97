// Pasting text into the guest as keystrokes. The guest applies its own keyboard layout, so we
// type the keys that produce each character on a US keyboard (the default of BIOSes and Linux
// consoles), pressing Left Shift around shifted characters. Characters a US keyboard cannot type
// are reported, not guessed.
import { DOM_CODE_TO_SET2 } from "./keymap";

export interface KeyEvent {
  code: number;
  down: boolean;
}

const SHIFT = DOM_CODE_TO_SET2.ShiftLeft;

/** Character -> [DOM code of the key, shifted]. */
const US: Record<string, [string, boolean]> = {};
{
  const rows: [string, string, string][] = [
    // unshifted, shifted, DOM codes in key order
    ["`1234567890-=", "~!@#$%^&*()_+", "Backquote Digit1 Digit2 Digit3 Digit4 Digit5 Digit6 Digit7 Digit8 Digit9 Digit0 Minus Equal"],
    ["qwertyuiop[]\\", "QWERTYUIOP{}|", "KeyQ KeyW KeyE KeyR KeyT KeyY KeyU KeyI KeyO KeyP BracketLeft BracketRight Backslash"],
    ["asdfghjkl;'", 'ASDFGHJKL:"', "KeyA KeyS KeyD KeyF KeyG KeyH KeyJ KeyK KeyL Semicolon Quote"],
    ["zxcvbnm,./", "ZXCVBNM<>?", "KeyZ KeyX KeyC KeyV KeyB KeyN KeyM Comma Period Slash"],
  ];
  for (const [plain, shifted, codes] of rows) {
    const c = codes.split(" ");
    for (let i = 0; i < c.length; i++) {
      US[plain[i]] = [c[i], false];
      US[shifted[i]] = [c[i], true];
    }
  }
  US[" "] = ["Space", false];
  US["\n"] = ["Enter", false];
  US["\t"] = ["Tab", false];
}

export interface PasteResult {
  events: KeyEvent[];
  /** Characters that have no key on a US keyboard, in order of first appearance. */
  untypable: string[];
}

/** The key presses and releases that type `text` on a US layout. CRLF and CR count as Enter. */
export function textToKeyEvents(text: string): PasteResult {
  const events: KeyEvent[] = [];
  const untypable: string[] = [];
  for (const ch of text.replace(/\r\n?/g, "\n")) {
    const k = US[ch];
    if (!k) {
      if (!untypable.includes(ch)) untypable.push(ch);
      continue;
    }
    const code = DOM_CODE_TO_SET2[k[0]];
    if (k[1]) events.push({ code: SHIFT, down: true });
    events.push({ code, down: true }, { code, down: false });
    if (k[1]) events.push({ code: SHIFT, down: false });
  }
  return { events, untypable };
}

/** A key combination as presses in order and releases in reverse (Ctrl+Alt+F1: "ControlLeft+AltLeft+F1"). */
export function comboToKeyEvents(combo: string): KeyEvent[] {
  const codes = combo.split("+").map((name) => {
    const c = DOM_CODE_TO_SET2[name];
    if (c === undefined) throw new Error(`unknown key ${name} in ${combo}`);
    return c;
  });
  return [...codes.map((code) => ({ code, down: true })), ...codes.reverse().map((code) => ({ code, down: false }))];
}
