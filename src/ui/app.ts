// The lab86 app page (index.html): a control bar, boot media pickers, the screen and the serial
// console of one machine running in a Web Worker. Every failure ends in a message in the page.
import { VmClient } from "./vm-client";
import { ScreenView } from "./screen";
import { SerialTerminal } from "./serial-term";
import { fetchManifest, manifestToConfig, validateManifest, ManifestError, type LabManifest } from "./manifest";
import { KEY_COMBOS } from "./combos";
import { guessUrlKind } from "./media-kind";
import type { MediaSource, VmConfig, VmState } from "./protocol";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const buttons = {
  start: $<HTMLButtonElement>("start"), pause: $<HTMLButtonElement>("pause"), reset: $<HTMLButtonElement>("reset"),
  power: $<HTMLButtonElement>("power"), cad: $<HTMLButtonElement>("cad"), paste: $<HTMLButtonElement>("paste"),
  screenshot: $<HTMLButtonElement>("screenshot"), fullscreen: $<HTMLButtonElement>("fullscreen"),
  tabScreen: $<HTMLButtonElement>("tab-screen"), tabSerial: $<HTMLButtonElement>("tab-serial"),
};
const combo = $<HTMLSelectElement>("combo");
const screenView = $("screen-view");
const serialView = $("serial-view");

let vm: VmClient | null = null;
let serialText = "";
let defaultLab: LabManifest | null = null;
const screen = new ScreenView(screenView);
const serial = new SerialTerminal(serialView, (data) => vm?.serialIn(data));
screen.onPaste = (text) => typeText(text);

for (const c of KEY_COMBOS) combo.append(new Option(c.label, c.keys));

function showError(message: string | null, kind: "error" | "info" = "error"): void {
  const box = $("error");
  box.hidden = !message;
  box.textContent = message ?? "";
  box.classList.toggle("info", kind === "info");
}

function showProgress(text: string | null, loaded = 0, total: number | null = null): void {
  $("progress").hidden = text === null;
  $("progress-text").textContent = text ?? "";
  const bar = $<HTMLProgressElement>("progress-bar");
  if (total) {
    bar.max = total;
    bar.value = loaded;
  } else bar.removeAttribute("value");
}

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

function onState(state: VmState, detail?: string): void {
  const el = $("state");
  el.textContent = state;
  el.className = `state ${state}`;
  el.title = detail ?? "";
  const live = state === "running" || state === "paused";
  buttons.pause.disabled = !live;
  buttons.pause.textContent = state === "paused" ? "Resume" : "Pause";
  buttons.reset.disabled = !vm || state === "loading" || state === "idle";
  buttons.power.disabled = !live;
  buttons.cad.disabled = buttons.paste.disabled = combo.disabled = state !== "running";
  buttons.screenshot.disabled = !vm || state === "loading";
  if (state !== "loading") showProgress(null);
  if (state === "running") $<HTMLDetailsElement>("media").open = false;
  if (state === "stopped") showError(detail ? `${detail} Start boots it again.` : null, "info");
}

function switchTab(which: "screen" | "serial"): void {
  screenView.hidden = which !== "screen";
  serialView.hidden = which !== "serial";
  buttons.tabScreen.setAttribute("aria-selected", String(which === "screen"));
  buttons.tabSerial.setAttribute("aria-selected", String(which === "serial"));
  if (which === "serial") {
    serial.fit();
    serial.focus();
  } else {
    screen.layout();
    screen.surface.focus();
  }
}

function startVm(config: VmConfig): void {
  showError(null);
  vm?.terminate();
  serial.clear();
  serialText = "";
  vm = new VmClient();
  screen.attach(vm);
  const v = vm;
  v.on("state", (s, d) => v === vm && onState(s, d));
  v.on("error", (m) => v === vm && showError(m));
  v.on("progress", (what, loaded, total) => showProgress(`Downloading the ${what}: ${mib(loaded)}${total ? ` of ${mib(total)}` : ""}`, loaded, total));
  v.on("serial", (bytes) => {
    serialText += serial.write(bytes);
    if (serialText.length > 1 << 20) serialText = serialText.slice(-(1 << 19));
  });
  v.on("resize", (w, h, aspect) => screen.setMode(w, h, aspect));
  v.on("stats", (s) => {
    $("mips").textContent = `${s.mips.toFixed(1)} MIPS`;
    $("disk").classList.toggle("on", s.diskActivity);
    // PS/2 "set LEDs" bits (command EDh): 0 Scroll Lock, 1 Num Lock, 2 Caps Lock.
    $("leds").textContent = [[2, "Num"], [4, "Caps"], [1, "Scroll"]].filter(([bit]) => s.leds & (bit as number)).map(([, n]) => n).join(" ");
  });
  showProgress("Starting the machine…");
  onState("loading");
  v.start(config, screen.newCanvas());
  screen.surface.focus();
}

const fileSource = async (id: string): Promise<MediaSource | undefined> => {
  const f = $<HTMLInputElement>(id).files?.[0];
  if (!f) return undefined;
  return { kind: "bytes", name: f.name, data: await f.arrayBuffer() };
};

async function configFromForm(): Promise<VmConfig> {
  const memoryMiB = Number($<HTMLSelectElement>("memory").value);
  const source = (document.querySelector("input[name=source]:checked") as HTMLInputElement).value;
  const cmdline = $<HTMLInputElement>("cmdline").value;
  if (source === "default") {
    if (!defaultLab) throw new ManifestError($("default-note").textContent || "the default lab is not available on this server: choose local files or a URL");
    return { ...manifestToConfig(defaultLab), memoryMiB };
  }
  if (source === "url") {
    const url = $<HTMLInputElement>("url").value.trim();
    if (!url) throw new ManifestError("enter the URL of a disk image, CD image or lab manifest");
    const abs = new URL(url, location.href).href;
    const chosen = $<HTMLSelectElement>("url-kind").value;
    const kind = chosen === "auto" ? guessUrlKind(abs) : chosen;
    if (kind === "lab") return { ...manifestToConfig(await fetchManifest(abs)) };
    return { memoryMiB, [kind]: { kind: "url", url: abs }, cmdline: kind === "kernel" ? cmdline : undefined, boot: kind === "cdrom" ? "cd" : kind === "fda" ? "fd" : undefined };
  }
  const config: VmConfig = {
    memoryMiB,
    hda: await fileSource("file-hda"), cdrom: await fileSource("file-cdrom"), fda: await fileSource("file-fda"),
    kernel: await fileSource("file-kernel"), initrd: await fileSource("file-initrd"),
  };
  if (config.kernel) config.cmdline = cmdline;
  if (config.initrd && !config.kernel) throw new ManifestError("an initrd needs a kernel: choose the kernel file too");
  if (!config.kernel && !config.hda && !config.cdrom && !config.fda) throw new ManifestError("choose at least one disk, CD, floppy or kernel file");
  return config;
}

async function startFromForm(): Promise<void> {
  try {
    startVm(await configFromForm());
  } catch (e) {
    showError((e as Error).message);
  }
}

function typeText(text: string): void {
  if (!vm) return;
  const bad = vm.typeText(text);
  if (bad.length) showError(`These characters have no key on a US keyboard and were not typed: ${bad.map((c) => JSON.stringify(c)).join(" ")}`);
}

buttons.start.onclick = () => void startFromForm();
buttons.pause.onclick = () => (vm?.state === "paused" ? vm.resume() : vm?.pause());
buttons.reset.onclick = () => {
  showError(null);
  vm?.reset();
};
buttons.power.onclick = () => vm?.powerOff();
buttons.cad.onclick = () => {
  vm?.ctrlAltDel();
  screen.surface.focus();
};
combo.onchange = () => {
  if (combo.value) vm?.combo(combo.value);
  combo.value = "";
  screen.surface.focus();
};
buttons.paste.onclick = async () => {
  let text: string | null = null;
  try {
    text = await navigator.clipboard.readText();
  } catch {
    // No clipboard permission: ask.
  }
  text = window.prompt("Text to type into the guest (US keyboard layout):", text ?? "");
  if (text) typeText(text);
  screen.surface.focus();
};
buttons.tabScreen.onclick = () => switchTab("screen");
buttons.tabSerial.onclick = () => switchTab("serial");
buttons.fullscreen.onclick = () => void $("views").requestFullscreen().catch((e) => showError(`Full screen refused: ${e.message}`));
buttons.screenshot.onclick = async () => {
  const png = await vm?.screenshot();
  if (!png) return showError("Nothing to capture yet: the screen has not been drawn.");
  const a = document.createElement("a");
  a.href = URL.createObjectURL(png);
  a.download = `lab86-${new Date().toISOString().replace(/[:.]/g, "-")}.png`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
};
document.addEventListener("keydown", (e) => {
  // Host shortcut that is not a guest key: Ctrl+Alt+Pause toggles pause.
  if (e.ctrlKey && e.altKey && e.code === "Pause") buttons.pause.click();
});

/** Query parameters: ?lab=manifest.json, or ?hda=/?cdrom=/?fda=/?kernel=&initrd=&cmdline=, memory=, autostart=0. */
async function configFromQuery(q: URLSearchParams): Promise<VmConfig | null> {
  if (q.has("lab")) return manifestToConfig(await fetchManifest(new URL(q.get("lab")!, location.href).href));
  const fields: Record<string, unknown> = {};
  for (const k of ["kernel", "initrd", "cmdline", "hda", "cdrom", "fda", "boot", "memory"]) {
    const v = q.get(k);
    if (v !== null) fields[k] = v;
  }
  for (const k of ["acpi", "apic"]) if (q.has(k)) fields[k] = q.get(k) !== "0";
  if (!["kernel", "hda", "cdrom", "fda"].some((k) => k in fields)) return null;
  return manifestToConfig(validateManifest(fields, location.href));
}

/** The default lab (the dev server's, or the built site's copy): ready, being built (poll), or unavailable (say why). */
async function loadDefaultLab(autostart: boolean): Promise<void> {
  const note = $("default-note");
  let res: Response;
  try {
    // Relative to the page, so that a site built for a sub-path (vite --base) finds its own.
    res = await fetch("lab/default.json", { cache: "no-store" });
  } catch {
    res = new Response(null, { status: 404 });
  }
  if (res.status === 503) {
    const s = (await res.json()) as { state: string; reason?: string };
    if (s.state === "building") {
      note.textContent = "being built (npm run fixtures -- linux)…";
      showProgress("Building the default lab VM from Debian's packages (npm run fixtures -- linux); this takes a minute or two…");
      setTimeout(() => void loadDefaultLab(autostart), 3000);
      return;
    }
    showProgress(null);
    note.textContent = `not available: ${s.reason}`;
    $<HTMLInputElement>("src-files").checked = true;
    showError(`The default lab VM could not be built on this host: ${s.reason}.\nChoose boot media below (local files or a URL).`);
    return;
  }
  if (!res.ok || !(res.headers.get("content-type") ?? "").includes("json")) {
    note.textContent = "not available on this server";
    $<HTMLInputElement>("src-files").checked = true;
    showProgress(null);
    return;
  }
  defaultLab = validateManifest(await res.json(), res.url);
  note.textContent = defaultLab.name ?? "";
  if (defaultLab.cmdline) $<HTMLInputElement>("cmdline").value = defaultLab.cmdline;
  if (autostart) startVm(manifestToConfig(defaultLab));
}

// The debug API the browser tests use (and curious users): the guest's text screen and serial output.
declare global {
  interface Window {
    lab86: {
      state(): VmState;
      textScreen(): Promise<{ rows: string[]; cursor: { row: number; column: number } } | null>;
      serialText(): string;
      serialLines(): string[];
      vm(): VmClient | null;
    };
  }
}
window.lab86 = {
  state: () => vm?.state ?? "idle",
  textScreen: async () => (vm ? vm.textScreen() : null),
  serialText: () => serialText,
  serialLines: () => serial.lines(),
  vm: () => vm,
};

async function init(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const autostart = q.get("autostart") !== "0";
  if (q.get("memory")) $<HTMLSelectElement>("memory").value = q.get("memory")!;
  if (q.get("tab") === "serial") switchTab("serial");
  try {
    const fromQuery = await configFromQuery(q);
    if (fromQuery) {
      void loadDefaultLab(false);
      if (autostart) startVm(fromQuery);
      return;
    }
  } catch (e) {
    showError((e as Error).message);
    return;
  }
  await loadDefaultLab(autostart);
}
void init();
