// A PS/2 mouse (IBM PS/2 mouse technical reference: stream and remote modes, wrap mode, scaling,
// resolution, sample rate, status request) with the Microsoft IntelliMouse extensions: the sample
// rate sequence 200, 100, 80 switches to ID 3 (4-byte packets with a wheel), and 200, 200, 80 after
// that to ID 4 (wheel plus buttons 4 and 5).
import type { Timer, VirtualClock } from "../clock";
import { type Device, type Schema, StateError } from "../state";
import { type ByteQueue, type Ps2Device, checkQueue, queueClear, queueFree, queuePush, queuePop } from "./ps2-queue";

const ACK = 0xfa;
const RESEND = 0xfe;
const BUFFER = 64;

export interface MouseState {
  out: ByteQueue;
  id: number; // 0, 3 or 4
  reporting: boolean; // F4/F5
  remote: boolean; // F0 remote mode (else stream)
  wrap: boolean; // EE wrap (echo) mode
  scaling2to1: boolean;
  resolution: number; // 0-3: 1, 2, 4, 8 counts/mm
  sampleRate: number;
  awaiting: number; // E8 or F3 waiting for its parameter, 0 if none
  rateHistory: number; // the last three sample rates set, packed (oldest in bits 16-23)
  buttons: number; // bit 0 left, 1 right, 2 middle, 3 button 4, 4 button 5
  dx: number; // movement not yet reported (remote mode, or beyond one packet's range)
  dy: number;
  dz: number;
  lastSent: number;
  nextSampleAt: number; // paced streaming: no packet before this time (Infinity: idle)
  buttonsPending: boolean; // a button change waits for the next sample
}

const MOUSE_SCHEMA: Schema = {
  out: { type: "struct", of: { data: { type: "bytes", length: BUFFER }, head: "u8", count: "u8" } },
  id: "u8", reporting: "bool", remote: "bool", wrap: "bool", scaling2to1: "bool", resolution: "u8", sampleRate: "u8",
  awaiting: "u8", rateHistory: "u32", buttons: "u8", dx: "i32", dy: "i32", dz: "i32", lastSent: "u8",
  nextSampleAt: "f64", buttonsPending: "bool",
};

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

/** 2:1 scaling of a stream-mode count (technical reference table): 1 1, 2 1, 3 3, 4 6, 5 9, n>5 2n. */
function scale2to1(v: number): number {
  const a = Math.abs(v);
  const s = a <= 5 ? [0, 1, 1, 3, 6, 9][a] : 2 * a;
  return v < 0 ? -s : s;
}

export class Ps2Mouse implements Device<MouseState>, Ps2Device {
  readonly name = "ps2mouse";
  readonly schema = MOUSE_SCHEMA;
  state: MouseState;

  private readonly sampleTimer: Timer | null;

  /**
   * With a clock, stream mode reports at most one packet per sample period (1 / sample rate),
   * accumulating motion in between as a real mouse does; without one, every host event is sent
   * at once.
   */
  constructor(private readonly onOutput: () => void, private readonly clock?: VirtualClock) {
    this.state = Ps2Mouse.powerOn();
    this.sampleTimer = clock ? clock.timer("ps2mouse.sample", () => this.sample()) : null;
  }

  private static powerOn(): MouseState {
    return {
      out: { data: new Uint8Array(BUFFER), head: 0, count: 0 },
      id: 0, reporting: false, remote: false, wrap: false, scaling2to1: false, resolution: 2, sampleRate: 100,
      awaiting: 0, rateHistory: 0, buttons: 0, dx: 0, dy: 0, dz: 0, lastSent: 0,
      nextSampleAt: Infinity, buttonsPending: false,
    };
  }

  reset(): void {
    this.state = Ps2Mouse.powerOn();
    this.sampleTimer?.disarm();
  }

  postLoad(): void {
    const s = this.state;
    checkQueue("ps2mouse.out", s.out);
    if (![0, 3, 4].includes(s.id)) throw new StateError("ps2mouse.id", `${s.id} is not a mouse ID`);
    if (s.resolution > 3) throw new StateError("ps2mouse.resolution", `${s.resolution} is out of range`);
    if (![0, 0xe8, 0xf3].includes(s.awaiting)) throw new StateError("ps2mouse.awaiting", `0x${s.awaiting.toString(16)} takes no parameter`);
    if (this.sampleTimer) {
      if (s.nextSampleAt !== Infinity) this.sampleTimer.armAt(s.nextSampleAt);
      else this.sampleTimer.disarm();
    }
  }

  hasOutput(): boolean {
    return this.state.out.count > 0;
  }

  takeOutput(): number {
    const v = queuePop(this.state.out);
    this.state.lastSent = v;
    if (this.state.out.count === 0 && !this.state.remote) this.flushMotion();
    return v;
  }

  /**
   * Host motion: dx right, dy down (screen convention, converted to the mouse's Y-up), dz wheel
   * clicks (positive = towards the user), `buttons` bit 0 left, 1 right, 2 middle, 3/4 buttons 4/5.
   */
  mouseMove(dx: number, dy: number, dz: number, buttons: number): void {
    const s = this.state;
    s.dx += Math.trunc(dx);
    s.dy -= Math.trunc(dy);
    s.dz += Math.trunc(dz);
    const buttonsChanged = (buttons & 0x1f) !== s.buttons;
    s.buttons = buttons & 0x1f;
    if (s.remote || !s.reporting || s.wrap) return;
    this.flushMotion(buttonsChanged);
  }

  /** Stream mode: emit packets for the accumulated motion while the buffer has room. */
  private flushMotion(force = false): void {
    const s = this.state;
    if (!s.reporting || s.wrap) return;
    const size = s.id === 0 ? 3 : 4;
    if (this.clock && this.sampleTimer) {
      // Paced: one packet now if the sample period has passed, else at the next sample.
      if (force) s.buttonsPending = true;
      if (s.nextSampleAt !== Infinity) return;
      if ((s.buttonsPending || s.dx !== 0 || s.dy !== 0 || s.dz !== 0) && queueFree(s.out) >= size) {
        this.packet(true);
        s.buttonsPending = false;
        s.nextSampleAt = this.clock.now + 1e9 / Math.max(1, s.sampleRate);
        this.sampleTimer.armAt(s.nextSampleAt);
        this.onOutput();
      }
      return;
    }
    let sent = false;
    while ((force || s.dx !== 0 || s.dy !== 0 || s.dz !== 0) && queueFree(s.out) >= size) {
      this.packet(true);
      force = false;
      sent = true;
    }
    if (sent) this.onOutput();
  }

  /** The sample period ended: report what accumulated, if anything. */
  private sample(): void {
    this.state.nextSampleAt = Infinity;
    if (!this.state.remote) this.flushMotion();
  }

  /** Queue one movement packet, taking at most one packet's worth of the accumulated motion. */
  private packet(stream: boolean): void {
    const s = this.state;
    let x = clamp(s.dx, -256, 255);
    let y = clamp(s.dy, -256, 255);
    const z = clamp(s.dz, -8, 7);
    s.dx -= x;
    s.dy -= y;
    s.dz -= z;
    if (stream && s.scaling2to1) {
      x = scale2to1(x);
      y = scale2to1(y);
    }
    const xo = x < -256 || x > 255;
    const yo = y < -256 || y > 255;
    x = clamp(x, -256, 255);
    y = clamp(y, -256, 255);
    const b0 = (yo ? 0x80 : 0) | (xo ? 0x40 : 0) | (y < 0 ? 0x20 : 0) | (x < 0 ? 0x10 : 0) | 0x08 |
      (s.buttons & 4 ? 0x04 : 0) | (s.buttons & 2 ? 0x02 : 0) | (s.buttons & 1 ? 0x01 : 0);
    queuePush(s.out, b0);
    queuePush(s.out, x & 0xff);
    queuePush(s.out, y & 0xff);
    if (s.id === 3) queuePush(s.out, z & 0xff);
    else if (s.id === 4) queuePush(s.out, (z & 0x0f) | ((s.buttons & 0x18) << 1));
  }

  private reply(...bytes: number[]): void {
    for (const b of bytes) queuePush(this.state.out, b);
    this.onOutput();
  }

  receive(byte: number): void {
    const s = this.state;
    if (s.wrap && byte !== 0xec && byte !== 0xff) {
      this.reply(byte); // wrap mode echoes every byte but "reset wrap" and "reset"
      return;
    }
    if (s.awaiting) {
      const cmd = s.awaiting;
      s.awaiting = 0;
      if (cmd === 0xe8) {
        s.resolution = byte & 3;
      } else {
        s.sampleRate = byte;
        s.rateHistory = ((s.rateHistory << 8) | byte) & 0xffffff;
        if (s.rateHistory === 0xc86450 && s.id === 0) s.id = 3; // 200, 100, 80
        else if (s.rateHistory === 0xc8c850 && s.id === 3) s.id = 4; // 200, 200, 80
      }
      this.reply(ACK);
      return;
    }
    switch (byte) {
      case 0xe6:
      case 0xe7:
        s.scaling2to1 = byte === 0xe7;
        this.reply(ACK);
        return;
      case 0xe8:
      case 0xf3:
        s.awaiting = byte;
        this.reply(ACK);
        return;
      case 0xe9: {
        const status = (s.remote ? 0x40 : 0) | (s.reporting ? 0x20 : 0) | (s.scaling2to1 ? 0x10 : 0) |
          (s.buttons & 1 ? 0x04 : 0) | (s.buttons & 4 ? 0x02 : 0) | (s.buttons & 2 ? 0x01 : 0);
        this.reply(ACK, status, s.resolution, s.sampleRate);
        return;
      }
      case 0xea:
      case 0xf0:
        s.remote = byte === 0xf0;
        s.dx = s.dy = s.dz = 0;
        this.reply(ACK);
        return;
      case 0xeb:
        this.reply(ACK);
        this.packet(false);
        this.onOutput();
        return;
      case 0xec:
        s.wrap = false;
        this.reply(ACK);
        return;
      case 0xee:
        s.wrap = true;
        s.dx = s.dy = s.dz = 0;
        this.reply(ACK);
        return;
      case 0xf2:
        this.reply(ACK, s.id);
        return;
      case 0xf4:
        s.reporting = true;
        s.dx = s.dy = s.dz = 0;
        this.reply(ACK);
        return;
      case 0xf5:
      case 0xf6:
        // F5 disables reporting; F6 restores defaults; both clear the output buffer.
        queueClear(s.out);
        if (byte === 0xf6) {
          s.sampleRate = 100;
          s.resolution = 2;
          s.scaling2to1 = false;
          s.remote = false;
        }
        s.reporting = false;
        s.dx = s.dy = s.dz = 0;
        this.reply(ACK);
        return;
      case 0xfe:
        this.reply(s.lastSent);
        return;
      case 0xff: {
        const buttons = s.buttons;
        this.state = Ps2Mouse.powerOn();
        this.state.buttons = buttons;
        this.reply(ACK, 0xaa, 0x00); // BAT completion and ID 0
        return;
      }
      default:
        this.reply(RESEND);
    }
  }
}
