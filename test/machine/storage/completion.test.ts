import { describe, it, expect } from "vitest";
import { CompletionQueue, RequestTokens } from "../../../src/machine/storage/completion";

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("CompletionQueue", () => {
  it("runs synchronous answers at once and holds asynchronous ones until drain", async () => {
    const q = new CompletionQueue();
    const seen: string[] = [];
    q.submit(1, (v) => seen.push(`sync ${v}`), () => seen.push("fail"));
    expect(seen).toEqual(["sync 1"]);
    let ready = 0;
    q.onReady = () => ready++;
    q.submit(Promise.resolve(2), (v) => seen.push(`async ${v}`), () => seen.push("fail"));
    q.submit(Promise.reject(new Error("x")), () => seen.push("ok?"), (e) => seen.push(`failed ${(e as Error).message}`));
    expect(q.pending).toBe(2);
    await settle();
    expect(seen).toEqual(["sync 1"]);
    expect(ready).toBe(2);
    expect(q.readyCount).toBe(2);
    expect(q.drain()).toBe(2);
    expect(seen).toEqual(["sync 1", "async 2", "failed x"]);
    expect(q.pending).toBe(0);
  });

  it("runs deferred work at the next drain, including work queued while draining", () => {
    const q = new CompletionQueue();
    const seen: number[] = [];
    q.defer(() => {
      seen.push(1);
      q.defer(() => seen.push(2));
    });
    expect(seen).toEqual([]);
    expect(q.drain()).toBe(2);
    expect(seen).toEqual([1, 2]);
  });

  it("invalidates outstanding request tokens", () => {
    const t = new RequestTokens();
    const a = t.next();
    expect(t.valid(a)).toBe(true);
    t.invalidate();
    expect(t.valid(a)).toBe(false);
    expect(t.valid(t.next())).toBe(true);
  });
});
