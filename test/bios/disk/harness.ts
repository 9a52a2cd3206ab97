// Run an INT 13h test program as the boot code of a PC with lab86's BIOS, and (as the oracle for
// BIOS conventions) the same program and images on qemu-system-i386 with SeaBIOS. Programs report
// through the debug console (port E9h) and stop at isa-debug-exit (port F4h).
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync, rmSync, openSync, ftruncateSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { Pc } from "../../../src/machine/pc";
import type { BlockBackend } from "../../../src/machine/block";
import type { BootDevice } from "../../../bios/firmware";
import { DEBUG_WASM } from "../../support/cpu";

export interface Drives {
  hda?: BlockBackend;
  hdb?: BlockBackend;
  fda?: BlockBackend;
  cdrom?: BlockBackend;
}

export interface Run {
  /** Debug console output. */
  out: string;
  /** Messages the firmware logged. */
  log: string[];
  /** The exit status written to port F4h, or null if the program never got there. */
  exit: number | null;
  /** Guest physical memory after the run. */
  read(addr: number, length: number): Uint8Array;
}

/**
 * Boot `drives` in `bootOrder` on lab86 and run until the program exits or `maxVirtualSeconds`
 * pass. `yieldToHost` lets the event loop run between slices (for asynchronous backends).
 */
export async function runLab86(drives: Drives, bootOrder: BootDevice[], maxVirtualSeconds = 5, opts: { yieldToHost?: boolean } = {}): Promise<Run> {
  let out = "";
  let exit: number | null = null;
  const log: string[] = [];
  const pc = await Pc.create({
    memoryBytes: 32 << 20, wasm: readFileSync(DEBUG_WASM), ...drives, bootOrder, acpi: false, apic: false,
    rtcBaseTime: Date.UTC(2026, 0, 1), uuid: new Uint8Array(16),
    debugcon: [{ port: 0xe9, onByte: (b) => (out += String.fromCharCode(b)) }],
    onDebugExit: (s) => {
      exit = s;
      pc.machine.requestStop({ kind: "stopped", why: "debug exit" });
    },
    log: (m) => log.push(m),
  });
  pc.machine.tripleFault = "stop";
  const end = pc.machine.clock.now + maxVirtualSeconds * 1e9;
  while (exit === null && pc.machine.clock.now < end) {
    const r = pc.machine.runSlice(end, 200_000);
    if (r && r.kind !== "budget") break;
    // Asynchronous backends complete on the host's event loop: let it run between slices.
    if (opts.yieldToHost) await new Promise((done) => setImmediate(done));
  }
  return { out, log, exit, read: (addr, length) => pc.machine.phys.read(addr, length) };
}

/** A backend that answers every read and write later (as HTTP or IndexedDB storage does). */
export class AsyncBackend implements BlockBackend {
  reads = 0;
  writes = 0;
  constructor(private readonly inner: BlockBackend) {}
  get byteLength(): number {
    return this.inner.byteLength;
  }
  get readOnly(): boolean {
    return this.inner.readOnly;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    this.reads++;
    return new Promise((done, fail) => setImmediate(() => {
      try {
        done(this.inner.read(offset, length) as Uint8Array);
      } catch (e) {
        fail(e);
      }
    }));
  }
  write(offset: number, data: Uint8Array): Promise<void> {
    this.writes++;
    const copy = data.slice();
    return new Promise((done) => setImmediate(() => {
      this.inner.write(offset, copy);
      done();
    }));
  }
  flush(): void {}
}

/** A drive for QEMU: image bytes, or a size with the given head bytes (sparse file). */
export interface QemuDrive {
  bytes?: Uint8Array;
  size?: number;
  head?: Uint8Array;
}

/** Run on QEMU (SeaBIOS) with the same images: `-hda`, `-fda`, `-cdrom`, booting `boot` (c, a or d). */
export function runQemu(drives: { hda?: QemuDrive; fda?: QemuDrive; cdrom?: QemuDrive }, boot: "c" | "a" | "d"): string {
  mkdirSync("build/tmp", { recursive: true });
  const dir = mkdtempSync(join("build/tmp", "int13-"));
  try {
    const args = ["-display", "none", "-nodefaults", "-m", "32", "-no-reboot", "-boot", boot,
      "-device", "isa-debugcon,iobase=0xe9,chardev=c", "-chardev", `file,id=c,path=${join(dir, "log")}`,
      "-device", "isa-debug-exit,iobase=0xf4,iosize=1"];
    for (const [name, d] of Object.entries(drives)) {
      if (!d) continue;
      const p = join(dir, `${name}.img`);
      const fd = openSync(p, "w");
      if (d.bytes) writeSync(fd, d.bytes);
      else {
        if (d.head) writeSync(fd, d.head);
        ftruncateSync(fd, d.size!);
      }
      closeSync(fd);
      const iface = name === "hda" ? "ide,index=0" : name === "fda" ? "floppy,index=0" : "ide,index=2,media=cdrom";
      args.push("-drive", `file=${p},format=raw,if=${iface.split(",")[0]},${iface.split(",").slice(1).join(",")}`);
    }
    writeFileSync(join(dir, "log"), "");
    spawnSync("qemu-system-i386", args, { timeout: 30_000 });
    return readFileSync(join(dir, "log"), "latin1");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines of the output keyed by their label (the text before the first space). */
export function byLabel(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split("\n")) {
    const i = line.indexOf(" ");
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/** "LBA " + u32 little-endian, as hex: what the first 8 bytes of pattern sector `lba` dump as. */
export function lbaHeader(lba: number): string {
  const b = [0x4c, 0x42, 0x41, 0x20, lba & 0xff, (lba >>> 8) & 0xff, (lba >>> 16) & 0xff, lba >>> 24];
  return b.map((x) => x.toString(16).padStart(2, "0")).join("");
}
