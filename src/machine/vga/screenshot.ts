// Headless views of the display for the CLI and for debugging: the frame as a binary PPM (P6)
// image, and a text screen as plain lines.
import type { TextScreen } from "./render-text";

export function frameToPpm(frame: { width: number; height: number; rgba: Uint8ClampedArray }): Uint8Array {
  const header = new TextEncoder().encode(`P6\n${frame.width} ${frame.height}\n255\n`);
  const out = new Uint8Array(header.length + frame.width * frame.height * 3);
  out.set(header);
  for (let i = 0, o = header.length; i < frame.width * frame.height; i++, o += 3) {
    out[o] = frame.rgba[i * 4];
    out[o + 1] = frame.rgba[i * 4 + 1];
    out[o + 2] = frame.rgba[i * 4 + 2];
  }
  return out;
}

/** The screen's rows through code page 437, trailing blanks trimmed. */
export function textScreenToString(screen: TextScreen): string {
  const rows: string[] = [];
  for (let r = 0; r < screen.rows; r++) rows.push(screen.rowUnicode(r).replace(/[ \u00a0\0]+$/, ""));
  return rows.join("\n");
}
