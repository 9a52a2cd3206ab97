// Decimal adjust instructions (SDM Vol. 2A AAA, AAD, AAM, AAS, DAA, DAS), worked by hand from
// the pseudo-code. Only the flags the SDM defines are compared.
import { describe, it, expect } from "vitest";
import { runCode, MODES, CF, PF, AF, ZF, SF } from "./harness";

describe.each(MODES)("BCD (%s)", (mode) => {
  it("DAA after 79 + 35 = 114", async () => {
    const r = await runCode(mode, "mov al, 0x79\nadd al, 0x35\ndaa");
    expect(r.eax & 0xff).toBe(0x14);
    expect(r.flags & (CF | AF | ZF | SF | PF)).toBe(CF | AF | PF); // 0x14: two ones
  });
  it("DAA after 38 + 45 = 83", async () => {
    const r = await runCode(mode, "mov al, 0x38\nadd al, 0x45\ndaa");
    expect(r.eax & 0xff).toBe(0x83);
    expect(r.flags & (CF | AF | ZF | SF | PF)).toBe(AF | SF);
  });
  it("DAA after 99 + 01 = 100", async () => {
    const r = await runCode(mode, "mov al, 0x99\nadd al, 0x01\ndaa");
    expect(r.eax & 0xff).toBe(0x00);
    expect(r.flags & (CF | AF | ZF | SF | PF)).toBe(CF | AF | ZF | PF);
  });
  it("DAA with AF set from the addition: 08 + 08 = 16", async () => {
    const r = await runCode(mode, "mov al, 0x08\nadd al, 0x08\ndaa");
    expect(r.eax & 0xff).toBe(0x16);
    expect(r.flags & (CF | AF)).toBe(AF);
  });
  it("DAS after 35 - 47 = -12 (88 with borrow)", async () => {
    const r = await runCode(mode, "mov al, 0x35\nsub al, 0x47\ndas");
    expect(r.eax & 0xff).toBe(0x88);
    expect(r.flags & (CF | AF | ZF | SF | PF)).toBe(CF | AF | SF | PF);
  });
  it("DAS after 52 - 24 = 28", async () => {
    const r = await runCode(mode, "mov al, 0x52\nsub al, 0x24\ndas");
    expect(r.eax & 0xff).toBe(0x28);
    expect(r.flags & (CF | AF)).toBe(AF);
  });
  it("AAA after 9 + 5", async () => {
    const r = await runCode(mode, "mov ax, 0x0009\nadd al, 0x05\naaa");
    expect(r.eax & 0xffff).toBe(0x0104);
    expect(r.flags & (CF | AF)).toBe(CF | AF);
  });
  it("AAA adds 0x106 to AX (P6 and later), carrying into AH", async () => {
    const r = await runCode(mode, "mov ax, 0x00fa\naaa");
    expect(r.eax & 0xffff).toBe(0x0200);
  });
  it("AAA without adjustment clears CF and AF and masks AL", async () => {
    const r = await runCode(mode, "stc\nmov ax, 0x0235\naaa");
    expect(r.eax & 0xffff).toBe(0x0205);
    expect(r.flags & (CF | AF)).toBe(0);
  });
  it("AAS borrows from AH twice when AL < 6 (AX - 6, then AH - 1)", async () => {
    const r = await runCode(mode, "mov ax, 0x0502\naas", { init: (c) => c.setEflags(0x12) }); // AF=1
    expect(r.eax & 0xffff).toBe(0x030c);
  });
  it("AAS after 12 - 5", async () => {
    const r = await runCode(mode, "mov ax, 0x0102\nsub al, 0x05\naas");
    expect(r.eax & 0xffff).toBe(0x0007);
    expect(r.flags & (CF | AF)).toBe(CF | AF);
  });
  it("AAM splits AL by 10 or by the immediate", async () => {
    const r = await runCode(mode, "mov al, 73\naam\nmov bx, ax\nmov al, 0x5f\naam 16");
    expect(r.ebx & 0xffff).toBe(0x0703);
    expect(r.eax & 0xffff).toBe(0x050f);
    expect(r.flags & (ZF | SF | PF)).toBe(PF); // AL = 0x0f: four ones
  });
  it("AAM 0 raises #DE", async () => {
    const r = await runCode(mode, "", { bytes: [0xb0, 0x10, 0xd4, 0x00] });
    expect(r.fault).toBe(0);
    expect(r.eax & 0xff).toBe(0x10);
  });
  it("AAD combines AH and AL", async () => {
    const r = await runCode(mode, "mov ax, 0x0703\naad\nmov bx, ax\nmov ax, 0x0102\naad 16");
    expect(r.ebx & 0xffff).toBe(0x0049);
    expect(r.eax & 0xffff).toBe(0x0012);
    expect(r.flags & (ZF | SF | PF)).toBe(PF); // 0x12: two ones
  });
});

// The whole DAA/DAS table: every AL with every CF/AF input, against the SDM's pseudo-code
// transcribed into TypeScript. CF, AF, ZF, SF, PF are compared (OF is undefined).
function daaModel(al: number, cf: boolean, af: boolean, sub: boolean): [number, number] {
  const oldAl = al, oldCf = cf;
  let r = al, c = false, a = false;
  if ((al & 0xf) > 9 || af) {
    const t = sub ? r - 6 : r + 6;
    c = oldCf || t < 0 || t > 0xff;
    r = t & 0xff;
    a = true;
  }
  if (oldAl > 0x99 || oldCf) { r = (sub ? r - 0x60 : r + 0x60) & 0xff; c = true; }
  let f = 0;
  if (c) f |= CF;
  if (a) f |= AF;
  if (r === 0) f |= ZF;
  if (r & 0x80) f |= SF;
  let ones = 0;
  for (let i = 0; i < 8; i++) ones += (r >> i) & 1;
  if (ones % 2 === 0) f |= PF;
  return [r, f];
}
describe("DAA and DAS over all inputs (pm32)", () => {
  for (const op of ["daa", "das"]) {
    it(op, async () => {
      const lines: string[] = [];
      for (let i = 0; i < 1024; i++) {
        const al = i & 0xff, cf = (i >> 8) & 1, af = (i >> 9) & 1;
        lines.push(`mov ah, ${2 | cf | (af << 4)}`, "sahf", `mov al, ${al}`, op, "pushfd", `pop dword [${0x200000 + i * 8}]`, `mov [${0x200000 + i * 8 + 4}], al`);
      }
      const r = await runCode("pm32", lines.join("\n"), { budget: 100000 });
      expect(r.fault).toBeNull();
      for (let i = 0; i < 1024; i++) {
        const [res, flags] = daaModel(i & 0xff, ((i >> 8) & 1) === 1, ((i >> 9) & 1) === 1, op === "das");
        const got = { i, al: r.mem8(0x200000 + i * 8 + 4), f: r.mem32(0x200000 + i * 8) & (CF | AF | ZF | SF | PF) };
        expect(got).toEqual({ i, al: res, f: flags });
      }
    });
  }
});

describe("AAA and AAS over all AL and AF inputs (pm32)", () => {
  for (const op of ["aaa", "aas"]) {
    it(op, async () => {
      const lines: string[] = [];
      for (let i = 0; i < 512; i++) {
        const al = i & 0xff, af = (i >> 8) & 1;
        lines.push(`mov ah, ${2 | (af << 4)}`, "sahf", `mov ax, ${0x0500 | al}`, op, "pushfd", `pop dword [${0x200000 + i * 8}]`, `mov [${0x200000 + i * 8 + 4}], ax`);
      }
      const r = await runCode("pm32", lines.join("\n"), { budget: 100000 });
      for (let i = 0; i < 512; i++) {
        const al = i & 0xff, af = (i >> 8) & 1;
        let ax = 0x0500 | al, adj = false;
        // SDM Vol. 2A AAA: AX <- AX + 106H; AAS: AX <- AX - 6, AH <- AH - 1
        if ((al & 0xf) > 9 || af) {
          adj = true;
          if (op === "aaa") ax = (ax + 0x106) & 0xffff;
          else { ax = (ax - 6) & 0xffff; ax = ((((ax >> 8) - 1) & 0xff) << 8) | (ax & 0xff); }
        }
        ax &= 0xff0f;
        const got = { i, ax: r.mem16(0x200000 + i * 8 + 4), f: r.mem32(0x200000 + i * 8) & (CF | AF) };
        expect(got).toEqual({ i, ax, f: adj ? CF | AF : 0 });
      }
    });
  }
});
