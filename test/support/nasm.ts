// Assemble nasm source text to bytes at test time. Output goes to a temporary directory under
// build/ that is removed afterwards; nothing assembled is ever committed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

// ---- External tools (nasm, gcc -m32, qemu-system-i386, bochs) ----
// Under CI=true a missing tool is a failure; locally the suites that need it are skipped with the
// message naming the package to install.
export interface ToolCheck {
  ok: boolean;
  message: string;
}

const cache = new Map<string, ToolCheck>();

/** Is `cmd` runnable (`cmd args` exits normally)? `pkg` names the Debian package to install. */
export function checkTool(cmd: string, args: string[], pkg: string): ToolCheck {
  const key = `${cmd} ${args.join(" ")}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const r = spawnSync(cmd, args, { stdio: "ignore" });
  const ok = !r.error && r.status === 0;
  const res = { ok, message: ok ? "" : `${cmd} is not available: install it with 'apt-get install ${pkg}'` };
  cache.set(key, res);
  return res;
}

/**
 * For describe.skipIf(): true when the tool is missing and the suite should be skipped. Under
 * CI=true a missing tool throws instead, so CI cannot pass by skipping.
 */
export function missingTool(check: ToolCheck): boolean {
  if (check.ok) return false;
  if (process.env.CI === "true") throw new Error(check.message);
  console.warn(`skipping: ${check.message}`);
  return true;
}

// ---- the host CPU as a reference (x87 and SIMD suites) ----

/** gcc that builds 32-bit x86 programs: without the multilib, gcc -m32 cannot link. */
function gccM32Check(): ToolCheck {
  const key = "gcc -m32";
  const hit = cache.get(key);
  if (hit) return hit;
  mkdirSync("build/tmp", { recursive: true });
  const r = spawnSync("gcc", ["-m32", "-x", "c", "-o", "build/tmp/m32-probe", "-"], { input: "int main(void){return 0;}\n" });
  const ok = !r.error && r.status === 0;
  const res = { ok, message: ok ? "" : "gcc -m32 cannot link: install gcc-multilib" };
  cache.set(key, res);
  return res;
}

/**
 * For describe.skipIf() in the suites that run code on the host CPU as their reference: true
 * when nasm is missing or, with `needGcc`, gcc, its 32-bit multilib or an x86 host. Skips
 * locally with a message naming `suite` and the packages; under CI=true it throws instead.
 */
export function hostReferenceMissing(needGcc: boolean, suite: string): boolean {
  const missing: string[] = [];
  if (!nasmCheck().ok) missing.push("nasm");
  if (needGcc && !checkTool("gcc", ["--version"], "gcc").ok) missing.push("gcc");
  else if (needGcc && !gccM32Check().ok) missing.push("gcc-multilib (gcc -m32)");
  if (needGcc && process.arch !== "x64" && process.arch !== "ia32") missing.push("an x86 host");
  if (missing.length === 0) return false;
  const msg = `missing ${missing.join(", ")}: install them with 'apt-get install nasm gcc-multilib'`;
  if (process.env.CI === "true") throw new Error(msg);
  console.warn(`skipping ${suite}: ${msg}`);
  return true;
}

// ---- nasm ----

export function nasmCheck(): ToolCheck {
  return checkTool("nasm", ["-v"], "nasm");
}
/** For describe.skipIf(): skips locally without nasm, fails under CI=true. */
export function nasmMissing(): boolean {
  return missingTool(nasmCheck());
}
export function ndisasmCheck(): ToolCheck {
  return checkTool("ndisasm", ["-h"], "nasm");
}

export interface NasmOptions {
  /** Output format; "bin" (flat) by default. */
  format?: string;
  /** Directory searched for %include files. */
  includeDir?: string;
  /** -D definitions. */
  defines?: Record<string, string | number>;
}

/** Assemble `source` and return the output bytes. Throws with nasm's messages on error. */
export function assemble(source: string, opts: NasmOptions = {}): Uint8Array {
  const check = nasmCheck();
  if (!check.ok) throw new Error(check.message);
  mkdirSync("build/tmp", { recursive: true });
  const dir = mkdtempSync(join("build/tmp", "nasm-"));
  try {
    const src = join(dir, "in.asm");
    const out = join(dir, "out.bin");
    writeFileSync(src, source);
    const args = ["-f", opts.format ?? "bin", "-o", out];
    if (opts.includeDir) args.push("-i", resolve(opts.includeDir) + "/");
    for (const [k, v] of Object.entries(opts.defines ?? {})) args.push(`-D${k}=${v}`);
    args.push(src);
    const r = spawnSync("nasm", args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`nasm failed:\n${r.stderr}${r.error ? String(r.error) : ""}`);
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Assemble a file (includes resolve relative to its directory). */
export function assembleFile(path: string, opts: NasmOptions = {}): Uint8Array {
  const dir = resolve(path, "..");
  return assemble(readFileSync(path, "utf8"), { includeDir: dir, ...opts });
}

/** Disassemble 32-bit (or 16-bit) code with ndisasm, one instruction per line. */
export function disassemble(code: Uint8Array, bits: 16 | 32 = 32): string {
  if (!ndisasmCheck().ok) return "(ndisasm not available)";
  const r = spawnSync("ndisasm", ["-b", String(bits), "-"], { input: Buffer.from(code), encoding: "utf8" });
  if (r.status !== 0) return `(ndisasm failed: ${r.stderr})`;
  return r.stdout
    .trimEnd()
    .split("\n")
    .map((l) => l.replace(/^[0-9A-F]{8}\s+[0-9A-F]+\s+/, "").trim())
    .join("; ");
}
