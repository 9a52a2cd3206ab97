// Builds the native reference runner (runner.c) with gcc -m32 into build/diff/ and runs batches
// of cases through it. The binary is named after a hash of its source, written to a temporary
// name and renamed, so parallel test workers never see a half-written file.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { checkTool, type ToolCheck } from "../../support/nasm";
import { encodeCases, decodeOutcomes, type DiffCase, type Outcome } from "../diff/layout";

const SOURCE = "test/cpu/native/runner.c";

export function nativeCheck(): ToolCheck {
  const gcc = checkTool("gcc", ["--version"], "gcc-multilib");
  if (!gcc.ok) return gcc;
  if (process.arch !== "x64" && process.arch !== "ia32")
    return { ok: false, message: `the native runner needs an x86 host (this is ${process.arch})` };
  try {
    runnerPath();
    return { ok: true, message: "" };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

let built: string | undefined;

export function runnerPath(): string {
  if (built) return built;
  const src = readFileSync(SOURCE);
  const hash = createHash("sha256").update(src).digest("hex").slice(0, 12);
  mkdirSync("build/diff", { recursive: true });
  const exe = join("build/diff", `runner-${hash}`);
  if (!existsSync(exe)) {
    const tmp = `${exe}.${process.pid}.tmp`;
    const r = spawnSync("gcc", ["-m32", "-O2", "-no-pie", "-Wall", "-o", tmp, SOURCE], { encoding: "utf8" });
    if (r.status !== 0)
      throw new Error(`gcc -m32 could not build the native runner (install it with 'apt-get install gcc-multilib'):\n${r.stderr}`);
    renameSync(tmp, exe);
  }
  built = exe;
  return exe;
}

/** Run cases on the host CPU. */
export function runNative(cases: DiffCase[]): Outcome[] {
  const input = encodeCases(cases);
  const r = spawnSync(runnerPath(), [], { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`native runner failed (status ${r.status}, signal ${r.signal}): ${r.stderr?.toString()}`);
  return decodeOutcomes(r.stdout, cases.length);
}
