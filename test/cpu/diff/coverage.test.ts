// The user-mode differential suite covers the whole one-byte and 0F opcode maps: every opcode
// (every /digit of the group opcodes) is the first opcode of some generated case, or is listed in
// EXCLUDED with the suite that covers it instead.
import { describe, it, expect } from "vitest";
import { allSpecs, EXCLUDED, GROUP_OPCODES, SIMD, X87 } from "./gen/all";
import { generate } from "./harness";
import { runSeed } from "./gen/rng";

const PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);
const hx = (v: number) => v.toString(16).toUpperCase().padStart(2, "0");

function opcodeKey(code: Uint8Array): string {
  let i = 0;
  while (i < code.length && PREFIXES.has(code[i])) i++;
  let key = hx(code[i]);
  if (code[i] === 0x0f) key = `0F ${hx(code[++i])}`;
  if (GROUP_OPCODES.has(key)) key += `/${(code[i + 1] >> 3) & 7}`;
  return key;
}

function allKeys(): string[] {
  const keys: string[] = [];
  const add = (k: string) => (GROUP_OPCODES.has(k) ? [0, 1, 2, 3, 4, 5, 6, 7].forEach((d) => keys.push(`${k}/${d}`)) : keys.push(k));
  for (let op = 0; op < 256; op++) if (!PREFIXES.has(op) && op !== 0x0f) add(hx(op));
  for (let op = 0; op < 256; op++) add(`0F ${hx(op)}`);
  return keys;
}

describe("differential suite coverage", () => {
  it("covers every opcode of the one-byte and 0F maps, or names the suite that does", () => {
    const covered = new Set<string>();
    for (const s of allSpecs) for (const c of generate(s, runSeed())) covered.add(opcodeKey(c.code));
    const missing = allKeys().filter((k) => !covered.has(k) && !EXCLUDED.has(k));
    expect(missing).toEqual([]);
  });
  it("lists no opcode as left to another suite that this suite generates (x87/SIMD smoke aside)", () => {
    const covered = new Set<string>();
    for (const s of allSpecs) for (const c of generate(s, runSeed())) covered.add(opcodeKey(c.code));
    const stale = [...EXCLUDED].filter(([k, why]) => covered.has(k) && why !== X87 && why !== SIMD).map(([k]) => k);
    expect(stale).toEqual([]);
  });
});
