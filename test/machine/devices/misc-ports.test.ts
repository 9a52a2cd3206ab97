import { describe, it, expect } from "vitest";
import { IoBus } from "../../../src/machine/io";
import { SystemControlPortA, ResetControl, PostCodePort, DebugConsolePort, DebugExitPort } from "../../../src/machine/devices/misc-ports";
import { saveDevice, loadDevice } from "../../../src/machine/state";

describe("platform control ports", () => {
  it("port 0x92: every write drives A20 from bit 1, reset pulse on a 0->1 write of bit 0 which reads back 0", () => {
    const io = new IoBus();
    const ev: string[] = [];
    const p = new SystemControlPortA({ onA20: (on) => ev.push(`a20:${on}`), onReset: () => ev.push("reset") });
    p.attach(io);
    expect(io.read(0x92, 1)).toBe(0x02);
    io.write(0x92, 1, 0x00);
    io.write(0x92, 1, 0x02);
    io.write(0x92, 1, 0x03);
    expect(ev).toEqual(["a20:false", "a20:true", "a20:true", "reset"]);
    expect(io.read(0x92, 1)).toBe(0x02);
    const snap = saveDevice(p);
    const q = new SystemControlPortA();
    loadDevice(q, snap);
    expect(q.a20).toBe(true);
    expect(() => loadDevice(q, { value: 3 })).toThrow(/port92\.value/);
    expect(() => loadDevice(q, { value: 256 })).toThrow(/port92\.value/);
  });

  it("0xCF9: 0x02 then 0x06 is a hard reset, 0x04 a soft one", () => {
    const io = new IoBus();
    const resets: boolean[] = [];
    const r = new ResetControl((hard) => resets.push(hard));
    r.attach(io);
    io.write(0xcf9, 1, 0x02);
    expect(resets).toEqual([]);
    expect(io.read(0xcf9, 1)).toBe(0x02);
    io.write(0xcf9, 1, 0x06);
    io.write(0xcf9, 1, 0x04);
    expect(resets).toEqual([true, false]);
    expect(() => loadDevice(r, { value: 0x04 })).toThrow(/reset-control\.value/);
  });

  it("POST codes, debug console bytes and debug-exit status", () => {
    const io = new IoBus();
    const posts: number[] = [];
    const chars: number[] = [];
    const exits: number[] = [];
    const post = new PostCodePort((c) => posts.push(c));
    post.attach(io);
    new DebugConsolePort((b) => chars.push(b)).attach(io);
    new DebugExitPort((s) => exits.push(s)).attach(io);
    io.write(0x80, 1, 0x55);
    io.write(0x80, 1, 0xaa);
    expect(posts).toEqual([0x55, 0xaa]);
    expect(io.read(0x80, 1)).toBe(0xaa);
    for (const c of "ok\n") io.write(0xe9, 1, c.charCodeAt(0));
    expect(String.fromCharCode(...chars)).toBe("ok\n");
    expect(io.read(0xe9, 1)).toBe(0xe9);
    io.write(0xf4, 1, 0x10);
    io.write(0xf4, 4, 0);
    expect(exits).toEqual([0x21, 1]);
    expect(saveDevice(post)).toEqual({ last: 0xaa });
    const p2 = new PostCodePort();
    loadDevice(p2, { last: 0x42 });
    expect(p2.state.last).toBe(0x42);
    expect(() => loadDevice(p2, { last: "x" })).toThrow(/post\.last/);
  });
});
