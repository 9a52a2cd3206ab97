// A PS/2 (MF2) keyboard: the command set of the IBM PS/2 keyboard technical reference (ED LEDs,
// EE echo, F0 scan code set, F2 identify, F3 typematic, F4/F5/F6 enable/disable/defaults,
// FE resend, FF reset with BAT), producing scan code set 2 or 1. Typematic repeat is left to the
// host, which sends repeated make codes.
import { type Device, type Schema, StateError } from "../state";
import { type ByteQueue, type Ps2Device, checkQueue, queueClear, queueFree, queuePop, queuePush } from "./ps2-queue";
import { set1Sequence, set2Sequence } from "./scancodes";

export const KBD_ACK = 0xfa;
export const KBD_RESEND = 0xfe;
export const KBD_BAT_OK = 0xaa;
const BUFFER = 32;

export interface KeyboardState {
  out: ByteQueue;
  scanSet: number; // 1 or 2
  scanning: boolean; // F4/F5
  awaiting: number; // the command whose parameter byte comes next (ED, F0, F3), 0 if none
  leds: number; // bit 0 scroll lock, bit 1 num lock, bit 2 caps lock
  typematic: number;
  lastSent: number; // for FE resend
  overrun: boolean; // the buffer filled: an overrun code is queued once room frees
}

const KEYBOARD_SCHEMA: Schema = {
  out: { type: "struct", of: { data: { type: "bytes", length: BUFFER }, head: "u8", count: "u8" } },
  scanSet: "u8",
  scanning: "bool",
  awaiting: "u8",
  leds: "u8",
  typematic: "u8",
  lastSent: "u8",
  overrun: "bool",
};

export interface KeyboardCallbacks {
  /** Output became available for the controller. */
  onOutput(): void;
  /** LED state changed (bit 0 scroll, 1 num, 2 caps). */
  onLeds?(leds: number): void;
}

export class Ps2Keyboard implements Device<KeyboardState>, Ps2Device {
  readonly name = "ps2kbd";
  readonly schema = KEYBOARD_SCHEMA;
  state: KeyboardState;

  constructor(private readonly callbacks: KeyboardCallbacks) {
    this.state = Ps2Keyboard.powerOn();
  }

  private static powerOn(): KeyboardState {
    return {
      out: { data: new Uint8Array(BUFFER), head: 0, count: 0 },
      scanSet: 2, scanning: true, awaiting: 0, leds: 0, typematic: 0x2b, lastSent: 0, overrun: false,
    };
  }

  reset(): void {
    this.state = Ps2Keyboard.powerOn();
  }

  postLoad(): void {
    const s = this.state;
    checkQueue("ps2kbd.out", s.out);
    if (s.scanSet !== 1 && s.scanSet !== 2) throw new StateError("ps2kbd.scanSet", `${s.scanSet} is not a supported set`);
    if (![0, 0xed, 0xf0, 0xf3].includes(s.awaiting)) throw new StateError("ps2kbd.awaiting", `0x${s.awaiting.toString(16)} takes no parameter`);
  }

  hasOutput(): boolean {
    return this.state.out.count > 0;
  }

  takeOutput(): number {
    const s = this.state;
    const v = queuePop(s.out);
    s.lastSent = v;
    if (s.overrun && queueFree(s.out) > 0) {
      // The overrun code takes the last buffer position (00 in set 2, FF in set 1).
      queuePush(s.out, s.scanSet === 1 ? 0xff : 0x00);
      s.overrun = false;
    }
    return v;
  }

  /** A key press, as a set 2 make code (0xE0xx for E0 keys; KEY_PAUSE, KEY_PRINT_SCREEN). */
  keyDown(code: number): void {
    this.key(code, true);
  }

  keyUp(code: number): void {
    this.key(code, false);
  }

  private key(code: number, down: boolean): void {
    const s = this.state;
    if (!s.scanning) return;
    const seq = this.state.scanSet === 1 ? set1Sequence(code, down) : set2Sequence(code, down);
    if (seq.length === 0) return;
    // Keep a key's sequence whole: if it does not fit, drop it and report an overrun.
    if (queueFree(s.out) < seq.length + 1 || s.overrun) {
      s.overrun = true;
      return;
    }
    for (const b of seq) queuePush(s.out, b);
    this.callbacks.onOutput();
  }

  private reply(...bytes: number[]): void {
    for (const b of bytes) queuePush(this.state.out, b);
    this.callbacks.onOutput();
  }

  /** A byte from the host (port 0x60 writes reach the keyboard through the controller). */
  receive(byte: number): void {
    const s = this.state;
    if (s.awaiting && byte < 0xed) {
      this.parameter(s.awaiting, byte);
      s.awaiting = 0;
      return;
    }
    // A command byte in place of a parameter abandons the pending command.
    s.awaiting = 0;
    switch (byte) {
      case 0xed:
      case 0xf0:
      case 0xf3:
        s.awaiting = byte;
        this.reply(KBD_ACK);
        return;
      case 0xee:
        this.reply(0xee);
        return;
      case 0xf2:
        this.reply(KBD_ACK, 0xab, 0x83); // MF2 keyboard
        return;
      case 0xf4:
        queueClear(s.out);
        s.scanning = true;
        this.reply(KBD_ACK);
        return;
      case 0xf5:
      case 0xf6:
        // Both restore defaults; F5 also stops scanning (technical reference, F5/F6).
        queueClear(s.out);
        s.typematic = 0x2b;
        s.scanning = byte === 0xf6;
        this.reply(KBD_ACK);
        return;
      case 0xf7: case 0xf8: case 0xf9: case 0xfa: case 0xfb: case 0xfc: case 0xfd:
        this.reply(KBD_ACK); // set 3 key type commands: accepted, no effect in sets 1 and 2
        return;
      case 0xfe:
        this.reply(s.lastSent);
        return;
      case 0xff:
        queueClear(s.out);
        s.scanSet = 2;
        s.scanning = true;
        s.leds = 0;
        s.typematic = 0x2b;
        s.overrun = false;
        this.callbacks.onLeds?.(0);
        this.reply(KBD_ACK, KBD_BAT_OK);
        return;
      default:
        this.reply(KBD_RESEND);
    }
  }

  private parameter(cmd: number, v: number): void {
    const s = this.state;
    switch (cmd) {
      case 0xed:
        s.leds = v & 7;
        this.callbacks.onLeds?.(s.leds);
        this.reply(KBD_ACK);
        return;
      case 0xf3:
        s.typematic = v & 0x7f;
        this.reply(KBD_ACK);
        return;
      default: // F0
        if (v === 0) this.reply(KBD_ACK, s.scanSet);
        else if (v === 1 || v === 2) {
          s.scanSet = v;
          queueClear(s.out);
          this.reply(KBD_ACK);
        } else this.reply(KBD_RESEND); // set 3 is not implemented
    }
  }
}
