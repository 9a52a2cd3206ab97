// Completion of block backend requests. A BlockBackend may answer at once or with a Promise; a
// controller never awaits. It hands the answer to `submit`, which runs the continuation at once
// for a synchronous answer (so a machine with in-memory images is fully deterministic) and
// otherwise queues it when the Promise settles. The machine calls `drain()` between CPU slices,
// so device state only ever changes on the CPU thread at a slice boundary, never inside a
// microtask in the middle of an instruction.

export type Completion = () => void;

export class CompletionQueue {
  private ready: Completion[] = [];
  private outstanding = 0;
  /** Called when an asynchronous completion becomes ready (the machine may wake an idle CPU). */
  onReady: (() => void) | null = null;

  /**
   * Deliver `value` to `done` (or its error to `fail`): immediately if it is not a Promise,
   * otherwise at the next drain() after it settles.
   */
  submit<T>(value: T | Promise<T>, done: (v: T) => void, fail: (e: unknown) => void): void {
    if (!(value instanceof Promise)) {
      done(value);
      return;
    }
    this.outstanding++;
    value.then(
      (v) => this.push(() => done(v)),
      (e) => this.push(() => fail(e)),
    );
  }

  /** Run `fn` at the next drain (used to restart requests after a state restore). */
  defer(fn: Completion): void {
    this.outstanding++;
    this.push(fn);
  }

  private push(fn: Completion): void {
    this.outstanding--;
    this.ready.push(fn);
    this.onReady?.();
  }

  /** Run every completion that is ready, in the order they became ready. Returns how many ran. */
  drain(): number {
    let n = 0;
    while (this.ready.length > 0) {
      const batch = this.ready;
      this.ready = [];
      for (const fn of batch) fn();
      n += batch.length;
    }
    return n;
  }

  /** Requests submitted whose answers have not arrived yet. */
  get pending(): number {
    return this.outstanding;
  }

  /** Completions waiting for drain(). */
  get readyCount(): number {
    return this.ready.length;
  }
}

/**
 * A token source for one device: a completion carries the token of its request, and is dropped
 * when the device was reset or restored since (its state no longer expects that answer).
 */
export class RequestTokens {
  private current = 0;
  next(): number {
    return ++this.current;
  }
  /** Invalidate every outstanding request. */
  invalidate(): void {
    this.current++;
  }
  valid(token: number): boolean {
    return token === this.current;
  }
}
