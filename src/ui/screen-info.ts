// Linux's screen_info for a direct kernel boot (workaround, to move into src/machine/boot/linux.ts).
//
// The 32-bit boot protocol entry skips the kernel's real-mode setup code, which is what normally
// asks the video BIOS for the current mode and fills boot_params.screen_info
// (arch/x86/boot/video.c). Left zero, vgacon sees no text screen (orig_video_lines == 0) and
// console=tty0 goes nowhere: the app's default lab would have no console on the screen. So after
// the loader has built the zero page we fill screen_info from the BIOS data area, as the setup
// code would (Documentation/arch/x86/zero-page.rst; include/uapi/linux/screen_info.h).
import * as L from "../../asm/layout";
import type { Pc } from "../machine/pc";

/** screen_info field offsets within the zero page. */
const SI_ORIG_X = 0x00;
const SI_ORIG_Y = 0x01;
const SI_ORIG_VIDEO_PAGE = 0x04;
const SI_ORIG_VIDEO_MODE = 0x06;
const SI_ORIG_VIDEO_COLS = 0x07;
const SI_ORIG_VIDEO_EGA_BX = 0x0a;
const SI_ORIG_VIDEO_LINES = 0x0e;
const SI_ORIG_VIDEO_IS_VGA = 0x0f;
const SI_ORIG_VIDEO_POINTS = 0x10;

/** Wrap the firmware's direct kernel boot so that the zero page carries the text screen's state. */
export function fillScreenInfoOnKernelBoot(pc: Pc): void {
  const fw = pc.firmware;
  const boot = fw?.kernelBoot;
  if (!fw || !boot) return;
  fw.kernelBoot = (ctx, f) => {
    const r = boot(ctx, f);
    if (!r) return r;
    const cpu = pc.machine.cpu;
    const ram = cpu.ram();
    const zeroPage = cpu.get(L.REG32 + 6 * 4) >>> 0; // ESI at the 32-bit entry points at boot_params
    const isBzImage = new DataView(ram.buffer, ram.byteOffset).getUint32(zeroPage + 0x202, true) === 0x53726448;
    if (!isBzImage || ram[zeroPage + SI_ORIG_VIDEO_LINES] !== 0) return r;
    const mode = ram[0x449] & 0x7f;
    if (mode > 3 && mode !== 7) return r; // not a text mode: leave vgacon off
    const page = ram[0x462];
    const dv = new DataView(ram.buffer, ram.byteOffset);
    ram[zeroPage + SI_ORIG_X] = ram[0x450 + page * 2];
    ram[zeroPage + SI_ORIG_Y] = ram[0x451 + page * 2];
    dv.setUint16(zeroPage + SI_ORIG_VIDEO_PAGE, dv.getUint16(0x44e, true), true);
    ram[zeroPage + SI_ORIG_VIDEO_MODE] = mode;
    ram[zeroPage + SI_ORIG_VIDEO_COLS] = ram[0x44a];
    // INT 10h AH=12h BL=10h on a VGA: BH=0 (colour), BL=3 (256 KiB); BL=10h would mean CGA.
    dv.setUint16(zeroPage + SI_ORIG_VIDEO_EGA_BX, 0x0003, true);
    ram[zeroPage + SI_ORIG_VIDEO_LINES] = ram[0x484] + 1;
    ram[zeroPage + SI_ORIG_VIDEO_IS_VGA] = 1;
    dv.setUint16(zeroPage + SI_ORIG_VIDEO_POINTS, ram[0x485] || 16, true);
    return r;
  };
}
