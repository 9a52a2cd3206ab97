// Direct kernel boot after POST (lab86 run --kernel): the firmware has set up the platform and
// its tables; INT 19h then loads a Linux bzImage by the 32-bit boot protocol, or a Multiboot
// kernel with the initrd as its module, instead of reading a boot sector.
import type { BiosFirmware } from "./firmware";
import { loadLinux } from "../src/machine/boot/linux";
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
      loadLinux(cpu, { kernel: k.image, initrd: k.initrd, cmdline: k.cmdline, e820: fw.e820 });
    }
    fw.state.postStage = 3;
    return true;
  };
}
