// The disk services of lab86's BIOS: INT 13h for diskettes, fixed disks and the CD-ROM, the
// parameter tables POST publishes, and El Torito boot.
import type { BiosFirmware } from "../firmware";
import { Service, BIOS_SEGMENT } from "../services";
import { installInt13 } from "./int13";
import { writeDiskTables } from "./tables";
import { installElTorito } from "../eltorito";

export function installDisk(fw: BiosFirmware): void {
  installInt13(fw);
  installElTorito(fw);
  // After the ACPI/SMBIOS tables (order 10), which also shadow the F segment.
  fw.addPostHook(20, (fw) => {
    writeDiskTables(fw);
    // INT 40h: the diskette services' own vector on AT-class BIOSes (Ralf Brown INT 40h), which
    // software that hooks INT 13h for fixed disks chains to. The same stub serves both.
    const entry = fw.stub(Service.Int13Disk).entryOffset;
    fw.host.mem.write(0x40 * 4, Uint8Array.of(entry & 0xff, entry >> 8, BIOS_SEGMENT & 0xff, BIOS_SEGMENT >> 8));
  });
}
