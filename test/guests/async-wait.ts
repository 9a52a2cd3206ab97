// Waits for guest console output that yield to the event loop every few hundred milliseconds of
// host time, so a boot that takes minutes of host time keeps the vitest worker responsive (its
// RPC to the main process times out after 60 s of a blocked event loop). Bounded by guest time.
import type { GuestConsole } from "../support/guest";

const YIELD_EVERY_MS = 250;

/** Like GuestConsole.waitFor (returns the index after the match), yielding between slices. */
export async function waitForAsync(con: GuestConsole, match: string | RegExp, maxVirtualSeconds: number, from = 0): Promise<number> {
  return runUntilAsync(con, () => {
    const at = find(con.output, match, from);
    return at >= 0 ? at : null;
  }, maxVirtualSeconds, String(match));
}

/** Run until `done()` (checked whenever the console printed something) returns a value. */
export async function runUntilAsync<T>(con: GuestConsole, done: () => T | null, maxVirtualSeconds: number, what: string): Promise<T> {
  const m = con.pc.machine;
  const end = m.clock.now + maxVirtualSeconds * 1e9;
  let lastYield = performance.now();
  let seen = -1;
  for (;;) {
    if (con.output.length !== seen) {
      seen = con.output.length;
      const r = done();
      if (r !== null) return r;
    }
    if (m.clock.now >= end) {
      throw new Error(`${what} did not happen within ${maxVirtualSeconds} s of guest time; output tail:\n${con.output.slice(-1500)}`);
    }
    const stop = m.runSlice(end, 200_000);
    if (stop && stop.kind !== "budget") {
      throw new Error(`the machine stopped (${stop.kind}) before ${what}; output tail:\n${con.output.slice(-1500)}`);
    }
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise((resume) => setImmediate(resume));
      lastYield = performance.now();
    }
  }
}

function find(output: string, match: string | RegExp, from: number): number {
  if (typeof match === "string") {
    const at = output.indexOf(match, from);
    return at < 0 ? -1 : at + match.length;
  }
  const re = new RegExp(match.source, match.flags.includes("g") ? match.flags : match.flags + "g");
  re.lastIndex = from;
  const r = re.exec(output);
  return r ? r.index + r[0].length : -1;
}
