// Compiler-generated SSE2 code (programs/kernels.c: floating point in several rounding modes,
// FTZ/DAZ, comparisons driving branches, conversions, vectorised byte loops) run natively and
// on lab86; the output blocks must be identical. Built at test time into build/simd/.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { flatCpu, runTo, toolsMissing, hex } from "./support";

const SRC = "test/cpu/simd/programs/kernels.c";
const OUT = 0x90000;
const CFLAGS = ["-m32", "-msse2", "-mfpmath=sse", "-O3"];

function gcc(args: string[]): void {
  const r = spawnSync("gcc", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gcc failed (apt-get install gcc-multilib):\n${r.stderr}`);
}

describe.skipIf(toolsMissing(true))("compiled SSE2 code", () => {
  it("produces the same results on lab86 as on the host CPU", async () => {
    mkdirSync("build/simd", { recursive: true });
    const tag = `${process.pid}`;
    const native = `build/simd/kernels-native-${tag}`, elf = `build/simd/kernels-${tag}.elf`, bin = `build/simd/kernels-${tag}.bin`;
    gcc([...CFLAGS, "-o", native, SRC]);
    gcc([...CFLAGS, "-DLAB86_ENTRY", "-ffreestanding", "-fno-pic", "-no-pie", "-nostdlib", "-static", "-fno-stack-protector",
      "-Wl,-Ttext=0x10000", "-Wl,-e,entry", "-Wl,--build-id=none", "-o", elf, SRC]);
    const oc = spawnSync("objcopy", ["-O", "binary", elf, bin]);
    if (oc.status !== 0) throw new Error("objcopy failed");
    const nm = spawnSync("nm", [elf], { encoding: "utf8" }).stdout;
    const entry = parseInt(/^([0-9a-f]+) T entry$/m.exec(nm)![1], 16);
    const want = new Uint8Array(spawnSync(native).stdout as Buffer);
    const code = readFileSync(bin);
    for (const f of [native, elf, bin]) rmSync(f, { force: true });
    expect(want.length).toBeGreaterThan(1000);

    const cpu = await flatCpu();
    cpu.ram().set(code, 0x10000);
    cpu.setReg(4, 0x8f000 - 4); // as after a CALL: the i386 ABI keeps ESP+4 16-byte aligned at entry
    const r = runTo(cpu, entry, 10_000_000);
    expect(r.fault).toBeNull();
    const got = cpu.ram().slice(OUT, OUT + want.length);
    // Report the first differing 16-byte row rather than two 2.6 KB hex strings.
    let row = -1;
    for (let i = 0; i < want.length && row < 0; i++) if (got[i] !== want[i]) row = i & ~15;
    expect(row < 0 ? "" : `offset ${row}: lab86 ${hex(got.slice(row, row + 16))} host ${hex(want.slice(row, row + 16))}`).toBe("");
  });
});
