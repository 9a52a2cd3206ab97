// The guest's screen in the page: a canvas the worker draws into, keyboard capture with key-up
// tracking, and a PS/2 mouse with pointer lock. Shared by the app and <vm-frame>.
import { set2ForDomCode } from "./keymap";
import { domButtonsToPs2, MotionAccumulator, WheelAccumulator } from "./pointer";
import type { VmClient } from "./vm-client";

export class ScreenView {
  /** The focusable element that receives input; the canvas inside it is replaced per machine. */
  readonly surface: HTMLDivElement;
  canvas: HTMLCanvasElement;
  /** Set 2 codes of the keys we pressed in the guest and have not released yet. */
  private held = new Set<number>();
  private buttons = 0;
  private motion = new MotionAccumulator();
  private wheel = new WheelAccumulator();
  private detach: (() => void)[] = [];
  /** Called when the user pastes text into the screen (the owner types it). */
  onPaste: ((text: string) => void) | null = null;

  constructor(readonly container: HTMLElement, private vm: VmClient | null = null) {
    this.surface = document.createElement("div");
    this.surface.tabIndex = 0;
    this.surface.className = "lab86-surface";
    this.surface.setAttribute("aria-label", "virtual machine screen: click to capture the mouse, type to use the keyboard");
    this.canvas = this.makeCanvas();
    this.surface.append(this.canvas);
    container.append(this.surface);
    const ro = new ResizeObserver(() => this.layout());
    ro.observe(container);
    this.detach.push(() => ro.disconnect());
    this.listen(this.surface, "keydown", (e) => this.onKey(e as KeyboardEvent, true));
    this.listen(this.surface, "keyup", (e) => this.onKey(e as KeyboardEvent, false));
    // Losing focus means the key-ups go elsewhere: release everything so no key sticks.
    this.listen(this.surface, "blur", () => this.releaseAll());
    this.listen(window, "blur", () => this.releaseAll());
    this.listen(document, "visibilitychange", () => this.releaseAll());
    this.listen(this.surface, "mousedown", (e) => this.onMouseButton(e as MouseEvent));
    this.listen(this.surface, "mouseup", (e) => this.onMouseButton(e as MouseEvent));
    this.listen(this.surface, "mousemove", (e) => this.onMouseMove(e as MouseEvent));
    this.listen(this.surface, "wheel", (e) => this.onWheel(e as WheelEvent), { passive: false });
    this.listen(this.surface, "contextmenu", (e) => e.preventDefault());
    this.listen(this.surface, "paste", (e) => {
      const text = (e as ClipboardEvent).clipboardData?.getData("text/plain");
      if (text) {
        e.preventDefault();
        // Ctrl and Shift of the shortcut reached the guest as pressed: release them first, or
        // the pasted text would arrive as control characters.
        this.releaseAll();
        this.onPaste?.(text);
      }
    });
    this.listen(document, "pointerlockchange", () => {
      if (!this.locked) this.releaseButtons();
    });
  }

  attach(vm: VmClient | null): void {
    this.releaseAll();
    this.vm = vm;
  }

  private listen(t: EventTarget, type: string, fn: (e: Event) => void, opts?: AddEventListenerOptions): void {
    t.addEventListener(type, fn, opts);
    this.detach.push(() => t.removeEventListener(type, fn, opts));
  }

  get locked(): boolean {
    const root = this.surface.getRootNode() as Document | ShadowRoot;
    return root.pointerLockElement === this.surface;
  }

  private onKey(e: KeyboardEvent, down: boolean): void {
    const code = set2ForDomCode(e.code);
    if (code === undefined || !this.vm) return;
    // Ctrl+Shift+V (Cmd+Shift+V) is the browser's paste, which types the clipboard (the paste
    // event below); plain Ctrl+V stays a guest key for the programs that use it.
    const isPaste = down && (e.ctrlKey || e.metaKey) && e.code === "KeyV" && e.shiftKey;
    if (isPaste) return;
    e.preventDefault();
    if (down) this.held.add(code);
    else if (!this.held.delete(code)) {
      // A key-up for a key we never pressed (focus arrived with it held) is dropped, except
      // PrintScreen: Windows hands browsers only its key-up, so that is the whole key press.
      if (e.code !== "PrintScreen") return;
      this.vm.key(code, true);
    }
    this.vm.key(code, down);
    // Pause sends its whole sequence on make and has no break code (keymap.ts): nothing to hold.
    if (down && e.code === "Pause") {
      this.held.delete(code);
      this.vm.key(code, false);
    }
  }

  releaseAll(): void {
    if (this.vm) for (const code of this.held) this.vm.key(code, false);
    this.held.clear();
    this.releaseButtons();
  }

  private releaseButtons(): void {
    if (this.buttons && this.vm) this.vm.mouse(0, 0, 0, 0);
    this.buttons = 0;
  }

  private onMouseButton(e: MouseEvent): void {
    e.preventDefault();
    this.surface.focus();
    if (!this.locked) {
      // The first click only captures the mouse; the guest sees clicks once it is captured.
      if (e.type === "mousedown") void Promise.resolve(this.surface.requestPointerLock()).catch(() => {});
      return;
    }
    this.buttons = domButtonsToPs2(e.buttons);
    this.vm?.mouse(0, 0, 0, this.buttons);
  }

  private onMouseMove(e: MouseEvent): void {
    if (!this.locked || !this.vm) return;
    const [dx, dy] = this.motion.add(e.movementX, e.movementY);
    if (dx || dy) this.vm.mouse(dx, dy, 0, this.buttons);
  }

  private onWheel(e: WheelEvent): void {
    if (!this.locked || !this.vm) return;
    e.preventDefault();
    const clicks = this.wheel.add(e.deltaY, e.deltaMode);
    if (clicks) this.vm.mouse(0, 0, clicks, this.buttons);
  }

  private makeCanvas(): HTMLCanvasElement {
    const c = document.createElement("canvas");
    c.className = "lab86-screen";
    c.width = 720;
    c.height = 400;
    return c;
  }

  /** A new canvas for a new machine (a canvas whose control went to a worker cannot be reused). */
  newCanvas(): HTMLCanvasElement {
    const c = this.makeCanvas();
    this.canvas.replaceWith(c);
    this.canvas = c;
    this.layout();
    return c;
  }

  /** Size the canvas for the guest's mode, keeping its display aspect (4:3 for VGA modes). */
  setMode(width: number, height: number, aspect: number): void {
    this.aspect = aspect;
    this.modeWidth = width;
    this.modeHeight = height;
    this.canvas.dataset.mode = `${width}x${height}`;
    this.layout();
  }

  private aspect = 4 / 3;
  private modeWidth = 720;
  private modeHeight = 400;

  /** The largest box of the mode's aspect that fits the container. */
  layout(): void {
    const r = this.container.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return;
    let w = r.width;
    let h = w / this.aspect;
    if (h > r.height) {
      h = r.height;
      w = h * this.aspect;
    }
    w = Math.floor(w);
    h = Math.floor(h);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    // Sharp pixels when each guest pixel maps to a whole number of CSS pixels; otherwise
    // (720x400 text shown at 4:3) nearest-neighbour would draw uneven strokes, so smooth.
    const whole = (w * devicePixelRatio) % this.modeWidth === 0 && (h * devicePixelRatio) % this.modeHeight === 0;
    this.canvas.style.imageRendering = whole ? "pixelated" : "auto";
  }

  destroy(): void {
    this.releaseAll();
    for (const d of this.detach) d();
    this.detach = [];
  }
}
