import { describe, it, expect } from "vitest";
import { textToKeyEvents, comboToKeyEvents } from "../../src/ui/paste";

// Set 2 make codes from the IBM PS/2 keyboard technical reference (not from keymap.ts).
const LSHIFT = 0x12, A = 0x1c, ONE = 0x16, ENTER = 0x5a, SPACE = 0x29, SLASH = 0x4a, QUOTE = 0x52, TAB = 0x0d;
const press = (code: number) => [{ code, down: true }, { code, down: false }];
const shifted = (code: number) => [{ code: LSHIFT, down: true }, ...press(code), { code: LSHIFT, down: false }];

describe("paste text as US-layout keystrokes", () => {
  it("types lower case letters and digits unshifted", () => {
    expect(textToKeyEvents("a1").events).toEqual([...press(A), ...press(ONE)]);
  });

  it("wraps shifted characters in Left Shift", () => {
    expect(textToKeyEvents("A!?\"").events).toEqual([...shifted(A), ...shifted(ONE), ...shifted(SLASH), ...shifted(QUOTE)]);
  });

  it("turns newlines (LF, CRLF, CR) into Enter and keeps spaces and tabs", () => {
    expect(textToKeyEvents("a\r\na\ra\n \t").events).toEqual([
      ...press(A), ...press(ENTER), ...press(A), ...press(ENTER), ...press(A), ...press(ENTER), ...press(SPACE), ...press(TAB),
    ]);
  });

  it("reports characters a US keyboard cannot type, once each, and types the rest", () => {
    const r = textToKeyEvents("aé€aé");
    expect(r.untypable).toEqual(["é", "€"]);
    expect(r.events).toEqual([...press(A), ...press(A)]);
  });

  it("covers every printable ASCII character", () => {
    let all = "";
    for (let c = 0x20; c < 0x7f; c++) all += String.fromCharCode(c);
    const r = textToKeyEvents(all);
    expect(r.untypable).toEqual([]);
    // 95 characters, 2 events each, plus Shift down/up for the 47 shifted ones (A-Z and 21 symbols).
    expect(r.events.length).toBe(95 * 2 + 47 * 2);
  });
});

describe("key combinations", () => {
  it("presses in order and releases in reverse", () => {
    expect(comboToKeyEvents("ControlLeft+AltLeft+F1")).toEqual([
      { code: 0x14, down: true }, { code: 0x11, down: true }, { code: 0x05, down: true },
      { code: 0x05, down: false }, { code: 0x11, down: false }, { code: 0x14, down: false },
    ]);
  });

  it("rejects an unknown key name", () => {
    expect(() => comboToKeyEvents("ControlLeft+Banana")).toThrow(/unknown key Banana/);
  });
});
