// Motorola MC146818A real-time clock with 128 bytes of CMOS RAM, at ports 0x70 (index, bit 7 =
// NMI mask on a PC/AT) and 0x71 (data). References: MC146818A datasheet (registers A-D, update
// cycle timing, periodic rates); IBM PC/AT technical reference (port 0x70 NMI mask).
//
// The time registers are kept raw in CMOS RAM in whatever format (BCD or binary, 12 or 24 hour)
// register B selected when they were written, and the update cycle increments them in the format
// selected now, as the chip does. Updates happen once per virtual second as timer events; the
// periodic flag is computed from virtual time and only scheduled when it can interrupt.
import type { Timer, VirtualClock } from "../clock";
import type { IoBus } from "../io";
import type { IrqLine } from "../irq";
import { type Device, type Schema, StateError } from "../state";
import { TickRate } from "./tick-rate";

export const RTC_SECONDS = 0x00;
export const RTC_SECONDS_ALARM = 0x01;
export const RTC_MINUTES = 0x02;
export const RTC_MINUTES_ALARM = 0x03;
export const RTC_HOURS = 0x04;
export const RTC_HOURS_ALARM = 0x05;
export const RTC_DAY_OF_WEEK = 0x06;
export const RTC_DAY_OF_MONTH = 0x07;
export const RTC_MONTH = 0x08;
export const RTC_YEAR = 0x09;
export const RTC_REG_A = 0x0a;
export const RTC_REG_B = 0x0b;
export const RTC_REG_C = 0x0c;
export const RTC_REG_D = 0x0d;
export const CMOS_CENTURY = 0x32;

const A_UIP = 0x80;
const A_DV_MASK = 0x70;
const A_DV_32K = 0x20; // DV2..0 = 010: 32.768 kHz time base, divider running
const B_SET = 0x80;
const B_PIE = 0x40;
const B_AIE = 0x20;
const B_UIE = 0x10;
const B_SQWE = 0x08;
const B_BINARY = 0x04;
const B_24H = 0x02;
const B_DSE = 0x01;
const C_IRQF = 0x80;
const C_PF = 0x40;
const C_AF = 0x20;
const C_UF = 0x10;
const D_VRT = 0x80;

/** Update-in-progress window: t_BUC (244 us) before the cycle plus the 1984 us cycle itself. */
const UIP_BEFORE_UPDATE_NS = 244_000 + 1_984_000;
const SECOND_NS = 1e9;

const rtcRate = new TickRate(32768);

/** Periodic interrupt period in 32.768 kHz clocks for rate select RS3..0 (datasheet table 5). */
export function periodicClocks(rs: number): number {
  if (rs === 0) return 0;
  if (rs <= 2) return 1 << (rs + 6); // RS 1, 2 repeat the rates of 8, 9 with a 32.768 kHz base
  return 1 << (rs - 1);
}

export interface RtcState {
  cmos: Uint8Array; // 128 bytes; registers A and B as written, C and D unused here
  index: number;
  nmiMasked: boolean;
  flags: number; // register C's PF/AF/UF latched bits
  pfClearTick: number; // 32 kHz clock at which PF was last cleared (periodic edges after it set PF)
  dividerStartTick: number; // 32 kHz clock at which the divider chain left reset
  nextUpdateNs: number; // virtual time of the next update cycle end (Infinity: divider stopped)
  periodicDeadline: number; // periodic interrupt timer deadline (Infinity: not scheduled)
  irq: boolean; // IRQ output level (IRQF)
  dstRepeated: boolean; // DSE: the October 1:59:59 -> 1:00:00 step was taken this night
}

const RTC_SCHEMA: Schema = {
  cmos: { type: "bytes", length: 128 },
  index: "u8",
  nmiMasked: "bool",
  flags: "u8",
  pfClearTick: "f64",
  dividerStartTick: "f64",
  nextUpdateNs: "f64",
  periodicDeadline: "f64",
  irq: "bool",
  dstRepeated: "bool",
};

export interface RtcOptions {
  /** Wall-clock time (ms since the Unix epoch, UTC) at virtual time 0: host time, or fixed for reproducible runs. */
  baseTime: number;
  /** Called when the NMI mask (port 0x70 bit 7) changes. */
  onNmiMask?(masked: boolean): void;
}

const toBcd = (v: number): number => ((Math.floor(v / 10) % 10) << 4) | v % 10;
const fromBcd = (v: number): number => (v >>> 4) * 10 + (v & 15);

function daysInMonth(month: number, year2: number): number {
  // The chip's leap-year rule: every year divisible by 4 (right from 1901 to 2099).
  if (month === 2) return year2 % 4 === 0 ? 29 : 28;
  return [31, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month] ?? 31;
}

export class Rtc146818 implements Device<RtcState> {
  readonly name = "rtc";
  readonly schema = RTC_SCHEMA;
  state: RtcState;
  private readonly updateTimer: Timer;
  private readonly periodicTimer: Timer;

  constructor(private readonly clock: VirtualClock, private readonly irq: IrqLine, private readonly options: RtcOptions) {
    this.updateTimer = clock.timer("rtc.update", () => this.updateCycle());
    this.periodicTimer = clock.timer("rtc.periodic", () => this.periodicEdge());
    this.state = this.powerOnState();
    this.setTime(options.baseTime + clock.now / 1e6);
  }

  private powerOnState(): RtcState {
    const cmos = new Uint8Array(128);
    cmos[RTC_REG_A] = A_DV_32K | 0x06; // 976.5625 us periodic rate, as PC BIOSes program it
    cmos[RTC_REG_B] = B_24H;
    return {
      cmos, index: 0, nmiMasked: false, flags: 0, pfClearTick: 0, dividerStartTick: 0,
      nextUpdateNs: Infinity, periodicDeadline: Infinity, irq: false, dstRepeated: false,
    };
  }

  /**
   * Machine reset (the RESET pin): clears the interrupt enables and flags; the time, the divider and
   * the CMOS RAM are battery-backed and survive (datasheet, RESET).
   */
  reset(): void {
    const s = this.state;
    s.cmos[RTC_REG_B] &= ~(B_PIE | B_AIE | B_UIE | B_SQWE);
    s.flags = 0;
    s.nmiMasked = false;
    s.index = 0;
    this.pfCleared();
    this.updateIrq();
    this.schedulePeriodic();
  }

  postLoad(): void {
    const s = this.state;
    for (const k of ["pfClearTick", "dividerStartTick"] as const) {
      if (!Number.isInteger(s[k]) || s[k] < 0) throw new StateError(`rtc.${k}`, `${s[k]} is not a clock count`);
    }
    if (s.flags & ~(C_PF | C_AF | C_UF)) throw new StateError("rtc.flags", "only PF, AF and UF can be latched");
    if (s.index > 0x7f) throw new StateError("rtc.index", "above 0x7f");
    if (this.dividerRunning() !== (s.nextUpdateNs !== Infinity)) throw new StateError("rtc.nextUpdateNs", "disagrees with the divider bits of register A");
    // PF only interrupts through the periodic timer, which latches it into `flags`.
    if (s.irq !== ((s.flags & s.cmos[RTC_REG_B] & (C_PF | C_AF | C_UF)) !== 0)) throw new StateError("rtc.irq", "disagrees with register C and B");
    this.irq.set(s.irq);
    if (s.nextUpdateNs !== Infinity) this.updateTimer.armAt(s.nextUpdateNs);
    else this.updateTimer.disarm();
    if (s.periodicDeadline !== Infinity) this.periodicTimer.armAt(s.periodicDeadline);
    else this.periodicTimer.disarm();
    this.options.onNmiMask?.(s.nmiMasked);
  }

  // ---- host / BIOS API ----

  /** Set the calendar registers to `epochMs` (UTC) in the current format; the seconds phase follows the ms part. */
  setTime(epochMs: number): void {
    const d = new Date(Math.floor(epochMs));
    const c = this.state.cmos;
    const fmt = (v: number): number => this.encode(v);
    c[RTC_SECONDS] = fmt(d.getUTCSeconds());
    c[RTC_MINUTES] = fmt(d.getUTCMinutes());
    c[RTC_HOURS] = this.encodeHour(d.getUTCHours());
    c[RTC_DAY_OF_WEEK] = fmt(d.getUTCDay() + 1);
    c[RTC_DAY_OF_MONTH] = fmt(d.getUTCDate());
    c[RTC_MONTH] = fmt(d.getUTCMonth() + 1);
    c[RTC_YEAR] = fmt(d.getUTCFullYear() % 100);
    c[CMOS_CENTURY] = fmt(Math.floor(d.getUTCFullYear() / 100));
    const msIntoSecond = ((Math.floor(epochMs) % 1000) + 1000) % 1000;
    if (this.dividerRunning()) this.armUpdate(this.clock.now + (1000 - msIntoSecond) * 1e6);
  }

  /** Read a CMOS byte without side effects (for the BIOS and tests). */
  readNvram(index: number): number {
    return this.state.cmos[index & 0x7f];
  }

  /** Write a CMOS RAM byte (0x0E-0x7F) directly, as firmware setup would. */
  writeNvram(index: number, value: number): void {
    if (index < 0x0e || index > 0x7f) throw new Error(`rtc: 0x${index.toString(16)} is not a CMOS RAM byte`);
    this.state.cmos[index] = value & 0xff;
  }

  /** The NMI mask (port 0x70 bit 7): true blocks NMIs from reaching the CPU. */
  get nmiMasked(): boolean {
    return this.state.nmiMasked;
  }

  // ---- ports ----

  writeIndex(v: number): void {
    this.state.index = v & 0x7f;
    const masked = (v & 0x80) !== 0;
    if (masked !== this.state.nmiMasked) {
      this.state.nmiMasked = masked;
      this.options.onNmiMask?.(masked);
    }
  }

  readData(): number {
    const s = this.state;
    const i = s.index;
    switch (i) {
      case RTC_REG_A:
        return s.cmos[RTC_REG_A] | (this.updateInProgress() ? A_UIP : 0);
      case RTC_REG_C: {
        const flags = this.pendingFlags();
        const v = flags | ((flags & s.cmos[RTC_REG_B] & (C_PF | C_AF | C_UF)) !== 0 ? C_IRQF : 0);
        // Reading register C clears every flag and releases IRQ 8.
        s.flags = 0;
        this.pfCleared();
        this.updateIrq();
        return v;
      }
      case RTC_REG_D:
        return D_VRT; // the battery is always good
      default:
        return s.cmos[i];
    }
  }

  writeData(v: number): void {
    const s = this.state;
    const i = s.index;
    switch (i) {
      case RTC_REG_A: {
        const wasRunning = this.dividerRunning();
        const oldRate = s.cmos[RTC_REG_A] & 15;
        s.cmos[RTC_REG_A] = v & 0x7f;
        const running = this.dividerRunning();
        if (running && !wasRunning) {
          // Leaving divider reset: the chain restarts and the first update comes 500 ms later.
          s.dividerStartTick = rtcRate.tickAt(this.clock.now);
          this.pfCleared();
          this.armUpdate(this.clock.now + SECOND_NS / 2);
        } else if (!running) {
          this.armUpdate(Infinity);
        }
        if ((v & 15) !== oldRate) this.schedulePeriodic();
        return;
      }
      case RTC_REG_B: {
        let b = v;
        if (b & B_SET) b &= ~B_UIE; // setting SET clears UIE (datasheet, register B)
        s.cmos[RTC_REG_B] = b;
        this.updateIrq();
        this.schedulePeriodic();
        return;
      }
      case RTC_REG_C:
      case RTC_REG_D:
        return; // read-only
      default:
        s.cmos[i] = v;
    }
  }

  attach(io: IoBus): void {
    io.register("rtc", 0x70, 2, {
      read8: (p) => (p === 0x70 ? 0xff : this.readData()), // the index register is write-only
      write8: (p, v) => (p === 0x70 ? this.writeIndex(v) : this.writeData(v)),
    });
  }

  // ---- internals ----

  private dividerRunning(): boolean {
    return (this.state.cmos[RTC_REG_A] & A_DV_MASK) === A_DV_32K;
  }

  private updateInProgress(): boolean {
    const s = this.state;
    if (s.cmos[RTC_REG_B] & B_SET || s.nextUpdateNs === Infinity) return false;
    return s.nextUpdateNs - this.clock.now <= UIP_BEFORE_UPDATE_NS;
  }

  private armUpdate(at: number): void {
    this.state.nextUpdateNs = at;
    if (at === Infinity) this.updateTimer.disarm();
    else this.updateTimer.armAt(at);
  }

  private encode(v: number): number {
    return this.state.cmos[RTC_REG_B] & B_BINARY ? v : toBcd(v);
  }
  private decode(v: number): number {
    return this.state.cmos[RTC_REG_B] & B_BINARY ? v : fromBcd(v);
  }
  private encodeHour(h24: number): number {
    if (this.state.cmos[RTC_REG_B] & B_24H) return this.encode(h24);
    const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
    return this.encode(h12) | (h24 >= 12 ? 0x80 : 0);
  }
  private decodeHour(raw: number): number {
    if (this.state.cmos[RTC_REG_B] & B_24H) return this.decode(raw);
    const h12 = this.decode(raw & 0x7f) % 12;
    return raw & 0x80 ? h12 + 12 : h12;
  }

  /** The one-second update cycle: advance the calendar, set UF and (on a match) AF. */
  private updateCycle(): void {
    const s = this.state;
    this.armUpdate(s.nextUpdateNs + SECOND_NS);
    if (s.cmos[RTC_REG_B] & B_SET) return; // updates are inhibited while SET is 1
    this.advanceOneSecond();
    const c = s.cmos;
    // An alarm byte with its two top bits set matches any value ("don't care", datasheet).
    const match = (alarm: number, now: number): boolean => (alarm & 0xc0) === 0xc0 || alarm === now;
    if (match(c[RTC_SECONDS_ALARM], c[RTC_SECONDS]) && match(c[RTC_MINUTES_ALARM], c[RTC_MINUTES]) && match(c[RTC_HOURS_ALARM], c[RTC_HOURS])) {
      s.flags |= C_AF;
    }
    s.flags |= C_UF;
    this.updateIrq();
  }

  private advanceOneSecond(): void {
    const c = this.state.cmos;
    let sec = this.decode(c[RTC_SECONDS]) + 1;
    let min = this.decode(c[RTC_MINUTES]);
    let hour = this.decodeHour(c[RTC_HOURS]);
    let dow = this.decode(c[RTC_DAY_OF_WEEK]);
    let day = this.decode(c[RTC_DAY_OF_MONTH]);
    let month = this.decode(c[RTC_MONTH]);
    let year = this.decode(c[RTC_YEAR]);
    // Daylight saving (register B bit 0, datasheet "DSE"): on the last Sunday of April 1:59:59 AM
    // steps to 3:00:00 AM; on the last Sunday of October 1:59:59 AM steps back to 1:00:00 AM, once.
    if (c[RTC_REG_B] & B_DSE && sec >= 60 && min === 59 && hour === 1 && dow === 1) {
      if (month === 4 && day > 30 - 7) {
        hour = 2;
      } else if (month === 10 && day > 31 - 7) {
        if (!this.state.dstRepeated) {
          this.state.dstRepeated = true;
          sec = 0;
          min = 0;
          c[RTC_SECONDS] = this.encode(0);
          c[RTC_MINUTES] = this.encode(0);
          c[RTC_HOURS] = this.encodeHour(1);
          return;
        }
        this.state.dstRepeated = false;
      }
    }
    if (sec >= 60) {
      sec = 0;
      if (++min >= 60) {
        min = 0;
        if (++hour >= 24) {
          hour = 0;
          dow = dow >= 7 ? 1 : dow + 1;
          if (++day > daysInMonth(month, year)) {
            day = 1;
            if (++month > 12) {
              month = 1;
              year = (year + 1) % 100;
            }
          }
        }
      }
    }
    c[RTC_SECONDS] = this.encode(sec);
    c[RTC_MINUTES] = this.encode(min);
    c[RTC_HOURS] = this.encodeHour(hour);
    c[RTC_DAY_OF_WEEK] = this.encode(dow);
    c[RTC_DAY_OF_MONTH] = this.encode(day);
    c[RTC_MONTH] = this.encode(month);
    c[RTC_YEAR] = this.encode(year);
  }

  private periodClocks(): number {
    return this.dividerRunning() ? periodicClocks(this.state.cmos[RTC_REG_A] & 15) : 0;
  }

  /** The next periodic edge strictly after 32 kHz clock `tick`, or Infinity. */
  private nextPeriodicEdge(tick: number): number {
    const p = this.periodClocks();
    if (p === 0) return Infinity;
    const base = this.state.dividerStartTick;
    return base + (Math.floor((tick - base) / p) + 1) * p;
  }

  /** Register C flags including a PF that virtual time has set since it was last cleared. */
  private pendingFlags(): number {
    const s = this.state;
    let f = s.flags;
    if (this.nextPeriodicEdge(s.pfClearTick) <= rtcRate.tickAt(this.clock.now)) f |= C_PF;
    return f;
  }

  private pfCleared(): void {
    this.state.pfClearTick = rtcRate.tickAt(this.clock.now);
  }

  private periodicEdge(): void {
    this.state.flags |= C_PF;
    this.state.periodicDeadline = Infinity;
    this.updateIrq();
    this.schedulePeriodic();
  }

  /** Schedule the next periodic edge while it can raise IRQ 8 (PIE set and PF not yet pending). */
  private schedulePeriodic(): void {
    const s = this.state;
    s.flags = this.pendingFlags();
    this.pfCleared();
    let at = Infinity;
    if (s.cmos[RTC_REG_B] & B_PIE) {
      const edge = this.nextPeriodicEdge(rtcRate.tickAt(this.clock.now));
      if (edge !== Infinity) at = rtcRate.timeOfTick(edge);
    }
    s.periodicDeadline = at;
    if (at === Infinity) this.periodicTimer.disarm();
    else this.periodicTimer.armAt(at);
  }

  private updateIrq(): void {
    const s = this.state;
    const level = (this.pendingFlags() & s.cmos[RTC_REG_B] & (C_PF | C_AF | C_UF)) !== 0;
    s.irq = level;
    this.irq.set(level);
  }
}
