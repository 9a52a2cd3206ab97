// The VGA/VBE adapter's public surface, for the machine, the BIOS and the browser renderer.
export { Vga, VGA_WINDOW_BASE, VGA_WINDOW_SIZE, type DirectMapping } from "./vga";
export { VgaPci, VGA_PCI_IDENTITY } from "./pci-glue";
export { collectDirectWrites, DirectMapper, type DirectWriteTracking, type PhysMapper } from "./direct-map";
export { copyRect, type FrameUpdate, type FrameKind, type Rect } from "./render";
export type { TextScreen, TextCursor } from "./render-text";
export { CP437, cp437ToString } from "./cp437";
export { frameToPpm, textScreenToString } from "./screenshot";
export { VGA_MODES, programVgaMode, encodeParameterTableEntry, dacTable, type VgaModeParams, type PortWriter } from "./mode-tables";
export { EGA_DAC, CGA_DAC, MONO_DAC, VGA256_DAC, dac6to8 } from "./palettes";
export { VBE_INDEX_PORT, VBE_DATA_PORT, VBE_MAX_XRES, VBE_MAX_YRES, VBE_VALID_BPP } from "./vbe";
