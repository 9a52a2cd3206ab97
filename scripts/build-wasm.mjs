// Builds the CPU from asm/ with the AssemblyScript compiler: an optimised release build for the
// app and benchmarks, and a debug build with assertions for the tests.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

mkdirSync("build", { recursive: true });
const asc = "node_modules/assemblyscript/bin/asc.js";
const common = ["asm/index.ts", "--runtime", "stub", "--importMemory", "--initialMemory", "128",
  "--maximumMemory", "65536", "--memoryBase", String(0x3000), "--zeroFilledMemory"];
const targets = process.argv.includes("--debug-only") ? ["debug"] : ["release", "debug"];
for (const t of targets) {
  const flags = t === "release"
    ? ["-O3", "--noAssert", "--converge", "-o", "build/cpu.wasm", "-t", "build/cpu.wat"]
    : ["--debug", "-o", "build/cpu.debug.wasm", "--sourceMap"];
  execFileSync("node", [asc, ...common, ...flags], { stdio: "inherit" });
  console.log(`built ${t}`);
}
