// The ACPI power-management register block of the PIIX4 (Intel 82371AB datasheet, 7.2 "Power
// Management I/O Space"), the chip logic behind function 00:01.3. Offsets from PMBASE:
//   00 PMSTS (PM1a_EVT status, write 1 to clear)    02 PMEN (PM1a_EVT enable)
//   04 PMCNTRL (PM1a_CNT: SCI_EN, SUS_TYP, SUS_EN)  08 PMTMR (24-bit ACPI PM timer)
//   0C GPSTS/0E GPEN (the GPE0 block)               10-37 processor, global and device control
// The PM timer runs at 3.579545 MHz (ACPI 4.7.2.1) and is computed from virtual time, never ticked.
import type { Timer, VirtualClock } from "../clock";
import type { IrqLine } from "../irq";
import { StateError, type Device, type Schema } from "../state";

export const PM_IO_SIZE = 64;
export const PM_TIMER_HZ = 3579545;

export const PMSTS = 0x00;
export const PMEN = 0x02;
export const PMCNTRL = 0x04;
export const PMTMR = 0x08;
export const GPSTS = 0x0c;
export const GPEN = 0x0e;
const GLBSTS = 0x18;
const GLBCTL = 0x28;

export const TMROF = 1 << 0;
export const GBL = 1 << 5;
export const PWRBTN = 1 << 8;
export const RTC = 1 << 10;
export const WAK_STS = 1 << 15;
export const SCI_EN = 1 << 0;
const GBL_RLS = 1 << 2;
const SUS_EN = 1 << 13;
const BIOS_RLS = 1 << 1;
const BIOS_STS = 1 << 0;
/** The PMSTS events that have an enable bit in PMEN. */
const PM1_EVENTS = TMROF | GBL | PWRBTN | RTC;

/** Per-byte write and write-one-to-clear masks of the 64-byte block (82371AB 7.2). */
const WMASK = new Uint8Array(PM_IO_SIZE);
const W1C = new Uint8Array(PM_IO_SIZE);
function span(off: number, bytes: number[], into: Uint8Array): void {
  bytes.forEach((b, i) => (into[off + i] = b));
}
span(PMSTS, [0x31, 0x8d], W1C); // TMROF, BM, GBL | PWRBTN, RTC, PWRBTNOR, WAK
span(PMEN, [0x21, 0x05], WMASK);
span(PMCNTRL, [0x03, 0x1c], WMASK); // SCI_EN, BRLD_EN_BM, SUS_TYP; GBL_RLS and SUS_EN are write-only
span(GPSTS, [0xff, 0x0f], W1C);
span(GPEN, [0xff, 0x0f], WMASK);
span(0x10, [0xff, 0xff, 0x03, 0x00], WMASK); // PCNTRL
span(GLBSTS, [0x25, 0x0d], W1C);
span(0x1c, [0xff, 0xff, 0xff, 0x3f], W1C); // DEVSTS
span(0x20, [0x07, 0x8f], WMASK); // GLBEN
span(GLBCTL, [0x05, 0x07, 0x00, 0x07], WMASK); // BIOS_RLS (bit 1) is write-only
span(0x2c, [0xff, 0xff, 0xff, 0x3f], WMASK); // DEVCTL
span(0x34, [0xff, 0xff, 0xff, 0xff], WMASK); // GPOREG

export interface AcpiPmState {
  regs: Uint8Array;
  /** Virtual time (ns) at which the PM timer read 0 (power-on). */
  timerBase: number;
  /** Deadline of the next change of the timer's bit 23 (TMROF_STS), saved for re-arming. */
  overflowDeadline: number;
}

export interface AcpiPmOptions {
  /** SUS_TYP value the firmware's \_S5 object names for soft-off (0 on the PIIX4). */
  s5Type?: number;
}

export class AcpiPm implements Device<AcpiPmState> {
  readonly name = "acpi-pm";
  readonly schema: Schema = { regs: { type: "bytes", length: PM_IO_SIZE }, timerBase: "f64", overflowDeadline: "f64" };
  state!: AcpiPmState;
  /** The guest wrote SUS_EN with the soft-off type: power the machine off. */
  onPowerOff: (() => void) | null = null;
  /** The guest entered another sleep state (SUS_TYP value). */
  onSleep: ((type: number) => void) | null = null;
  private readonly overflow: Timer;
  private readonly s5Type: number;

  constructor(
    private readonly clock: VirtualClock,
    private readonly sci: IrqLine,
    opts: AcpiPmOptions = {},
  ) {
    this.s5Type = opts.s5Type ?? 0;
    this.overflow = clock.timer("acpi-pm.overflow", () => this.timerOverflow());
    this.reset();
  }

  reset(): void {
    this.state = { regs: new Uint8Array(PM_IO_SIZE), timerBase: this.clock.now, overflowDeadline: Infinity };
    this.armOverflow();
    this.updateSci();
  }

  // ---- the PM timer ----

  /** Whole timer ticks elapsed since power-on: floor(elapsed ns * 3.579545 MHz), exactly. */
  ticks(): number {
    return ticksIn(Math.floor(this.clock.now - this.state.timerBase));
  }

  /** PMTMR: the low 24 bits of the tick count (TMR_VAL_EXT is 0: a 24-bit timer). */
  timerValue(): number {
    return this.ticks() % 0x1000000;
  }

  private armOverflow(): void {
    const next = (Math.floor(this.ticks() / 0x800000) + 1) * 0x800000;
    this.state.overflowDeadline = this.state.timerBase + nsForTicks(next);
    this.overflow.armAt(this.state.overflowDeadline);
  }

  /** ACPI 4.7.2.1: TMR_STS is set whenever bit 23 of the counter changes (either way). */
  private timerOverflow(): void {
    this.setStatus(TMROF);
    this.armOverflow();
  }

  // ---- events and the SCI ----

  private get16(off: number): number {
    return this.state.regs[off] | (this.state.regs[off + 1] << 8);
  }

  private setStatus(bits: number): void {
    const r = this.state.regs;
    r[PMSTS] |= bits & 0xff;
    r[PMSTS + 1] |= bits >> 8;
    this.updateSci();
  }

  /** The power button was pressed (PWRBTN_STS; an SCI if enabled). */
  pressPowerButton(): void {
    this.setStatus(PWRBTN);
  }

  /** The RTC alarm fired (RTC_STS; an SCI if RTC_EN, ACPI 4.7.2.1 fixed RTC event). */
  rtcAlarm(): void {
    this.setStatus(RTC);
  }

  /** Raise general-purpose event `bit` of GPE0 (GPSTS). */
  raiseGpe(bit: number): void {
    const r = this.state.regs;
    r[GPSTS + (bit >> 3)] |= 1 << (bit & 7);
    this.updateSci();
  }

  /** The SCI (ACPI 4.7.2.4): enabled status bits of PM1 or GPE0, while SCI_EN selects ACPI mode. */
  sciLevel(): boolean {
    if ((this.get16(PMCNTRL) & SCI_EN) === 0) return false;
    const pm1 = this.get16(PMSTS) & this.get16(PMEN) & PM1_EVENTS;
    const gpe = this.get16(GPSTS) & this.get16(GPEN);
    return pm1 !== 0 || gpe !== 0;
  }

  private updateSci(): void {
    this.sci.set(this.sciLevel());
  }

  // ---- register access (offsets within the block) ----

  read(offset: number, size: number): number {
    let v = 0;
    for (let i = 0; i < size; i++) v |= this.readByte(offset + i) << (8 * i);
    return v >>> 0;
  }

  private readByte(off: number): number {
    if (off >= PMTMR && off < PMTMR + 4) return (this.timerValue() >>> (8 * (off - PMTMR))) & 0xff;
    if (off >= PM_IO_SIZE) return 0xff;
    return this.state.regs[off];
  }

  write(offset: number, size: number, value: number): void {
    const r = this.state.regs;
    let sleepType = -1;
    for (let i = 0; i < size; i++) {
      const off = offset + i;
      if (off >= PM_IO_SIZE) break;
      const v = (value >>> (8 * i)) & 0xff;
      r[off] = ((r[off] & ~WMASK[off]) | (v & WMASK[off])) & ~(v & W1C[off]);
      // GBL_RLS: the OS releasing the global lock sets BIOS_STS for an SMI handler (82371AB 7.2.3).
      if (off === PMCNTRL && v & GBL_RLS) r[GLBSTS] |= BIOS_STS;
      // SUS_EN: enter the state in the SUS_TYP bits written together with it (ACPI 4.7.3.2.1 SLP_EN).
      if (off === PMCNTRL + 1 && v & (SUS_EN >> 8)) sleepType = (v >> 2) & 7;
      // BIOS_RLS: the SMI handler releasing the global lock raises GBL_STS to the OS (82371AB 7.2.12).
      if (off === GLBCTL && v & BIOS_RLS) r[PMSTS] |= GBL;
    }
    this.updateSci();
    if (sleepType >= 0) this.sleep(sleepType);
  }

  /** SUS_EN written: enter the sleep state in SUS_TYP (82371AB 7.2.3; ACPI 4.7.3.2.1 SLP_EN). */
  private sleep(type: number): void {
    if (type === this.s5Type) this.onPowerOff?.();
    else this.onSleep?.(type);
  }

  /** The machine woke from a sleep state: WAK_STS (ACPI 4.7.3.1.1). */
  wake(): void {
    this.setStatus(WAK_STS);
  }

  postLoad(): void {
    const s = this.state;
    if (!Number.isFinite(s.timerBase) || s.timerBase > this.clock.now) throw new StateError("acpi-pm.timerBase", `${s.timerBase} is not a past virtual time`);
    // The saved deadline is the next bit-23 change, at most one half-period (2^23 ticks) ahead.
    const halfPeriod = nsForTicks(0x800000);
    if (!(s.overflowDeadline > this.clock.now - 1 && s.overflowDeadline <= this.clock.now + halfPeriod + 1)) throw new StateError("acpi-pm.overflowDeadline", `${s.overflowDeadline} is not within one timer half-period of now (${this.clock.now})`);
    this.overflow.armAt(s.overflowDeadline);
    this.updateSci();
  }
}

/** floor(ns * 3579545 / 1e9) computed exactly for any ns below 2^53. */
export function ticksIn(ns: number): number {
  const sec = Math.floor(ns / 1e9);
  const rem = ns - sec * 1e9;
  const x = rem * PM_TIMER_HZ; // < 3.58e15: an exact integer
  let q = Math.floor(x / 1e9);
  if ((q + 1) * 1e9 <= x) q++;
  if (q * 1e9 > x) q--;
  return sec * PM_TIMER_HZ + q;
}

/** The first whole ns at which `ticks` ticks have elapsed. */
export function nsForTicks(ticks: number): number {
  const sec = Math.floor(ticks / PM_TIMER_HZ);
  const rem = ticks - sec * PM_TIMER_HZ;
  let t = sec * 1e9 + Math.ceil((rem * 1e9) / PM_TIMER_HZ);
  while (ticksIn(t) < ticks) t++;
  while (t > 0 && ticksIn(t - 1) >= ticks) t--;
  return t;
}
