// Boot a real guest on the PC and talk to it over COM1, in virtual time: waits are bounded by
// virtual nanoseconds (deterministic), never by wall-clock time.
import { readFileSync, existsSync } from "node:fs";
import { Pc, type PcConfig } from "../../src/machine/pc";

export const RELEASE_WASM = "build/cpu.wasm";

export class GuestConsole {
  output = "";
  private readonly listeners: (() => void)[] = [];
  constructor(readonly pc: Pc) {}

  onByte(b: number): void {
    this.output += String.fromCharCode(b);
  }

  /** Type text on COM1 (newline as carriage return, as a terminal sends it). */
  type(text: string): void {
    this.pc.uarts[0].receive([...text].map((c) => (c === "\n" ? 13 : c.charCodeAt(0))));
  }

  /**
   * Run until `text` appears in the output after position `from`, or `maxVirtualSeconds` of guest
   * time pass (then throw with the output tail). Returns the index after the match.
   */
  waitFor(text: string, maxVirtualSeconds: number, from = 0): number {
    const m = this.pc.machine;
    const end = m.clock.now + maxVirtualSeconds * 1e9;
    for (;;) {
      const at = this.output.indexOf(text, from);
      if (at >= 0) return at + text.length;
      if (m.clock.now >= end) {
        throw new Error(`'${text}' did not appear within ${maxVirtualSeconds} s of guest time; output tail:\n${this.output.slice(-1500)}`);
      }
      const r = m.runSlice(end, 200_000);
      if (r && r.kind !== "budget") {
        throw new Error(`the machine stopped (${r.kind}${"why" in r ? `: ${r.why}` : ""}) before '${text}' appeared; output tail:\n${this.output.slice(-1500)}`);
      }
    }
  }
}

export async function bootGuest(cfg: Omit<PcConfig, "wasm" | "onSerialOutput" | "rtcBaseTime" | "uuid"> & Partial<Pick<PcConfig, "uuid">>): Promise<GuestConsole> {
  if (!existsSync(RELEASE_WASM)) throw new Error(`${RELEASE_WASM} is missing: run 'npm run build:wasm'`);
  let con: GuestConsole | null = null;
  const pc = await Pc.create({
    ...cfg,
    wasm: readFileSync(RELEASE_WASM),
    rtcBaseTime: Date.UTC(2026, 0, 1),
    uuid: cfg.uuid ?? Uint8Array.from({ length: 16 }, (_, i) => i),
    onSerialOutput: (port, b) => {
      if (port === 0) con!.onByte(b);
    },
  });
  pc.machine.tripleFault = "stop";
  con = new GuestConsole(pc);
  return con;
}
