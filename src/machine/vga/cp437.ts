// Code page 437, the IBM PC's character set in the VGA ROM fonts, as Unicode: how the page and its
// tests read text-mode screens (box drawing, accented letters, the glyphs of control codes).
const LOW = " ☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼";
const HIGH =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»" +
  "░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀" +
  "αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

export const CP437: readonly string[] = Array.from({ length: 256 }, (_, i) => {
  if (i < 0x20) return LOW[i];
  if (i < 0x7f) return String.fromCharCode(i);
  if (i === 0x7f) return "⌂";
  return HIGH[i - 0x80];
});

export function cp437ToString(codes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < codes.length; i++) s += CP437[codes[i] & 0xff];
  return s;
}
