// Exact conversion between virtual nanoseconds and the ticks of a fixed-frequency oscillator
// (the 8254's 1.193182 MHz, the MC146818's 32.768 kHz, the APIC bus clock).
//
// Device clocks are modelled as free-running oscillators whose edges sit on a fixed grid counted
// from virtual time 0, as a real crystal does: tick k happens at the first whole nanosecond at or
// after k / f seconds. Working in integers (num/den = f / 1e9 reduced, with num * den < 2^53 so that
// every intermediate product stays exact in a float64) keeps tickAt() and timeOfTick() exact
// inverses: tickAt(timeOfTick(k)) === k for every k, whatever the run length.

export class TickRate {
  private readonly num: number;
  private readonly den: number;

  /** `hz` may be fractional only as a ratio: pass `hz = numerator` and `per = denominator`. */
  constructor(hz: number, per = 1) {
    let num = hz;
    let den = 1e9 * per;
    const g = gcd(num, den);
    num /= g;
    den /= g;
    if (!Number.isInteger(num) || !Number.isInteger(den) || num * den >= 2 ** 53) throw new Error(`TickRate: ${hz}/${per} Hz cannot be represented exactly`);
    this.num = num;
    this.den = den;
  }

  /** The number of ticks that have happened in (0, ns], for ns >= 0 (fractions of ns are dropped). */
  tickAt(ns: number): number {
    const t = Math.floor(ns);
    const q = Math.floor(t / this.den);
    const r = t - q * this.den;
    return q * this.num + Math.floor((r * this.num) / this.den);
  }

  /** The virtual time (whole ns) of tick k: the smallest t with tickAt(t) >= k. */
  timeOfTick(k: number): number {
    const a = Math.floor(k / this.num);
    const b = k - a * this.num;
    return a * this.den + Math.ceil((b * this.den) / this.num);
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
