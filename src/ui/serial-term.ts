// COM1 in an xterm.js terminal: the guest's bytes go in as UTF-8 (xterm decodes them and renders
// ANSI colours), keys typed in the terminal go out to the guest's receive line. The terminal
// follows its container's size; the columns and rows are computed from the font's cell size.
import { Terminal } from "@xterm/xterm";
import xtermCss from "@xterm/xterm/css/xterm.css?inline";

const FONT_SIZE = 14;
const FONT_FAMILY = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace";

/** The terminal's stylesheet, for a document or a shadow root (once per root). */
export function installTerminalCss(root: Document | ShadowRoot): void {
  const host = root instanceof Document ? root.head : root;
  if (host.querySelector("style[data-lab86-xterm]")) return;
  const style = document.createElement("style");
  style.dataset.lab86Xterm = "";
  style.textContent = xtermCss;
  host.append(style);
}

export class SerialTerminal {
  readonly term: Terminal;
  /** Everything the guest wrote, decoded (tests and the serial event read it). */
  private decoder = new TextDecoder();
  private observer: ResizeObserver;

  constructor(readonly container: HTMLElement, onInput: (data: string) => void) {
    installTerminalCss(container.getRootNode() as Document | ShadowRoot);
    this.term = new Terminal({
      convertEol: false,
      cursorBlink: true,
      fontSize: FONT_SIZE,
      fontFamily: FONT_FAMILY,
      scrollback: 5000,
      theme: { background: "#101014" },
    });
    this.term.open(container);
    this.term.onData(onInput);
    this.observer = new ResizeObserver(() => this.fit());
    this.observer.observe(container);
  }

  /** Guest output; returns the decoded text (UTF-8 sequences split across writes are kept whole). */
  write(bytes: Uint8Array): string {
    this.term.write(bytes);
    return this.decoder.decode(bytes, { stream: true });
  }

  /** The terminal's visible lines, for tests. */
  lines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? "");
    return out;
  }

  fit(): void {
    const r = this.container.getBoundingClientRect();
    if (r.width < 50 || r.height < 30) return; // hidden (another tab is showing)
    const probe = document.createElement("span");
    probe.style.cssText = `position:absolute;visibility:hidden;white-space:pre;font-size:${FONT_SIZE}px;font-family:${FONT_FAMILY}`;
    probe.textContent = "W".repeat(20);
    this.container.append(probe);
    const cellW = probe.getBoundingClientRect().width / 20;
    probe.remove();
    const cellH = Math.ceil(FONT_SIZE * 1.2);
    const cols = Math.max(20, Math.floor((r.width - 16) / cellW));
    const rows = Math.max(5, Math.floor((r.height - 8) / cellH));
    if (cols !== this.term.cols || rows !== this.term.rows) this.term.resize(cols, rows);
  }

  focus(): void {
    this.term.focus();
  }

  clear(): void {
    this.term.reset();
  }

  destroy(): void {
    this.observer.disconnect();
    this.term.dispose();
  }
}
