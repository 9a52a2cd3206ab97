// Assemble lab86's BIOS from its modules.
import type { BiosFirmware } from "./firmware";
import { installPost } from "./post";
import { installSystemServices } from "./system";
import { installKeyboard } from "./keyboard";
import { installBoot } from "./boot";
import { installInt1a } from "./int1a";
import { enumeratePci } from "./pci-enum";
import { writeTables } from "./tables-install";
import { installKernelBoot, type KernelBootImage } from "./kernel-boot";
import { installDisk } from "./disk/install";
import { installVideo } from "./video/install";

export interface BiosOptions {
  /** Boot this kernel (Linux bzImage or Multiboot) instead of a boot device, after POST. */
  kernel?: KernelBootImage;
}

export function installBios(fw: BiosFirmware, opts: BiosOptions): void {
  installPost(fw);
  installSystemServices(fw);
  installKeyboard(fw);
  installBoot(fw);
  installInt1a(fw);
  installDisk(fw);
  installVideo(fw);
  fw.addPostHook(10, (fw) => writeTables(fw, enumeratePci(fw)));
  if (opts.kernel) installKernelBoot(fw, opts.kernel);
}
