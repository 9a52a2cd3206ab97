// <vm-frame>: a virtual machine as a custom element (shadow DOM), for lab pages.
//
//   <script type="module" src="vm-frame.js"></script>
//   <vm-frame src="lab.json" autostart serial></vm-frame>
//   <vm-frame kernel="vmlinuz" initrd="initrd.gz" cmdline="console=ttyS0" memory="64"></vm-frame>
//
// Attributes: src (a lab manifest, manifest.ts) or the media URLs kernel, initrd, cmdline, hda,
// cdrom, fda; memory (MiB, or "1G"); boot (cd|hd|fd); autostart; serial (adds a serial tab).
// Methods: start(), pause(), resume(), reset(), powerOff(), sendText(text), textScreen().
// Events: statechange (detail: the new state; the reason, if any, in stateDetail), serial (detail:
// the text the guest wrote to COM1), error (detail: the message shown in the frame).
// Each element runs its own machine in its own Web Worker.
import { VmClient } from "./vm-client";
import { ScreenView } from "./screen";
import { SerialTerminal } from "./serial-term";
import { fetchManifest, manifestToConfig, parseMemory, validateManifest, type LabManifest } from "./manifest";
import type { VmState } from "./protocol";

const STYLE = `
:host([hidden]) { display: none; }
:host { display: inline-flex; flex-direction: column; width: 640px; height: 440px; background: #000; color: #ddd;
  font: 13px system-ui, sans-serif; border: 1px solid #333; box-sizing: border-box; position: relative; }
.bar { display: flex; gap: 4px; align-items: center; padding: 3px 5px; background: #23252b; }
.bar button { font: inherit; padding: 1px 7px; background: #33363f; color: #eee; border: 1px solid #4a4d57; border-radius: 3px; }
.bar button[aria-selected="true"] { background: #4a6fa5; }
.bar .grow { flex: 1; }
.state { padding: 0 6px; border-radius: 7px; background: #444; }
.state.running { background: #2d6b3a; } .state.paused { background: #7a6220; } .state.error { background: #8a2c2c; }
.views { flex: 1; min-height: 0; display: flex; }
.view { flex: 1; min-height: 0; display: flex; align-items: center; justify-content: center; }
.view[hidden] { display: none; }
.serial { align-items: stretch; background: #101014; padding: 3px; }
.serial > .xterm { flex: 1; }
.lab86-surface { outline: none; width: 100%; height: 100%; display: flex; align-items: center; justify-content: center; }

.message { position: absolute; left: 10px; right: 10px; bottom: 10px; padding: 8px 10px; background: #4a1c1cee;
  border: 1px solid #a33; border-radius: 4px; white-space: pre-wrap; }
.message.info { background: #1f2d44ee; border-color: #4a6fa5; }
.message[hidden] { display: none; }
`;

export class VmFrame extends HTMLElement {
  static observedAttributes = ["serial"];
  private root: ShadowRoot;
  private vm: VmClient | null = null;
  private screen: ScreenView;
  private serialTerm: SerialTerminal | null = null;
  private stateEl: HTMLElement;
  private messageEl: HTMLElement;
  private tabs: HTMLElement;
  private screenPane: HTMLElement;
  private serialPane: HTMLElement;
  private serialOut = "";
  private connected = false;
  private _state: VmState = "idle";
  /** Why the machine is in its state, when there is a reason (an error, a guest power-off). */
  stateDetail = "";

  constructor() {
    super();
    this.root = this.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLE;
    this.root.append(style);
    const bar = el("div", "bar");
    this.stateEl = el("span", "state");
    this.stateEl.textContent = "idle";
    this.tabs = el("span", "tabs");
    const tabScreen = button("Screen", () => this.showTab("screen"));
    const tabSerial = button("Serial", () => this.showTab("serial"));
    tabScreen.setAttribute("aria-selected", "true");
    tabScreen.dataset.tab = "screen";
    tabSerial.dataset.tab = "serial";
    this.tabs.append(tabScreen, tabSerial);
    bar.append(
      button("Start", () => void this.start()), button("Pause", () => (this._state === "paused" ? this.resume() : this.pause())),
      button("Reset", () => this.reset()), button("Ctrl+Alt+Del", () => this.vm?.ctrlAltDel()),
      el("span", "grow"), this.tabs, this.stateEl,
    );
    const views = el("div", "views");
    this.screenPane = el("div", "view");
    this.serialPane = el("div", "view serial");
    this.serialPane.hidden = true;
    views.append(this.screenPane, this.serialPane);
    this.messageEl = el("div", "message");
    this.messageEl.hidden = true;
    this.root.append(bar, views, this.messageEl);
    this.screen = new ScreenView(this.screenPane);
    this.screen.onPaste = (text) => this.sendText(text);
  }

  /** "idle", "loading", "running", "paused", "stopped" or "error". */
  get state(): VmState {
    return this._state;
  }

  /** Everything the guest wrote to COM1 so far. */
  get serialOutput(): string {
    return this.serialOut;
  }

  connectedCallback(): void {
    this.connected = true;
    this.updateSerialTab();
    if (this.hasAttribute("autostart") && !this.vm) queueMicrotask(() => void this.start());
  }

  disconnectedCallback(): void {
    this.connected = false;
    this.vm?.terminate();
    this.vm = null;
  }

  attributeChangedCallback(): void {
    if (this.connected) this.updateSerialTab();
  }

  private updateSerialTab(): void {
    const on = this.hasAttribute("serial");
    this.tabs.hidden = !on;
    if (on && !this.serialTerm) this.serialTerm = new SerialTerminal(this.serialPane, (d) => this.vm?.serialIn(d));
    if (!on) this.showTab("screen");
  }

  private showTab(which: "screen" | "serial"): void {
    this.screenPane.hidden = which !== "screen";
    this.serialPane.hidden = which !== "serial";
    for (const b of this.tabs.querySelectorAll("button")) b.setAttribute("aria-selected", String(b.dataset.tab === which));
    if (which === "serial") {
      this.serialTerm?.fit();
      this.serialTerm?.focus();
    } else {
      this.screen.layout();
      this.screen.surface.focus();
    }
  }

  private message(text: string | null, kind: "error" | "info" = "error"): void {
    this.messageEl.hidden = !text;
    this.messageEl.textContent = text ?? "";
    this.messageEl.className = `message ${kind === "info" ? "info" : ""}`;
  }

  private setState(state: VmState, detail?: string): void {
    if (state === this._state && state !== "error" && state !== "stopped") return;
    this._state = state;
    this.stateEl.textContent = state;
    this.stateEl.className = `state ${state}`;
    this.stateEl.title = detail ?? "";
    this.stateDetail = detail ?? "";
    this.dispatchEvent(new CustomEvent("statechange", { detail: state }));
  }

  private fail(message: string): void {
    this.message(message);
    this.setState("error", message);
    this.dispatchEvent(new CustomEvent("error", { detail: message }));
  }

  /** The lab from the attributes (or the manifest at src), validated. */
  private async lab(): Promise<LabManifest> {
    const src = this.getAttribute("src");
    const base = document.baseURI;
    if (src) {
      const m = await fetchManifest(new URL(src, base).href);
      if (this.hasAttribute("memory")) m.memory = parseMemory(this.getAttribute("memory"), "the memory attribute");
      return m;
    }
    const fields: Record<string, unknown> = {};
    for (const k of ["kernel", "initrd", "cmdline", "hda", "cdrom", "fda", "boot", "memory"]) {
      const v = this.getAttribute(k);
      if (v !== null) fields[k] = v;
    }
    try {
      return validateManifest(fields, base);
    } catch (e) {
      throw new Error(`<vm-frame>: ${(e as Error).message.replace("the lab has no boot media: give", "no boot media: set the attribute")}`);
    }
  }

  /** Boot the machine (a running one is replaced). Resolves once booting has begun. */
  async start(): Promise<void> {
    this.message(null);
    this.vm?.terminate();
    this.vm = null;
    this.serialOut = "";
    this.serialTerm?.clear();
    this.setState("loading");
    let lab: LabManifest;
    try {
      lab = await this.lab();
    } catch (e) {
      this.fail((e as Error).message);
      return;
    }
    const vm = new VmClient();
    this.vm = vm;
    this.screen.attach(vm);
    vm.on("state", (s, d) => {
      if (vm !== this.vm) return;
      if (s !== "loading") this.message(null);
      this.setState(s, d);
      if (s === "stopped" && d) this.message(d, "info");
    });
    vm.on("error", (m) => vm === this.vm && this.fail(m));
    vm.on("progress", (what, loaded, total) => {
      const pct = total ? ` ${Math.round((100 * loaded) / total)}%` : ` ${(loaded / 1048576).toFixed(1)} MiB`;
      this.message(`Downloading the ${what}…${pct}`, "info");
    });
    vm.on("serial", (bytes) => {
      const text = this.serialTerm ? this.serialTerm.write(bytes) : new TextDecoder().decode(bytes);
      this.serialOut += text;
      this.dispatchEvent(new CustomEvent("serial", { detail: text }));
    });
    vm.on("resize", (w, h, aspect) => this.screen.setMode(w, h, aspect));
    vm.start(manifestToConfig(lab), this.screen.newCanvas());
  }

  pause(): void {
    this.vm?.pause();
  }
  resume(): void {
    this.vm?.resume();
  }
  reset(): void {
    this.message(null);
    this.vm?.reset();
  }
  powerOff(): void {
    this.vm?.powerOff();
  }
  /** Type text on the guest's keyboard (US layout). Returns the characters that have no key. */
  sendText(text: string): string[] {
    return this.vm ? this.vm.typeText(text) : [];
  }
  /** Send text to the guest's first serial port. */
  sendSerial(text: string): void {
    this.vm?.serialIn(text);
  }
  /** The VGA text screen (null in graphics modes or before boot). */
  async textScreen(): Promise<{ rows: string[]; cursor: { row: number; column: number } } | null> {
    return this.vm ? this.vm.textScreen() : null;
  }
  async screenshot(): Promise<Blob | null> {
    return this.vm ? this.vm.screenshot() : null;
  }
}

function el(tag: string, className: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.textContent = label;
  b.onclick = onClick;
  return b;
}

/** Define the element (once, even if the module is loaded twice). */
export function defineVmFrame(name = "vm-frame"): void {
  if (!customElements.get(name)) customElements.define(name, VmFrame);
}

declare global {
  interface HTMLElementTagNameMap {
    "vm-frame": VmFrame;
  }
}
