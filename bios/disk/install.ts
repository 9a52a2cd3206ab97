// The disk services of lab86's BIOS: INT 13h for diskettes, fixed disks and the CD-ROM, the
// parameter tables POST publishes, and El Torito boot.
import type { BiosFirmware } from "../firmware";
import { installInt13 } from "./int13";
import { writeDiskTables } from "./tables";
import { installElTorito } from "../eltorito";

export function installDisk(fw: BiosFirmware): void {
  installInt13(fw);
  installElTorito(fw);
  // After the ACPI/SMBIOS tables (order 10), which also shadow the F segment.
  fw.addPostHook(20, (fw) => writeDiskTables(fw));
}
