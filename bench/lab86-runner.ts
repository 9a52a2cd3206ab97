// Runs the benchmark guest on lab86 (release build/cpu.wasm, lab86's BIOS with direct kernel
// boot) and reports host wall times per phase, the instruction counts behind them, and where the
// instructions went: by execution context (firmware, the kernel's decompressor, the kernel, user
// space) and, given a /proc/kallsyms of the same kernel booted with nokaslr, by kernel function.
import { Pc } from "../src/machine/pc";
import * as L from "../asm/layout";
import type { GuestFiles, PhaseTimes } from "./v86-runner";

const PROMPT = "lab86:/# ";
/** Instructions per slice: also the sampling period of the profile. */
const SLICE_INSTRUCTIONS = 100_000;

export type Context = "firmware" | "decompressor" | "kernel" | "user";

export interface Lab86Result extends PhaseTimes {
  bootInstructions: number;
  workloadInstructions: number;
  bootVirtualSeconds: number;
  workloadVirtualSeconds: number;
  /** Instructions (sampled per slice) by context, for boot and workload together. */
  byContext: Record<Context, number>;
  /** Kernel functions by sampled instructions, highest first (empty without kallsyms). */
  topFunctions: { name: string; instructions: number }[];
}

class Symbols {
  private readonly addrs: number[] = [];
  private readonly names: string[] = [];
  constructor(text: string) {
    const rows: [number, string][] = [];
    // A serial capture of `cat /proc/kallsyms`: CRLF line ends, and console noise around it.
    for (const line of text.split(/\r?\n/)) {
      const m = /^([0-9a-f]{8}) ([tTwW]) (\S+)/.exec(line.trim());
      if (m) rows.push([parseInt(m[1], 16), m[3]]);
    }
    rows.sort((x, y) => x[0] - y[0]);
    for (const [a, n] of rows) {
      this.addrs.push(a);
      this.names.push(n);
    }
  }
  lookup(eip: number): string {
    let lo = 0, hi = this.addrs.length - 1;
    if (hi < 0 || eip < this.addrs[0]) return `?${eip.toString(16)}`;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.addrs[mid] <= eip) lo = mid;
      else hi = mid - 1;
    }
    return this.names[lo];
  }
}

export async function runLab86(files: GuestFiles & { wasm: Uint8Array; kallsyms?: string }, maxVirtualSeconds: number): Promise<Lab86Result> {
  let output = "";
  const pc = await Pc.create({
    memoryBytes: files.memoryBytes,
    wasm: files.wasm,
    kernel: { image: files.kernel, initrd: files.initrd, cmdline: files.cmdline },
    bootOrder: ["hd"], acpi: true, apic: true,
    rtcBaseTime: Date.UTC(2026, 0, 1), uuid: new Uint8Array(16),
    onSerialOutput: (port, b) => {
      if (port === 0) output += String.fromCharCode(b);
    },
  });
  const m = pc.machine;
  m.tripleFault = "stop";
  const symbols = files.kallsyms ? new Symbols(files.kallsyms) : null;
  const byContext: Record<Context, number> = { firmware: 0, decompressor: 0, kernel: 0, user: 0 };
  const byFunction = new Map<string, number>();
  const instructions = () => Number(m.cpu.dv.getBigUint64(L.INSN_COUNT, true));

  const context = (eip: number): Context => {
    if ((m.cpu.get(L.CR0) & 0x80000000) === 0) return eip < 0x100000 ? "firmware" : "decompressor";
    return eip >= 0xc0000000 ? "kernel" : "user";
  };
  const runUntil = (text: string, from: number): void => {
    const end = m.clock.now + maxVirtualSeconds * 1e9;
    let counted = instructions();
    while (output.indexOf(text, from) < 0) {
      if (m.clock.now >= end) throw new Error(`lab86: '${text}' did not appear within ${maxVirtualSeconds} virtual s; output tail: ${JSON.stringify(output.slice(-300))}`);
      const r = m.runSlice(end, SLICE_INSTRUCTIONS);
      if (r && r.kind !== "budget") throw new Error(`lab86: the machine stopped (${r.kind}); output tail: ${JSON.stringify(output.slice(-300))}`);
      // Attribute the slice's instructions to where the CPU was at its end: a sampling profile
      // with a period of one slice.
      const now = instructions();
      const ran = now - counted;
      counted = now;
      const eip = m.cpu.eip >>> 0;
      const ctx = context(eip);
      byContext[ctx] += ran;
      if (symbols && ctx === "kernel") {
        const name = symbols.lookup(eip);
        byFunction.set(name, (byFunction.get(name) ?? 0) + ran);
      }
    }
  };

  const t0 = performance.now();
  runUntil(PROMPT, 0);
  const t1 = performance.now();
  const bootInstructions = instructions();
  const bootVirtual = m.clock.now;
  const from = output.length;
  pc.uarts[0].receive([..."/bench.sh\r"].map((c) => c.charCodeAt(0)));
  runUntil("bench: done", from);
  const t2 = performance.now();
  const topFunctions = [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([name, n]) => ({ name, instructions: n }));
  return {
    bootToPromptMs: t1 - t0,
    workloadMs: t2 - t1,
    workloadOutput: output.slice(from),
    bootInstructions,
    workloadInstructions: instructions() - bootInstructions,
    bootVirtualSeconds: bootVirtual / 1e9,
    workloadVirtualSeconds: (m.clock.now - bootVirtual) / 1e9,
    byContext,
    topFunctions,
  };
}
