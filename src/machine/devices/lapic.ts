// The local APIC of a uniprocessor, xAPIC register interface (Intel SDM Vol. 3A chapter 10:
// 10.4 enabling and the base MSR, 10.5 LVT, error handling and the timer, 10.6 ICR, 10.8 priority,
// IRR/ISR/TMR and EOI, 10.9 spurious interrupt).
//
// Interrupts reach the APIC from the I/O APIC (acceptInterrupt), from its LINT0/LINT1 pins (the
// 8259's INTR and the platform NMI, through LVT LINT0/LINT1), from its timer and from self-IPIs.
// ExtINT interrupts (virtual wire mode) bypass IRR and priority: the vector then comes from the
// 8259 at INTA, which the interrupt router arranges.
import type { Timer, VirtualClock } from "../clock";
import type { MmioBus } from "../io";
import { type Device, type Schema, StateError } from "../state";
import { TickRate } from "./tick-rate";

export const APIC_DEFAULT_BASE = 0xfee00000;
const APIC_VERSION = 0x00050014; // integrated APIC, version 0x14, six LVT entries (max LVT index 5)

const REG = {
  ID: 0x020, VERSION: 0x030, TPR: 0x080, APR: 0x090, PPR: 0x0a0, EOI: 0x0b0, RRD: 0x0c0, LDR: 0x0d0, DFR: 0x0e0,
  SVR: 0x0f0, ISR: 0x100, TMR: 0x180, IRR: 0x200, ESR: 0x280, ICR_LO: 0x300, ICR_HI: 0x310,
  LVT_TIMER: 0x320, LVT_THERMAL: 0x330, LVT_PERF: 0x340, LVT_LINT0: 0x350, LVT_LINT1: 0x360, LVT_ERROR: 0x370,
  TIMER_INITIAL: 0x380, TIMER_CURRENT: 0x390, TIMER_DIVIDE: 0x3e0,
} as const;

// LVT indices in state.lvt
export const LVT_TIMER = 0, LVT_THERMAL = 1, LVT_PERF = 2, LVT_LINT0 = 3, LVT_LINT1 = 4, LVT_ERROR = 5;

const LVT_MASKED = 1 << 16;
const LVT_LEVEL = 1 << 15;
const LVT_REMOTE_IRR = 1 << 14;
const LVT_ACTIVE_LOW = 1 << 13;
const LVT_PENDING = 1 << 12;
const LVT_TIMER_PERIODIC = 1 << 17;
/** Writable bits of each LVT (SDM figure 10-8). */
const LVT_WRITABLE = [0x300ff, 0x107ff, 0x107ff, 0x1a7ff, 0x1a7ff, 0x100ff];

const SVR_ENABLE = 0x100;
const ESR_SEND_ILLEGAL_VECTOR = 0x20;
const ESR_RECEIVE_ILLEGAL_VECTOR = 0x40;
const ESR_ILLEGAL_REGISTER = 0x80;

export const DELIVERY_FIXED = 0, DELIVERY_LOWEST = 1, DELIVERY_SMI = 2, DELIVERY_NMI = 4, DELIVERY_INIT = 5, DELIVERY_STARTUP = 6, DELIVERY_EXTINT = 7;

const DIVIDERS = [2, 4, 8, 16, 32, 64, 128, 1]; // divide configuration bits 3,1,0 (SDM figure 10-10)

export interface LapicState {
  base: number; // IA32_APIC_BASE bits 12-31
  globalEnable: boolean; // IA32_APIC_BASE bit 11
  id: number;
  tpr: number;
  ldr: number;
  dfr: number;
  svr: number;
  isr: number[]; // 8 x 32 bits, vector v at word v >> 5, bit v & 31
  tmr: number[];
  irr: number[];
  esr: number; // the value software reads
  esrPending: number; // errors since the last ESR write
  icrLo: number;
  icrHi: number;
  lvt: number[];
  lint: boolean[]; // LINT0, LINT1 input levels
  extIntFromIoapic: boolean; // an I/O APIC entry in ExtINT mode is asserting
  timerInitial: number;
  timerDivide: number; // divide configuration register
  timerStartTick: number; // bus clock tick at which the counter held timerStartCount
  timerStartCount: number;
  timerDeadline: number; // next expiry (ns), Infinity when none is scheduled
}

const LAPIC_SCHEMA: Schema = {
  base: "u32", globalEnable: "bool", id: "u8", tpr: "u8", ldr: "u32", dfr: "u32", svr: "u32",
  isr: { type: "u32[]", length: 8 }, tmr: { type: "u32[]", length: 8 }, irr: { type: "u32[]", length: 8 },
  esr: "u8", esrPending: "u8", icrLo: "u32", icrHi: "u32", lvt: { type: "u32[]", length: 6 },
  lint: { type: "bool[]", length: 2 }, extIntFromIoapic: "bool",
  timerInitial: "u32", timerDivide: "u8", timerStartTick: "f64", timerStartCount: "u32", timerDeadline: "f64",
};

export interface LapicCallbacks {
  /** The CPU's interrupt input may have changed: re-read intrAsserted(). */
  onIntrChange(): void;
  /** An NMI is delivered to the CPU (edge). */
  onNmi(): void;
  /** An SMI is delivered to the CPU (SMI delivery mode, SDM 10.6.1). */
  onSmi?(): void;
  /** A level-triggered vector was EOI'd: broadcast to the I/O APIC (SDM 10.8.5). */
  onEoiBroadcast(vector: number): void;
  /** INIT delivered to this CPU (self-INIT or from the I/O APIC). */
  onInit?(): void;
  /** STARTUP IPI to self: the vector gives the start page. */
  onStartup?(vector: number): void;
}

function highestBit(words: number[]): number {
  for (let w = 7; w >= 0; w--) if (words[w]) return w * 32 + 31 - Math.clz32(words[w]);
  return -1;
}
const testBit = (words: number[], v: number): boolean => ((words[v >>> 5] >>> (v & 31)) & 1) === 1;
const setBit = (words: number[], v: number): void => void (words[v >>> 5] = (words[v >>> 5] | (1 << (v & 31))) >>> 0);
const clearBit = (words: number[], v: number): void => void (words[v >>> 5] = (words[v >>> 5] & ~(1 << (v & 31))) >>> 0);

export class LocalApic implements Device<LapicState> {
  readonly name = "lapic";
  readonly schema = LAPIC_SCHEMA;
  state: LapicState;
  private readonly timer: Timer;
  private readonly bus: TickRate;
  private mmio: MmioBus | null = null;

  /**
   * `lint0ExtIntAtReset`: start with LINT0 unmasked in ExtINT mode (virtual wire) instead of masked,
   * for firmware that never programs the APIC but expects 8259 interrupts with the APIC enabled.
   */
  constructor(
    private readonly clock: VirtualClock,
    private readonly callbacks: LapicCallbacks,
    readonly busHz = 100_000_000,
    private readonly lint0ExtIntAtReset = false,
  ) {
    this.bus = new TickRate(busHz);
    this.timer = clock.timer("lapic.timer", () => this.timerExpired());
    this.state = this.powerOn();
  }

  private powerOn(): LapicState {
    return {
      base: APIC_DEFAULT_BASE, globalEnable: true, id: 0, tpr: 0, ldr: 0, dfr: 0xffffffff, svr: 0xff,
      isr: new Array(8).fill(0), tmr: new Array(8).fill(0), irr: new Array(8).fill(0), esr: 0, esrPending: 0,
      icrLo: 0, icrHi: 0,
      // SDM 10.4.7.1: every LVT entry resets to masked, so 8259 interrupts reach the CPU only
      // once firmware programs LINT0 as ExtINT (virtual wire mode, MP specification 3.6.2.2).
      lvt: [LVT_MASKED, LVT_MASKED, LVT_MASKED, this.lint0ExtIntAtReset ? DELIVERY_EXTINT << 8 : LVT_MASKED, LVT_MASKED, LVT_MASKED],
      lint: [false, false], extIntFromIoapic: false,
      timerInitial: 0, timerDivide: 0, timerStartTick: 0, timerStartCount: 0, timerDeadline: Infinity,
    };
  }

  reset(): void {
    const lint = this.state.lint;
    this.state = this.powerOn();
    this.state.lint = lint; // input pins keep their levels
    this.timer.disarm();
    this.remap();
    this.callbacks.onIntrChange();
  }

  /** INIT (SDM 10.4.7.3): as power-up, except that the APIC ID and the base MSR are kept. */
  init(): void {
    const { id, base, globalEnable } = this.state;
    this.reset();
    Object.assign(this.state, { id, base, globalEnable });
    this.remap();
  }

  postLoad(): void {
    const s = this.state;
    if (s.base & 0xfff) throw new StateError("lapic.base", "must be page aligned");
    if (s.timerDivide & ~0x0b) throw new StateError("lapic.timerDivide", "only bits 0, 1 and 3 exist");
    s.lvt.forEach((v, i) => {
      if (v & ~(LVT_WRITABLE[i] | LVT_PENDING | LVT_REMOTE_IRR)) throw new StateError(`lapic.lvt[${i}]`, "sets bits the entry does not have");
    });
    if (!Number.isInteger(s.timerStartTick) || s.timerStartTick < 0) throw new StateError("lapic.timerStartTick", "not a clock tick");
    if (s.timerDeadline !== Infinity) this.timer.armAt(s.timerDeadline);
    else this.timer.disarm();
    this.remap();
    this.callbacks.onIntrChange();
  }

  // ---- wiring ----

  /** Register the MMIO page (again after an IA32_APIC_BASE change). */
  attach(mmio: MmioBus): void {
    this.mmio = mmio;
    this.remap();
  }

  private remap(): void {
    if (!this.mmio) return;
    this.mmio.unregister(this.name);
    if (!this.state.globalEnable) return; // a globally disabled APIC does not decode its page
    this.mmio.register(this.name, this.state.base >>> 0, 0x1000, {
      read: (addr, size) => this.mmioRead(addr - this.state.base, size),
      write: (addr, size, v) => this.mmioWrite(addr - this.state.base, size, v),
    });
  }

  /**
   * The IA32_APIC_BASE MSR changed (bits 12-31 base, bit 11 global enable; bit 8 BSP is the
   * CPU's). Clearing bit 11 returns the APIC to its power-on state (SDM 10.4.3).
   */
  setApicBase(msr: number): void {
    const s = this.state;
    const enable = (msr & 0x800) !== 0;
    if (!enable && s.globalEnable) {
      this.reset();
      this.state.lvt[LVT_LINT0] = LVT_MASKED;
    }
    this.state.base = (msr & 0xfffff000) >>> 0;
    this.state.globalEnable = enable;
    this.remap();
    this.callbacks.onIntrChange();
  }

  get enabled(): boolean {
    return this.state.globalEnable;
  }

  private get softwareEnabled(): boolean {
    return (this.state.svr & SVR_ENABLE) !== 0;
  }

  // ---- interrupt acceptance ----

  /** A fixed or lowest-priority interrupt from the I/O APIC or an IPI. */
  acceptInterrupt(vector: number, levelTriggered: boolean): void {
    const s = this.state;
    if (vector < 16) {
      this.error(ESR_RECEIVE_ILLEGAL_VECTOR);
      return;
    }
    setBit(s.irr, vector);
    if (levelTriggered) setBit(s.tmr, vector);
    else clearBit(s.tmr, vector);
    this.callbacks.onIntrChange();
  }

  /** Deliver a message of the given mode (from the I/O APIC or an IPI) to this APIC. */
  deliver(mode: number, vector: number, levelTriggered: boolean, assert = true): void {
    switch (mode) {
      case DELIVERY_FIXED:
      case DELIVERY_LOWEST:
        this.acceptInterrupt(vector, levelTriggered);
        return;
      case DELIVERY_NMI:
        this.callbacks.onNmi();
        return;
      case DELIVERY_INIT:
        // INIT level de-assert only synchronises arbitration IDs (SDM 10.6.1).
        if (assert) this.callbacks.onInit?.();
        return;
      case DELIVERY_STARTUP:
        this.callbacks.onStartup?.(vector);
        return;
      case DELIVERY_SMI:
        // The vector field is ignored (SDM 10.6.1: it must be 00H for future compatibility).
        this.callbacks.onSmi?.();
        return;
      default:
        return; // ExtINT from the I/O APIC goes through setExtIntFromIoapic
    }
  }

  /** An I/O APIC entry in ExtINT mode is asserting (virtual wire mode through the I/O APIC). */
  setExtIntFromIoapic(level: boolean): void {
    if (this.state.extIntFromIoapic === level) return;
    this.state.extIntFromIoapic = level;
    this.callbacks.onIntrChange();
  }

  /** Does this APIC route the 8259's INTR to the CPU (LINT0 or an I/O APIC entry in ExtINT mode)? */
  extIntActive(): boolean {
    const s = this.state;
    const lvt = s.lvt[LVT_LINT0];
    const lint0 = !(lvt & LVT_MASKED) && ((lvt >>> 8) & 7) === DELIVERY_EXTINT && s.lint[0];
    return lint0 || s.extIntFromIoapic;
  }

  /** The LINT0/LINT1 pins. */
  setLint(pin: 0 | 1, level: boolean): void {
    const s = this.state;
    const was = s.lint[pin];
    s.lint[pin] = level;
    const lvtIndex = pin === 0 ? LVT_LINT0 : LVT_LINT1;
    const lvt = s.lvt[lvtIndex];
    const mode = (lvt >>> 8) & 7;
    if (mode === DELIVERY_EXTINT) {
      this.callbacks.onIntrChange();
      return;
    }
    // The input polarity bit selects which level is asserted.
    const assertedNow = level !== ((lvt & LVT_ACTIVE_LOW) !== 0);
    const assertedBefore = was !== ((lvt & LVT_ACTIVE_LOW) !== 0);
    if (lvt & LVT_MASKED || !assertedNow) return;
    if (mode === DELIVERY_FIXED && lvt & LVT_LEVEL) {
      // Level-triggered fixed LINT: delivered once until EOI clears remote IRR.
      if (lvt & LVT_REMOTE_IRR) return;
      s.lvt[lvtIndex] = lvt | LVT_REMOTE_IRR;
      this.acceptInterrupt(lvt & 0xff, true);
      return;
    }
    if (assertedBefore) return; // edge triggered: only the asserting edge counts (NMI is always edge)
    this.deliver(mode, lvt & 0xff, false);
  }

  private priorityClass(v: number): number {
    return v >>> 4;
  }

  /** Processor priority (SDM 10.8.3.1). */
  ppr(): number {
    const s = this.state;
    const isrv = Math.max(0, highestBit(s.isr));
    return this.priorityClass(s.tpr) >= this.priorityClass(isrv) ? s.tpr : isrv & 0xf0;
  }

  /** Arbitration priority for lowest-priority delivery (SDM 10.8.3.1, "Arbitration Priority"). */
  apr(): number {
    const s = this.state;
    const tprClass = this.priorityClass(s.tpr);
    const isrv = Math.max(0, highestBit(s.isr));
    const irrv = Math.max(0, highestBit(s.irr));
    if (tprClass >= this.priorityClass(irrv) && tprClass > this.priorityClass(isrv)) return s.tpr;
    return Math.max(s.tpr & 0xf0, isrv & 0xf0, irrv & 0xf0);
  }

  /** The highest IRR vector whose priority class is above the PPR, or -1. */
  private deliverable(): number {
    if (!this.softwareEnabled) return -1;
    const v = highestBit(this.state.irr);
    if (v < 0 || this.priorityClass(v) <= this.priorityClass(this.ppr())) return -1;
    return v;
  }

  /** INTR to the CPU from this APIC: a deliverable fixed interrupt or an ExtINT. */
  intrAsserted(): boolean {
    return this.state.globalEnable && (this.extIntActive() || this.deliverable() >= 0);
  }

  hasFixedInterrupt(): boolean {
    return this.deliverable() >= 0;
  }

  /** INTA for a fixed interrupt: IRR to ISR. A vanished interrupt gives the spurious vector (SDM 10.9). */
  acknowledge(): number {
    const s = this.state;
    const v = this.deliverable();
    if (v < 0) return s.svr & 0xff;
    clearBit(s.irr, v);
    setBit(s.isr, v);
    this.callbacks.onIntrChange();
    return v;
  }

  private eoi(): void {
    const s = this.state;
    const v = highestBit(s.isr);
    if (v < 0) return;
    clearBit(s.isr, v);
    if (testBit(s.tmr, v)) {
      // Level-triggered: tell the I/O APIC, and any LINT pin waiting on this vector.
      for (const pin of [0, 1] as const) {
        const i = pin === 0 ? LVT_LINT0 : LVT_LINT1;
        const lvt = s.lvt[i];
        if (lvt & LVT_REMOTE_IRR && (lvt & 0xff) === v) {
          s.lvt[i] = lvt & ~LVT_REMOTE_IRR;
          this.setLint(pin, s.lint[pin]); // still asserted: deliver again
        }
      }
      this.callbacks.onEoiBroadcast(v);
    }
    this.callbacks.onIntrChange();
  }

  private error(bits: number): void {
    const s = this.state;
    const before = s.esrPending;
    s.esrPending |= bits;
    const lvt = s.lvt[LVT_ERROR];
    if (before !== s.esrPending && !(lvt & LVT_MASKED)) this.acceptInterrupt(lvt & 0xff, false);
  }

  // ---- ICR ----

  private sendIpi(): void {
    const s = this.state;
    const lo = s.icrLo;
    const vector = lo & 0xff;
    const mode = (lo >>> 8) & 7;
    const logical = (lo & 0x800) !== 0;
    const level = (lo & 0x8000) !== 0;
    const assert = (lo & 0x4000) !== 0;
    const shorthand = (lo >>> 18) & 3;
    if ((mode === DELIVERY_FIXED || mode === DELIVERY_LOWEST) && vector < 16) {
      this.error(ESR_SEND_ILLEGAL_VECTOR);
      return;
    }
    let toSelf: boolean;
    if (shorthand === 1 || shorthand === 2) toSelf = true;
    else if (shorthand === 3) toSelf = false; // all excluding self: no other processor exists
    else toSelf = this.matchesDestination(s.icrHi >>> 24, logical);
    if (!toSelf) return;
    if (mode === DELIVERY_INIT && level && !assert) return; // INIT level de-assert
    this.deliver(mode, vector, false);
  }

  /** Does an 8-bit destination select this APIC (SDM 10.6.2)? */
  matchesDestination(dest: number, logical: boolean): boolean {
    const s = this.state;
    if (!logical) return dest === 0xff || dest === s.id;
    if (dest === 0xff) return true;
    const ldr = s.ldr >>> 24;
    if ((s.dfr >>> 28) === 0xf) return (ldr & dest) !== 0; // flat model
    // Cluster model: high nibble selects the cluster, low nibble the members.
    return (ldr >>> 4) === (dest >>> 4) && (ldr & dest & 0x0f) !== 0;
  }

  // ---- timer ----

  private divider(): number {
    const d = this.state.timerDivide;
    return DIVIDERS[(d & 3) | ((d >>> 1) & 4)];
  }

  private timerPeriodic(): boolean {
    return (this.state.lvt[LVT_TIMER] & LVT_TIMER_PERIODIC) !== 0;
  }

  /** Divided clocks elapsed since timerStartTick. */
  private elapsed(): number {
    return Math.floor((this.bus.tickAt(this.clock.now) - this.state.timerStartTick) / this.divider());
  }

  /** The current count register, computed from virtual time (SDM 10.5.4). */
  currentCount(): number {
    const s = this.state;
    if (s.timerInitial === 0) return 0;
    const e = this.elapsed();
    if (e < s.timerStartCount) return s.timerStartCount - e;
    if (!this.timerPeriodic()) return 0;
    return s.timerInitial - ((e - s.timerStartCount) % s.timerInitial);
  }

  /** Restart counting from `count` at the current bus clock tick. */
  private restartTimer(count: number): void {
    const s = this.state;
    s.timerStartTick = this.bus.tickAt(this.clock.now);
    s.timerStartCount = count;
    this.scheduleTimer();
  }

  private scheduleTimer(): void {
    const s = this.state;
    let at = Infinity;
    if (s.timerInitial !== 0 && !(s.lvt[LVT_TIMER] & LVT_MASKED)) {
      const e = this.elapsed();
      let next: number;
      if (e < s.timerStartCount) next = s.timerStartCount;
      else if (this.timerPeriodic()) next = s.timerStartCount + (Math.floor((e - s.timerStartCount) / s.timerInitial) + 1) * s.timerInitial;
      else next = Infinity;
      if (next !== Infinity) at = this.bus.timeOfTick(s.timerStartTick + next * this.divider());
    }
    s.timerDeadline = at;
    if (at === Infinity) this.timer.disarm();
    else this.timer.armAt(at);
  }

  private timerExpired(): void {
    const s = this.state;
    s.timerDeadline = Infinity;
    const lvt = s.lvt[LVT_TIMER];
    if (!(lvt & LVT_MASKED) && this.softwareEnabled) this.acceptInterrupt(lvt & 0xff, false);
    this.scheduleTimer();
  }

  // ---- registers ----

  private mmioRead(offset: number, size: number): number {
    const v = this.readRegister(offset & 0xff0);
    const shift = (offset & 3) * 8;
    return size === 4 ? v >>> 0 : (v >>> shift) & ((1 << (size * 8)) - 1);
  }

  private mmioWrite(offset: number, size: number, value: number): void {
    // Registers are 32 bits wide and must be written as whole dwords (SDM 10.4.1).
    if (size !== 4 || offset & 0xf) return;
    this.writeRegister(offset, value >>> 0);
  }

  readRegister(reg: number): number {
    const s = this.state;
    if (reg >= REG.ISR && reg < REG.ISR + 0x80) return s.isr[(reg - REG.ISR) >> 4];
    if (reg >= REG.TMR && reg < REG.TMR + 0x80) return s.tmr[(reg - REG.TMR) >> 4];
    if (reg >= REG.IRR && reg < REG.IRR + 0x80) return s.irr[(reg - REG.IRR) >> 4];
    switch (reg) {
      case REG.ID: return (s.id << 24) >>> 0;
      case REG.VERSION: return APIC_VERSION;
      case REG.TPR: return s.tpr;
      case REG.APR: return this.apr();
      case REG.PPR: return this.ppr();
      case REG.EOI: return 0;
      case REG.RRD: return 0;
      case REG.LDR: return s.ldr;
      case REG.DFR: return s.dfr;
      case REG.SVR: return s.svr;
      case REG.ESR: return s.esr;
      case REG.ICR_LO: return s.icrLo & ~LVT_PENDING; // delivery is instant: never send-pending
      case REG.ICR_HI: return s.icrHi;
      case REG.LVT_TIMER: case REG.LVT_THERMAL: case REG.LVT_PERF: case REG.LVT_LINT0: case REG.LVT_LINT1: case REG.LVT_ERROR:
        return s.lvt[(reg - REG.LVT_TIMER) >> 4];
      case REG.TIMER_INITIAL: return s.timerInitial;
      case REG.TIMER_CURRENT: return this.currentCount();
      case REG.TIMER_DIVIDE: return s.timerDivide;
      default:
        this.error(ESR_ILLEGAL_REGISTER);
        return 0;
    }
  }

  writeRegister(reg: number, v: number): void {
    const s = this.state;
    switch (reg) {
      case REG.ID: s.id = v >>> 24; return;
      case REG.TPR: s.tpr = v & 0xff; this.callbacks.onIntrChange(); return;
      case REG.EOI: this.eoi(); return;
      case REG.LDR: s.ldr = (v & 0xff000000) >>> 0; return;
      case REG.DFR: s.dfr = (v | 0x0fffffff) >>> 0; return;
      case REG.SVR: {
        s.svr = v & 0x3ff;
        if (!(v & SVR_ENABLE)) {
          // Software disable masks every LVT entry (SDM 10.4.7.2).
          for (let i = 0; i < 6; i++) s.lvt[i] |= LVT_MASKED;
          this.scheduleTimer();
        }
        this.callbacks.onIntrChange();
        return;
      }
      case REG.ESR:
        // A write loads the readable ESR from the errors seen since the last write (SDM 10.5.3).
        s.esr = s.esrPending;
        s.esrPending = 0;
        return;
      case REG.ICR_LO: s.icrLo = v & 0xccfff; this.sendIpi(); return;
      case REG.ICR_HI: s.icrHi = (v & 0xff000000) >>> 0; return;
      case REG.LVT_TIMER: case REG.LVT_THERMAL: case REG.LVT_PERF: case REG.LVT_LINT0: case REG.LVT_LINT1: case REG.LVT_ERROR: {
        const i = (reg - REG.LVT_TIMER) >> 4;
        let nv = (v & LVT_WRITABLE[i]) | (s.lvt[i] & LVT_REMOTE_IRR);
        if (!this.softwareEnabled) nv |= LVT_MASKED;
        const wasPeriodic = this.timerPeriodic();
        s.lvt[i] = nv >>> 0;
        if (i === LVT_TIMER) {
          if (wasPeriodic !== this.timerPeriodic()) this.restartTimer(this.currentCount());
          else this.scheduleTimer();
        }
        if (i === LVT_LINT0) this.callbacks.onIntrChange();
        // Unmasking a level-triggered LINT whose pin is asserted delivers it.
        if ((i === LVT_LINT0 || i === LVT_LINT1) && nv & LVT_LEVEL && ((nv >>> 8) & 7) === DELIVERY_FIXED) {
          this.setLint(i === LVT_LINT0 ? 0 : 1, s.lint[i === LVT_LINT0 ? 0 : 1]);
        }
        return;
      }
      case REG.TIMER_INITIAL:
        s.timerInitial = v >>> 0;
        this.restartTimer(s.timerInitial);
        return;
      case REG.TIMER_DIVIDE: {
        const count = this.currentCount();
        s.timerDivide = v & 0x0b;
        if (s.timerInitial !== 0) this.restartTimer(count);
        return;
      }
      case REG.VERSION: case REG.APR: case REG.PPR: case REG.RRD: case REG.TIMER_CURRENT:
        return; // read-only
      default:
        if (reg >= REG.ISR && reg < REG.IRR + 0x80) return; // ISR/TMR/IRR are read-only
        this.error(ESR_ILLEGAL_REGISTER);
    }
  }
}
