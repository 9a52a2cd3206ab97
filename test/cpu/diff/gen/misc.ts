// Exceptions a user program can raise, and rarely used one-byte instructions: BOUND (#BR),
// INTO (#OF), INT3 and INT 3 (#BP, a trap: EIP after the instruction), UD2 and invalid LOCK
// prefixes (#UD), writes through CS and offsets past FS's 4 KiB limit (#GP(0)), ARPL, SALC,
// WAIT.
import type { Spec } from "../harness";
import { BUF_ADDR, BUF_SIZE } from "../layout";
import type { CaseBuilder } from "./builder";
import { OF, EAX } from "./builder";
import { le, rmInstr } from "./forms";

export const miscSpecs: Spec[] = [
  {
    name: "BOUND Gv,Ma (62)", owner: "integer", count: 96,
    gen: (b, rng) => {
      const f = rmInstr(b, { op: [0x62], size: "v", mem: "only" });
      const bytes = f.size / 8;
      const mask = f.size === 32 ? 0xffffffff : 0xffff;
      const idx = f.reg === 4 ? b.regs[4] & mask : b.regs[f.reg] & mask;
      // Bounds around the index half the time (in range), else random (mostly #BR).
      let lo = rng.value(f.size), hi = rng.value(f.size);
      if (rng.chance(0.5)) {
        lo = (idx - rng.below(4)) & mask;
        hi = (idx + rng.below(4)) & mask;
      }
      b.patch = { off: f.target, bytes: [...le(lo, bytes), ...le(hi, bytes)] };
    },
  },
  { name: "INTO (CE)", owner: "system", count: 32, gen: (b, rng) => { b.eflags = rng.chance(0.5) ? b.eflags | OF : b.eflags & ~OF; b.emit(0xce); } },
  { name: "INT3 (CC), INT 3 (CD 03)", owner: "system", count: 16, gen: (b, rng) => b.emit(...(rng.chance(0.5) ? [0xcc] : [0xcd, 0x03])) },
  { name: "UD2 (0F 0B)", owner: "integer", count: 8, gen: (b) => b.emit(0x0f, 0x0b) },
  {
    // LOCK is #UD unless the instruction is a lockable read-modify-write with a memory
    // destination (SDM Vol. 2A LOCK).
    name: "LOCK on non-lockable instructions", owner: "integer", count: 48,
    gen: (b, rng) => {
      const choice = rng.below(5);
      if (choice === 0) b.emit(0xf0, 0x90);
      else if (choice === 1) rmInstr(b, { op: [0x8b], size: "v", mem: "only" });
      else if (choice === 2) rmInstr(b, { op: [0x38], size: 8, mem: "only" });
      else if (choice === 3) rmInstr(b, { op: [0x0f, 0xa3], size: "v", mem: "only" });
      else b.emit(0xf0, 0x0f, 0x1f, 0x00 | rng.below(8));
      if (choice >= 1 && choice <= 3 && b.bytes[0] !== 0xf0) b.bytes.unshift(0xf0);
    },
  },
  {
    // CS is execute/read: a write through a CS override is #GP(0) (SDM Vol. 3A 5.5).
    name: "Write through CS override (#GP)", owner: "integer", count: 32,
    gen: (b, rng) => {
      rmInstr(b, { op: [rng.pick([0x88, 0x89, 0x00, 0x01, 0xfe])], size: "v", mem: "only", addr16: false, writesRm: false });
      if (b.seg !== "cs") {
        // Force the override: prepend 2E (the last segment prefix wins).
        const at = b.bytes.findIndex((x) => x === 0x88 || x === 0x89 || x === 0x00 || x === 0x01 || x === 0xfe);
        b.bytes.splice(at, 0, 0x2e);
        if (b.seg === "fs") b.bytes.splice(0, b.bytes.length, 0x2e, 0x89, 0x00); // offset would be wrong: use [eax]
      }
    },
  },
  {
    // FS has a byte limit of 0xfff: an access that reaches past it is #GP(0).
    name: "FS limit check (#GP)", owner: "integer", count: 48,
    gen: (b, rng) => {
      const size = rng.pick([1, 2, 4]);
      const off = BUF_SIZE - rng.range(0, 4) + (rng.chance(0.3) ? rng.below(0x100) : 0);
      b.setReg(EAX, off);
      const op = size === 1 ? [0x8a, 0x08] : size === 2 ? [0x66, 0x8b, 0x08] : [0x8b, 0x08];
      if (size === 2) b.emit(0x66, 0x64, ...op.slice(1));
      else b.emit(0x64, ...op);
    },
  },
  {
    // ARPL raises the RPL field of the destination selector; only ZF is affected.
    name: "ARPL Ew,Gw (63)", owner: "system",
    gen: (b) => void rmInstr(b, { op: [0x63], size: 16, writesRm: true }),
  },
  { name: "SALC (D6, undocumented)", owner: "integer", count: 16, gen: (b) => b.emit(0xd6) },
  { name: "WAIT (9B)", owner: "fpu", count: 8, gen: (b) => b.emit(0x9b) },
];

// Far pointer loads: the selector half is one that means the same on both sides (null, the flat
// data selector 0x2b, the flat code selector 0x23); FS and GS get only null selectors because
// their other selectors differ (native FS is an LDT segment, GS the TLS segment).
// C4/C5 with a register operand (mod=3) are VEX prefixes on hosts with AVX, so LES/LDS get
// memory operands only (an i686 raises #UD there).
function farLoad(b: CaseBuilder, op: number[], sels: number[]): void {
  const rng = b.rng;
  const f = rmInstr(b, { op, size: "v", memChance: op[0] === 0x0f ? 0.95 : 1 });
  if (f.mem) {
    const bytes = f.size / 8;
    b.patch = { off: f.target, bytes: [...le(rng.value(f.size), bytes), ...le(rng.pick(sels), 2)] };
  }
}
// Every entry in turn (case i takes entry i mod n), so each is generated whatever the seed.
const UNDEFINED: [number[], 8 | "v", number | undefined, 8 | "v" | undefined][] = [
  ...[2, 3, 4, 5, 6, 7].map((d): [number[], 8, number, undefined] => [[0xfe], 8, d, undefined]),
  [[0xff], "v", 7, undefined],
  ...[1, 2, 3, 4, 5, 6].map((d): [number[], 8, number, 8] => [[0xc6], 8, d, 8]),
  ...[1, 2, 3, 4, 5, 6].map((d): [number[], "v", number, "v"] => [[0xc7], "v", d, "v"]),
  ...[0, 1, 2, 3].map((d): [number[], "v", number, 8] => [[0x0f, 0xba], "v", d, 8]),
  ...[0xb9, 0xff, 0x04, 0x0a, 0x0c, 0x24, 0x26, 0x36, 0xa6, 0xa7].map((o): [number[], "v", undefined, undefined] => [[0x0f, o], "v", undefined, undefined]),
];
miscSpecs.push(
  { name: "LES Gv,Mp (C4)", owner: "system", gen: (b) => farLoad(b, [0xc4], [0x2b, 0, 3, 0x23]) },
  { name: "LDS Gv,Mp (C5)", owner: "system", gen: (b) => farLoad(b, [0xc5], [0x2b, 0, 3, 0x23]) },
  { name: "LFS Gv,Mp (0F B4)", owner: "system", gen: (b) => farLoad(b, [0x0f, 0xb4], [0, 1, 2, 3]) },
  { name: "LGS Gv,Mp (0F B5)", owner: "system", gen: (b) => farLoad(b, [0x0f, 0xb5], [0, 1, 2, 3]) },
  {
    // Sub-opcodes with no instruction (SDM Vol. 2 Table A-6) and reserved two-byte opcodes: #UD.
    name: "Undefined opcodes (#UD)", owner: "integer", count: 128,
    gen: (b, _rng, i) => {
      const [op, size, digit, imm] = UNDEFINED[i % UNDEFINED.length];
      rmInstr(b, { op, size, digit, imm });
    },
  },
);

// Prefix handling in the decoder: repeated and redundant prefixes, REP/REPNE on instructions
// that ignore them, the last segment override winning, and the 15-byte instruction limit
// (SDM Vol. 2A 2.1.1, 2.3.11: longer is #GP(0)).
miscSpecs.push(
  {
    name: "Redundant and ignored prefixes", owner: "integer", count: 128,
    gen: (b, rng) => {
      const pre: number[] = [];
      const n = rng.range(1, 5);
      for (let k = 0; k < n; k++) pre.push(rng.pick([0x66, 0x3e, 0x26, 0x36, 0xf2, 0xf3, 0x2e]));
      b.emit(...pre);
      // A register-only ALU instruction or a one-byte instruction that ignores REP.
      b.emit(...rng.pick([[0x01, 0xc0 | rng.below(64)], [0x31, 0xc0 | rng.below(64)], [0xf7, 0xd0 | rng.below(8)], [0x40 + rng.below(8)], [0x98], [0x99]]));
    },
  },
  {
    name: "Last segment override wins", owner: "integer", count: 48,
    gen: (b, rng) => {
      // FS last: the access must use FS (base = buffer); another override last: flat.
      const fsLast = rng.chance(0.5);
      const t = rng.below(0x800);
      b.setReg(EAX, fsLast ? t : BUF_ADDR + t);
      const other = rng.pick([0x26, 0x3e, 0x36]);
      b.emit(...(fsLast ? [other, 0x64] : [0x64, other]), 0x8b, 0x08); // mov ecx, [eax]
    },
  },
  {
    name: "Instruction length limit (15 bytes, #GP)", owner: "integer", count: 32,
    gen: (b, rng) => {
      // 2-byte instruction (add eax, ecx) after 12..15 prefixes: 14..17 bytes.
      const n = rng.range(12, 15);
      for (let k = 0; k < n; k++) b.emit(rng.pick([0x3e, 0x26, 0x36]));
      b.emit(0x01, 0xc8);
    },
  },
);
