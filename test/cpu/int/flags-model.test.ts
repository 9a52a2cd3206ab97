// Arithmetic flags over a grid of edge-case operands, compared with a reference written from the
// architectural definitions (SDM Vol. 1 3.4.3.1 and Appendix A): CF is the unsigned carry/borrow,
// OF the signed overflow, AF the carry/borrow out of bit 3, ZF SF PF from the result. The model
// computes with plain integer arithmetic (BigInt), not with the interpreter's bit formulas.
import { describe, it, expect } from "vitest";
import { runCode, CF, PF, AF, ZF, SF, OF } from "./harness";

const VALUES = [0, 1, 2, 0x0f, 0x10, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x12345678, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x9abcdef0];
const OUT = 0x200000;

type Op = "add" | "adc" | "sub" | "sbb" | "cmp" | "and" | "or" | "xor" | "test" | "inc" | "dec" | "neg";

function signed(v: bigint, bits: number): bigint {
  const m = 1n << BigInt(bits);
  return v >= m / 2n ? v - m : v;
}
function parity(v: bigint): boolean {
  let n = 0;
  for (let i = 0; i < 8; i++) if ((v >> BigInt(i)) & 1n) n++;
  return n % 2 === 0;
}
// Returns [result, flags, mask of defined flags].
function model(op: Op, a0: number, b0: number, cin: number, bits: number): [number, number, number] {
  const m = (1n << BigInt(bits)) - 1n;
  const a = BigInt(a0) & m, b = BigInt(b0) & m, c = BigInt(cin);
  const min = -(1n << BigInt(bits - 1)), max = (1n << BigInt(bits - 1)) - 1n;
  let r: bigint, cf = false, of = false, af = false, defined = CF | PF | AF | ZF | SF | OF;
  switch (op) {
    case "add": case "adc": case "inc": {
      const bb = op === "inc" ? 1n : b, cc = op === "adc" ? c : 0n;
      const full = a + bb + cc;
      r = full & m;
      cf = op === "inc" ? cin === 1 : full > m;
      const s = signed(a, bits) + signed(bb, bits) + cc;
      of = s < min || s > max;
      af = (a & 0xfn) + (bb & 0xfn) + cc > 0xfn;
      break;
    }
    case "sub": case "sbb": case "cmp": case "dec": case "neg": {
      const x = op === "neg" ? 0n : a, y = op === "neg" ? a : op === "dec" ? 1n : b;
      const cc = op === "sbb" ? c : 0n;
      r = (x - y - cc) & m;
      cf = op === "dec" ? cin === 1 : x < y + cc;
      const s = signed(x, bits) - signed(y, bits) - cc;
      of = s < min || s > max;
      af = (x & 0xfn) < (y & 0xfn) + cc;
      break;
    }
    default: {
      r = op === "and" || op === "test" ? a & b : op === "or" ? a | b : a ^ b;
      defined &= ~AF; // AF is undefined after logic operations
    }
  }
  let f = 0;
  if (cf) f |= CF;
  if (of) f |= OF;
  if (af) f |= AF;
  if (r === 0n) f |= ZF;
  if ((r >> BigInt(bits - 1)) & 1n) f |= SF;
  if (parity(r)) f |= PF;
  const keepsDest = op === "cmp" || op === "test";
  return [Number(keepsDest ? a : r), f, defined];
}

const REGS: Record<number, [string, string]> = { 8: ["al", "bl"], 16: ["ax", "bx"], 32: ["eax", "ebx"] };

async function check(op: Op, bits: number, cin: number): Promise<void> {
  const [ra, rb] = REGS[bits];
  const unary = op === "inc" || op === "dec" || op === "neg";
  const cases: [number, number][] = [];
  for (const a of VALUES) for (const b of unary ? [0] : VALUES) cases.push([a, b]);
  const lines: string[] = [];
  cases.forEach(([a, b], i) => {
    lines.push(`mov eax, ${a}`, `mov ebx, ${b}`, cin ? "stc" : "clc", unary ? `${op} ${ra}` : `${op} ${ra}, ${rb}`,
      "pushfd", `pop dword [${OUT + i * 8}]`, `mov [${OUT + i * 8 + 4}], eax`);
  });
  const r = await runCode("pm32", lines.join("\n"), { budget: 1_000_000 });
  expect(r.fault).toBeNull();
  const mask = Number((1n << BigInt(bits)) - 1n);
  cases.forEach(([a, b], i) => {
    const [res, flags, defined] = model(op, a, b, cin, bits);
    const got = (r.mem32(OUT + i * 8 + 4) & mask) >>> 0;
    const gotFlags = r.mem32(OUT + i * 8) & defined;
    expect({ op, bits, a, b, cin, res: got, flags: gotFlags }).toEqual({ op, bits, a, b, cin, res, flags: flags & defined });
  });
}

describe("flags against the reference model", () => {
  for (const bits of [8, 16, 32]) {
    for (const op of ["add", "sub", "cmp", "and", "or", "xor", "test", "neg"] as Op[]) {
      it(`${op} ${bits}-bit`, async () => check(op, bits, 0));
    }
    for (const op of ["adc", "sbb", "inc", "dec"] as Op[]) {
      it(`${op} ${bits}-bit, CF=0 and CF=1`, async () => { await check(op, bits, 0); await check(op, bits, 1); });
    }
  }
});
