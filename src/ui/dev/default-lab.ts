// Vite plugin (Node side) for the default lab VM at lab/default.json (media under lab/default/),
// without copying anything into the repository. The kernel and busybox initramfs come from
// fixtures/out/; the initrd gets a second, appended cpio archive whose /init starts a shell on
// both the serial line and the VGA console (the kernel unpacks concatenated archives in order,
// later files replacing earlier ones: Documentation/driver-api/early-userspace/buffer-format.rst).
// - `npm start`: the dev server serves them, building the fixtures (`npm run fixtures -- linux`)
//   on first start when missing.
// - `npm run build`: the site gets copies when the fixtures exist (they are Debian's binaries,
//   never committed, and a build does not fetch them); otherwise the build warns and the site has
//   no lab/ (the app and the example page then say so).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { Plugin } from "vite";
import { writeCpio, S_IFREG } from "../../../scripts/lib/cpio";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");

/** The kernel command line: messages on both consoles, /dev/console on the screen (the last one); the machine has no ACPI tables (acpi: false), so acpi=off saves the kernel a warning. */
export const DEFAULT_CMDLINE = "console=ttyS0 console=tty0 quiet nokaslr cryptomgr.notests acpi=off";

// One interactive shell per console, each its own session with the console as controlling
// terminal (opening a tty from a session leader without one makes it the controlling tty), so
// that Ctrl+C and job control work on both.
export const APP_INIT = `#!/bin/sh
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /tmp /root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "lab86: Linux $(uname -r) with busybox, shells on tty1 and ttyS0"
export PS1='lab86:\\w# ' HOME=/root PATH=/bin
shell() { while true; do setsid sh -c "exec sh -i <>$1 >&0 2>&0"; sleep 1; done; }
shell /dev/ttyS0 &
shell /dev/tty1
`;

export function appInitrdOverlay(): Uint8Array {
  return gzipSync(writeCpio([{ name: "init", mode: S_IFREG | 0o755, data: new TextEncoder().encode(APP_INIT) }]));
}

/** The lab manifest (manifest.ts); media URLs are relative to lab/default.json. */
export function defaultLabManifest(): object {
  return {
    name: "Debian 12 kernel + busybox (lab86 default lab)",
    kernel: "default/vmlinuz", initrd: "default/initrd",
    cmdline: DEFAULT_CMDLINE, memory: 128, acpi: false, apic: false,
  };
}

/** The busybox initramfs followed by the overlay with the app's /init. */
function initrdWithOverlay(initrd: string): Uint8Array {
  const base = readFileSync(initrd);
  const overlay = appInitrdOverlay();
  const out = new Uint8Array(base.length + overlay.length);
  out.set(base, 0);
  out.set(overlay, base.length);
  return out;
}

type LabStatus = { state: "ready" } | { state: "building"; log: string } | { state: "unavailable"; reason: string };

/**
 * The plugin. Environment: LAB86_FIXTURES_OUT names another fixtures directory, and
 * LAB86_NO_FIXTURE_BUILD=1 reports missing fixtures instead of building them (tests use both).
 */
export function defaultLab(): Plugin {
  const OUT = process.env.LAB86_FIXTURES_OUT ?? join(ROOT, "fixtures", "out");
  const KERNEL = join(OUT, "vmlinuz-686");
  const INITRD = join(OUT, "initramfs-busybox.cpio.gz");
  let status: LabStatus | null = null;
  const have = () => existsSync(KERNEL) && existsSync(INITRD);

  function ensure(): LabStatus {
    if (status && status.state !== "ready") return status;
    if (have()) return (status = { state: "ready" });
    if (process.env.LAB86_NO_FIXTURE_BUILD) {
      return (status = { state: "unavailable", reason: `${KERNEL} or ${INITRD} is missing and building the fixtures is turned off (run: npm run fixtures -- linux)` });
    }
    const building: LabStatus = (status = { state: "building", log: "" });
    const child = spawn(process.execPath, [join(ROOT, "bin", "run-ts.mjs"), join(ROOT, "scripts", "fixtures.ts"), "linux"], { cwd: ROOT });
    const collect = (b: Buffer) => {
      building.log = (building.log + b.toString()).slice(-4000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", (e) => (status = { state: "unavailable", reason: `cannot run npm run fixtures -- linux: ${e.message}` }));
    child.on("exit", (code) => {
      if (code === 0 && have()) status = { state: "ready" };
      else {
        const last = building.log.trim().split("\n").slice(-3).join(" ");
        status = { state: "unavailable", reason: `npm run fixtures -- linux failed on this host (${last || `exit status ${code}`})` };
      }
    });
    return status;
  }

  return {
    name: "lab86-default-lab",
    generateBundle() {
      if (!have()) {
        this.warn(`the default lab is not in the site: ${KERNEL} or ${INITRD} is missing (run: npm run fixtures -- linux, then build again)`);
        return;
      }
      this.emitFile({ type: "asset", fileName: "lab/default.json", source: JSON.stringify(defaultLabManifest(), null, 2) + "\n" });
      this.emitFile({ type: "asset", fileName: "lab/default/vmlinuz", source: readFileSync(KERNEL) });
      this.emitFile({ type: "asset", fileName: "lab/default/initrd", source: initrdWithOverlay(INITRD) });
    },
    configureServer(server) {
      server.httpServer?.once("listening", () => ensure());
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? "").split("?")[0];
        if (!url.startsWith("/lab/default")) return next();
        const s = ensure();
        const send = (code: number, type: string, body: string | Uint8Array) => {
          res.statusCode = code;
          res.setHeader("content-type", type);
          res.setHeader("cache-control", "no-store");
          res.end(body);
        };
        if (url === "/lab/default.json") {
          if (s.state !== "ready") return send(503, "application/json", JSON.stringify(s));
          return send(200, "application/json", JSON.stringify(defaultLabManifest()));
        }
        if (s.state !== "ready") return send(503, "text/plain", "the default lab is not available");
        if (url === "/lab/default/vmlinuz") return send(200, "application/octet-stream", readFileSync(KERNEL));
        if (url === "/lab/default/initrd") return send(200, "application/octet-stream", initrdWithOverlay(INITRD));
        send(404, "text/plain", "not found");
      });
    },
  };
}
