// How every INT 13h function ends: AH = status, CF = (AH != 0), and the status recorded in the BDA
// (40:41h for diskettes, 40:74h for fixed disks) where AH=01h finds it (IBM PC/AT Technical
// Reference, DISKETTE_STATUS and DISK_STATUS).
import { Service } from "../services";
import type { BiosFirmware } from "../firmware";
import type { ServiceContext } from "../context";
import { BDA_FLOPPY_STATUS, BDA_HD_STATUS } from "../bda";
import { DiskStatus, type TransferResult } from "./transfer";

export function statusAddress(dl: number): number {
  return dl & 0x80 ? BDA_HD_STATUS : BDA_FLOPPY_STATUS;
}

/** Finish a function: AH = status, CF, and the BDA's last-status byte. */
export function finish(ctx: ServiceContext, fw: BiosFirmware, status: number): void {
  ctx.status(status);
  fw.host.mem.write(statusAddress(ctx.dl), Uint8Array.of(status));
}

/** A function that transfers data: finish it, or park the CPU until the backend has answered. */
export function finishTransfer(ctx: ServiceContext, fw: BiosFirmware, r: TransferResult, onSuccess?: () => void): void {
  if (r === null) {
    fw.block(Service.Int13Disk);
    return;
  }
  if (r.status === DiskStatus.Ok) onSuccess?.();
  finish(ctx, fw, r.status);
}
