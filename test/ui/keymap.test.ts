import { describe, it, expect } from "vitest";
import { DOM_CODE_TO_SET2 } from "../../src/ui/keymap";

describe("DOM code to PS/2 set 2 map", () => {
  it("covers all 105 keys of an ISO PC keyboard, each with its own scan code", () => {
    const iso105 = [
      "Escape", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12", "PrintScreen", "ScrollLock", "Pause",
      "Backquote", "Digit1", "Digit2", "Digit3", "Digit4", "Digit5", "Digit6", "Digit7", "Digit8", "Digit9", "Digit0", "Minus", "Equal", "Backspace",
      "Tab", "KeyQ", "KeyW", "KeyE", "KeyR", "KeyT", "KeyY", "KeyU", "KeyI", "KeyO", "KeyP", "BracketLeft", "BracketRight", "Enter",
      "CapsLock", "KeyA", "KeyS", "KeyD", "KeyF", "KeyG", "KeyH", "KeyJ", "KeyK", "KeyL", "Semicolon", "Quote", "Backslash",
      "ShiftLeft", "IntlBackslash", "KeyZ", "KeyX", "KeyC", "KeyV", "KeyB", "KeyN", "KeyM", "Comma", "Period", "Slash", "ShiftRight",
      "ControlLeft", "MetaLeft", "AltLeft", "Space", "AltRight", "MetaRight", "ContextMenu", "ControlRight",
      "Insert", "Home", "PageUp", "Delete", "End", "PageDown", "ArrowUp", "ArrowLeft", "ArrowDown", "ArrowRight",
      "NumLock", "NumpadDivide", "NumpadMultiply", "NumpadSubtract", "Numpad7", "Numpad8", "Numpad9", "NumpadAdd",
      "Numpad4", "Numpad5", "Numpad6", "Numpad1", "Numpad2", "Numpad3", "NumpadEnter", "Numpad0", "NumpadDecimal",
    ];
    expect(iso105.length).toBe(105);
    for (const k of iso105) expect(DOM_CODE_TO_SET2[k], k).toBeTypeOf("number");
    const codes = Object.values(DOM_CODE_TO_SET2);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("uses the set 2 codes of the IBM tables (spot checks across key groups)", () => {
    expect(DOM_CODE_TO_SET2.KeyA).toBe(0x1c);
    expect(DOM_CODE_TO_SET2.Enter).toBe(0x5a);
    expect(DOM_CODE_TO_SET2.F7).toBe(0x83);
    expect(DOM_CODE_TO_SET2.ArrowUp).toBe(0xe075);
    expect(DOM_CODE_TO_SET2.NumpadEnter).toBe(0xe05a);
    expect(DOM_CODE_TO_SET2.AltRight).toBe(0xe011); // AltGr
    expect(DOM_CODE_TO_SET2.MetaLeft).toBe(0xe01f);
    expect(DOM_CODE_TO_SET2.IntlBackslash).toBe(0x61);
  });
});
