// The page's handle on one virtual machine: owns its Web Worker, turns the worker's messages into
// events, and offers the calls the app and <vm-frame> share. One VmClient = one worker = one VM.
import type { FromWorker, ToWorker, VmConfig, VmState } from "./protocol";
import { CTRL_ALT_DEL } from "./keymap";
import { textToKeyEvents, comboToKeyEvents, type KeyEvent } from "./paste";

export interface VmStats {
  mips: number;
  virtualSeconds: number;
  diskActivity: boolean;
  leds: number;
}

type Events = {
  state: (state: VmState, detail?: string) => void;
  error: (message: string) => void;
  progress: (what: string, loaded: number, total: number | null) => void;
  serial: (bytes: Uint8Array) => void;
  resize: (width: number, height: number, aspect: number, border: number) => void;
  stats: (stats: VmStats) => void;
};

export class VmClient {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, (m: FromWorker) => void>();
  private listeners: { [K in keyof Events]: Events[K][] } = { state: [], error: [], progress: [], serial: [], resize: [], stats: [] };
  state: VmState = "idle";
  stateDetail = "";
  width = 0;
  height = 0;

  constructor() {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "lab86-vm" });
    this.worker.onmessage = (ev: MessageEvent<FromWorker>) => this.receive(ev.data);
    this.worker.onerror = (ev) => {
      const message = `The emulator's worker failed to load${ev.message ? `: ${ev.message}` : ""}.`;
      this.emit("error", message);
      this.setState("error", message);
    };
  }

  on<K extends keyof Events>(event: K, fn: Events[K]): void {
    this.listeners[event].push(fn);
  }

  private emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    for (const fn of this.listeners[event]) (fn as (...a: Parameters<Events[K]>) => void)(...args);
  }

  private setState(s: VmState, detail?: string): void {
    this.state = s;
    this.stateDetail = detail ?? "";
    this.emit("state", s, detail);
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case "state":
        this.setState(m.state, m.detail);
        break;
      case "error":
        this.emit("error", m.message);
        break;
      case "progress":
        this.emit("progress", m.what, m.loaded, m.total);
        break;
      case "serial-out":
        this.emit("serial", m.data);
        break;
      case "resize":
        this.width = m.width;
        this.height = m.height;
        this.emit("resize", m.width, m.height, m.aspect, m.border);
        break;
      case "stats":
        this.emit("stats", { mips: m.mips, virtualSeconds: m.virtualSeconds, diskActivity: m.diskActivity, leds: m.leds });
        break;
      case "screenshot":
      case "debug-text":
        this.pending.get(m.id)?.(m);
        this.pending.delete(m.id);
        break;
    }
  }

  private send(m: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  /** Boot a machine; the canvas's drawing moves to the worker (transferControlToOffscreen). */
  start(config: VmConfig, canvas: HTMLCanvasElement): void {
    const transfer: Transferable[] = [];
    for (const k of ["kernel", "initrd", "hda", "cdrom", "fda"] as const) {
      const src = config[k];
      if (src?.kind === "bytes") transfer.push(src.data);
    }
    const off = canvas.transferControlToOffscreen();
    this.send({ type: "start", config, canvas: off }, [off, ...transfer]);
  }

  pause(): void {
    this.send({ type: "pause" });
  }
  resume(): void {
    this.send({ type: "resume" });
  }
  reset(): void {
    this.send({ type: "reset" });
  }
  powerOff(): void {
    this.send({ type: "power-off" });
  }
  key(code: number, down: boolean): void {
    this.send({ type: "key", code, down });
  }
  typeKeys(events: KeyEvent[]): void {
    if (events.length) this.send({ type: "type-keys", events });
  }
  ctrlAltDel(): void {
    this.typeKeys(CTRL_ALT_DEL.map(([code, down]) => ({ code, down })));
  }
  /** A combination such as "ControlLeft+AltLeft+F1". */
  combo(combo: string): void {
    this.typeKeys(comboToKeyEvents(combo));
  }
  /** Type text on the keyboard (US layout); returns the characters that could not be typed. */
  typeText(text: string): string[] {
    const r = textToKeyEvents(text);
    this.typeKeys(r.events);
    return r.untypable;
  }
  mouse(dx: number, dy: number, dz: number, buttons: number): void {
    this.send({ type: "mouse", dx, dy, dz, buttons });
  }
  serialIn(data: string): void {
    this.send({ type: "serial-in", data });
  }

  private request<T extends FromWorker["type"]>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (m) => resolve(m as Extract<FromWorker, { type: T }>));
      this.send({ type, id } as ToWorker);
    });
  }

  async screenshot(): Promise<Blob | null> {
    return (await this.request("screenshot")).png;
  }

  /** The VGA text screen's rows (null in graphics modes): the tests' window onto the guest. */
  async textScreen(): Promise<{ rows: string[]; cursor: { row: number; column: number } } | null> {
    const m = await this.request("debug-text");
    return m.rows && m.cursor ? { rows: m.rows, cursor: m.cursor } : null;
  }

  terminate(): void {
    this.worker.terminate();
    for (const fn of this.pending.values()) fn({ type: "debug-text", id: 0, rows: null, cursor: null });
    this.pending.clear();
  }
}
