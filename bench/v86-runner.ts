// Runs the benchmark guest on the v86 npm package (our anchor), headless in Node, with the same
// kernel, initramfs and SeaBIOS, and reports host wall times for each phase.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface PhaseTimes {
  bootToPromptMs: number;
  workloadMs: number;
  /** Guest output of the workload, for checking that both emulators did the same work. */
  workloadOutput: string;
}

export interface GuestFiles {
  bios: Uint8Array;
  vgaBios: Uint8Array;
  kernel: Uint8Array;
  initrd: Uint8Array;
  cmdline: string;
  memoryBytes: number;
}

const PROMPT = "lab86:/# ";

export async function runV86(files: GuestFiles, timeoutMs: number): Promise<PhaseTimes> {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve("v86/package.json"));
  const { V86 } = await import(join(pkgDir, "build", "libv86.mjs"));
  const buf = (u: Uint8Array) => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength);
  const emulator = new V86({
    wasm_path: join(pkgDir, "build", "v86.wasm"),
    bios: { buffer: buf(files.bios) },
    vga_bios: { buffer: buf(files.vgaBios) },
    bzimage: { buffer: buf(files.kernel) },
    initrd: { buffer: buf(files.initrd) },
    cmdline: files.cmdline,
    memory_size: files.memoryBytes,
    autostart: true,
    disable_keyboard: true,
    disable_mouse: true,
    disable_speaker: true,
  });
  let output = "";
  const waiters: { text: string; from: number; resolve: () => void }[] = [];
  emulator.add_listener("serial0-output-byte", (b: number) => {
    output += String.fromCharCode(b);
    for (const w of [...waiters]) {
      if (output.indexOf(w.text, w.from) >= 0) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const waitFor = (text: string, from: number) =>
    new Promise<void>((resolve, reject) => {
      if (output.indexOf(text, from) >= 0) return resolve();
      const timer = setTimeout(() => reject(new Error(`v86: timed out waiting for '${text}'; output tail: ${JSON.stringify(output.slice(-300))}`)), timeoutMs);
      waiters.push({ text, from, resolve: () => (clearTimeout(timer), resolve()) });
    });
  try {
    const t0 = performance.now();
    await waitFor(PROMPT, 0);
    const t1 = performance.now();
    const from = output.length;
    emulator.serial0_send("/bench.sh\n");
    await waitFor("bench: done", from);
    const t2 = performance.now();
    return { bootToPromptMs: t1 - t0, workloadMs: t2 - t1, workloadOutput: output.slice(from) };
  } finally {
    emulator.destroy();
  }
}

export function loadGuestFiles(fixturesDir: string, memoryBytes: number): GuestFiles {
  const f = (n: string) => new Uint8Array(readFileSync(join(fixturesDir, n)));
  return {
    bios: f("seabios.bin"),
    vgaBios: f("vgabios-stdvga.bin"),
    kernel: f("vmlinuz-686"),
    initrd: f("initramfs-busybox.cpio.gz"),
    cmdline: "console=ttyS0 quiet",
    memoryBytes,
  };
}
