// `lab86 run ...`: boot a machine headless. Exit status: 0 for a clean halt (HLT with interrupts
// disabled), a guest power-off or --exit-on text; 1 for a timeout or a triple fault; 2 for bad
// arguments or unreadable files; (v << 1) | 1 when the guest writes v to the isa-debug-exit port.
import { readFileSync, existsSync, openSync, writeSync, closeSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { parseRunArgs, UsageError, type RunArgs } from "./args";
import { Machine, type StopReason } from "../machine/machine";

const HELP = `usage: lab86 run [--mem 128M] [--bios FILE] [--vga-bios FILE]
                 [--kernel FILE [--initrd FILE] [--append "..."]]
                 [--hda FILE] [--hdb FILE] [--cdrom FILE] [--fda FILE] [--boot cd|hd|fd]
                 [--serial stdio|file:PATH] [--debugcon [PORT=]file:PATH ...]
                 [--exit-on TEXT] [--timeout SECONDS] [--no-acpi] [--no-apic]`;

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function readInput(path: string, what: string): Uint8Array {
  if (!existsSync(path)) throw new UsageError(`${what}: file not found: ${path}`);
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new UsageError(`${what}: cannot read ${path}: ${(e as Error).message}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h") {
    console.log(HELP);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] !== "run") {
    console.error(`lab86: unknown command '${argv[0]}' (try 'lab86 run --help')`);
    return 2;
  }
  let args: RunArgs;
  try {
    args = parseRunArgs(argv.slice(1));
    return await runMachine(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`lab86: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

async function runMachine(args: RunArgs): Promise<number> {
  if (!args.bios) throw new UsageError("--bios FILE is required until the built-in BIOS lands");
  const bios = readInput(args.bios, "--bios");
  if (![0x10000, 0x20000, 0x40000].includes(bios.length)) {
    throw new UsageError(`--bios: ${args.bios} is ${bios.length} bytes; a BIOS image must be 64, 128 or 256 KiB`);
  }
  for (const opt of ["kernel", "hda", "hdb", "cdrom", "fda", "vgaBios"] as const) {
    if (args[opt]) throw new UsageError(`--${opt.replace("vgaBios", "vga-bios")} is not supported yet`);
  }
  const wasmPath = join(root, "build", "cpu.wasm");
  if (!existsSync(wasmPath)) throw new UsageError(`${wasmPath} is missing: run 'npm run build:wasm'`);
  const machine = await Machine.create({ memoryBytes: args.memoryBytes, wasm: readFileSync(wasmPath) });
  machine.map.loadBios(bios);

  const files: number[] = [];
  for (const dc of args.debugcon) {
    let fd: number;
    try {
      fd = openSync(dc.path, "w");
    } catch (e) {
      throw new UsageError(`--debugcon: cannot open ${dc.path}: ${(e as Error).message}`);
    }
    files.push(fd);
    const buf = new Uint8Array(1);
    machine.io.register("debugcon", dc.port, 1, {
      // Reading the port returns 0xE9 so guests can detect the console (as QEMU and Bochs do).
      read8: () => 0xe9,
      write8: (_p, v) => {
        buf[0] = v;
        writeSync(fd, buf);
      },
    });
  }
  machine.reset();

  const deadline = args.timeoutSeconds ? Date.now() + args.timeoutSeconds * 1000 : Infinity;
  let result: StopReason | null = null;
  try {
    while (!result) {
      // Run ~20 ms of host time, then yield to the event loop (stdin, signals).
      const sliceEnd = Date.now() + 20;
      while (!result && Date.now() < sliceEnd) result = machine.runSlice(Infinity, 200_000);
      if (!result && Date.now() > deadline) {
        console.error(`lab86: timeout after ${args.timeoutSeconds} s (guest EIP 0x${machine.cpu.eip.toString(16)})`);
        return 1;
      }
      if (!result) await new Promise((r) => setImmediate(r));
    }
  } finally {
    for (const fd of files) closeSync(fd);
  }
  switch (result.kind) {
    case "halted":
      return 0;
    case "stopped":
      console.error(`lab86: ${result.why}`);
      return 0;
    case "triple-fault":
      console.error("lab86: the guest triple-faulted (CPU shutdown)");
      return 1;
    case "internal-error":
      console.error(`lab86: internal error: ${result.message}`);
      return 1;
    default:
      return 1;
  }
}
