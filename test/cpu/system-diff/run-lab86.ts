// Runs a test ROM under the lab86 CLI (`lab86 run --bios`), the way a user would.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { runProcess, type RomRun } from "../../support/qemu";

export const LAB86_CLI = "bin/lab86.mjs";

export async function runLab86(rom: Uint8Array, opts: { timeoutSec?: number; memMiB?: number } = {}): Promise<RomRun> {
  mkdirSync("build/tmp", { recursive: true });
  const dir = mkdtempSync(join("build/tmp", "lab86-"));
  try {
    const romPath = join(dir, "rom.bin");
    const logPath = join(dir, "debugcon.log");
    writeFileSync(romPath, rom);
    // Every ROM finishes in well under a second of guest time; 10 s leaves room for a loaded host.
    const timeout = opts.timeoutSec ?? 10;
    const r = await runProcess("node", [LAB86_CLI, "run", "--bios", romPath, "--mem", `${opts.memMiB ?? 128}M`, "--debugcon", `file:${logPath}`, "--timeout", String(timeout)], {
      timeoutMs: (timeout + 30) * 1000,
    });
    const log = existsSync(logPath) ? readFileSync(logPath, "latin1") : "";
    return { log, status: r.status, timedOut: r.timedOut || (r.status === 1 && /timeout/.test(r.stderr)), stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
