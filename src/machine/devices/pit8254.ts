// Intel 8254 programmable interval timer (datasheet order 231164): three 16-bit down counters
// clocked at 1.193182 MHz. Nothing is ticked: each counter remembers the clock edge at which its
// counting element was loaded and its value at that edge, and count and OUT at any later time are
// computed from the virtual clock. OUT transitions of counter 0 (IRQ 0) are scheduled as timer
// events; counter 2's OUT is computed when port 0x61 is read.
import type { Timer, VirtualClock } from "../clock";
import { type Device, type Schema, StateError } from "../state";
import { TickRate } from "./tick-rate";

export const PIT_HZ = 1193182;
export const pitRate = new TickRate(PIT_HZ);

export interface PitChannelState {
  modeBits: number; // M2..M0 as programmed (6 and 7 act as 2 and 3)
  bcd: boolean;
  access: number; // RW1:RW0: 1 LSB only, 2 MSB only, 3 LSB then MSB
  awaitingCount: boolean; // a control word was written and no complete count since
  writeHiNext: boolean; // LSB/MSB access: the next write is the MSB
  lowByte: number; // the LSB written first
  readHiNext: boolean; // LSB/MSB access: the next read returns the MSB
  countLatched: boolean;
  latchValue: number;
  statusLatched: boolean;
  statusValue: number;
  countReg: number; // CR as written (BCD-encoded when bcd)
  gate: boolean;
  running: boolean; // the counting element decrements on each clock edge
  loadTick: number; // clock edge at which the counting element held `start`
  start: number; // counting element value at loadTick
  period: number; // modes 2 and 3: the reload value in effect
  expired: boolean; // modes 0/1/4/5: terminal count already reached before loadTick
  frozenCount: number; // counting element while not running
  frozenOut: boolean; // OUT while not running (and before loadTick)
  switchTick: number; // modes 2/3: edge at which `nextPeriod` takes over (Infinity: none)
  nextPeriod: number;
  nextLoadTick: number;
  nullUntil: number; // null count is reported while the tick is below this (Infinity: until loaded)
  out: boolean; // last OUT level reported to the output callback
  deadline: number; // the counter's OUT-change timer deadline (ns), Infinity when none
}

const CHANNEL_SCHEMA: Schema = {
  modeBits: "u8", bcd: "bool", access: "u8", awaitingCount: "bool", writeHiNext: "bool", lowByte: "u8",
  readHiNext: "bool", countLatched: "bool", latchValue: "u16", statusLatched: "bool", statusValue: "u8",
  countReg: "u16", gate: "bool", running: "bool", loadTick: "f64", start: "u32", period: "u32", expired: "bool",
  frozenCount: "u32", frozenOut: "bool", switchTick: "f64", nextPeriod: "u32", nextLoadTick: "f64",
  nullUntil: "f64", out: "bool", deadline: "f64",
};

export interface PitState {
  channels: PitChannelState[];
}

const PIT_SCHEMA: Schema = { channels: { type: "struct[]", length: 3, of: CHANNEL_SCHEMA } };

function powerOnChannel(gate: boolean): PitChannelState {
  return {
    modeBits: 0, bcd: false, access: 3, awaitingCount: true, writeHiNext: false, lowByte: 0, readHiNext: false,
    countLatched: false, latchValue: 0, statusLatched: false, statusValue: 0, countReg: 0, gate, running: false,
    loadTick: 0, start: 0, period: 0, expired: false, frozenCount: 0, frozenOut: false, switchTick: Infinity,
    nextPeriod: 0, nextLoadTick: 0, nullUntil: Infinity, out: false, deadline: Infinity,
  };
}

const mode = (c: PitChannelState): number => (c.modeBits > 5 ? c.modeBits - 4 : c.modeBits);
const modulus = (c: PitChannelState): number => (c.bcd ? 10000 : 0x10000);
const mod = (a: number, m: number): number => ((a % m) + m) % m;

function fromBcd(v: number): number {
  return (v >>> 12) * 1000 + ((v >>> 8) & 15) * 100 + ((v >>> 4) & 15) * 10 + (v & 15);
}
function toBcd(v: number): number {
  const d = (k: number): number => Math.floor(v / k) % 10;
  return (d(1000) << 12) | (d(100) << 8) | (d(10) << 4) | d(1);
}

/** The initial count N the counter register holds: 0 stands for the modulus (65536 or 10^4 BCD). */
function initialCount(c: PitChannelState): number {
  const n = c.bcd ? fromBcd(c.countReg) : c.countReg;
  return n === 0 ? modulus(c) : n;
}

/** Apply a pending mode 2/3 reload that took effect at or before `tick`. */
function settle(c: PitChannelState, tick: number): void {
  if (tick >= c.switchTick) {
    c.period = c.nextPeriod;
    c.start = c.nextPeriod;
    c.loadTick = c.nextLoadTick;
    c.switchTick = Infinity;
  }
}

/** Mode 3 half-cycle lengths (8254 mode 3: odd counts are high one clock longer). */
const highClocks = (n: number): number => Math.ceil(n / 2);

/** Counting element value at clock edge `tick` (after settle). */
export function countAt(c: PitChannelState, tick: number): number {
  const j = tick - c.loadTick;
  if (!c.running || j < 0) return c.frozenCount;
  const m = mode(c);
  if (m === 2) return c.period - (j % c.period);
  if (m === 3) {
    const n = c.period;
    const h = highClocks(n);
    const p = j % n;
    const q = p < h ? p : p - h;
    return n & 1 ? n - 1 - 2 * q : n - 2 * q;
  }
  return mod(c.start - j, modulus(c)); // modes 0, 1, 4, 5
}

/** Clocks from loadTick to terminal count in a one-shot mode. */
const toTerminal = (c: PitChannelState): number => (c.start === 0 ? modulus(c) : c.start);

/** OUT at clock edge `tick` (after settle). */
export function outAt(c: PitChannelState, tick: number): boolean {
  const j = tick - c.loadTick;
  if (!c.running || j < 0) return c.frozenOut;
  switch (mode(c)) {
    case 0:
    case 1:
      return c.expired || j >= toTerminal(c);
    case 2:
      return j % c.period !== c.period - 1;
    case 3:
      return j % c.period < highClocks(c.period);
    default: // 4, 5: low for the one clock at terminal count
      return c.expired || j !== toTerminal(c);
  }
}

/** The first clock edge after `tick` at which OUT changes, or Infinity. */
export function nextOutChange(c: PitChannelState, tick: number): number {
  if (!c.running) return Infinity;
  if (tick < c.loadTick) {
    // Before the load edge OUT is frozenOut; at the load edge it takes the running value.
    return outAt(c, c.loadTick) !== c.frozenOut ? c.loadTick : nextOutChange(c, c.loadTick);
  }
  const j = tick - c.loadTick;
  const m = mode(c);
  if (m === 2 || m === 3) {
    const n = c.period;
    const p = j % n;
    const base = c.loadTick + j - p;
    let next: number;
    if (m === 2) {
      if (n === 1) return Infinity; // count 1 is illegal in mode 2: OUT stays low
      next = p < n - 1 ? base + n - 1 : base + n;
    } else {
      const h = highClocks(n);
      if (h === n) return Infinity; // count 1: OUT stays high
      next = p < h ? base + h : base + n;
    }
    return Math.min(next, c.switchTick);
  }
  if (c.expired) return Infinity;
  const tc = toTerminal(c);
  if (j < tc) return c.loadTick + tc;
  if ((m === 4 || m === 5) && j === tc) return c.loadTick + tc + 1;
  return Infinity;
}

export interface PitCallbacks {
  /** Counter 0's OUT changed (wired to ISA IRQ 0). */
  onOut0?(level: boolean): void;
  /** A counter's mode, count or gate changed (the speaker follows counter 2: see squareWaveHz). */
  onReprogram?(ch: number): void;
}

export class Pit8254 implements Device<PitState> {
  readonly name = "pit";
  readonly schema = PIT_SCHEMA;
  state: PitState;
  private readonly timer: Timer;

  constructor(private readonly clock: VirtualClock, private readonly callbacks: PitCallbacks = {}) {
    this.state = { channels: [powerOnChannel(true), powerOnChannel(true), powerOnChannel(false)] };
    this.timer = clock.timer("pit.out0", () => this.updateOut0());
  }

  reset(): void {
    this.state = { channels: [powerOnChannel(true), powerOnChannel(true), powerOnChannel(false)] };
    this.timer.disarm();
    this.callbacks.onOut0?.(false);
  }

  postLoad(): void {
    this.state.channels.forEach((c, i) => {
      const at = `pit.channels[${i}]`;
      if (c.access < 1 || c.access > 3) throw new StateError(`${at}.access`, `${c.access} is not an access mode`);
      if (c.modeBits > 7) throw new StateError(`${at}.modeBits`, `${c.modeBits} is not a mode`);
      for (const k of ["loadTick", "nextLoadTick"] as const) {
        if (!Number.isInteger(c[k])) throw new StateError(`${at}.${k}`, `${c[k]} is not a clock edge`);
      }
      if (c.switchTick !== Infinity && !Number.isInteger(c.switchTick)) throw new StateError(`${at}.switchTick`, `${c.switchTick} is not a clock edge`);
      const m = mode(c);
      if (c.running && (m === 2 || m === 3) && (c.period < 1 || c.period > 0x10000)) throw new StateError(`${at}.period`, `${c.period} is not a count`);
      if (c.switchTick !== Infinity && (c.nextPeriod < 1 || c.nextPeriod > 0x10000)) throw new StateError(`${at}.nextPeriod`, `${c.nextPeriod} is not a count`);
      if (c.start > 0x10000) throw new StateError(`${at}.start`, `${c.start} is not a count`);
      if (c.frozenCount > 0xffff && c.frozenCount !== 0x10000) throw new StateError(`${at}.frozenCount`, `${c.frozenCount} is not a count`);
    });
    const ch0 = this.state.channels[0];
    if (ch0.deadline !== Infinity) this.timer.armAt(ch0.deadline);
    else this.timer.disarm();
    // Re-drive IRQ 0 so the wiring's view of the line matches the restored level.
    this.callbacks.onOut0?.(ch0.out);
  }

  private tick(): number {
    return pitRate.tickAt(this.clock.now);
  }

  /** Port 0x40 + channel read. */
  readCounter(ch: number): number {
    const c = this.state.channels[ch];
    if (c.statusLatched) {
      c.statusLatched = false;
      return c.statusValue;
    }
    let value: number;
    if (c.countLatched) {
      value = c.latchValue;
    } else {
      const t = this.tick();
      settle(c, t);
      value = this.encode(c, countAt(c, t));
    }
    let byte: number;
    let done = true;
    switch (c.access) {
      case 1: byte = value & 0xff; break;
      case 2: byte = value >>> 8; break;
      default:
        byte = c.readHiNext ? value >>> 8 : value & 0xff;
        done = c.readHiNext;
        c.readHiNext = !c.readHiNext;
    }
    if (done) c.countLatched = false;
    return byte & 0xff;
  }

  private encode(c: PitChannelState, count: number): number {
    const v = count & 0xffff;
    return c.bcd ? toBcd(count % 10000) : v;
  }

  /** Port 0x40 + channel write: the count register, LSB/MSB per the access mode. */
  writeCounter(ch: number, value: number): void {
    const c = this.state.channels[ch];
    const t = this.tick();
    settle(c, t);
    if (c.access === 1) c.countReg = value;
    else if (c.access === 2) c.countReg = value << 8;
    else if (!c.writeHiNext) {
      c.lowByte = value;
      c.writeHiNext = true;
      // Mode 0: writing the first byte stops counting and drives OUT low (datasheet, mode 0).
      if (mode(c) === 0 && !c.awaitingCount) {
        this.freeze(c, t);
        c.frozenOut = false;
        this.outputChanged(ch);
      }
      return;
    } else {
      c.countReg = c.lowByte | (value << 8);
      c.writeHiNext = false;
    }
    this.countWritten(ch, c, t);
  }

  private freeze(c: PitChannelState, t: number): void {
    if (c.running) {
      c.frozenCount = countAt(c, t);
      c.frozenOut = outAt(c, t);
      const m = mode(c);
      if (m !== 2 && m !== 3) c.expired = c.expired || t - c.loadTick >= toTerminal(c);
    }
    c.running = false;
    c.switchTick = Infinity;
  }

  private countWritten(ch: number, c: PitChannelState, t: number): void {
    const n = initialCount(c);
    const m = mode(c);
    const first = c.awaitingCount;
    c.awaitingCount = false;
    if (m === 1 || m === 5) {
      // Hardware triggered: the count is loaded by the next gate trigger.
      c.nullUntil = Infinity;
      return;
    }
    c.nullUntil = t + 1;
    if ((m === 2 || m === 3) && !first && c.running && t >= c.loadTick) {
      // A new count takes effect at the next reload: the end of the period (mode 2) or of the
      // current half-cycle (mode 3); the running period is not disturbed.
      const next = nextOutChange(c, t);
      const j = t - c.loadTick;
      let boundary: number;
      let startsLow = false;
      if (m === 2) boundary = c.loadTick + (Math.floor(j / c.period) + 1) * c.period;
      else {
        boundary = next;
        startsLow = outAt(c, t); // the high half ends: the new count starts with the low half
      }
      c.switchTick = boundary;
      c.nextPeriod = n;
      c.nextLoadTick = startsLow ? boundary - highClocks(n) : boundary;
      c.nullUntil = boundary;
      this.outputChanged(ch);
      return;
    }
    // The counting element is loaded on the next clock edge (0 and 4 restart on every new count).
    c.loadTick = t + 1;
    c.start = n;
    c.period = n;
    c.expired = false;
    c.switchTick = Infinity;
    c.frozenCount = n;
    c.frozenOut = m !== 0;
    c.running = c.gate;
    this.outputChanged(ch);
  }

  /** Port 0x43: control word, counter latch or read-back command. */
  writeControl(value: number): void {
    const sc = value >>> 6;
    const t = this.tick();
    if (sc === 3) {
      // Read-back: bit 5 = 0 latches counts, bit 4 = 0 latches status, bits 1-3 select counters.
      for (let ch = 0; ch < 3; ch++) {
        if (!(value & (2 << ch))) continue;
        const c = this.state.channels[ch];
        settle(c, t);
        if (!(value & 0x10) && !c.statusLatched) {
          c.statusLatched = true;
          c.statusValue = (outAt(c, t) ? 0x80 : 0) | (t < c.nullUntil ? 0x40 : 0) | (c.access << 4) | (c.modeBits << 1) | (c.bcd ? 1 : 0);
        }
        if (!(value & 0x20)) this.latch(c, t);
      }
      return;
    }
    const c = this.state.channels[sc];
    settle(c, t);
    const access = (value >>> 4) & 3;
    if (access === 0) {
      this.latch(c, t);
      return;
    }
    this.freeze(c, t);
    c.access = access;
    c.modeBits = (value >>> 1) & 7;
    c.bcd = (value & 1) !== 0;
    c.awaitingCount = true;
    c.writeHiNext = false;
    c.readHiNext = false;
    c.countLatched = false;
    c.statusLatched = false;
    c.expired = false;
    c.nullUntil = Infinity;
    // Writing a control word sets OUT low in mode 0 and high in every other mode.
    c.frozenOut = mode(c) !== 0;
    this.outputChanged(sc);
  }

  private latch(c: PitChannelState, t: number): void {
    if (c.countLatched) return; // further latches are ignored until the latched count is read
    c.countLatched = true;
    c.latchValue = this.encode(c, countAt(c, t));
  }

  /** Gate input (counter 2's gate is bit 0 of port 0x61; 0 and 1 are tied high on a PC). */
  setGate(ch: number, level: boolean): void {
    const c = this.state.channels[ch];
    if (c.gate === level) return;
    const t = this.tick();
    settle(c, t);
    c.gate = level;
    const m = mode(c);
    if (c.awaitingCount && m !== 1 && m !== 5) return;
    switch (m) {
      case 0:
      case 4:
        // GATE low suspends counting; high resumes it from the held value.
        if (!level) this.freeze(c, t);
        else if (!c.awaitingCount) {
          c.loadTick = t;
          c.start = c.frozenCount;
          c.running = true;
        }
        break;
      case 2:
      case 3:
        if (!level) {
          this.freeze(c, t);
          c.frozenOut = true; // OUT is forced high at once
        } else {
          // A rising gate reloads the counter on the next clock edge.
          c.loadTick = t + 1;
          c.period = initialCount(c);
          c.start = c.period;
          c.running = true;
        }
        break;
      default:
        // Modes 1 and 5: a rising edge (re)triggers the one-shot from the initial count; OUT
        // keeps its level until the load edge.
        if (level && !c.awaitingCount) {
          c.frozenOut = c.running ? outAt(c, t) : c.frozenOut;
          c.loadTick = t + 1;
          c.start = initialCount(c);
          c.expired = false;
          c.running = true;
          c.nullUntil = Math.min(c.nullUntil, t + 1);
        }
    }
    this.outputChanged(ch);
  }

  /** Counter OUT level now (counter 2 is read through port 0x61 bit 5). */
  out(ch: number): boolean {
    const c = this.state.channels[ch];
    const t = this.tick();
    settle(c, t);
    return outAt(c, t);
  }

  /**
   * The frequency of a counter's square wave (mode 3) in Hz, or 0 when it is not producing one:
   * what the PC speaker sounds through counter 2.
   */
  squareWaveHz(ch: number): number {
    const c = this.state.channels[ch];
    const t = this.tick();
    settle(c, t);
    if (mode(c) !== 3 || !c.running) return 0;
    return PIT_HZ / c.period;
  }

  /** The gate level of a counter. */
  gate(ch: number): boolean {
    return this.state.channels[ch].gate;
  }

  private outputChanged(ch: number): void {
    if (ch === 0) this.updateOut0();
    this.callbacks.onReprogram?.(ch);
  }

  /** Report counter 0's OUT and schedule its next transition. */
  private updateOut0(): void {
    const c = this.state.channels[0];
    const t = this.tick();
    settle(c, t);
    const level = outAt(c, t);
    if (level !== c.out) {
      c.out = level;
      this.callbacks.onOut0?.(level);
    }
    const next = nextOutChange(c, t);
    c.deadline = next === Infinity ? Infinity : pitRate.timeOfTick(next);
    if (c.deadline === Infinity) this.timer.disarm();
    else this.timer.armAt(c.deadline);
  }
}
