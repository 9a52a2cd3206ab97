// The machine's one virtual clock. Devices schedule events on guest time through Timers; no device
// reads the wall clock or calls setTimeout. The machine advances `now` as the CPU retires
// instructions (or jumps it forward while the guest idles in HLT) and fires due timers in order.
//
// Time is in nanoseconds as a float64: exact for integers up to 2^53 ns (about 104 days).

export class Timer {
  /** Absolute deadline in ns, or Infinity when disarmed. Devices save this in their state. */
  deadline = Infinity;
  constructor(private readonly clock: VirtualClock, readonly name: string, private readonly fire: (now: number) => void) {}

  /** Fire at absolute virtual time `at` (ns). Re-arming replaces the previous deadline. */
  armAt(at: number): void {
    this.deadline = at;
    this.clock.changed();
  }
  /** Fire `delay` ns from now. */
  armIn(delay: number): void {
    this.armAt(this.clock.now + delay);
  }
  disarm(): void {
    this.deadline = Infinity;
  }
  get armed(): boolean {
    return this.deadline !== Infinity;
  }
  /** @internal */
  run(now: number): void {
    this.deadline = Infinity;
    this.fire(now);
  }
}

export class VirtualClock {
  /** Current virtual time in ns. */
  now = 0;
  private readonly timers: Timer[] = [];
  /** Bumped whenever a deadline changes, so the run loop can cut its slice short. */
  generation = 0;

  timer(name: string, fire: (now: number) => void): Timer {
    if (this.timers.some((t) => t.name === name)) throw new Error(`duplicate timer name ${name}`);
    const t = new Timer(this, name, fire);
    this.timers.push(t);
    return t;
  }

  /** @internal */
  changed(): void {
    this.generation++;
  }

  /** The earliest armed deadline, or Infinity. There are a few dozen timers at most, so a scan is cheapest. */
  nextDeadline(): number {
    let d = Infinity;
    for (const t of this.timers) if (t.deadline < d) d = t.deadline;
    return d;
  }

  /**
   * Advance to `to` (ns), firing every timer whose deadline is <= to, in deadline order, each
   * seeing `now` equal to its own deadline. A timer may re-arm itself or others.
   */
  advanceTo(to: number): void {
    for (;;) {
      let first: Timer | null = null;
      for (const t of this.timers) if (t.deadline <= to && (first === null || t.deadline < first.deadline)) first = t;
      if (first === null) break;
      if (first.deadline > this.now) this.now = first.deadline;
      first.run(this.now);
    }
    if (to > this.now) this.now = to;
  }

  /** Restore the clock's time from a snapshot (timers are re-armed by their devices' postLoad). */
  setNow(now: number): void {
    if (!Number.isFinite(now) || now < 0) throw new Error(`clock: invalid time ${now}`);
    this.now = now;
  }
}
