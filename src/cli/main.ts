// `lab86 run ...`: boot a machine headless. Exit status: 0 for a clean halt (HLT with interrupts
// disabled), a guest power-off or --exit-on text; 1 for a timeout or a triple fault; 2 for bad
// arguments or unreadable files; (v << 1) | 1 when the guest writes v to the isa-debug-exit port.
import { readFileSync, existsSync, openSync, writeSync, closeSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { parseRunArgs, UsageError, type RunArgs } from "./args";
import { randomUUID } from "node:crypto";
import { type StopReason } from "../machine/machine";
import { Pc } from "../machine/pc";
import { MemoryBackend } from "../machine/block";
import { parseSetupHeader } from "../machine/boot/linux";
import { findMultibootHeader } from "../machine/boot/multiboot";
import type { BootDevice } from "../../bios/firmware";

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

/** A disk or CD image as an in-memory backend; refuses sizes a controller can't present. */
function image(path: string, what: string, sectorSize: number, readOnly: boolean): MemoryBackend {
  const data = readInput(path, what);
  if (data.length === 0 || data.length % sectorSize !== 0) {
    throw new UsageError(`${what}: ${path} is ${data.length} bytes, not a positive multiple of ${sectorSize}`);
  }
  return new MemoryBackend(data, readOnly);
}

const FLOPPY_SIZES = [368640, 737280, 1228800, 1474560, 2949120];

async function runMachine(args: RunArgs): Promise<number> {
  let bios: Uint8Array | undefined;
  if (args.bios) {
    bios = readInput(args.bios, "--bios");
    if (![0x10000, 0x20000, 0x40000].includes(bios.length)) {
      throw new UsageError(`--bios: ${args.bios} is ${bios.length} bytes; a BIOS image must be 64, 128 or 256 KiB`);
    }
  }
  const vgaBios = args.vgaBios ? readInput(args.vgaBios, "--vga-bios") : undefined;
  if (vgaBios && (vgaBios.length > 0x20000 || vgaBios[0] !== 0x55 || vgaBios[1] !== 0xaa)) {
    throw new UsageError(`--vga-bios: ${args.vgaBios} is not an option ROM (no 55 AA signature, or larger than 128 KiB)`);
  }
  let kernel: { image: Uint8Array; initrd?: Uint8Array; cmdline: string } | undefined;
  if (args.kernel) {
    const k = readInput(args.kernel, "--kernel");
    if (!findMultibootHeader(k)) {
      try {
        parseSetupHeader(k);
      } catch (e) {
        throw new UsageError(`--kernel: ${args.kernel}: ${(e as Error).message}`);
      }
    }
    kernel = { image: k, initrd: args.initrd ? readInput(args.initrd, "--initrd") : undefined, cmdline: args.append ?? "" };
    if (bios) throw new UsageError("--kernel boots with lab86's own BIOS; drop --bios (alternative firmware boots disks and CDs)");
  } else if (args.initrd || args.append) {
    throw new UsageError(`${args.initrd ? "--initrd" : "--append"} needs --kernel`);
  }
  const hda = args.hda ? image(args.hda, "--hda", 512, false) : undefined;
  const hdb = args.hdb ? image(args.hdb, "--hdb", 512, false) : undefined;
  const cdrom = args.cdrom ? image(args.cdrom, "--cdrom", 2048, true) : undefined;
  const fda = args.fda ? image(args.fda, "--fda", 512, false) : undefined;
  if (fda && !FLOPPY_SIZES.includes(fda.byteLength)) {
    throw new UsageError(`--fda: ${args.fda} is ${fda.byteLength} bytes; floppy images are 360K, 720K, 1.2M, 1.44M or 2.88M`);
  }
  const bootOrder: BootDevice[] = args.boot ? [args.boot] : [];
  for (const d of ["cd", "hd", "fd"] as BootDevice[]) if (!bootOrder.includes(d)) bootOrder.push(d);

  const wasmPath = join(root, "build", "cpu.wasm");
  if (!existsSync(wasmPath)) throw new UsageError(`${wasmPath} is missing: run 'npm run build:wasm'`);

  const files: number[] = [];
  const openOut = (path: string, what: string) => {
    try {
      const fd = openSync(path, "w");
      files.push(fd);
      return fd;
    } catch (e) {
      throw new UsageError(`${what}: cannot open ${path}: ${(e as Error).message}`);
    }
  };
  const debugcon = args.debugcon.map((dc) => {
    const fd = openOut(dc.path, "--debugcon");
    return { port: dc.port, onByte: (b: number) => writeSync(fd, Uint8Array.of(b)) };
  });
  const serialFd = args.serial?.kind === "file" ? openOut(args.serial.path, "--serial") : args.serial?.kind === "stdio" ? 1 : -1;
  let serialText = "";
  let exitOnSeen = false;
  let debugExit: number | null = null;

  const pc = await Pc.create({
    memoryBytes: args.memoryBytes,
    wasm: readFileSync(wasmPath),
    bios, vgaBios, kernel, hda, hdb, cdrom, fda, bootOrder,
    acpi: args.acpi, apic: args.apic,
    rtcBaseTime: Date.now(),
    uuid: randomUUIDBytes(),
    debugcon,
    onDebugExit: (status) => {
      debugExit = status;
      pc.machine.requestStop({ kind: "stopped", why: `isa-debug-exit: status ${status}` });
    },
    onSerialOutput: (port, byte) => {
      if (port !== 0) return;
      if (serialFd >= 0) writeSync(serialFd, Uint8Array.of(byte));
      if (args.exitOn && !exitOnSeen) {
        serialText = (serialText + String.fromCharCode(byte)).slice(-4 * args.exitOn.length - 64);
        if (serialText.includes(args.exitOn)) {
          exitOnSeen = true;
          pc.machine.requestStop({ kind: "stopped", why: `'${args.exitOn}' appeared on COM1` });
        }
      }
    },
    log: (m) => console.error(`lab86: ${m}`),
  });
  pc.machine.tripleFault = "stop";
  if (pc.firmware) pc.firmware.onNoBootDevice = () => pc.machine.requestStop({ kind: "stopped", why: "no bootable device" });

  // Keystrokes typed at a --serial stdio console go to COM1.
  const stdin = args.serial?.kind === "stdio" && process.stdin.isTTY !== undefined ? process.stdin : null;
  const onInput = (chunk: Buffer) => pc.uarts[0].receive(chunk.map((b) => (b === 0x0a ? 0x0d : b)));
  if (args.serial?.kind === "stdio") {
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    process.stdin.on("data", onInput);
  }

  const deadline = args.timeoutSeconds ? Date.now() + args.timeoutSeconds * 1000 : Infinity;
  let result: StopReason | null = null;
  try {
    while (!result) {
      // Run ~20 ms of host time, then yield to the event loop (stdin, disk completions, signals).
      const sliceEnd = Date.now() + 20;
      while (!result && Date.now() < sliceEnd) {
        result = pc.machine.runSlice(Infinity, 200_000);
        if (result?.kind === "halted" && args.serial?.kind === "stdio" && pc.machine.cpu.eflags() & 0x200) {
          result = null; // idle with nothing scheduled: wait for typed input
          break;
        }
      }
      if (!result && Date.now() > deadline) {
        console.error(`lab86: timeout after ${args.timeoutSeconds} s (guest EIP 0x${pc.machine.cpu.eip.toString(16)})`);
        return 1;
      }
      if (!result) await new Promise((r) => setImmediate(r));
    }
  } finally {
    if (stdin) {
      process.stdin.off("data", onInput);
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      process.stdin.pause();
    }
    for (const fd of files) closeSync(fd);
  }
  if (debugExit !== null) return debugExit;
  switch (result.kind) {
    case "halted":
      return 0;
    case "stopped":
      if (result.why === "no bootable device") {
        console.error("lab86: no bootable device");
        return 1;
      }
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

function randomUUIDBytes(): Uint8Array {
  return Uint8Array.from(randomUUID().replace(/-/g, "").match(/../g)!.map((h) => parseInt(h, 16)));
}
