// Compares a lab86 outcome with the host CPU's and formats mismatches as readable diffs.
import { disassemble } from "../../support/nasm";
import { BUF_ADDR, CODE_ADDR, VEC_NONE, VEC_TIMEOUT, type DiffCase, type Outcome } from "./layout";

/** EFLAGS bits compared: CF PF AF ZF SF DF OF NT AC ID (IF, IOPL, TF and RF differ by design). */
export const FLAGS_COMPARED = 0x244cd5;
const REG = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];
const FLAG_NAMES: [number, string][] = [
  [0x1, "CF"], [0x4, "PF"], [0x10, "AF"], [0x40, "ZF"], [0x80, "SF"], [0x400, "DF"], [0x800, "OF"],
  [0x4000, "NT"], [0x40000, "AC"], [0x200000, "ID"],
];
// Vectors that push an error code and whose code does not depend on CPL (not #PF).
const COMPARED_ERRCODES = new Set([10, 11, 12, 13, 17]);

export function hex(v: number, digits = 8): string {
  return (v >>> 0).toString(16).padStart(digits, "0");
}
export function flagString(f: number, mask = FLAGS_COMPARED): string {
  return FLAG_NAMES.filter(([b]) => mask & b).map(([b, n]) => `${n}=${f & b ? 1 : 0}`).join(" ");
}
export function vectorName(v: number): string {
  if (v === VEC_NONE) return "completed";
  if (v === VEC_TIMEOUT) return "timeout";
  if (v < 0) return "stray stop";
  const names = ["#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "?", "#TS", "#NP", "#SS", "#GP", "#PF", "?", "#MF", "#AC", "#MC", "#XM"];
  return names[v] ?? `vector ${v}`;
}

/** A list of human-readable differences; empty when lab86 matches the host. */
export function compareOutcome(c: DiffCase, want: Outcome, got: Outcome): string[] {
  const diffs: string[] = [];
  if (want.vector !== got.vector) {
    diffs.push(`outcome: host ${vectorName(want.vector)}, lab86 ${vectorName(got.vector)}${got.note ? ` (${got.note})` : ""}`);
    return diffs; // the rest of the state is not comparable
  }
  if (want.vector === VEC_TIMEOUT) return diffs;
  if (want.eip !== got.eip) diffs.push(`eip: host ${hex(want.eip)} (+${want.eip - CODE_ADDR}), lab86 ${hex(got.eip)} (+${got.eip - CODE_ADDR})`);
  if (COMPARED_ERRCODES.has(want.vector) && want.errcode !== got.errcode)
    diffs.push(`error code: host ${hex(want.errcode, 4)}, lab86 ${hex(got.errcode, 4)}`);
  // #PF: comparable when both sides run at CPL 3 (the U bit) with the same pages mapped.
  if (want.vector === 14 && c.paging) {
    // The host kernel runs with EFER.NXE, so its instruction-fetch faults carry the I/D bit; the
    // lab86 case uses 32-bit paging, where I/D is never reported (SDM Vol. 3A 4.7).
    const wantErr = want.errcode & ~0x10;
    if (wantErr !== got.errcode) diffs.push(`#PF error code: host ${hex(want.errcode, 4)}, lab86 ${hex(got.errcode, 4)}`);
    if (want.cr2 !== got.cr2) diffs.push(`cr2: host ${hex(want.cr2 ?? 0)}, lab86 ${hex(got.cr2 ?? 0)}`);
  }
  for (let r = 0; r < 8; r++) {
    if (c.undefRegs & (1 << r)) continue;
    if (want.regs[r] !== got.regs[r]) diffs.push(`${REG[r]}: host ${hex(want.regs[r])}, lab86 ${hex(got.regs[r])}`);
  }
  const mask = FLAGS_COMPARED & ~c.undefFlags;
  if ((want.eflags ^ got.eflags) & mask) {
    const bad = (want.eflags ^ got.eflags) & mask;
    diffs.push(`eflags: host ${flagString(want.eflags, bad)}, lab86 ${flagString(got.eflags, bad)}`);
  }
  const ignore = got.ignoreMem;
  const undef = c.undefMem;
  const skip = (off: number) =>
    (ignore !== undefined && off >= ignore[0] && off < ignore[1]) || (undef !== undefined && off >= undef[0] && off < undef[1]);
  const memDiffs: string[] = [];
  const offsets = new Set([...want.mem.keys(), ...got.mem.keys()]);
  for (const off of [...offsets].sort((a, b) => a - b)) {
    if (skip(off)) continue;
    const w = want.mem.get(off);
    const g = got.mem.get(off);
    if (w === g) continue;
    memDiffs.push(`[${hex(BUF_ADDR + off)}] host ${w === undefined ? "unchanged" : hex(w, 2)}, lab86 ${g === undefined ? "unchanged" : hex(g, 2)}`);
  }
  if (memDiffs.length > 8) diffs.push(...memDiffs.slice(0, 8), `... ${memDiffs.length - 8} more differing bytes`);
  else diffs.push(...memDiffs);
  return diffs;
}

export function formatCase(c: DiffCase, want: Outcome, got: Outcome, diffs: string[], seed: number): string {
  const codeHex = [...c.code].map((b) => hex(b, 2)).join(" ");
  const lines = [
    `${c.spec}${c.code16 ? " [16-bit code]" : ""}${c.ring3 ? " [CPL 3]" : ""}: ${codeHex}  ${disassemble(c.code, c.code16 ? 16 : 32)}`,
    `  run seed ${seed} (reproduce: DIFF_SEED=${seed} npx vitest run test/cpu/diff -t '${c.spec.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&").replace(/'/g, "'\\''")}')`,
    `  in:    ${REG.map((n, i) => `${n}=${hex(c.regs[i])}`).join(" ")} ${flagString(c.eflags, 0xcd5 | 0x400)} buffer seed ${hex(c.seed)}` +
      (c.patch ? ` patch @${hex(c.patch.off, 3)}: ${[...c.patch.bytes].map((b) => hex(b, 2)).join(" ")}` : ""),
    `  host:  ${vectorName(want.vector)} at ${hex(want.eip)} ${REG.map((n, i) => `${n}=${hex(want.regs[i])}`).join(" ")} ${flagString(want.eflags)}`,
    `  lab86: ${vectorName(got.vector)} at ${hex(got.eip)} ${REG.map((n, i) => `${n}=${hex(got.regs[i])}`).join(" ")} ${flagString(got.eflags)}` +
      (got.note ? ` (${got.note})` : ""),
  ];
  if (c.undefFlags) lines.push(`  undefined (not compared): ${flagString(0, c.undefFlags).replace(/=0/g, "")}`);
  for (const d of diffs) lines.push(`  - ${d}`);
  return lines.join("\n");
}
