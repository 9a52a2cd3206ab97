// The kernel's symbol table for the bench profile: /proc/kallsyms of the same kernel and
// initramfs booted with nokaslr, captured once from QEMU (the oracle) over its serial console and
// kept in fixtures/out/ next to the kernel it describes (generated, never committed).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PROMPT = "lab86:/# ";

export function kallsymsPath(fixturesDir: string): string {
  return join(fixturesDir, "kallsyms-686.txt");
}

function haveQemu(): boolean {
  try {
    execFileSync("sh", ["-c", "command -v qemu-system-i386"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Boot the kernel in QEMU, run `cat /proc/kallsyms` at the busybox prompt and keep the symbol
 * lines. Resolves to the file's path, or null when QEMU is missing or the capture fails.
 */
export async function captureKallsyms(fixturesDir: string, timeoutMs = 300_000): Promise<string | null> {
  const out = kallsymsPath(fixturesDir);
  if (!haveQemu()) return null;
  const qemu = spawn("qemu-system-i386", [
    "-m", "128", "-nographic", "-no-reboot", "-monitor", "none", "-serial", "stdio",
    "-kernel", join(fixturesDir, "vmlinuz-686"), "-initrd", join(fixturesDir, "initramfs-busybox.cpio.gz"),
    "-append", "console=ttyS0 quiet nokaslr cryptomgr.notests",
  ], { stdio: ["pipe", "pipe", "ignore"] });
  let text = "";
  let sentAt = -1;
  return new Promise((resolve) => {
    const finish = (path: string | null) => {
      clearTimeout(timer);
      qemu.kill();
      resolve(path);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    qemu.on("error", () => finish(null));
    qemu.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (sentAt < 0 && text.includes(PROMPT)) {
        sentAt = text.length;
        qemu.stdin.write("cat /proc/kallsyms\r");
      } else if (sentAt >= 0 && text.indexOf(PROMPT, sentAt) >= 0) {
        const lines = text.slice(sentAt).split(/\r?\n/).filter((l) => /^[0-9a-f]{8} [a-zA-Z] \S+/.test(l));
        if (lines.length < 1000) return finish(null);
        writeFileSync(out, lines.join("\n") + "\n");
        finish(out);
      }
    });
  });
}

/** The symbol table text: KALLSYMS if set, else the captured file, captured now if asked to. */
export async function loadKallsyms(fixturesDir: string, capture: boolean): Promise<{ text?: string; source: string }> {
  const fromEnv = process.env.KALLSYMS;
  if (fromEnv) return existsSync(fromEnv) ? { text: readFileSync(fromEnv, "utf8"), source: fromEnv } : { source: `${fromEnv} (missing)` };
  const path = kallsymsPath(fixturesDir);
  if (!existsSync(path) && capture) await captureKallsyms(fixturesDir);
  return existsSync(path) ? { text: readFileSync(path, "utf8"), source: path } : { source: "none" };
}
