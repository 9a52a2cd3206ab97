// Direct kernel boot after POST (lab86 run --kernel): the firmware has set up the platform and
// its tables; INT 19h then loads a Linux bzImage by the 32-bit boot protocol, or a Multiboot
// kernel with the initrd as its module, instead of reading a boot sector.
import type { BiosFirmware } from "./firmware";
import { loadLinux, type TextScreenInfo } from "../src/machine/boot/linux";
import { loadMultiboot, findMultibootHeader } from "../src/machine/boot/multiboot";

export interface KernelBootImage {
  image: Uint8Array;
  initrd?: Uint8Array;
  cmdline: string;
}

export function installKernelBoot(fw: BiosFirmware, k: KernelBootImage): void {
  fw.kernelBoot = () => {
    const cpu = fw.host.cpu;
    const isBzImage = k.image.length > 0x206 && new DataView(k.image.buffer, k.image.byteOffset).getUint32(0x202, true) === 0x53726448;
    if (!isBzImage && findMultibootHeader(k.image)) {
      loadMultiboot(cpu, { kernel: k.image, cmdline: k.cmdline, modules: k.initrd ? [{ data: k.initrd, cmdline: "initrd" }] : [], e820: fw.e820 });
    } else {
      loadLinux(cpu, { kernel: k.image, initrd: k.initrd, cmdline: k.cmdline, e820: fw.e820, screen: textScreen(fw) });
    }
    fw.state.postStage = 3;
    return true;
  };
}

/** The text screen from the BIOS data area (INT 10h's state), or undefined in a graphics mode. */
function textScreen(fw: BiosFirmware): TextScreenInfo | undefined {
  const bda = fw.host.mem.read(0x400, 0x100);
  const mode = bda[0x49] & 0x7f;
  if (mode > 3 && mode !== 7) return undefined;
  const page = bda[0x62];
  return {
    cursorColumn: bda[0x50 + page * 2], cursorRow: bda[0x51 + page * 2], page: bda[0x4e] | (bda[0x4f] << 8),
    mode, columns: bda[0x4a], rows: bda[0x84] + 1, points: bda[0x85] || 16,
  };
}
