// Typing through Playwright's keyboard as a person would on a US keyboard: real key codes, with
// Shift held for shifted characters (page.keyboard.type alone sends no Shift, so a guest reading
// scan codes would see "4" for "$").
import type { Page } from "playwright-core";

const UNSHIFTED = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./";
const SHIFTED = "~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:\"ZXCVBNM<>?";
const CODES = ("Backquote Digit1 Digit2 Digit3 Digit4 Digit5 Digit6 Digit7 Digit8 Digit9 Digit0 Minus Equal " +
  "KeyQ KeyW KeyE KeyR KeyT KeyY KeyU KeyI KeyO KeyP BracketLeft BracketRight Backslash " +
  "KeyA KeyS KeyD KeyF KeyG KeyH KeyJ KeyK KeyL Semicolon Quote " +
  "KeyZ KeyX KeyC KeyV KeyB KeyN KeyM Comma Period Slash").split(" ");

export async function typeWithKeys(page: Page, text: string): Promise<void> {
  for (const ch of text) {
    if (ch === "\n") await page.keyboard.press("Enter");
    else if (ch === " ") await page.keyboard.press("Space");
    else if (UNSHIFTED.includes(ch)) await page.keyboard.press(CODES[UNSHIFTED.indexOf(ch)]);
    else if (SHIFTED.includes(ch)) {
      await page.keyboard.down("Shift");
      await page.keyboard.press(CODES[SHIFTED.indexOf(ch)]);
      await page.keyboard.up("Shift");
    } else throw new Error(`no US key for ${JSON.stringify(ch)}`);
    // A person types about 10 keys a second; the guest's keyboard buffer is 16 bytes.
    await page.waitForTimeout(40);
  }
}
