// INT 10h AH=11h, the character generator (IBM VGA Technical Reference; Ralf Brown's Interrupt
// List): user and ROM fonts into plane 2 (AL=00h-04h), the same with the screen resized to the
// new character height (AL=10h-14h), block selection (03h), graphics-mode fonts (20h-24h) and
// font pointers (30h).
import * as L from "../../asm/layout";
import type { ServiceContext } from "../context";
import type { VideoHw } from "./hw";
import { BIOS_SEGMENT } from "../services";
import { BDA_VIDEO_ROWS, BDA_CHAR_HEIGHT } from "../bda";
import { romFont } from "./font";
import { loadFont, recalcTextRows } from "./fontload";
import { currentScreen } from "./screen";
import { FONT_8X8, FONT_8X14, FONT_8X16, EMPTY_ALT_TABLE } from "./rom-area";

export function charGenerator(ctx: ServiceContext, hw: VideoHw): void {
  const al = ctx.al;
  const block = ctx.bl & 7;
  // The text-mode loads (00h-14h) write plane 2, which is picture memory in the graphics modes:
  // they apply only in text modes.
  if (al <= 0x14 && al !== 0x03 && currentScreen(hw)?.model !== "text") return;
  switch (al) {
    case 0x00:
    case 0x10: {
      // ES:BP user table, CX characters from DX, BH bytes each.
      const height = ctx.bh || 16;
      const count = Math.min(ctx.cx, 256 - (ctx.dx & 0xff)); // a block holds 256 characters
      const glyphs = hw.read(ctx.lin(L.SEG_ES, ctx.bp), count * height);
      loadFont(hw, glyphs, ctx.dx & 0xff, count, height, block);
      if (al === 0x10) recalcTextRows(hw, height);
      return;
    }
    case 0x01:
    case 0x11:
    case 0x02:
    case 0x12:
    case 0x04:
    case 0x14: {
      const height = (al & 0x0f) === 0x01 ? 14 : (al & 0x0f) === 0x02 ? 8 : 16;
      loadFont(hw, romFont(height), 0, 256, height, block);
      if (al & 0x10) recalcTextRows(hw, height);
      return;
    }
    case 0x03:
      hw.setSeq(0x03, ctx.bl);
      return;
    case 0x20:
      hw.setVector(0x1f, ctx.es, ctx.bp);
      return;
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x24: {
      const height = al === 0x21 ? ctx.cx : al === 0x22 ? 14 : al === 0x23 ? 8 : 16;
      if (al === 0x21) hw.setVector(0x43, ctx.es, ctx.bp);
      else hw.setVector(0x43, BIOS_SEGMENT, al === 0x22 ? FONT_8X14 : al === 0x23 ? FONT_8X8 : FONT_8X16);
      // BL: 0 = DL rows, 1 = 14, 2 = 25, 3 = 43.
      const rows = [ctx.dl, 14, 25, 43][ctx.bl] ?? 25;
      if (ctx.bl <= 3 && rows > 0) hw.w8(BDA_VIDEO_ROWS, rows - 1);
      hw.w16(BDA_CHAR_HEIGHT, height);
      return;
    }
    case 0x30: {
      const ptr = fontPointer(hw, ctx.bh);
      if (!ptr) return;
      ctx.setSeg(L.SEG_ES, ptr.seg);
      ctx.bp = ptr.off;
      ctx.cx = hw.r16(BDA_CHAR_HEIGHT);
      ctx.dl = hw.r8(BDA_VIDEO_ROWS);
      return;
    }
  }
}

/** AX=1130h BH: 0 INT 1Fh, 1 INT 43h, 2 8x14, 3 8x8, 4 8x8 upper half, 5/7 9-dot alternates, 6 8x16. */
function fontPointer(hw: VideoHw, bh: number): { seg: number; off: number } | null {
  switch (bh) {
    case 0: return hw.vector(0x1f);
    case 1: return hw.vector(0x43);
    case 2: return { seg: BIOS_SEGMENT, off: FONT_8X14 };
    case 3: return { seg: BIOS_SEGMENT, off: FONT_8X8 };
    case 4: return { seg: BIOS_SEGMENT, off: FONT_8X8 + 0x400 };
    // Our fonts need no 9-dot replacements: the alternate tables are empty (just the terminator).
    case 5: case 7: return { seg: BIOS_SEGMENT, off: EMPTY_ALT_TABLE };
    case 6: return { seg: BIOS_SEGMENT, off: FONT_8X16 };
    default: return null;
  }
}
