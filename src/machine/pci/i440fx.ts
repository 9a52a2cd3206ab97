// The i440FX PCI and Memory Controller (PMC) as host bridge 00:00.0 (Intel 82441FX datasheet).
// What a guest touches: the PAM registers 0x59-0x5F, which decide whether reads and writes of the
// 0xC0000-0xFFFFF BIOS area go to DRAM (shadow) or to the PCI/ISA bus (ROM), and the SMRAM control
// register 0x72, which decides whether the CPU sees DRAM (SMRAM) or the VGA at 0xA0000-0xBFFFF
// (smramVisible; the platform applies it, src/machine/pc.ts). The DRAM row boundaries are preset
// from the RAM size because firmware that sizes memory reads them.
import { StateError, type Schema } from "../state";
import { PciFunction, pciConfigSchema, type PciConfigState } from "./pci-function";

/** PAM region: `base`, `size`, config byte and nibble (0 low, 1 high). */
export interface PamRegion {
  base: number;
  size: number;
  reg: number;
  shift: number;
}

/** 82441FX 3.2.17 (PAM0-PAM6): PAM0[7:4] covers 0xF0000-0xFFFFF; the others split 16 KiB pieces. */
export const PAM_REGIONS: PamRegion[] = [
  { base: 0xf0000, size: 0x10000, reg: 0x59, shift: 4 },
  ...Array.from({ length: 12 }, (_, i) => ({ base: 0xc0000 + i * 0x4000, size: 0x4000, reg: 0x5a + (i >> 1), shift: (i & 1) * 4 })),
];

/** PAM attribute bits within a nibble: 1 = reads go to DRAM, 2 = writes go to DRAM. */
export const PAM_READ = 1;
export const PAM_WRITE = 2;

export const SMRAM = 0x72;
export const SMRAM_D_OPEN = 0x40;
/**
 * D_CLS (data accesses in SMM go to the VGA while code fetches still reach SMRAM) is stored but
 * not modelled: the CPU's physical map has one view for fetches and data. No firmware lab86
 * runs sets it (SeaBIOS and the Bochs BIOS use D_OPEN and G_SMRAME only).
 */
export const SMRAM_D_CLS = 0x20;
export const SMRAM_D_LCK = 0x10;
export const SMRAM_G_SMRAME = 0x08;
/** C_BASE_SEG is hardwired to 010b: SMRAM at 0xA0000 (82441FX 3.2.21). */
const SMRAM_C_BASE_SEG = 0x02;

export type PamListener = (base: number, size: number, readDram: boolean, writeDram: boolean) => void;

export class I440fxHostBridge extends PciFunction<PciConfigState> {
  readonly name = "i440fx";
  readonly schema: Schema = pciConfigSchema;
  /** Called for each region whose attributes change, and for every region after reset and restore. */
  onPamChange: PamListener | null = null;
  /** Called when the SMRAM register may have changed what smramVisible() answers (writes, reset, restore). */
  onSmramChange: (() => void) | null = null;

  constructor(private readonly ramBytes: number) {
    super({ vendorId: 0x8086, deviceId: 0x1237, revision: 0x02, classCode: 0x060000, commandMask: 0x0146 }, [], null, null);
    this.reset();
  }

  reset(): void {
    this.resetPci({});
    const c = this.state.config;
    c[0x04] = 0x06; // memory and bus master enabled at power-on (82441FX 3.2.4)
    c[0x06] = 0x80; // fast back-to-back capable
    c[0x07] = 0x02; // DEVSEL medium
    // PMCCFG, DETURBO, DBC, DRAMC, DRAMT: plain storage for firmware.
    for (const r of [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x70, 0x71, 0x78, 0x79, 0x7a, 0x7b]) this.wmask[r] = 0xff;
    for (let r = 0x59; r <= 0x5f; r++) this.wmask[r] = r === 0x59 ? 0x30 : 0x33;
    // DRB0-7: cumulative row ends in 8 MiB units; present all RAM in row 0 (saturating at 255).
    const rows = Math.min(255, Math.ceil(this.ramBytes / (8 << 20)));
    for (let r = 0x60; r <= 0x67; r++) {
      c[r] = rows;
      this.wmask[r] = 0xff;
    }
    c[SMRAM] = SMRAM_C_BASE_SEG;
    this.wmask[SMRAM] = 0x78;
    this.reportPam();
    this.onSmramChange?.();
  }

  /**
   * Does the CPU see DRAM at 0xA0000-0xBFFFF (82441FX 3.2.21)? With D_OPEN, always; in SMM
   * (SMIACT#), when G_SMRAME enables SMRAM. Otherwise the range goes to PCI (the VGA).
   */
  smramVisible(inSmm: boolean): boolean {
    const v = this.state.config[SMRAM];
    return (v & SMRAM_D_OPEN) !== 0 || (inSmm && (v & SMRAM_G_SMRAME) !== 0);
  }

  protected configWritten(offset: number, size: number): void {
    const c = this.state.config;
    if (offset <= SMRAM && offset + size > SMRAM) this.smramWritten();
    if (offset < 0x60 && offset + size > 0x59) {
      for (const r of PAM_REGIONS) {
        if (r.reg < offset || r.reg >= offset + size) continue;
        const now = (c[r.reg] >> r.shift) & 3;
        const before = this.lastPam[PAM_REGIONS.indexOf(r)];
        if (now !== before) this.firePam(r);
      }
    }
  }

  /** Attributes last reported per region (derived from config; for change detection only). */
  private readonly lastPam: number[] = PAM_REGIONS.map(() => -1);

  private firePam(r: PamRegion): void {
    const a = (this.state.config[r.reg] >> r.shift) & 3;
    this.lastPam[PAM_REGIONS.indexOf(r)] = a;
    this.onPamChange?.(r.base, r.size, (a & PAM_READ) !== 0, (a & PAM_WRITE) !== 0);
  }

  /** Report every region's attributes to onPamChange (the machine calls this once after wiring). */
  reportPam(): void {
    for (const r of PAM_REGIONS) this.firePam(r);
  }

  /** PAM attributes of the region containing `addr` (0xC0000-0xFFFFF), as PAM_READ | PAM_WRITE. */
  pamAttributes(addr: number): number {
    const r = PAM_REGIONS.find((p) => addr >= p.base && addr < p.base + p.size);
    if (!r) throw new RangeError(`0x${addr.toString(16)} is not in a PAM region`);
    return (this.state.config[r.reg] >> r.shift) & 3;
  }

  /**
   * D_LCK (82441FX 3.2.21): once set, D_LCK and G_SMRAME become read-only and D_OPEN reads as 0
   * and cannot be set again until reset.
   */
  private smramWritten(): void {
    const c = this.state.config;
    if (c[SMRAM] & SMRAM_D_LCK) {
      c[SMRAM] &= ~SMRAM_D_OPEN;
      this.wmask[SMRAM] = 0x20; // only D_CLS stays writable
    }
    c[SMRAM] = (c[SMRAM] & ~0x07) | SMRAM_C_BASE_SEG;
    this.onSmramChange?.();
  }

  postLoad(): void {
    super.postLoad();
    const c = this.state.config;
    if ((c[SMRAM] & 0x07) !== SMRAM_C_BASE_SEG) throw new StateError("i440fx.config", `SMRAM C_BASE_SEG is ${c[SMRAM] & 7}, hardwired to 2`);
    if (c[0x59] & 0xcf) throw new StateError("i440fx.config", "PAM0 reserved bits are set");
    if ((c[SMRAM] & SMRAM_D_LCK) && (c[SMRAM] & SMRAM_D_OPEN)) throw new StateError("i440fx.config", "SMRAM D_OPEN is set with D_LCK");
    this.wmask[SMRAM] = c[SMRAM] & SMRAM_D_LCK ? 0x20 : 0x78;
    this.reportPam();
    this.onSmramChange?.();
  }
}
