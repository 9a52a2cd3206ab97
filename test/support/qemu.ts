// Reference machines for the system tests: run a 64 KiB test ROM (test/roms) in
// qemu-system-i386 or Bochs and collect what it wrote to the debug console (port 0xE9).
// Temporary files live under build/tmp and are removed afterwards.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkTool, type ToolCheck } from "./nasm";

export interface RomRun {
  /** Everything written to port 0xE9. */
  log: string;
  status: number | null;
  timedOut: boolean;
  stderr: string;
}

export function qemuCheck(): ToolCheck {
  return checkTool("qemu-system-i386", ["--version"], "qemu-system-x86");
}
export function bochsCheck(): ToolCheck {
  const c = checkTool("bochs", ["--help"], "bochs bochsbios");
  if (c.ok && !existsSync("/usr/share/bochs/BIOS-bochs-latest")) return { ok: false, message: "bochs BIOS files are missing: install them with 'apt-get install bochsbios'" };
  return c;
}

function tempDir(): string {
  mkdirSync("build/tmp", { recursive: true });
  return mkdtempSync(join("build/tmp", "ref-"));
}

export interface ProcessResult {
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Run a command asynchronously (so several reference runs can overlap), killed at the timeout. */
export function runProcess(cmd: string, args: string[], opts: { timeoutMs: number; cwd?: string }): Promise<ProcessResult> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("latin1")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("latin1")));
    child.on("error", (e) => (stderr += String(e)));
    child.on("close", (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr, timedOut });
    });
  });
}

/**
 * Run `rom` (built with -DQEMU_EXIT, so it ends by writing the isa-debug-exit port; QEMU then
 * exits with status 0x21). `args` are added to the command line (a ROM that needs a device or
 * an accelerator option says why).
 */
export async function runQemu(rom: Uint8Array, opts: { timeoutSec?: number; memMiB?: number; args?: string[] } = {}): Promise<RomRun> {
  const dir = tempDir();
  try {
    const romPath = join(dir, "rom.bin");
    const logPath = join(dir, "debugcon.log");
    writeFileSync(romPath, rom);
    writeFileSync(logPath, "");
    const r = await runProcess("qemu-system-i386", [
      "-bios", romPath, "-m", String(opts.memMiB ?? 128), "-display", "none", "-nodefaults",
      "-device", "isa-debugcon,iobase=0xe9,chardev=c", "-chardev", `file,id=c,path=${logPath}`,
      "-device", "isa-debug-exit,iobase=0xf4,iosize=1", "-no-reboot", ...(opts.args ?? []),
    ], { timeoutMs: (opts.timeoutSec ?? 20) * 1000 });
    return { log: readFileSync(logPath, "latin1"), status: r.status, timedOut: r.timedOut, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Run `rom` (built without QEMU_EXIT: it ends with CLI; HLT) in Bochs with the port 0xE9 hack.
 * The Debian build of Bochs has no "nogui" display library and starts in its debugger, so it
 * gets the VNC display with no wait for a client, and "c" on stdin. Bochs keeps running after
 * CLI; HLT: the run is stopped once the log shows "DONE" or "FATAL", or at the timeout.
 */
export function runBochs(rom: Uint8Array, opts: { timeoutSec?: number; memMiB?: number } = {}): Promise<RomRun> {
  const dir = tempDir();
  const romPath = resolve(dir, "rom.bin");
  writeFileSync(romPath, rom);
  const rc = [
    `megs: ${opts.memMiB ?? 128}`,
    `romimage: file=${romPath}`,
    "vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest",
    'display_library: rfb, options="timeout=0"',
    "port_e9_hack: enabled=1",
    "cpu: count=1, reset_on_triple_fault=0",
    "clock: sync=none",
    "log: /dev/null",
    "sound: driver=dummy",
    "speaker: enabled=0",
  ].join("\n");
  writeFileSync(join(dir, "bochsrc"), rc + "\n");
  return new Promise((done) => {
    const child = spawn("bochs", ["-q", "-f", "bochsrc"], { cwd: dir, stdio: ["pipe", "pipe", "ignore"] });
    let out = "";
    let timedOut = false;
    const stop = () => child.kill("SIGKILL");
    const timer = setTimeout(() => { timedOut = true; stop(); }, (opts.timeoutSec ?? 20) * 1000);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString("latin1");
      if (/DONE\n|FATAL[^\n]*\n/.test(out)) stop();
    });
    child.stdin.end("c\n");
    child.on("close", (status) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      // The debugger's banner and prompt come first, then Bochs echoes the "c" command; the
      // guest's output follows.
      const prompt = "<bochs:1> c\n";
      const p = out.indexOf(prompt);
      const at = p >= 0 ? p + prompt.length : -1;
      done({ log: at >= 0 ? out.slice(at) : "", status, timedOut, stderr: at >= 0 ? "" : out });
    });
  });
}
