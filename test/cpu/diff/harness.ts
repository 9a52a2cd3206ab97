// Runs a list of specs on the host CPU and on lab86 and turns each spec into one vitest test.
// All cases of a file go to the native runner in one batch and through one lab86 instance.
import { describe, it, beforeAll } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { missingTool } from "../../support/nasm";
import { nativeCheck, runNative } from "../native/build";
import { Lab86Side } from "./lab86";
import { compareOutcome, formatCase, vectorName } from "./compare";
import { CaseBuilder } from "./gen/builder";
import { Rng, runSeed, caseScale } from "./gen/rng";
import type { DiffCase, Outcome } from "./layout";

export interface Spec {
  /** Unique name, shown as the test name: mnemonic, operand forms, opcode. */
  name: string;
  /** Which unit owns it, for routing failures (see docs/TESTING.md). */
  owner: "integer" | "system" | "fpu" | "simd";
  /** Cases to generate (default 64), times DIFF_SCALE. */
  count?: number;
  gen(b: CaseBuilder, rng: Rng, index: number): void;
}

interface SpecResult {
  cases: DiffCase[];
  native: Outcome[];
  lab: Outcome[];
  diffs: string[][];
  failed: number;
  hostAnomaly?: string;
}

const MAX_SHOWN = 3;

export interface SuiteOptions {
  /** Run every case in a 16-bit code segment (specs must build prefixes through the builder). */
  code16?: boolean;
  /** Run lab86 at CPL 3 (for privilege-dependent instructions). */
  ring3?: boolean;
  /** Run lab86 at CPL 3 with paging, only the buffer and code pages mapped. */
  paging?: boolean;
  /** SS is the buffer segment (CPL 3): EBP/ESP-based addresses default to a different base. */
  ssBuffer?: boolean;
}

export function generate(spec: Spec, seed: number, opts: SuiteOptions = {}): DiffCase[] {
  const rng = new Rng(seed, (opts.code16 ? "code16:" : "") + (opts.ring3 ? "ring3:" : "") + (opts.paging ? "paging:" : "") + (opts.ssBuffer ? "ssbuf:" : "") + spec.name);
  const n = Math.max(1, Math.round((spec.count ?? 64) * caseScale()));
  const out: DiffCase[] = [];
  for (let i = 0; i < n; i++) {
    const b = new CaseBuilder(rng, opts.code16 ?? false, opts.ring3 ?? false, opts.paging ?? false, opts.ssBuffer ?? false);
    spec.gen(b, rng, i);
    out.push(b.build(spec.name));
  }
  return out;
}

export function diffSuite(title: string, specs: Spec[], opts: SuiteOptions = {}): void {
  const names = new Set<string>();
  for (const s of specs) {
    if (names.has(s.name)) throw new Error(`duplicate spec name ${s.name}`);
    names.add(s.name);
  }
  describe.skipIf(missingTool(nativeCheck()))(title, () => {
    const seed = runSeed();
    const results = new Map<string, SpecResult>();
    beforeAll(async () => {
      const all: DiffCase[] = [];
      const perSpec = specs.map((s) => {
        const cases = generate(s, seed, opts);
        all.push(...cases);
        return cases;
      });
      const native = runNative(all);
      const lab = await Lab86Side.create();
      let k = 0;
      specs.forEach((s, i) => {
        const cases = perSpec[i];
        const r: SpecResult = { cases, native: [], lab: [], diffs: [], failed: 0 };
        for (const c of cases) {
          const want = native[k++];
          const got = lab.run(c);
          // The generators keep every access inside the buffer, so a host #PF or timeout means a
          // generator bug, not a lab86 one.
          if (((want.vector === 14 && !c.paging) || want.vector === -2) && !r.hostAnomaly)
            r.hostAnomaly = `the host itself got ${vectorName(want.vector)}: generator bug`;
          const d = compareOutcome(c, want, got);
          r.native.push(want);
          r.lab.push(got);
          r.diffs.push(d);
          if (d.length) r.failed++;
        }
        results.set(s.name, r);
      });
      writeReport(title, seed, specs, results);
    });

    for (const s of specs) {
      it(s.name, () => {
        const r = results.get(s.name);
        if (!r) throw new Error("no results (beforeAll failed)");
        if (r.hostAnomaly) throw new Error(r.hostAnomaly);
        if (r.failed === 0) return;
        const shown: string[] = [];
        for (let i = 0; i < r.cases.length && shown.length < MAX_SHOWN; i++)
          if (r.diffs[i].length) shown.push(formatCase(r.cases[i], r.native[i], r.lab[i], r.diffs[i], seed));
        throw new Error(`${r.failed}/${r.cases.length} cases differ from the host CPU (owner: ${s.owner}, seed ${seed})\n\n${shown.join("\n\n")}`);
      });
    }
  });
}

function writeReport(title: string, seed: number, specs: Spec[], results: Map<string, SpecResult>): void {
  mkdirSync("build/diff", { recursive: true });
  const rows = specs.map((s) => {
    const r = results.get(s.name)!;
    const first = r.diffs.findIndex((d) => d.length > 0);
    // How the host ended the cases: shows that a spec reaches its exceptions (#DE, #UD...).
    const outcomes: Record<string, number> = {};
    for (const o of r.native) outcomes[vectorName(o.vector)] = (outcomes[vectorName(o.vector)] ?? 0) + 1;
    return { spec: s.name, owner: s.owner, total: r.cases.length, failed: r.failed, anomaly: r.hostAnomaly, outcomes, firstDiff: first >= 0 ? r.diffs[first][0] : undefined };
  });
  const file = `build/diff/report-${title.replace(/[^A-Za-z0-9]+/g, "_")}.json`;
  writeFileSync(file, JSON.stringify({ title, seed, rows }, null, 1));
}
