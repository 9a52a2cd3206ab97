// Sector transfers between a BIOS drive and guest memory, for backends that answer now or later.
// A service that gets `null` parks the CPU (fw.block) and runs again with the same registers after
// the next interrupt; the finished transfer is then picked up here. Reads go through the firmware's
// shared reader (disk-io.ts); writes are tracked here the same way, keyed by what was written.
import type { BlockBackend } from "../../src/machine/block";
import type { BiosFirmware } from "../firmware";
import type { BiosDrive } from "./drives";

interface PendingWrite {
  done: boolean;
  error?: Error;
}

const pendingWrites = new WeakMap<BlockBackend, Map<string, PendingWrite>>();

/** INT 13h status codes (IBM PC/AT Technical Reference; Ralf Brown's Interrupt List table 00234). */
export const enum DiskStatus {
  Ok = 0x00,
  InvalidFunction = 0x01,
  AddressMarkNotFound = 0x02,
  WriteProtected = 0x03,
  SectorNotFound = 0x04,
  ResetFailed = 0x05,
  MediaChanged = 0x06,
  DmaBoundary = 0x09,
  UnsupportedTrack = 0x0c,
  ControllerFailure = 0x20,
  SeekFailed = 0x40,
  Timeout = 0x80,
  NotReady = 0xaa,
  NoMedia = 0x31,
  UndefinedError = 0xbb,
}

export type TransferResult = { status: DiskStatus } | null;

/** Read `count` sectors from `lba` of `drive` into physical memory at `addr`. */
export function readSectors(fw: BiosFirmware, drive: BiosDrive, lba: number, count: number, addr: number): TransferResult {
  if (!drive.backend) return { status: DiskStatus.NotReady };
  if (lba + count > drive.sectors) return { status: DiskStatus.SectorNotFound };
  if (count === 0) return { status: DiskStatus.Ok };
  let data: Uint8Array | null;
  try {
    data = fw.diskReader.read(drive.backend, drive.base + lba * drive.sectorSize, count * drive.sectorSize);
  } catch (e) {
    fw.host.log(`INT 13h: drive 0x${drive.number.toString(16)} read of LBA ${lba}+${count} failed: ${(e as Error).message}`);
    return { status: DiskStatus.ControllerFailure };
  }
  if (!data) return null;
  fw.host.mem.write(addr, data);
  return { status: DiskStatus.Ok };
}

/** Write `count` sectors from physical memory at `addr` to `lba` of `drive`. */
export function writeSectors(fw: BiosFirmware, drive: BiosDrive, lba: number, count: number, addr: number): TransferResult {
  if (!drive.backend) return { status: DiskStatus.NotReady };
  if (drive.readOnly) return { status: DiskStatus.WriteProtected };
  if (lba + count > drive.sectors) return { status: DiskStatus.SectorNotFound };
  if (count === 0) return { status: DiskStatus.Ok };
  const backend = drive.backend;
  const offset = drive.base + lba * drive.sectorSize;
  const length = count * drive.sectorSize;
  const key = `${offset}:${length}`;
  let map = pendingWrites.get(backend);
  const pending = map?.get(key);
  if (pending) {
    if (!pending.done) return null;
    map!.delete(key);
    return { status: pending.error ? DiskStatus.ControllerFailure : DiskStatus.Ok };
  }
  let r: void | Promise<void>;
  try {
    r = backend.write(offset, fw.host.mem.read(addr, length));
  } catch (e) {
    fw.host.log(`INT 13h: drive 0x${drive.number.toString(16)} write of LBA ${lba}+${count} failed: ${(e as Error).message}`);
    return { status: DiskStatus.ControllerFailure };
  }
  if (!(r instanceof Promise)) return { status: DiskStatus.Ok };
  const entry: PendingWrite = { done: false };
  if (!map) pendingWrites.set(backend, (map = new Map()));
  map.set(key, entry);
  r.then(
    () => { entry.done = true; },
    (error: Error) => {
      fw.host.log(`INT 13h: drive 0x${drive.number.toString(16)} write of LBA ${lba}+${count} failed: ${error.message}`);
      Object.assign(entry, { done: true, error });
    },
  );
  return null;
}

/** Check that `count` sectors at `lba` exist (verify: the data is as good as the image). */
export function verifySectors(drive: BiosDrive, lba: number, count: number): DiskStatus {
  if (!drive.backend) return DiskStatus.NotReady;
  return lba + count > drive.sectors ? DiskStatus.SectorNotFound : DiskStatus.Ok;
}
