// Summarises the last run of the user-mode differential tests (build/diff/report-*.json, written
// by test/cpu/diff/harness.ts) as a Markdown table: one row per spec, failing specs first, with
// the owning unit so failures can be routed. Usage: node scripts/diff-report.mjs [--all]
import { readdirSync, readFileSync, existsSync } from "node:fs";

const dir = "build/diff";
if (!existsSync(dir)) {
  console.error("no build/diff: run 'npm run test:cpu' (or npx vitest run test/cpu/diff) first");
  process.exit(2);
}
const all = process.argv.includes("--all");
const rows = [];
const seeds = new Set();
for (const f of readdirSync(dir).filter((f) => f.startsWith("report-") && f.endsWith(".json"))) {
  const r = JSON.parse(readFileSync(`${dir}/${f}`, "utf8"));
  seeds.add(r.seed);
  for (const row of r.rows) rows.push({ suite: r.title, ...row });
}
rows.sort((a, b) => (b.failed > 0) - (a.failed > 0) || a.owner.localeCompare(b.owner) || a.suite.localeCompare(b.suite));
const failing = rows.filter((r) => r.failed > 0 || r.anomaly);
const cases = rows.reduce((n, r) => n + r.total, 0);
console.log(`Differential tests vs the host CPU: ${rows.length} specs, ${cases} cases, seed(s) ${[...seeds].join(", ")}`);
console.log(`${rows.length - failing.length} specs pass, ${failing.length} fail\n`);
console.log("| suite | spec | owner | failed / cases | host outcomes | first difference |");
console.log("|---|---|---|---|---|---|");
for (const r of all ? rows : failing) {
  const outcomes = Object.entries(r.outcomes ?? {}).map(([k, v]) => `${k} ${v}`).join(", ");
  const first = (r.anomaly ?? r.firstDiff ?? "").replace(/\|/g, "\\|");
  console.log(`| ${r.suite} | ${r.spec} | ${r.owner} | ${r.failed} / ${r.total} | ${outcomes} | ${first} |`);
}
