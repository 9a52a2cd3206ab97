// Shifts and rotates over a grid of operands and counts, compared with a reference written from
// the SDM's descriptions (Vol. 2B SAL/SAR/SHL/SHR and RCL/RCR/ROL/ROR): bit-level arithmetic on
// BigInt, defined flags only (OF for a count of 1; CF of SHL/SHR for counts below the size).
import { describe, it, expect } from "vitest";
import { runCode, CF, PF, AF, ZF, SF, OF } from "./harness";

const VALUES = [0, 1, 0x40, 0x80, 0x81, 0xff, 0x8001, 0xc000, 0xffff, 0x12345678, 0x80000000, 0xfffffffe, 0xffffffff];
const COUNTS = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33];
const OUT = 0x200000;
const BEFORE = ZF | PF; // flags before each case: XOR EDX,EDX then CLC or STC
type Op = "shl" | "shr" | "sar" | "rol" | "ror" | "rcl" | "rcr";

function model(op: Op, a0: number, n: number, cin: number, bits: number): [number, number, number] {
  const B = BigInt(bits), m = (1n << B) - 1n, a = BigInt(a0) & m;
  const c = BigInt(n & 31);
  const msb = (v: bigint) => (v >> (B - 1n)) & 1n;
  const before = BEFORE | (cin ? CF : 0);
  if (c === 0n) return [Number(a), before, CF | PF | ZF | SF | OF];
  let r: bigint, cf: bigint, of: bigint | null = null, szp = true, defined = CF | PF | ZF | SF;
  switch (op) {
    case "shl": r = (a << c) & m; cf = c <= B ? (a >> (B - c)) & 1n : 0n; if (c >= B) defined &= ~CF;
      if (c === 1n) of = msb(r) ^ cf; break;
    case "shr": r = a >> c; cf = (a >> (c - 1n)) & 1n; if (c >= B) defined &= ~CF;
      if (c === 1n) of = msb(a); break;
    case "sar": {
      const s = a >= (1n << (B - 1n)) ? a - (1n << B) : a;
      r = (s >> c) & m; cf = (s >> (c - 1n < B ? c - 1n : B - 1n)) & 1n;
      if (c === 1n) of = 0n; break;
    }
    case "rol": { const k = c % B; r = ((a << k) | (a >> (B - k))) & m; cf = r & 1n; szp = false;
      if (c === 1n) of = msb(r) ^ cf; break; }
    case "ror": { const k = c % B; r = ((a >> k) | (a << (B - k))) & m; cf = msb(r); szp = false;
      if (c === 1n) of = msb(r) ^ ((r >> (B - 2n)) & 1n); break; }
    default: { // rcl / rcr over the (bits+1)-bit value CF:a
      const W = B + 1n, wm = (1n << W) - 1n, x = (BigInt(cin) << B) | a;
      const k = bits === 32 ? c : c % W;
      const y = k === 0n ? x : op === "rcl" ? ((x << k) | (x >> (W - k))) & wm : ((x >> k) | (x << (W - k))) & wm;
      r = y & m; cf = y >> B; szp = false;
      if (c === 1n) of = op === "rcl" ? msb(r) ^ cf : msb(a) ^ BigInt(cin);
    }
  }
  let f = 0;
  if (cf) f |= CF;
  if (of !== null) { defined |= OF; if (of) f |= OF; }
  if (szp) {
    if (r === 0n) f |= ZF;
    if (msb(r)) f |= SF;
    let ones = 0;
    for (let i = 0n; i < 8n; i++) if ((r >> i) & 1n) ones++;
    if (ones % 2 === 0) f |= PF;
  } else {
    f |= before & (PF | ZF | SF); // rotates leave SF ZF PF (and AF) alone
    defined |= AF;
  }
  return [Number(r), f, defined];
}

const REG: Record<number, string> = { 8: "al", 16: "ax", 32: "eax" };

describe("shifts and rotates against the reference model", () => {
  for (const bits of [8, 16, 32]) {
    for (const op of ["shl", "shr", "sar", "rol", "ror", "rcl", "rcr"] as Op[]) {
      it(`${op} ${bits}-bit`, async () => {
        const cases: [number, number, number][] = [];
        for (const a of VALUES) for (const n of COUNTS) for (const cin of [0, 1]) cases.push([a, n, cin]);
        const lines: string[] = [];
        cases.forEach(([a, n, cin], i) => {
          lines.push(`mov eax, ${a}`, `mov cl, ${n}`, "xor edx, edx", cin ? "stc" : "clc", `${op} ${REG[bits]}, cl`,
            "pushfd", `pop dword [${OUT + i * 8}]`, `mov [${OUT + i * 8 + 4}], eax`);
        });
        const r = await runCode("pm32", lines.join("\n"), { budget: 1_000_000 });
        expect(r.fault).toBeNull();
        const mask = Number((1n << BigInt(bits)) - 1n);
        cases.forEach(([a, n, cin], i) => {
          const [res, flags, defined] = model(op, a, n, cin, bits);
          const got = (r.mem32(OUT + i * 8 + 4) & mask) >>> 0;
          expect({ a, n, cin, res: got, flags: r.mem32(OUT + i * 8) & defined }).toEqual({ a, n, cin, res, flags: flags & defined });
        });
      });
    }
  }
});
