// Checks of the harness itself: the native runner classifies outcomes as the SDM says, its
// buffer matches the TypeScript generator's, and the comparison masks exactly what it should.
import { describe, it, expect } from "vitest";
import { missingTool } from "../../support/nasm";
import { nativeCheck, runNative } from "../native/build";
import { compareOutcome } from "./compare";
import { BUF_ADDR, CODE_ADDR, initialBuffer, VEC_NONE, type DiffCase, type Outcome } from "./layout";

function nativeCase(code: number[], regs: Partial<Record<number, number>> = {}, eflags = 2): DiffCase {
  const r = [0, 0, 0, 0, BUF_ADDR + 0xe00, 0, 0, 0];
  for (const [k, v] of Object.entries(regs)) r[Number(k)] = v!;
  return { spec: "selftest", code: Uint8Array.from(code), regs: r, eflags, seed: 0x12345678, undefFlags: 0, undefRegs: 0 };
}

describe.skipIf(missingTool(nativeCheck()))("native runner", () => {
  it("classifies completion and exceptions by vector, with the EIP the SDM specifies", () => {
    const out = runNative([
      nativeCase([0x01, 0xd8], { 0: 2, 3: 3 }), // add eax, ebx
      nativeCase([0xf7, 0xf1]), // div ecx with ecx = 0: #DE, fault
      nativeCase([0x0f, 0x0b]), // ud2: #UD
      nativeCase([0xcc]), // int3: #BP, trap
      nativeCase([0x9d, 0xce], {}, 2), // popf (pops 0 -> OF=0); into: no #OF
      nativeCase([0x8e, 0xd8], { 0: 0x1234 }), // mov ds, ax: LDT index 0x246 past the LDT: #GP(0x1234)
    ]);
    expect(out.map((o) => o.vector)).toEqual([VEC_NONE, 0, 6, 3, VEC_NONE, 13]);
    expect(out[0].regs[0]).toBe(5);
    expect(out[0].eip).toBe(CODE_ADDR + 2);
    expect(out[1].eip).toBe(CODE_ADDR);
    expect(out[3].eip).toBe(CODE_ADDR + 1);
    // The error code is the selector with RPL cleared; TI (bit 2) stays (SDM Vol. 3A 6.13).
    expect(out[5].errcode).toBe(0x1234);
  });

  it("fills the buffer exactly as the TypeScript generator does", () => {
    const offs = [0, 4, 0x7fc, 0xffc];
    const cases = offs.map((o) => nativeCase([0x8b, 0x05, ...new Uint8Array(new Uint32Array([BUF_ADDR + o]).buffer)]));
    const out = runNative(cases);
    const bytes = initialBuffer(cases[0]);
    const dv = new DataView(bytes.buffer);
    expect(out.map((o) => o.regs[0])).toEqual(offs.map((o) => dv.getUint32(o, true)));
  });

  it("reports every changed buffer byte and nothing else", () => {
    // mov dword [BUF+0x20], 0x11223344 over random contents: the bytes that differ change.
    const c = nativeCase([0xc7, 0x05, ...new Uint8Array(new Uint32Array([BUF_ADDR + 0x20, 0x11223344]).buffer)]);
    const before = initialBuffer(c).slice(0x20, 0x24);
    const [o] = runNative([c]);
    const want = new Map<number, number>();
    [0x44, 0x33, 0x22, 0x11].forEach((v, i) => { if (before[i] !== v) want.set(0x20 + i, v); });
    expect(o.mem).toEqual(want);
  });
});

describe("outcome comparison", () => {
  const base = (): Outcome => ({ regs: [1, 2, 3, 4, 5, 6, 7, 8], eflags: 0x202, eip: CODE_ADDR + 2, vector: VEC_NONE, errcode: 0, mem: new Map() });
  const c: DiffCase = { spec: "t", code: new Uint8Array([0x90]), regs: [0, 0, 0, 0, 0, 0, 0, 0], eflags: 2, seed: 1, undefFlags: 0, undefRegs: 0 };

  it("accepts identical outcomes and reports each kind of difference", () => {
    expect(compareOutcome(c, base(), base())).toEqual([]);
    const got = base();
    got.regs[3] = 9;
    got.eflags |= 0x1;
    got.mem.set(7, 0xaa);
    const d = compareOutcome(c, base(), got);
    expect(d).toHaveLength(3);
    expect(d[0]).toContain("ebx");
    expect(d[1]).toContain("CF");
    expect(d[2]).toContain("00010007");
  });

  it("masks only the flags and registers the case declares undefined", () => {
    const got = base();
    got.eflags |= 0x10 | 0x1; // AF and CF differ
    got.regs[2] = 0;
    const masked = { ...c, undefFlags: 0x10, undefRegs: 1 << 2 };
    const d = compareOutcome(masked, base(), got);
    expect(d).toHaveLength(1);
    expect(d[0]).toContain("CF");
  });

  it("ignores lab86's exception frame below the faulting ESP but nothing else", () => {
    const want = { ...base(), vector: 13 };
    const got = { ...base(), vector: 13, mem: new Map([[0xe00, 1], [0xe10, 2]]), ignoreMem: [0xe00, 0xe10] as [number, number] };
    const d = compareOutcome(c, want, got);
    expect(d).toHaveLength(1);
    expect(d[0]).toContain("00010e10");
  });
});
