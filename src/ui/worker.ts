// The machine's Web Worker: builds the PC from a VmConfig, runs it paced to wall time, draws the
// VGA frame into the OffscreenCanvas the page transferred, and forwards serial output. The page
// never touches the machine; everything arrives here as messages (protocol.ts).
import { Pc } from "../machine/pc";
import { MemoryBackend } from "../machine/block";
import { copyRect } from "../machine/vga/render";
import { loadMedia, MediaError } from "./media";
import type { FromWorker, ToWorker, VmConfig, VmState } from "./protocol";

const ctx = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker, transfer: Transferable[] = []) => ctx.postMessage(m, transfer);

let pc: Pc | null = null;
let canvas: OffscreenCanvas | null = null;
let g2d: OffscreenCanvasRenderingContext2D | null = null;
let state: VmState = "loading";
let serialBuf = "";
let timer: ReturnType<typeof setTimeout> | null = null;
/** Wall-clock ms at which virtual time `virtAtStart` was current: pacing reference. */
let wallStart = 0;
let virtAtStart = 0;
let statsInsns = 0n;
let statsWall = 0;

function setState(s: VmState, detail?: string): void {
  state = s;
  post({ type: "state", state: s, detail });
}

function fail(message: string): void {
  if (timer) clearTimeout(timer);
  timer = null;
  post({ type: "error", message });
  setState("error", message);
}

async function start(config: VmConfig): Promise<void> {
  setState("loading");
  const media = async (what: string, src: VmConfig["kernel"]) =>
    src ? loadMedia(what, src, (loaded, total) => post({ type: "progress", what, loaded, total })) : undefined;
  const wasm = await WebAssembly.compileStreaming(fetch(config.wasmUrl)).catch((e) => {
    throw new MediaError(`cannot load the CPU module ${config.wasmUrl}: ${(e as Error).message}`);
  });
  const kernel = await media("kernel", config.kernel);
  const initrd = await media("initrd", config.initrd);
  const hda = await media("hard disk", config.hda);
  const cdrom = await media("CD-ROM", config.cdrom);
  const fda = await media("floppy", config.fda);
  const disk = (d: Uint8Array | undefined, sector: number, what: string, ro: boolean) => {
    if (!d) return undefined;
    if (d.length % sector) throw new MediaError(`${what} image is ${d.length} bytes, not a multiple of ${sector}`);
    return new MemoryBackend(d, ro);
  };
  const order: ("cd" | "hd" | "fd")[] = config.boot ? [config.boot] : [];
  for (const d of ["cd", "hd", "fd"] as const) if (!order.includes(d)) order.push(d);
  pc = await Pc.create({
    memoryBytes: config.memoryMiB << 20,
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
      if (port === 0) serialBuf += String.fromCharCode(b);
    },
    log: (m) => console.warn(`lab86: ${m}`),
  });
  if (pc.firmware) pc.firmware.onNoBootDevice = () => fail("No bootable device: the machine has no disk, CD or kernel it can boot from.");
  resume();
}

function resume(): void {
  if (!pc) return;
  wallStart = performance.now();
  virtAtStart = pc.machine.clock.now;
  statsWall = wallStart;
  setState("running");
  schedule(0);
}

function schedule(ms: number): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(tick, ms);
}

/** One scheduling quantum: run the guest until virtual time catches up with wall time (at most ~12 ms of host time), then draw. */
function tick(): void {
  timer = null;
  if (!pc || state !== "running") return;
  const m = pc.machine;
  const budgetEnd = performance.now() + 12;
  let wait = 0;
  try {
    while (performance.now() < budgetEnd) {
      const wallVirt = virtAtStart + (performance.now() - wallStart) * 1e6;
      if (m.clock.now >= wallVirt) {
        // Ahead of wall time (or idle): sleep until the guest's next event is due.
        const next = Math.min(m.clock.nextDeadline(), wallVirt + 4e6);
        wait = Math.max(0, (next - wallVirt) / 1e6);
        break;
      }
      const r = m.runSlice(wallVirt, 100_000);
      if (r) {
        if (r.kind === "halted") {
          wait = 4;
          break;
        }
        if (r.kind === "stopped") {
          flush();
          setState("stopped", r.why);
          return;
        }
        fail(r.kind === "triple-fault" ? "The guest crashed: triple fault (CPU shutdown)." : `The machine stopped: ${r.kind}`);
        return;
      }
    }
  } catch (e) {
    fail(`Internal error: ${(e as Error).message}`);
    return;
  }
  flush();
  schedule(Math.min(wait, 16));
}

let lastDraw = 0;
function flush(): void {
  if (!pc) return;
  if (serialBuf) {
    post({ type: "serial-out", data: serialBuf });
    serialBuf = "";
  }
  const now = performance.now();
  if (now - lastDraw >= 15) {
    lastDraw = now;
    draw();
  }
  if (now - statsWall >= 1000) {
    const insns = pc.machine.cpu.dv.getBigUint64(0x1000 + 0x1a8, true);
    post({ type: "stats", mips: Number(insns - statsInsns) / ((now - statsWall) * 1000), virtualSeconds: pc.machine.clock.now / 1e9, diskActivity: false });
    statsInsns = insns;
    statsWall = now;
  }
}

function draw(): void {
  if (!pc) return;
  const u = pc.vga.render();
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

ctx.onmessage = async (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  try {
    switch (msg.type) {
      case "start":
        if (msg.canvas) {
          canvas = msg.canvas;
          g2d = canvas.getContext("2d");
        }
        await start(msg.config);
        break;
      case "pause":
        if (state === "running") {
          if (timer) clearTimeout(timer);
          timer = null;
          setState("paused");
        }
        break;
      case "resume":
        if (state === "paused") resume();
        break;
      case "reset":
        pc?.machine.requestReset();
        if (state === "paused" || state === "stopped") {
          pc?.machine.reset();
          resume();
        }
        break;
      case "power-off":
        if (timer) clearTimeout(timer);
        timer = null;
        setState("stopped", "powered off");
        break;
      case "key":
        if (msg.down) pc?.ps2.keyDown(msg.code);
        else pc?.ps2.keyUp(msg.code);
        break;
      case "mouse":
        pc?.ps2.mouseMove(msg.dx, msg.dy, msg.dz, msg.buttons);
        break;
      case "serial-in":
        pc?.uarts[0].receive([...new TextEncoder().encode(msg.data)]);
        break;
      case "screenshot":
        post({ type: "screenshot", id: msg.id, png: canvas ? await canvas.convertToBlob({ type: "image/png" }) : null });
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
    fail(e instanceof MediaError ? e.message : `Internal error: ${(e as Error).message}`);
  }
};
