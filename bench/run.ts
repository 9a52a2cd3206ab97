// `npm run bench`: boot the busybox Linux to its prompt and run /bench.sh on lab86 (release
// build), then on the v86 npm package, in the same process; print host wall times, the
// lab86/v86 ratio, lab86's MIPS and where lab86's instructions went.
//
// Environment: BENCH_MEM_MB (default 128), BENCH_TIMEOUT_S (host timeout per v86 phase, default
// 900), BENCH_MAX_VIRT_S (lab86's limit per phase in virtual seconds, default 600), KALLSYMS (a
// /proc/kallsyms of the same kernel booted with nokaslr: adds the top kernel functions),
// BENCH_SKIP_V86=1 (lab86 only). Without KALLSYMS the bench uses fixtures/out/kallsyms-686.txt,
// capturing it from QEMU first (bench/kallsyms.ts) when qemu-system-i386 is installed.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadGuestFiles, runV86, type PhaseTimes } from "./v86-runner";
import { runLab86, type Lab86Result } from "./lab86-runner";
import { loadKallsyms } from "./kallsyms";

const ROOT = resolve(import.meta.dirname, "..");
const FIXTURES = join(ROOT, "fixtures", "out");
const WASM = join(ROOT, "build", "cpu.wasm");
// The same command line on both: cryptomgr.notests skips ~3 G instructions of crypto self-tests
// that would otherwise dominate the boot; quiet keeps the 9600-baud console out of the picture.
const CMDLINE = "console=ttyS0 quiet nokaslr cryptomgr.notests";

const s = (ms: number) => (ms / 1000).toFixed(1) + " s";
const pct = (n: number, total: number) => ((100 * n) / total).toFixed(1).padStart(5) + "%";

/** The workload's result lines (md5, counts), to check both emulators computed the same thing. */
function workloadResults(out: string): string[] {
  return out.split(/\r?\n/).filter((l) => l.startsWith("bench: ") && l !== "bench: done").map((l) => l.trim());
}

async function main(): Promise<void> {
  const need = ["seabios.bin", "vgabios-stdvga.bin", "vmlinuz-686", "initramfs-busybox.cpio.gz"];
  const missing = need.filter((n) => !existsSync(join(FIXTURES, n)));
  if (missing.length) {
    console.error(`bench: missing fixtures ${missing.join(", ")}: run 'npm run fixtures -- linux seabios'`);
    process.exit(2);
  }
  if (!existsSync(WASM)) {
    console.error("bench: build/cpu.wasm is missing: run 'npm run build:wasm'");
    process.exit(2);
  }
  const memoryBytes = Number(process.env.BENCH_MEM_MB ?? "128") << 20;
  const files = { ...loadGuestFiles(FIXTURES, memoryBytes), cmdline: CMDLINE };
  const { text: kallsyms, source: kallsymsSource } = await loadKallsyms(FIXTURES, true);
  console.log(`bench: kernel symbols: ${kallsymsSource}`);

  console.log(`bench: guest = Debian 686 kernel + busybox initramfs, ${memoryBytes >> 20} MiB, cmdline "${CMDLINE}"`);
  console.log("bench: lab86 (build/cpu.wasm, lab86 BIOS, ACPI + APIC) ...");
  let lab: Lab86Result;
  try {
    lab = await runLab86({ ...files, wasm: new Uint8Array(readFileSync(WASM)), kallsyms }, Number(process.env.BENCH_MAX_VIRT_S ?? "600"));
  } catch (e) {
    console.error(`bench: lab86 failed: ${(e as Error).message}`);
    process.exit(1);
  }
  const mips = (n: number, ms: number) => (n / 1e3 / ms).toFixed(1);
  console.log(`  boot to prompt: ${s(lab.bootToPromptMs)} wall, ${lab.bootVirtualSeconds.toFixed(1)} s virtual, ${(lab.bootInstructions / 1e9).toFixed(2)} G instructions, ${mips(lab.bootInstructions, lab.bootToPromptMs)} MIPS`);
  console.log(`  workload:       ${s(lab.workloadMs)} wall, ${lab.workloadVirtualSeconds.toFixed(1)} s virtual, ${(lab.workloadInstructions / 1e9).toFixed(2)} G instructions, ${mips(lab.workloadInstructions, lab.workloadMs)} MIPS`);
  const total = Object.values(lab.byContext).reduce((a, b) => a + b, 0);
  console.log("  instructions by context (sampled per 100k-instruction slice):");
  for (const [ctx, n] of Object.entries(lab.byContext)) console.log(`    ${ctx.padEnd(13)} ${pct(n, total)}  ${(n / 1e6).toFixed(0)} M`);
  if (lab.topFunctions.length) {
    const kernel = lab.byContext.kernel;
    console.log("  top kernel functions (share of kernel instructions):");
    for (const f of lab.topFunctions) console.log(`    ${pct(f.instructions, kernel)}  ${f.name}`);
  } else {
    console.log("  (no kernel symbols: install qemu-system-i386, or set KALLSYMS=<a /proc/kallsyms of this kernel booted with nokaslr>)");
  }

  let v86: PhaseTimes | null = null;
  if (process.env.BENCH_SKIP_V86 !== "1") {
    console.log("bench: v86 (npm package, SeaBIOS) ...");
    try {
      v86 = await runV86(files, Number(process.env.BENCH_TIMEOUT_S ?? "900") * 1000);
      console.log(`  boot to prompt: ${s(v86.bootToPromptMs)} wall`);
      console.log(`  workload:       ${s(v86.workloadMs)} wall`);
    } catch (e) {
      console.error(`bench: v86 failed: ${(e as Error).message}`);
    }
  }

  const labResults = workloadResults(lab.workloadOutput);
  console.log(`bench: lab86 workload output: ${labResults.join("; ")}`);
  if (v86) {
    const v86Results = workloadResults(v86.workloadOutput);
    if (v86Results.join("\n") !== labResults.join("\n")) console.log(`bench: WARNING: v86's workload output differs: ${v86Results.join("; ")}`);
    console.log("bench: summary (host wall time; ratio > 1 means lab86 is slower)");
    console.log(`  boot to prompt  lab86 ${s(lab.bootToPromptMs).padStart(8)}  v86 ${s(v86.bootToPromptMs).padStart(8)}  lab86/v86 ${(lab.bootToPromptMs / v86.bootToPromptMs).toFixed(2)}`);
    console.log(`  workload        lab86 ${s(lab.workloadMs).padStart(8)}  v86 ${s(v86.workloadMs).padStart(8)}  lab86/v86 ${(lab.workloadMs / v86.workloadMs).toFixed(2)}`);
  }
  process.exit(0);
}

main();
