// lab86's video BIOS: INT 10h for the VGA with Bochs VBE extensions, used when the machine has
// no VGA option ROM (with one, POST runs that ROM and it takes INT 10h over). POST sets mode 03h.
import { Service } from "../services";
import type { BiosFirmware } from "../firmware";
import type { ServiceContext } from "../context";
import { BDA_VIDEO_MODE, BDA_VIDEO_COLS, BDA_VIDEO_PAGE, BDA_VIDEO_CTL } from "../bda";
import { VideoHw } from "./hw";
import { setMode, initVideo } from "./modeset";
import { textService } from "./text";
import { cgaPalette, paletteFunctions } from "./palette";
import { charGenerator } from "./charset";
import { alternateSelect, displayCombination, functionalityState, saveRestore } from "./misc";
import { vbeService } from "./vbe";
import { currentScreen } from "./screen";
import { writePixel, readPixel } from "./graphics";

/** POST order of the video initialisation: after PCI enumeration (10), which places the LFB. */
const POST_ORDER = 20;

export function installVideo(fw: BiosFirmware): void {
  const hw = new VideoHw(fw);
  fw.addPostHook(POST_ORDER, () => {
    // A VGA option ROM, when present, initialises the adapter itself and hooks INT 10h.
    const rom = fw.host.mem.read(0xc0000, 2);
    if (rom[0] === 0x55 && rom[1] === 0xaa) return;
    initVideo(hw);
  });
  fw.on(Service.Int10Video, (ctx) => int10(ctx, hw));
}

/**
 * Teletype BEL: sound the speaker (PIT counter 2 at 896 Hz, port 61h bits 0-1) until the next
 * timer tick, as the IBM BIOS beeps through the same hardware. The caller waits in the stub's
 * STI/HLT loop; when the service runs again with the speaker on, it turns it off and returns.
 * With IRQ 0 masked there is no tick to wait for, and the bell stays silent.
 */
function bell(hw: VideoHw): void {
  const portB = hw.in(0x61);
  if ((portB & 0x03) === 0x03) {
    hw.out(0x61, portB & ~0x03);
    return;
  }
  if (hw.in(0x21) & 0x01) return;
  hw.out(0x43, 0xb6); // counter 2, low then high byte, mode 3 (square wave)
  hw.out(0x42, 0x33);
  hw.out(0x42, 0x05); // 1193182 / 0533h = 896 Hz
  hw.out(0x61, portB | 0x03);
  hw.fw.block(Service.Int10Video);
}

function int10(ctx: ServiceContext, hw: VideoHw): void {
  switch (ctx.ah) {
    case 0x00: {
      const mode = ctx.al & 0x7f;
      // AL on return: the mode flag byte the IBM-compatible BIOSes give (RBIL): 3Fh for mode
      // 06h, 30h for the other CGA-era modes 00h-07h, 20h above.
      if (setMode(hw, ctx.al)) ctx.al = mode > 7 ? 0x20 : mode === 6 ? 0x3f : 0x30;
      return;
    }
    case 0x0b:
      cgaPalette(ctx, hw);
      return;
    case 0x0c:
    case 0x0d: {
      const s = currentScreen(hw);
      if (!s || s.model === "text") return;
      if (ctx.ah === 0x0c) writePixel(hw, s, ctx.bh, ctx.cx, ctx.dx, ctx.al);
      else ctx.al = readPixel(hw, s, ctx.bh, ctx.cx, ctx.dx);
      return;
    }
    case 0x0f:
      ctx.al = hw.r8(BDA_VIDEO_MODE) | (hw.r8(BDA_VIDEO_CTL) & 0x80);
      ctx.ah = hw.r16(BDA_VIDEO_COLS);
      ctx.bh = hw.r8(BDA_VIDEO_PAGE);
      return;
    case 0x10:
      paletteFunctions(ctx, hw);
      return;
    case 0x11:
      charGenerator(ctx, hw);
      return;
    case 0x12:
      alternateSelect(ctx, hw);
      return;
    case 0x1a:
      displayCombination(ctx, hw);
      return;
    case 0x1b:
      functionalityState(ctx, hw);
      return;
    case 0x1c:
      saveRestore(ctx, hw);
      return;
    case 0x4f:
      vbeService(ctx, hw);
      return;
    case 0x0e:
      if (ctx.al === 0x07) {
        bell(hw);
        return;
      }
      break;
  }
  textService(ctx, hw);
}
