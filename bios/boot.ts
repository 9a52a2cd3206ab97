// INT 19h (bootstrap loader) and INT 18h (no bootable device). Tries the configured boot order:
// a hard disk or floppy boot sector (checked for the 55AA signature) is loaded at 0000:7C00 and
// entered with DL = drive number; CD-ROMs boot through El Torito (eltorito.ts, when installed).
import * as L from "../asm/layout";
import { Service } from "./services";
import type { BiosFirmware, BootDevice } from "./firmware";
import type { ServiceContext } from "./context";
import { prepareDisks } from "./disk/prepare";

export const BOOT_SECTOR_ADDR = 0x7c00;

/** A boot handler returns true when it transferred control, false when the device can't boot, null when waiting for data. */
export type BootHandler = (ctx: ServiceContext, fw: BiosFirmware) => boolean | null;

function bootSector(ctx: ServiceContext, fw: BiosFirmware, drive: number): boolean | null {
  const backend = drive >= 0x80 ? fw.host.drives.disks[drive - 0x80] : fw.host.drives.floppies[drive];
  if (!backend || backend.byteLength < 512) return false;
  const sector = fw.diskReader.read(backend, 0, 512);
  if (!sector) return null;
  if (sector[510] !== 0x55 || sector[511] !== 0xaa) {
    fw.host.log(`drive 0x${drive.toString(16)}: no boot signature`);
    return false;
  }
  fw.host.mem.write(BOOT_SECTOR_ADDR, sector);
  enterBootCode(fw, 0, BOOT_SECTOR_ADDR, drive);
  return true;
}

/** Jump to seg:off with DL = drive, interrupts enabled, as the BIOS boot specification leaves it. */
export function enterBootCode(fw: BiosFirmware, seg: number, off: number, drive: number): void {
  const cpu = fw.host.cpu;
  cpu.setReg(2, drive); // EDX: the stub's POP DX never runs, we leave through CS:IP
  fw.jumpTo(seg, off);
  cpu.setEflags(0x0202);
  for (const s of [L.SEG_DS, L.SEG_ES]) cpu.setSeg(s, 0, 0, 0xffff, cpu.seg(s).attrs);
  fw.state.postStage = 3;
}

export function installBoot(fw: BiosFirmware): void {
  const handlers: Record<BootDevice, BootHandler> = {
    hd: (ctx, fw) => bootSector(ctx, fw, 0x80),
    fd: (ctx, fw) => bootSector(ctx, fw, 0x00),
    cd: (ctx, fw) => (fw.cdBoot ? fw.cdBoot(ctx, fw) : false),
  };
  fw.on(Service.Int19Boot, (ctx) => {
    // Fix the fixed disks' geometry from their MBRs first (disk/prepare.ts); may wait for reads.
    if (prepareDisks(fw) === null) {
      fw.block(Service.Int19Boot);
      return;
    }
    if (fw.kernelBoot) {
      try {
        if (fw.kernelBoot(ctx, fw)) return;
      } catch (e) {
        fw.host.log(`kernel boot failed: ${(e as Error).message}`);
        fw.onNoBootDevice?.();
        fw.block(Service.Int18NoBoot);
        return;
      }
    }
    for (const dev of fw.host.config.bootOrder) {
      let r: boolean | null;
      try {
        r = handlers[dev](ctx, fw);
      } catch (e) {
        fw.host.log(`boot from ${dev} failed: ${(e as Error).message}`);
        r = false;
      }
      if (r === null) {
        fw.block(Service.Int19Boot);
        return;
      }
      if (r) return;
    }
    fw.host.log("no bootable device");
    // Returning from INT 19h lands in INT 18h (POST built the frame that way).
  });
  fw.on(Service.Int18NoBoot, () => {
    fw.host.log("INT 18h: no bootable device; halting");
    fw.onNoBootDevice?.();
    fw.block(Service.Int18NoBoot);
  });
}
