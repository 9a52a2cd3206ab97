// Every spec of the user-mode differential suite, and the opcodes deliberately left to other
// suites (with the reason), so coverage.test.ts can check that the one-byte and 0F maps are
// covered completely.
import type { Spec } from "../harness";
import { aluSpecs } from "./alu";
import { shiftSpecs } from "./shift";
import { muldivSpecs, bcdSpecs } from "./muldiv";
import { bitSpecs, xchgSpecs } from "./bits";
import { controlSpecs } from "./control";
import { moveSpecs } from "./move";
import { stackSpecs } from "./stack";
import { stringSpecs } from "./string";
import { miscSpecs } from "./misc";
import { x87Specs, sseSpecs } from "./fpsimd";
import { ring3Specs } from "./ring3";

export const allSpecs: Spec[] = [
  ...aluSpecs, ...shiftSpecs, ...muldivSpecs, ...bcdSpecs, ...bitSpecs, ...xchgSpecs, ...controlSpecs,
  ...moveSpecs, ...stackSpecs, ...stringSpecs, ...miscSpecs, ...x87Specs, ...sseSpecs, ...ring3Specs,
];

/** Opcodes whose ModRM reg field selects the instruction: coverage is per "/digit". */
export const GROUP_OPCODES = new Set([
  "80", "81", "82", "83", "8C", "8E", "8F", "C0", "C1", "C6", "C7", "D0", "D1", "D2", "D3", "F6", "F7", "FE", "FF",
  "0F 00", "0F 01", "0F BA", "0F C7",
]);

const SYSTEM = "privilege- or descriptor-table-dependent: covered by the system tests (test/cpu/system, test/cpu/system-diff)";
const SELECTOR = "the selector values differ by design (native FS is an LDT segment and GS the TLS segment)";
export const SIMD = "MMX/SSE/SSE2: deep coverage in test/cpu/simd (smoke here)";
export const X87 = "x87: deep coverage in test/cpu/fpu (smoke here)";
const HOST = "decoded differently by a modern host than by an i686 (later ISA extensions)";
const UMIP = "the host's UMIP makes Linux fault or emulate it in user mode: system tests";

function range(prefix: string, lo: number, hi: number, why: string): [string, string][] {
  const out: [string, string][] = [];
  for (let i = lo; i <= hi; i++) out.push([`${prefix}${i.toString(16).toUpperCase().padStart(2, "0")}`, why]);
  return out;
}

export const EXCLUDED = new Map<string, string>([
  ["8C/5", SELECTOR], ["8E/4", SELECTOR], ["8E/5", SELECTOR], ["0F A8", SELECTOR], ["0F A9", SELECTOR], ["0F B2", SELECTOR],
  ["F1", "INT1/ICEBP: under a hypervisor the host may report the wrong EIP for its #DB; system tests"],
  ...range("", 0xd8, 0xdf, X87),
  ...[1, 2, 3, 4, 5, 6, 7].map((d): [string, string] => [`8F/${d}`, HOST + " (XOP prefix on AMD)"]),
  ["C6/7", HOST + " (XABORT)"], ["C7/7", HOST + " (XBEGIN)"],
  ["0F 00/0", UMIP], ["0F 00/1", UMIP], ["0F 00/6", SYSTEM + " (#UD, JMPE on IA-64 parts)"], ["0F 00/7", SYSTEM + " (#UD)"],
  ["0F 01/0", UMIP], ["0F 01/1", UMIP], ["0F 01/4", UMIP], ["0F 01/5", HOST + " (ENCLS, XEND...)"],
  ["0F 31", SYSTEM + " (RDTSC: host time)"], ["0F 33", SYSTEM + " (RDPMC: host CR4.PCE)"], ["0F 34", SYSTEM + " (SYSENTER: a Linux system call)"],
  ["0F A2", SYSTEM + " (CPUID: host values)"],
  ["0F 05", HOST + " (SYSCALL)"], ["0F 07", HOST + " (SYSRET)"], ["0F 0D", HOST + " (PREFETCHW)"], ["0F 0E", HOST + " (FEMMS)"], ["0F 0F", HOST + " (3DNow!)"],
  ...range("0F ", 0x19, 0x1e, HOST + " (reserved-NOP hint space)"), ["0F 25", HOST], ["0F 27", HOST], ["0F 37", HOST + " (GETSEC)"],
  ["0F 38", HOST + " (three-byte map)"], ["0F 3A", HOST + " (three-byte map)"], ["0F 39", HOST], ...range("0F ", 0x3b, 0x3f, HOST),
  ["0F B8", HOST + " (POPCNT/JMPE)"],
  ...[0, 2, 3, 4, 5, 6, 7].map((d): [string, string] => [`0F C7/${d}`, HOST + " (RDRAND, RDSEED, VMX)"]),
  ...range("0F ", 0x10, 0x18, SIMD), ...range("0F ", 0x28, 0x2f, SIMD), ...range("0F ", 0x50, 0x7f, SIMD),
  ["0F AE", SIMD], ...range("0F ", 0xc2, 0xc6, SIMD), ...range("0F ", 0xd0, 0xfe, SIMD),
]);
