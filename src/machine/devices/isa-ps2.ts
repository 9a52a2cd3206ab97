// Wiring of the 8042 with a PS/2 keyboard on its first port and a PS/2 mouse on the auxiliary port.
import type { VirtualClock } from "../clock";
import type { IoBus } from "../io";
import type { IrqLine } from "../irq";
import { I8042, type I8042Callbacks } from "./i8042";
import { Ps2Keyboard } from "./ps2-keyboard";
import { Ps2Mouse } from "./ps2-mouse";

export interface Ps2Options extends I8042Callbacks {
  onLeds?(leds: number): void;
  /** Pace mouse reports at the mouse's sample rate in virtual time (else each host event is sent at once). */
  clock?: VirtualClock;
}

export class Ps2System {
  readonly controller: I8042;
  readonly keyboard: Ps2Keyboard;
  readonly mouse: Ps2Mouse;

  constructor(irq1: IrqLine, irq12: IrqLine, options: Ps2Options = {}) {
    let controller: I8042 | undefined;
    const output = (): void => controller?.deviceOutput();
    this.keyboard = new Ps2Keyboard({ onOutput: output, onLeds: options.onLeds });
    this.mouse = new Ps2Mouse(output, options.clock);
    controller = new I8042(this.keyboard, this.mouse, irq1, irq12, options);
    this.controller = controller;
  }

  /** The three devices, for the machine's reset and snapshot lists. */
  get devices(): [I8042, Ps2Keyboard, Ps2Mouse] {
    return [this.controller, this.keyboard, this.mouse];
  }

  attach(io: IoBus): void {
    this.controller.attach(io);
  }

  /** Host key press: a set 2 make code (0xE0xx for E0 keys, KEY_PAUSE, KEY_PRINT_SCREEN). */
  keyDown(code: number): void {
    this.keyboard.keyDown(code);
  }

  keyUp(code: number): void {
    this.keyboard.keyUp(code);
  }

  /** Host mouse motion: dx right, dy down, dz wheel clicks towards the user, buttons bit 0 left, 1 right, 2 middle. */
  mouseMove(dx: number, dy: number, dz: number, buttons: number): void {
    this.mouse.mouseMove(dx, dy, dz, buttons);
  }
}
