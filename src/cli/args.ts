// Parsing of `lab86 run` arguments. Flags keep QEMU's meaning where QEMU has one. Every error is
// one clear line (the caller exits with status 2).

export class UsageError extends Error {}

export interface DebugconSpec {
  port: number;
  path: string;
}

export interface RunArgs {
  memoryBytes: number;
  bios?: string;
  vgaBios?: string;
  kernel?: string;
  initrd?: string;
  append?: string;
  hda?: string;
  hdb?: string;
  cdrom?: string;
  fda?: string;
  boot?: "cd" | "hd" | "fd";
  serial?: { kind: "stdio" } | { kind: "file"; path: string };
  debugcon: DebugconSpec[];
  exitOn?: string;
  timeoutSeconds?: number;
  acpi: boolean;
  apic: boolean;
}

/** Parse a size such as 128M, 1G, 65536K or a plain byte count. */
export function parseSize(text: string, what: string): number {
  const m = /^(\d+)([KMG]?)i?B?$/i.exec(text.trim());
  if (!m) throw new UsageError(`${what}: '${text}' is not a size (use e.g. 128M or 1G)`);
  const mult = { "": 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 }[m[2].toUpperCase() as "" | "K" | "M" | "G"];
  let bytes = Number(m[1]) * mult;
  // Without a suffix QEMU's -m means MiB.
  if (m[2] === "" && what === "--mem") bytes = Number(m[1]) << 20;
  return bytes;
}

export function parsePort(text: string): number {
  const v = text.startsWith("0x") || text.startsWith("0X") ? parseInt(text.slice(2), 16) : parseInt(text, 10);
  if (!Number.isInteger(v) || v < 0 || v > 0xffff || !/^(0x[0-9a-f]+|\d+)$/i.test(text)) throw new UsageError(`'${text}' is not an I/O port number (0-0xffff)`);
  return v;
}

export function parseDebugcon(text: string): DebugconSpec {
  // [PORT=]file:PATH
  let port = 0xe9;
  let rest = text;
  const eq = text.indexOf("=");
  if (eq > 0 && !text.startsWith("file:")) {
    port = parsePort(text.slice(0, eq));
    rest = text.slice(eq + 1);
  }
  if (!rest.startsWith("file:") || rest.length <= 5) throw new UsageError(`--debugcon: expected [PORT=]file:PATH, got '${text}'`);
  return { port, path: rest.slice(5) };
}

const VALUE_FLAGS = new Set(["--mem", "--bios", "--vga-bios", "--kernel", "--initrd", "--append", "--hda", "--hdb", "--cdrom", "--fda", "--boot", "--serial", "--debugcon", "--exit-on", "--timeout"]);

export function parseRunArgs(argv: string[]): RunArgs {
  const a: RunArgs = { memoryBytes: 128 << 20, debugcon: [], acpi: true, apic: true };
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let value: string | undefined;
    const eq = flag.indexOf("=");
    if (flag.startsWith("--") && eq > 0 && VALUE_FLAGS.has(flag.slice(0, eq))) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    if (VALUE_FLAGS.has(flag) && value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
      value = argv[++i];
    }
    const v = value as string;
    switch (flag) {
      case "--mem": {
        const bytes = parseSize(v, "--mem");
        if (bytes < 1 << 20 || bytes % (1 << 20) !== 0) throw new UsageError(`--mem: ${v} must be a whole number of MiB, at least 1M`);
        if (bytes > 3584 * 2 ** 20) throw new UsageError(`--mem: ${v} is more than the 3584M that fit below the 4 GiB PCI hole`);
        a.memoryBytes = bytes;
        break;
      }
      case "--bios": a.bios = v; break;
      case "--vga-bios": a.vgaBios = v; break;
      case "--kernel": a.kernel = v; break;
      case "--initrd": a.initrd = v; break;
      case "--append": a.append = v; break;
      case "--hda": a.hda = v; break;
      case "--hdb": a.hdb = v; break;
      case "--cdrom": a.cdrom = v; break;
      case "--fda": a.fda = v; break;
      case "--boot":
        if (v !== "cd" && v !== "hd" && v !== "fd") throw new UsageError(`--boot: '${v}' is not one of cd, hd, fd`);
        a.boot = v;
        break;
      case "--serial":
        if (v === "stdio") a.serial = { kind: "stdio" };
        else if (v.startsWith("file:") && v.length > 5) a.serial = { kind: "file", path: v.slice(5) };
        else throw new UsageError(`--serial: expected stdio or file:PATH, got '${v}'`);
        break;
      case "--debugcon": a.debugcon.push(parseDebugcon(v)); break;
      case "--exit-on": a.exitOn = v; break;
      case "--timeout": {
        const t = Number(v);
        if (!Number.isFinite(t) || t <= 0) throw new UsageError(`--timeout: '${v}' is not a positive number of seconds`);
        a.timeoutSeconds = t;
        break;
      }
      case "--no-acpi": a.acpi = false; break;
      case "--no-apic": a.apic = false; break;
      default:
        throw new UsageError(`unknown option '${flag}' (see 'lab86 --help')`);
    }
  }
  return a;
}
