// Developer tool: boot the fixture kernel headless and report progress; with KALLSYMS=path (a
// /proc/kallsyms captured from the same kernel with nokaslr), print where the CPU spends its time
// after SAMPLE_AFTER virtual seconds. Usage: node bin/run-ts.mjs scripts/dev-boot.ts
import { readFileSync, existsSync } from "node:fs";
import { Pc } from "../src/machine/pc";
import * as L from "../asm/layout";

async function main(): Promise<void> {
  const f = (n: string) => new Uint8Array(readFileSync("fixtures/out/" + n));
  const pc = await Pc.create({
    memoryBytes: 128 << 20, wasm: readFileSync("build/cpu.wasm"),
    kernel: { image: f("vmlinuz-686"), initrd: f("initramfs-busybox.cpio.gz"), cmdline: process.env.CMDLINE ?? "console=ttyS0 nokaslr" },
    bootOrder: ["hd"], acpi: process.env.ACPI === "1", apic: process.env.APIC === "1", rtcBaseTime: 0, uuid: new Uint8Array(16),
    onSerialOutput: (_p, b) => process.stdout.write(String.fromCharCode(b)),
    log: (m) => console.log("LOG", m),
  });
  pc.machine.tripleFault = "stop";
  const syms: [number, string][] = [];
  if (process.env.KALLSYMS && existsSync(process.env.KALLSYMS)) {
    for (const l of readFileSync(process.env.KALLSYMS, "utf8").split("\n")) {
      const [a, , n] = l.split(" ");
      if (n) syms.push([parseInt(a, 16), n]);
    }
    syms.sort((x, y) => x[0] - y[0]);
  }
  const symOf = (eip: number) => {
    let lo = 0, hi = syms.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (syms[mid][0] <= eip) lo = mid; else hi = mid - 1;
    }
    return syms.length ? syms[lo][1] : eip.toString(16);
  };
  const sampleAfter = Number(process.env.SAMPLE_AFTER ?? "1e9") * 1e9;
  const hist = new Map<string, number>();
  const t0 = Date.now();
  const maxVirt = Number(process.env.MAX_VIRT ?? "300") * 1e9;
  let next = 0;
  while (pc.machine.clock.now < maxVirt) {
    const r = pc.machine.runSlice(Infinity, 100_000);
    if (r) { console.log("\nSTOP", r); break; }
    if (pc.machine.clock.now > sampleAfter) {
      const s = symOf(pc.machine.cpu.eip);
      hist.set(s, (hist.get(s) ?? 0) + 1);
    }
    if (pc.machine.clock.now >= next) {
      const ic = pc.machine.cpu.dv.getBigUint64(L.INSN_COUNT, true);
      console.log(`\n[dev-boot] wall=${Date.now() - t0}ms virt=${(pc.machine.clock.now / 1e9).toFixed(1)}s insns=${ic} eip=${pc.machine.cpu.eip.toString(16)} ${symOf(pc.machine.cpu.eip)}`);
      next += 10e9;
    }
  }
  const top = [...hist.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log("\n[dev-boot] hot functions:", top);
  process.exit(0);
}
main();
