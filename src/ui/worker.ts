// The machine's Web Worker: builds the PC from a VmConfig, runs it paced to wall time, draws the
// VGA frame into the OffscreenCanvas the page transferred, and forwards serial output. The page
// never touches the machine; everything arrives here as messages (protocol.ts).
import { Pc } from "../machine/pc";
import { MemoryBackend, type BlockBackend } from "../machine/block";
import { copyRect } from "../machine/vga/render";
import { KernelImageError } from "../machine/boot/linux";
import * as L from "../../asm/layout";
import { loadMedia, MediaError } from "./media";
import type { FromWorker, ToWorker, VmConfig, VmState } from "./protocol";

const ctx = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker, transfer: Transferable[] = []) => ctx.postMessage(m, transfer);
const DEFAULT_WASM_URL = new URL("../../build/cpu.wasm", import.meta.url).href;

let pc: Pc | null = null;
let canvas: OffscreenCanvas | null = null;
let g2d: OffscreenCanvasRenderingContext2D | null = null;
let state: VmState = "idle";
let serialBuf: number[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;
let immediatePending = false;
/** Wall-clock ms at which virtual time `virtAtStart` was current: pacing reference. */
let wallStart = 0;
let virtAtStart = 0;
let statsInsns = 0n;
let statsWall = 0;
let diskOps = 0;
/** Why the firmware could not load the kernel, if it tried. */
let kernelFailure: string | null = null;
/** Paced typing (paste, key combinations): events waiting, and the virtual time the next may go. */
let typing: { code: number; down: boolean }[] = [];
let nextKeyAt = 0;
/** Virtual ns between typed key events: 8 ms, well above what a BIOS or Linux keyboard handler needs. */
const TYPING_INTERVAL_NS = 8e6;
/** When the guest falls this far behind wall time (a busy CPU), pacing stops trying to catch up. */
const MAX_LAG_NS = 100e6;

function setState(s: VmState, detail?: string): void {
  state = s;
  post({ type: "state", state: s, detail });
}

function stopTimers(): void {
  if (timer) clearTimeout(timer);
  timer = null;
}

function fail(message: string): void {
  stopTimers();
  flushSerial();
  post({ type: "error", message });
  setState("error", message);
}

/** Counts reads and writes so the page can show disk activity. */
class ActivityBackend implements BlockBackend {
  constructor(private readonly inner: BlockBackend) {}
  get byteLength(): number {
    return this.inner.byteLength;
  }
  get readOnly(): boolean {
    return this.inner.readOnly;
  }
  read(offset: number, length: number) {
    diskOps++;
    return this.inner.read(offset, length);
  }
  write(offset: number, data: Uint8Array) {
    diskOps++;
    return this.inner.write(offset, data);
  }
  flush() {
    return this.inner.flush();
  }
}

async function start(config: VmConfig): Promise<void> {
  setState("loading");
  const media = async (what: string, src: VmConfig["kernel"]) =>
    src ? loadMedia(what, src, (loaded, total) => post({ type: "progress", what, loaded, total })) : undefined;
  const wasmUrl = config.wasmUrl ?? DEFAULT_WASM_URL;
  let wasm: WebAssembly.Module;
  try {
    const res = await fetch(wasmUrl);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    wasm = await WebAssembly.compile(await res.arrayBuffer());
  } catch (e) {
    throw new MediaError(`cannot load the CPU module ${wasmUrl.slice(0, 80)}: ${(e as Error).message}`);
  }
  const kernel = await media("kernel", config.kernel);
  const initrd = await media("initrd", config.initrd);
  const hda = await media("hard disk", config.hda);
  const cdrom = await media("CD-ROM", config.cdrom);
  const fda = await media("floppy", config.fda);
  const disk = (d: Uint8Array | undefined, sector: number, what: string, ro: boolean) => {
    if (!d) return undefined;
    if (d.length % sector) throw new MediaError(`the ${what} image is ${d.length} bytes, not a multiple of ${sector}: is it really a ${what} image?`);
    return new ActivityBackend(new MemoryBackend(d, ro));
  };
  const order: ("cd" | "hd" | "fd")[] = config.boot ? [config.boot] : [];
  for (const d of ["cd", "hd", "fd"] as const) if (!order.includes(d)) order.push(d);
  pc = await Pc.create({
    memoryBytes: config.memoryMiB * 1024 * 1024,
    wasm,
    kernel: kernel ? { image: kernel, initrd, cmdline: config.cmdline ?? "" } : undefined,
    hda: disk(hda, 512, "hard disk", false),
    cdrom: disk(cdrom, 2048, "CD-ROM", true),
    fda: disk(fda, 512, "floppy", false),
    bootOrder: order,
    acpi: config.acpi ?? true,
    apic: config.apic ?? true,
    rtcBaseTime: Date.now(),
    uuid: crypto.getRandomValues(new Uint8Array(16)),
    onSerialOutput: (port, b) => {
      if (port === 0) serialBuf.push(b);
    },
    log: (m) => {
      console.warn(`lab86: ${m}`);
      // The BIOS reports a kernel it could not load this way, then says no device could boot.
      const k = /^kernel boot failed: (.*)$/.exec(m);
      if (k) kernelFailure = k[1];
    },
  });
  // A PC resets on a triple fault; here the page says so instead of rebooting in a loop, since a
  // triple fault in a lab is almost always a crash the student should see.
  pc.machine.tripleFault = "stop";
  if (pc.firmware) pc.firmware.onNoBootDevice = () => pc?.machine.requestStop({ kind: "stopped", why: "no-boot-device" });
  pc.machine.onSliceEnd.push(pumpTyping);
  resume();
}

function pumpTyping(): void {
  if (!pc || typing.length === 0) return;
  const now = pc.machine.clock.now;
  // Wait for the keyboard to hand its last bytes to the 8042 before the next key.
  if (now < nextKeyAt || pc.ps2.keyboard.state.out.count > 0) return;
  const e = typing.shift()!;
  if (e.down) pc.ps2.keyDown(e.code);
  else pc.ps2.keyUp(e.code);
  nextKeyAt = now + TYPING_INTERVAL_NS;
}

function resume(): void {
  if (!pc) return;
  wallStart = performance.now();
  virtAtStart = pc.machine.clock.now;
  statsWall = wallStart;
  statsInsns = insnCount();
  setState("running");
  schedule(0);
}

function insnCount(): bigint {
  return pc ? pc.machine.cpu.dv.getBigUint64(L.INSN_COUNT, true) : 0n;
}

// setTimeout(0) is clamped to 4 ms once nested; a message to ourselves runs at once, so a busy
// guest gets the whole core while the worker still handles the page's messages between ticks.
const wake = new MessageChannel();
wake.port1.onmessage = () => {
  immediatePending = false;
  tick();
};

function schedule(ms: number): void {
  stopTimers();
  if (ms <= 0) {
    if (!immediatePending) {
      immediatePending = true;
      wake.port2.postMessage(null);
    }
  } else timer = setTimeout(tick, ms);
}

/** One scheduling quantum: run the guest until virtual time catches up with wall time (at most ~15 ms of host time), then draw. */
function tick(): void {
  timer = null;
  if (!pc || state !== "running") return;
  const m = pc.machine;
  const budgetEnd = performance.now() + 15;
  let wait = 0;
  try {
    while (performance.now() < budgetEnd) {
      let wallVirt = virtAtStart + (performance.now() - wallStart) * 1e6;
      if (wallVirt - m.clock.now > MAX_LAG_NS) {
        // The CPU cannot keep up: let virtual time run slow rather than fire a burst of timers later.
        virtAtStart = m.clock.now + MAX_LAG_NS;
        wallStart = performance.now();
        wallVirt = virtAtStart;
      }
      if (m.clock.now >= wallVirt) {
        // Ahead of wall time (or idle): sleep until the guest's next event is due.
        const next = Math.min(m.clock.nextDeadline(), wallVirt + 4e6);
        wait = Math.max(1, (next - wallVirt) / 1e6);
        break;
      }
      const r = m.runSlice(wallVirt, 200_000);
      if (r) {
        if (r.kind === "halted") {
          // HLT with no timer armed: only host input (a key, the mouse, serial) can wake an
          // interruptible CPU, so keep polling; with IF=0 nothing can.
          if (m.cpu.get(L.FLAGS_BITS) & 0x200) {
            wait = 10;
            break;
          }
          flush(true);
          setState("stopped", "The guest halted the CPU with interrupts disabled (HLT with IF=0): it has nothing more to do.");
          return;
        }
        if (r.kind === "stopped") {
          flush(true);
          if (r.why === "no-boot-device") {
            fail(kernelFailure
              ? `The kernel cannot be booted: ${kernelFailure}.`
              : "No bootable device: the BIOS found no disk, CD or floppy it could boot, and no kernel was given.");
          } else setState("stopped", r.why === "the guest powered off" ? "The guest powered off." : r.why);
          return;
        }
        flush(true);
        fail(r.kind === "triple-fault"
          ? "The guest crashed: triple fault (the CPU shut down). Reset to start again."
          : `The machine stopped: ${r.kind}${"message" in r ? `: ${r.message}` : ""}`);
        return;
      }
    }
  } catch (e) {
    // The firmware's direct kernel boot checks the image when the guest reaches INT 19h.
    fail(e instanceof KernelImageError ? `The kernel cannot be booted: ${e.message}.` : `Internal error in the emulator: ${(e as Error).message}`);
    return;
  }
  flush(false);
  schedule(Math.min(wait, 16));
}

function flushSerial(): void {
  if (serialBuf.length) {
    const data = new Uint8Array(serialBuf);
    serialBuf = [];
    post({ type: "serial-out", data }, [data.buffer]);
  }
}

let lastDraw = 0;
function flush(force: boolean): void {
  if (!pc) return;
  flushSerial();
  const now = performance.now();
  if (force || now - lastDraw >= 15) {
    lastDraw = now;
    draw();
  }
  if (now - statsWall >= 1000) {
    const insns = insnCount();
    post({
      type: "stats",
      // The count restarts at a reset; that second's rate is then unknown, not negative.
      mips: insns >= statsInsns ? Number(insns - statsInsns) / ((now - statsWall) * 1000) : 0,
      virtualSeconds: pc.machine.clock.now / 1e9,
      diskActivity: diskOps > 0,
      leds: pc.ps2.keyboard.state.leds,
    });
    diskOps = 0;
    statsInsns = insns;
    statsWall = now;
  }
}

function draw(): void {
  if (!pc) return;
  const u = pc.renderFrame();
  if (u.resized) post({ type: "resize", width: u.width, height: u.height, aspect: u.aspect, border: u.border });
  if (!canvas || !g2d || !u.changed || u.width === 0) return;
  if (canvas.width !== u.width || canvas.height !== u.height) {
    canvas.width = u.width;
    canvas.height = u.height;
  }
  const frame = pc.vga.frame;
  const r = u.resized ? { x: 0, y: 0, width: u.width, height: u.height } : u.changed;
  g2d.putImageData(new ImageData(copyRect(frame, r) as Uint8ClampedArray<ArrayBuffer>, r.width, r.height), r.x, r.y);
}

function releaseTyping(): void {
  // Never leave a key of a half-typed combination pressed.
  if (pc) for (const e of typing) if (!e.down) pc.ps2.keyUp(e.code);
  typing = [];
}

ctx.onmessage = async (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  try {
    switch (msg.type) {
      case "start":
        if (msg.canvas) {
          canvas = msg.canvas;
          g2d = canvas.getContext("2d");
        }
        if (pc) break; // one machine per worker: the page makes a new worker for a new machine
        await start(msg.config);
        break;
      case "pause":
        if (state === "running") {
          stopTimers();
          setState("paused");
        }
        break;
      case "resume":
        if (state === "paused") resume();
        break;
      case "reset":
        if (!pc) break;
        releaseTyping();
        pc.machine.reset();
        draw();
        if (state !== "running") resume();
        break;
      case "power-off":
        stopTimers();
        releaseTyping();
        if (pc) setState("stopped", "Powered off.");
        break;
      case "key":
        if (state !== "running" && state !== "paused") break;
        if (msg.down) pc?.ps2.keyDown(msg.code);
        else pc?.ps2.keyUp(msg.code);
        break;
      case "type-keys":
        if (pc) typing.push(...msg.events);
        break;
      case "mouse":
        if (state === "running") pc?.ps2.mouseMove(msg.dx, msg.dy, msg.dz, msg.buttons);
        break;
      case "serial-in":
        pc?.uarts[0].receive([...new TextEncoder().encode(msg.data)]);
        break;
      case "screenshot":
        if (pc) draw();
        post({ type: "screenshot", id: msg.id, png: canvas && canvas.width > 0 ? await canvas.convertToBlob({ type: "image/png" }) : null });
        break;
      case "debug-text": {
        const t = pc?.vga.textCells() ?? null;
        post({
          type: "debug-text", id: msg.id,
          rows: t ? Array.from({ length: t.rows }, (_, i) => t.rowText(i)) : null,
          cursor: t ? { row: t.cursor.row, column: t.cursor.column } : null,
        });
        break;
      }
    }
  } catch (e) {
    const what = msg.type === "start" ? "The machine cannot start" : "Internal error in the emulator";
    fail(e instanceof MediaError ? e.message : `${what}: ${(e as Error).message}`);
  }
};
