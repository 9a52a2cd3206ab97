// Unmasked exceptions, #MF / FERR#, #NM, and the last-instruction pointers: lab86 against the
// SDM (these cannot run on the host reference, whose kernel turns them into SIGFPE).
//   SDM Vol. 1 8.5 (masked/unmasked responses), 8.7 (#MF, FERR#), 8.1.8-8.1.10 (pointers,
//   environment layouts), Vol. 3A 2.5 (CR0.EM, TS, MP, NE).
import { describe, it, expect } from "vitest";
import type { Cpu } from "../../../src/machine/cpu";
import * as L from "../../../asm/layout";
import { flatCpu, toolsMissing, assemble, runTo, CODE, DATA, HANDLERS, st } from "./support";

const skip = toolsMissing(false);
const INT = 1n << 63n;

interface Run { cpu: Cpu; at: number; sw: number; labels: number[] }
/** Assemble `code` (its labels L0..L3, where present, are recorded), run it in flat 32-bit mode. */
async function run(code: string, setup: (cpu: Cpu) => void = () => {}): Promise<Run> {
  const cpu = await flatCpu();
  setup(cpu);
  const missing = ["L0", "L1", "L2", "L3"].filter((l) => !new RegExp(`\\b${l}:`).test(code)).map((l) => `${l}:`);
  const bin = assemble(`${code}\nhlt\n${missing.join("\n")}\nlabels: dd L0, L1, L2, L3\n`, CODE);
  cpu.ram().set(bin, CODE);
  const at = runTo(cpu, CODE);
  const dv = new DataView(bin.buffer, bin.byteOffset);
  const labels = [0, 1, 2, 3].map((i) => dv.getUint32(bin.length - 16 + 4 * i, true));
  return { cpu, at, sw: cpu.get(L.FPU_SW), labels };
}
const data = (cpu: Cpu, off: number) => new DataView(cpu.ram().buffer, cpu.ram().byteOffset + DATA + off);
function putF80(cpu: Cpu, off: number, se: number, sig: bigint): void {
  const dv = data(cpu, off);
  dv.setBigUint64(0, sig, true);
  dv.setUint16(8, se, true);
}
/** A setup that stores control word `cw` at DATA (where the programs' FLDCW [DATA] finds it), then runs `more`. */
const cwAt = (cw: number, more: (cpu: Cpu) => void = () => {}) => (cpu: Cpu) => {
  data(cpu, 0).setUint16(0, cw, true);
  more(cpu);
};
/** Run `code` after FNINIT and FLDCW with control word `cw`. */
const runWithCw = (cw: number, code: string, more?: (cpu: Cpu) => void) => run(`fninit\nfldcw [${DATA}]\n${code}`, cwAt(cw, more));
/** The dword on top of the stack: the return address an exception handler sees. */
const pushedEip = (r: Run) => r.cpu.dv.getUint32(r.cpu.ramOffset + r.cpu.reg(4), true);
const clearNe = (cpu: Cpu) => cpu.set(L.CR0, cpu.get(L.CR0) & ~0x20);
// 1 / 0 with only ZE unmasked (control word 37Bh): the zero divide is left pending.
const ZE_UNMASKED = 0x37b;
const DIVIDE_BY_ZERO = `
      fldcw [${DATA}]
      fld1
      fldz
      fdivp st1, st0`;
const SW = { IE: 1, DE: 2, ZE: 4, OE: 8, UE: 0x10, PE: 0x20, SF: 0x40, ES: 0x80, C1: 0x200, B: 0x8000 };

describe.skipIf(skip)("x87 unmasked exceptions and their delivery", () => {
  it("zero divide unmasked: no result, ES|B set, then #MF at the next waiting instruction (CR0.NE=1)", async () => {
    const r = await run(`${DIVIDE_BY_ZERO}
      L1: fld1
      L2:`, cwAt(ZE_UNMASKED));
    expect(r.at).toBe(HANDLERS + 16);
    expect(r.sw & 0x80ff).toBe(SW.ZE | SW.ES | SW.B);
    expect(st(r.cpu, 0)).toEqual([0n, 0]); // the divisor, not popped
    expect(st(r.cpu, 1)).toEqual([INT, 0x3fff]);
    // #MF is a fault on the waiting instruction: the pushed EIP is the FLD1.
    expect(pushedEip(r)).toBe(r.labels[1]);
  });
  it("with CR0.NE=0 the waiting instruction asserts FERR# and proceeds; FNCLEX deasserts it", async () => {
    const r = await run(`${DIVIDE_BY_ZERO}
      fld1
      fnstsw [${DATA + 0x10}]
      fnclex`, cwAt(ZE_UNMASKED, clearNe));
    expect(r.at).toBeGreaterThan(CODE);
    expect(st(r.cpu, 0)).toEqual([INT, 0x3fff]);
    expect(data(r.cpu, 0x10).getUint16(0, true) & 0x80ff).toBe(SW.ZE | SW.ES | SW.B);
    expect(r.sw & 0x80ff).toBe(0);
    expect(r.cpu.get(L.FPU_FERR)).toBe(0);
  });
  it("FERR# stays asserted until the exception flags are cleared", async () => {
    const r = await run(`${DIVIDE_BY_ZERO}
      fld1`, cwAt(ZE_UNMASKED, clearNe));
    expect(r.cpu.get(L.FPU_FERR)).toBe(1);
  });
  it("FWAIT takes the pending exception; the non-waiting FNSTSW and FNSTCW do not", async () => {
    const r = await run(`${DIVIDE_BY_ZERO}
      fnstsw ax
      fnstcw [${DATA + 0x10}]
      L1: fwait`, cwAt(ZE_UNMASKED));
    expect(r.at).toBe(HANDLERS + 16);
    expect(pushedEip(r)).toBe(r.labels[1]);
    expect(r.cpu.reg(0) & 0xffff & 0x80ff).toBe(SW.ZE | SW.ES | SW.B);
  });
  it("FNSTENV masks every exception after storing, so nothing is pending any more", async () => {
    const r = await run(`${DIVIDE_BY_ZERO}
      fnstenv [${DATA + 0x20}]
      fwait
      fld1`, cwAt(ZE_UNMASKED));
    expect(r.at).toBeGreaterThan(CODE);
    expect(data(r.cpu, 0x20).getUint16(0, true)).toBe(0x37b); // stored before masking
    expect(data(r.cpu, 0x24).getUint16(0, true) & 0x80ff).toBe(SW.ZE | SW.ES | SW.B);
    expect(r.cpu.get(L.FPU_CW)).toBe(0x37f);
    expect(r.sw & 0x80ff).toBe(SW.ZE);
  });
  it("FLDCW unmasking a flag raised while masked makes it pending: the next waiting instruction faults", async () => {
    const r = await run(`
      fld1
      fldz
      fdivp st1, st0
      fnstsw [${DATA + 0x8}]
      fldcw [${DATA}]
      fnstsw [${DATA + 0x10}]
      L1: fldcw [${DATA + 2}]`, cwAt(ZE_UNMASKED, (cpu) => data(cpu, 2).setUint16(0, 0x37f, true)));
    expect(data(r.cpu, 0x8).getUint16(0, true) & 0x80ff).toBe(SW.ZE);
    expect(data(r.cpu, 0x10).getUint16(0, true) & 0x80ff).toBe(SW.ZE | SW.ES | SW.B);
    expect(r.at).toBe(HANDLERS + 16);
    expect(pushedEip(r)).toBe(r.labels[1]);
  });
});

describe.skipIf(skip)("x87 unmasked responses (SDM Vol. 1 8.5)", () => {
  it("overflow to a register delivers the result with the exponent divided by 2^24576", async () => {
    const r = await runWithCw(0x377, `fld tword [${DATA + 0x20}]\nfmul st0, st0`, (cpu) => putF80(cpu, 0x20, 0x3fff + 16000, INT));
    expect(st(r.cpu, 0)).toEqual([INT, 0x3fff + 32000 - 24576]);
    expect(r.sw & 0x80ff).toBe(SW.OE | SW.ES | SW.B);
  });
  it("underflow to a register delivers the result with the exponent multiplied by 2^24576", async () => {
    const r = await runWithCw(0x36f, `fld tword [${DATA + 0x20}]\nfmul st0, st0`, (cpu) => putF80(cpu, 0x20, 0x3fff - 16000, INT));
    expect(st(r.cpu, 0)).toEqual([INT, 0x3fff - 32000 + 24576]);
    // exact, so no PE; underflow is reported because it is unmasked and the result tiny
    expect(r.sw & 0x80ff).toBe(SW.UE | SW.ES | SW.B);
  });
  it("overflow on a store to memory leaves memory and the stack unchanged", async () => {
    const r = await runWithCw(0x377, `fld tword [${DATA + 0x20}]\nfstp dword [${DATA + 0x40}]`, (cpu) => {
      putF80(cpu, 0x20, 0x3fff + 200, INT);
      data(cpu, 0x40).setUint32(0, 0xaaaaaaaa, true);
    });
    expect(data(r.cpu, 0x40).getUint32(0, true)).toBe(0xaaaaaaaa);
    expect((r.sw >> 11) & 7).toBe(7);
    expect(st(r.cpu, 0)).toEqual([INT, 0x3fff + 200]);
    expect(r.sw & 0x80ff).toBe(SW.OE | SW.ES | SW.B);
  });
  it("invalid operation (sqrt of -1) leaves the operand; masked it gives the indefinite", async () => {
    const r = await runWithCw(0x37e, "fld1\nfchs\nfsqrt");
    expect(st(r.cpu, 0)).toEqual([INT, 0xbfff]);
    expect(r.sw & 0x80ff).toBe(SW.IE | SW.ES | SW.B);
    const m = await runWithCw(0x37f, "fld1\nfchs\nfsqrt");
    expect(st(m.cpu, 0)).toEqual([0xc000000000000000n, 0xffff]);
    expect(m.sw & 0x80ff).toBe(SW.IE);
  });
  it("stack overflow unmasked changes neither TOP nor the registers; C1=1", async () => {
    const r = await runWithCw(0x37e, `${"fld1\n".repeat(8)}fldz`);
    expect((r.sw >> 11) & 7).toBe(0);
    for (let i = 0; i < 8; i++) expect(st(r.cpu, i)).toEqual([INT, 0x3fff]);
    expect(r.sw & 0x82ff).toBe(SW.IE | SW.SF | SW.C1 | SW.ES | SW.B);
  });
  it("stack underflow masked: C1=0 and the indefinite as result", async () => {
    const r = await run(`fninit\nfld1\nfadd st0, st5`);
    expect(st(r.cpu, 0)).toEqual([0xc000000000000000n, 0xffff]);
    expect(r.sw & 0x82ff).toBe(SW.IE | SW.SF);
  });
  it("denormal operand unmasked: no result", async () => {
    const r = await runWithCw(0x37d, `fld tword [${DATA + 0x20}]\nfld1\nfadd st0, st1`, (cpu) => putF80(cpu, 0x20, 0, 0x123n));
    expect(st(r.cpu, 0)).toEqual([INT, 0x3fff]);
    expect(r.sw & 0x80ff).toBe(SW.DE | SW.ES | SW.B);
  });
  it("loading a denormal single with DE unmasked leaves TOP and the registers unchanged (SDM Vol. 1 8.5.2)", async () => {
    const r = await runWithCw(0x37d, `fld1\nfld dword [${DATA + 0x20}]`, (cpu) => data(cpu, 0x20).setUint32(0, 0x00000123, true));
    expect((r.sw >> 11) & 7).toBe(7);
    expect(st(r.cpu, 0)).toEqual([INT, 0x3fff]);
    expect(r.sw & 0x80ff).toBe(SW.DE | SW.ES | SW.B);
  });
  it("precision unmasked: the rounded result is still delivered (post-computation exception)", async () => {
    const r = await runWithCw(0x35f, `fld1\nfld tword [${DATA + 0x20}]\nfdivp st1, st0`, (cpu) => {
      putF80(cpu, 0x20, 0x4000, 0xc000000000000000n); // 3.0
    });
    expect(st(r.cpu, 0)).toEqual([0xaaaaaaaaaaaaaaabn, 0x3ffd]); // 1/3 rounded up
    expect(r.sw & 0x82ff).toBe(SW.PE | SW.C1 | SW.ES | SW.B);
  });
  it("underflow on a store to memory (unmasked) leaves memory and the stack unchanged", async () => {
    const r = await runWithCw(0x36f, `fld tword [${DATA + 0x20}]\nfstp dword [${DATA + 0x40}]`, (cpu) => {
      putF80(cpu, 0x20, 0x3fff - 140, INT);
      data(cpu, 0x40).setUint32(0, 0xaaaaaaaa, true);
    });
    expect(data(r.cpu, 0x40).getUint32(0, true)).toBe(0xaaaaaaaa);
    expect((r.sw >> 11) & 7).toBe(7);
    expect(r.sw & (SW.UE | SW.ES | SW.B)).toBe(SW.UE | SW.ES | SW.B);
  });
  it("an unmasked invalid comparison still reports unordered, but does not pop", async () => {
    const r = await runWithCw(0x37e, `fld1\nftst\nfld tword [${DATA + 0x20}]\nfcomp st1`, (cpu) => {
      putF80(cpu, 0x20, 0x7fff, 0xc000000000000000n); // QNaN: invalid for FCOM
    });
    expect((r.sw >> 11) & 7).toBe(6);
    expect(r.sw & 0x4500).toBe(0x4500); // C3 C2 C0 = 111
    expect(r.sw & 0x80ff).toBe(SW.IE | SW.ES | SW.B);
  });
  it("FIST out of range unmasked stores nothing and does not pop", async () => {
    const r = await runWithCw(0x37e, `fld tword [${DATA + 0x20}]\nfistp word [${DATA + 0x40}]`, (cpu) => {
      putF80(cpu, 0x20, 0x3fff + 40, INT);
      data(cpu, 0x40).setUint16(0, 0x5555, true);
    });
    expect(data(r.cpu, 0x40).getUint16(0, true)).toBe(0x5555);
    expect((r.sw >> 11) & 7).toBe(7);
    expect(r.sw & 0x80ff).toBe(SW.IE | SW.ES | SW.B);
  });
});

describe.skipIf(skip)("x87 availability: CR0.EM, TS, MP (SDM Vol. 3A 2.5, Table 2-2)", () => {
  const cr0 = (set: number, clear = 0) => (cpu: Cpu) => cpu.set(L.CR0, (cpu.get(L.CR0) | set) & ~clear);
  it("EM=1: every x87 instruction raises #NM", async () => {
    const r = await run("L1: fninit", cr0(4));
    expect(r.at).toBe(HANDLERS + 7);
    expect(pushedEip(r)).toBe(r.labels[1]);
  });
  it("TS=1: x87 instructions raise #NM; WAIT only with MP=1", async () => {
    expect((await run("fld1", cr0(8))).at).toBe(HANDLERS + 7);
    expect((await run("fwait\nnop", cr0(8, 2))).at).toBeGreaterThan(CODE);
    expect((await run("fwait", cr0(8 | 2))).at).toBe(HANDLERS + 7);
  });
  it("FISTTP (SSE3) and reserved encodings raise #UD", async () => {
    expect((await run(`fld1\nfisttp dword [${DATA}]`)).at).toBe(HANDLERS + 6);
    expect((await run("db 0xd9, 0xd1")).at).toBe(HANDLERS + 6);
    expect((await run("db 0xdb, 0xe5")).at).toBe(HANDLERS + 6);
  });
});

/**
 * Run 16-bit `code` in real mode (CS = 1000h, DS = ES = SS = 2000h, limits 64 KiB) for at most
 * 100 instructions; returns the CPU and a view of physical memory from 0.
 */
async function runRealMode(code: string): Promise<{ cpu: Cpu; m: DataView }> {
  const cpu = await flatCpu();
  cpu.set(L.CR0, cpu.get(L.CR0) & ~1);
  cpu.setSeg(L.SEG_CS, 0x1000, 0x10000, 0xffff, 0x93);
  for (const s of [L.SEG_DS, L.SEG_ES, L.SEG_SS]) cpu.setSeg(s, 0x2000, 0x20000, 0xffff, 0x93);
  cpu.ram().set(assemble(`bits 16\n${code}`, 0), 0x10000);
  cpu.set(L.HALTED, 0);
  cpu.eip = 0;
  cpu.run(100);
  return { cpu, m: new DataView(cpu.ram().buffer, cpu.ram().byteOffset) };
}

describe.skipIf(skip)("x87 last-instruction pointers and environment layouts (SDM Vol. 1 8.1.8, 8.1.10)", () => {
  it("non-control instructions record CS:EIP (prefixes included), FOP and DS:offset; control ones do not", async () => {
    const r = await run(`
      mov ebx, ${DATA + 0x20}
      L1: fs fadd dword [ebx+4]
      fnstcw [${DATA}]
      fnstenv [${DATA + 0x40}]
      L2: fld1
      fnstenv [${DATA + 0x80}]`, (cpu) => {
      cpu.setSeg(L.SEG_FS, 0x10, 0, 0xffffffff, 0x4093);
      data(cpu, 0x24).setUint32(0, 0x3f800000, true);
    });
    const e = data(r.cpu, 0x40);
    expect(e.getUint32(12, true)).toBe(r.labels[1]); // FIP: the FS prefix
    expect(e.getUint16(16, true)).toBe(0x08); // FCS
    expect(e.getUint16(18, true) & 0x7ff).toBe(0x043); // FOP: D8 /0 with ModRM 43
    expect(e.getUint32(20, true)).toBe(DATA + 0x24); // FDP
    expect(e.getUint16(24, true)).toBe(0x10); // FDS: the segment actually used (FS)
    const e2 = data(r.cpu, 0x80);
    expect(e2.getUint32(12, true)).toBe(r.labels[2]);
    expect(e2.getUint16(18, true) & 0x7ff).toBe(0x1e8); // D9 E8
    expect(e2.getUint32(20, true)).toBe(DATA + 0x24); // register-only: FDP unchanged
  });
  it("real-mode 16- and 32-bit environments hold 20-bit linear pointers (Figures 8-10, 8-12)", async () => {
    const { m } = await runRealMode("fld1\nfadd dword [0x10]\nfnstenv [0x100]\no32 fnstenv [0x200]\nhlt");
    const faddOff = 2; // after FLD1 (D9 E8)
    // 16-bit: IP[15:0], IP[19:16]<<12 | FOP, DP[15:0], DP[19:16]<<12
    expect(m.getUint16(0x20100 + 6, true)).toBe(faddOff);
    expect(m.getUint16(0x20100 + 8, true)).toBe(0x1000 | 0x006);
    expect(m.getUint16(0x20100 + 10, true)).toBe(0x10);
    expect(m.getUint16(0x20100 + 12, true) & 0xf000).toBe(0x2000);
    // 32-bit: IP[15:0] at +12, IP[31:16]<<12 | FOP at +16, DP[15:0] at +20, DP[31:16]<<12 at +24
    expect(m.getUint16(0x20200 + 12, true)).toBe(faddOff);
    expect(m.getUint32(0x20200 + 16, true)).toBe((0x1 << 12) | 0x006);
    expect(m.getUint16(0x20200 + 20, true)).toBe(0x10);
    expect(m.getUint32(0x20200 + 24, true) >>> 12).toBe(0x2);
    expect(m.getUint16(0x20200 + 0, true)).toBe(0x37f);
  });
  it("real-mode FNSAVE/FRSTOR round trip restores registers, tags and the linear pointers", async () => {
    const { cpu, m } = await runRealMode("fldpi\nfld1\nfadd dword [0x10]\nfnsave [0x100]\nfrstor [0x100]\no32 fnstenv [0x200]\nhlt");
    expect(m.getUint16(0x20100 + 4, true)).toBe(0x0fff); // tags: ST0 ST1 valid (physical 6, 7)
    expect(st(cpu, 0)).toEqual([INT, 0x3fff]);
    expect(st(cpu, 1)).toEqual([0xc90fdaa22168c235n, 0x4000]);
    expect((cpu.get(L.FPU_SW) >> 11) & 7).toBe(6);
    // The restored pointers are linear; stored again they read the same.
    expect(m.getUint16(0x20200 + 12, true)).toBe(4);
    expect(m.getUint32(0x20200 + 16, true)).toBe((0x1 << 12) | 0x006);
    expect(m.getUint16(0x20200 + 20, true)).toBe(0x10);
  });
});
