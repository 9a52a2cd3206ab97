// QEMU's firmware configuration device (fw_cfg), traditional I/O interface only: a 16-bit item
// selector at port 510h and a byte-wide data port at 511h that streams the selected item from
// offset 0 (QEMU docs/specs/fw_cfg.rst). It exists for SeaBIOS, the QEMU build Debian ships: with
// it, SeaBIOS learns what its CMOS fallback cannot tell, above all that ISA IRQ 0 reaches the I/O
// APIC on pin 2 (the legacy "IRQ0 override" item), which it then writes into its MADT and MP
// table; without it Linux finds the timer on no I/O APIC pin and falls back to ExtINT through the
// 8259 ("MP-BIOS bug: 8254 timer not connected to IO-APIC"). lab86's own BIOS does not use it.
//
// Items are fixed at construction from the machine configuration; the guest-visible state is the
// selected item and the read offset.
import type { IoBus } from "../io";
import { StateError, type Device, type Schema } from "../state";

export const FW_CFG_PORT_SELECTOR = 0x510;
export const FW_CFG_PORT_DATA = 0x511;

export const FW_CFG_SIGNATURE = 0x0000;
export const FW_CFG_ID = 0x0001;
export const FW_CFG_UUID = 0x0002;
export const FW_CFG_RAM_SIZE = 0x0003;
export const FW_CFG_NB_CPUS = 0x0005;
export const FW_CFG_MAX_CPUS = 0x000f;
export const FW_CFG_FILE_DIR = 0x0019;
/** The first selector of the file items listed in the directory. */
export const FW_CFG_FILE_FIRST = 0x0020;
/** x86 items (FW_CFG_ARCH_LOCAL 8000h + n). */
export const FW_CFG_IRQ0_OVERRIDE = 0x8002;

export interface FwCfgConfig {
  ramBytes: number;
  uuid: Uint8Array;
  cpus: number;
  /** ISA IRQ 0 is wired to I/O APIC pin 2 (true on this machine whenever it has an I/O APIC). */
  irq0Override: boolean;
  /** Named files for the directory (e.g. "bootorder"). */
  files: { name: string; data: Uint8Array }[];
}

interface FwCfgState {
  selector: number;
  offset: number;
}

const le = (v: number, bytes: number) => Uint8Array.from({ length: bytes }, (_, i) => (i < 4 ? (v >>> (8 * i)) & 0xff : Math.floor(v / 2 ** (8 * i)) & 0xff));

export class FwCfg implements Device<FwCfgState> {
  readonly name = "fw-cfg";
  readonly schema: Schema = { selector: "u16", offset: "u32" };
  state: FwCfgState = { selector: 0, offset: 0 };
  private readonly items = new Map<number, Uint8Array>();

  constructor(cfg: FwCfgConfig) {
    this.items.set(FW_CFG_SIGNATURE, new TextEncoder().encode("QEMU"));
    this.items.set(FW_CFG_ID, le(1, 4)); // bit 0: the traditional interface; no DMA interface
    this.items.set(FW_CFG_UUID, cfg.uuid.slice(0, 16));
    this.items.set(FW_CFG_RAM_SIZE, le(cfg.ramBytes, 8));
    this.items.set(FW_CFG_NB_CPUS, le(cfg.cpus, 2));
    this.items.set(FW_CFG_MAX_CPUS, le(cfg.cpus, 2));
    this.items.set(FW_CFG_IRQ0_OVERRIDE, le(cfg.irq0Override ? 1 : 0, 4));
    // The file directory: a big-endian count, then per file a big-endian size and selector, two
    // reserved bytes and a 56-byte NUL-padded name.
    const dir = new Uint8Array(4 + 64 * cfg.files.length);
    const dv = new DataView(dir.buffer);
    dv.setUint32(0, cfg.files.length);
    cfg.files.forEach((f, i) => {
      if (f.name.length > 55) throw new Error(`fw_cfg file name too long: ${f.name}`);
      const at = 4 + 64 * i;
      dv.setUint32(at, f.data.length);
      dv.setUint16(at + 4, FW_CFG_FILE_FIRST + i);
      dir.set(new TextEncoder().encode(f.name), at + 8);
      this.items.set(FW_CFG_FILE_FIRST + i, f.data);
    });
    this.items.set(FW_CFG_FILE_DIR, dir);
  }

  reset(): void {
    this.state = { selector: 0, offset: 0 };
  }

  postLoad(): void {
    const s = this.state;
    if (!Number.isInteger(s.offset) || s.offset < 0) throw new StateError("fw-cfg.offset", "not a byte offset");
  }

  attach(io: IoBus): void {
    io.register(this.name, FW_CFG_PORT_SELECTOR, 2, {
      // Selecting an item restarts it; a 16-bit write to 510h is the selector (the spec's width).
      write16: (p, v) => {
        if (p === FW_CFG_PORT_SELECTOR) this.select(v);
      },
      write8: (p, v) => {
        if (p === FW_CFG_PORT_SELECTOR) this.select(v);
      },
      read8: (p) => (p === FW_CFG_PORT_DATA ? this.readData() : 0),
      read16: (p) => (p === FW_CFG_PORT_SELECTOR ? 0 : this.readData()),
    });
  }

  private select(key: number): void {
    this.state.selector = key & 0xffff;
    this.state.offset = 0;
  }

  /** The next byte of the selected item; 0 past its end or for an absent item (as QEMU). */
  private readData(): number {
    const item = this.items.get(this.state.selector);
    if (!item || this.state.offset >= item.length) return 0;
    return item[this.state.offset++];
  }
}

/**
 * SeaBIOS's boot order file: OpenFirmware device paths separated by newlines, first to boot
 * first, NUL-terminated (a trailing newline would read as one more, empty, entry).
 */
export function seabiosBootOrder(order: ("hd" | "cd" | "fd")[]): Uint8Array {
  const path = { hd: "/pci@i0cf8/*@1,1/drive@0/disk@0", cd: "/pci@i0cf8/*@1,1/drive@1/disk@0", fd: "/isa/fdc@03f0/floppy@0" };
  return new TextEncoder().encode(order.map((d) => path[d]).join("\n") + "\0");
}
