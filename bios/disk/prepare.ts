// Before the first boot device is tried (INT 19h), the BIOS reads each fixed disk's MBR once and
// fixes the disk's geometry for this boot (geometry.ts hardDiskGeometry), as a PC BIOS does at
// POST. Reading can take several interrupts with an asynchronous backend, which POST hooks can't
// wait for, hence INT 19h; until then the geometry follows from the size alone.
import type { BiosFirmware } from "../firmware";
import { chosenGeometry, chooseGeometry } from "./drives";
import { hardDiskGeometry } from "./geometry";
import { writeDiskTables } from "./tables";

/** True when every disk's geometry is fixed (tables rewritten), null while an MBR read is on its way. */
export function prepareDisks(fw: BiosFirmware): boolean | null {
  const disks = fw.host.drives.disks;
  let changed = false;
  for (let i = 0; i < disks.length; i++) {
    const d = disks[i];
    if (!d || chosenGeometry(fw, i)) continue;
    let mbr: Uint8Array | null = null;
    if (d.byteLength >= 512) {
      try {
        mbr = fw.diskReader.read(d, 0, 512);
        if (!mbr) return null;
      } catch (e) {
        fw.host.log(`disk ${i}: MBR unreadable (${(e as Error).message}); geometry from the size`);
      }
    }
    chooseGeometry(fw, i, hardDiskGeometry(Math.floor(d.byteLength / 512), mbr));
    changed = true;
  }
  if (changed) writeDiskTables(fw);
  return true;
}
