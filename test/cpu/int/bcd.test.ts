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
