// Messages between the page and the machine's Web Worker. The page only renders and forwards
// input; the worker owns the machine, its clock and its pacing.

/** Where boot media come from: bytes the page already has, or a URL the worker fetches. */
export type MediaSource = { kind: "bytes"; name: string; data: ArrayBuffer } | { kind: "url"; url: string };

export interface VmConfig {
  memoryMiB: number;
  kernel?: MediaSource;
  initrd?: MediaSource;
  cmdline?: string;
  hda?: MediaSource;
  cdrom?: MediaSource;
  fda?: MediaSource;
  boot?: "cd" | "hd" | "fd";
  acpi?: boolean;
  apic?: boolean;
  /** URL of the CPU module; the worker's bundled build/cpu.wasm when absent. */
  wasmUrl?: string;
}

/** "stopped": powered off, halted for good, or never started. */
export type VmState = "idle" | "loading" | "running" | "paused" | "stopped" | "error";

export type ToWorker =
  | { type: "start"; config: VmConfig; canvas?: OffscreenCanvas }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "reset" }
  | { type: "power-off" }
  | { type: "key"; code: number; down: boolean }
  /** Key events typed in order, paced so that the keyboard's buffer never overruns (paste, combos). */
  | { type: "type-keys"; events: { code: number; down: boolean }[] }
  | { type: "mouse"; dx: number; dy: number; dz: number; buttons: number }
  | { type: "serial-in"; data: string }
  | { type: "screenshot"; id: number }
  | { type: "debug-text"; id: number };

export type FromWorker =
  | { type: "state"; state: VmState; detail?: string }
  | { type: "progress"; what: string; loaded: number; total: number | null }
  | { type: "error"; message: string }
  | { type: "serial-out"; data: Uint8Array }
  | { type: "resize"; width: number; height: number; aspect: number; border: number }
  | { type: "stats"; mips: number; virtualSeconds: number; diskActivity: boolean; leds: number }
  | { type: "screenshot"; id: number; png: Blob | null }
  | { type: "debug-text"; id: number; rows: string[] | null; cursor: { row: number; column: number } | null };
