// Our BIOS's keyboard handler (INT 09h) on Ctrl+Alt+Del: a warm boot. Keys come in through the
// machine's host keyboard input (Ps2System.keyDown/keyUp, set 2 codes), as the browser sends them.
// The boot sector counts its boots in RAM (a platform reset keeps RAM), records the BDA reset
// flag each boot saw, and then echoes keystrokes from INT 16h to the debug console.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { Pc } from "../../src/machine/pc";
import { MemoryBackend } from "../../src/machine/block";
import { CTRL_ALT_DEL } from "../../src/ui/keymap";
import { DEBUG_WASM } from "../support/cpu";
import { assemble, nasmMissing } from "../support/nasm";

const BOOTS = 0x500; // word: boots so far; then one word per boot: 40:72 as that boot saw it

const BOOT_SECTOR = `
bits 16
org 0x7c00
  cli
  xor ax, ax
  mov ds, ax
  mov ss, ax
  mov sp, 0x7c00
  inc word [${BOOTS}]
  mov bx, [${BOOTS}]
  shl bx, 1
  mov ax, [0x472]
  mov [${BOOTS} + bx], ax
  mov al, 'B'
  out 0xe9, al
  sti
.key:
  mov ah, 0
  int 0x16
  out 0xe9, al
  jmp .key
times 510 - ($ - $$) db 0
dw 0xaa55
`;

// Set 2 make codes (src/ui/keymap.ts names them by DOM code).
const CTRL_LEFT = 0x14, ALT_LEFT = 0x11, ALT_RIGHT = 0xe011, DELETE = 0xe071, NUMPAD_DECIMAL = 0x71, KEY_A = 0x1c;

async function machine() {
  let out = "";
  const disk = new Uint8Array(1 << 20);
  disk.set(assemble(BOOT_SECTOR), 0);
  const pc = await Pc.create({
    memoryBytes: 16 << 20, wasm: readFileSync(DEBUG_WASM), hda: new MemoryBackend(disk), bootOrder: ["hd"],
    acpi: false, apic: false, rtcBaseTime: Date.UTC(2026, 0, 1), uuid: new Uint8Array(16),
    debugcon: [{ port: 0xe9, onByte: (b) => (out += String.fromCharCode(b)) }],
  });
  pc.machine.tripleFault = "stop";
  const word = (addr: number) => {
    const b = pc.machine.phys.read(addr, 2);
    return b[0] | (b[1] << 8);
  };
  /** Run until `done` holds, at most `seconds` of virtual time. */
  const runUntil = (done: () => boolean, seconds = 2) => {
    const end = pc.machine.clock.now + seconds * 1e9;
    while (!done() && pc.machine.clock.now < end) {
      const r = pc.machine.runSlice(end, 200_000);
      if (r && r.kind !== "budget") throw new Error(`the machine stopped: ${JSON.stringify(r)}`);
    }
  };
  /** Key events one at a time, each after the keyboard handed over the last (as the worker types). */
  const keys = (events: [number, boolean][]) => {
    for (const [code, down] of events) {
      if (down) pc.ps2.keyDown(code);
      else pc.ps2.keyUp(code);
      runUntil(() => false, 0.02);
    }
  };
  return { pc, out: () => out, word, runUntil, keys, boots: () => word(BOOTS) };
}

describe.skipIf(nasmMissing())("BIOS Ctrl+Alt+Del", () => {
  it("reboots with the warm-boot flag 40:72 = 1234h; Ctrl+Del and Alt+Del are ordinary keys", async () => {
    const m = await machine();
    m.runUntil(() => m.out() === "B");
    expect(m.out()).toBe("B");
    expect(m.boots()).toBe(1);
    expect(m.word(BOOTS + 2)).toBe(0); // power-on: no warm-boot flag

    // An ordinary key reaches INT 16h, so the handler is live.
    m.keys([[KEY_A, true], [KEY_A, false]]);
    m.runUntil(() => m.out() === "Ba");
    expect(m.out()).toBe("Ba");

    // Del with only one of Ctrl and Alt is a keystroke (ASCII 0 for the grey Del), not a reboot.
    m.keys([[CTRL_LEFT, true], [DELETE, true], [DELETE, false], [CTRL_LEFT, false]]);
    m.keys([[ALT_LEFT, true], [DELETE, true], [DELETE, false], [ALT_LEFT, false]]);
    m.runUntil(() => false, 0.2);
    expect(m.out()).toBe("Ba\0\0");
    expect(m.boots()).toBe(1);

    // The UI's Ctrl+Alt+Del button sequence (grey Delete): the boot sector runs again after POST.
    m.keys(CTRL_ALT_DEL);
    m.runUntil(() => m.boots() === 2);
    m.runUntil(() => m.out().endsWith("B"));
    expect(m.boots()).toBe(2);
    expect(m.out()).toBe("Ba\0\0B");
    expect(m.word(BOOTS + 4)).toBe(0x1234); // what the second boot saw in 40:72
    expect(m.word(0x472)).toBe(0x1234); // and POST kept it there

    // After the reboot the keyboard works, and keypad Del with Ctrl and AltGr reboots too.
    m.keys([[KEY_A, true], [KEY_A, false]]);
    m.runUntil(() => m.out().endsWith("a"));
    expect(m.out()).toBe("Ba\0\0Ba");
    m.keys([[CTRL_LEFT, true], [ALT_RIGHT, true], [NUMPAD_DECIMAL, true], [NUMPAD_DECIMAL, false], [ALT_RIGHT, false], [CTRL_LEFT, false]]);
    m.runUntil(() => m.boots() === 3);
    expect(m.boots()).toBe(3);
    expect(m.word(BOOTS + 6)).toBe(0x1234);
  });

  it("a platform reset without Ctrl+Alt+Del leaves the flag clear (power-on boot)", async () => {
    const m = await machine();
    m.runUntil(() => m.out() === "B");
    m.pc.machine.io.write(0x64, 1, 0xfe); // the 8042 reset pulse a guest OS uses to reboot
    m.runUntil(() => m.boots() === 2);
    expect(m.boots()).toBe(2);
    expect(m.word(BOOTS + 4)).toBe(0);
  });
});
