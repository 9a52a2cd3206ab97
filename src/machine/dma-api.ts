// How an ISA device (the floppy controller, Sound Blaster...) moves data through the 8237 DMA
// controller. The device asserts DREQ on its channel; the controller calls back with transfers
// bounded by the guest-programmed address and count.

export interface DmaDevice {
  /**
   * The controller grants a transfer on this channel. For a write-to-memory transfer (device to
   * memory) the device returns up to `max` bytes; for read-from-memory it receives bytes.
   * Returns the number of bytes consumed or produced.
   */
  dmaTransfer(channel: number, toMemory: boolean, memory: { write(data: Uint8Array): number; read(max: number): Uint8Array }, max: number): number;
}

export interface DmaController {
  /** Attach the device served by `channel` (0-3 on the first 8237, 5-7 on the second). */
  connect(channel: number, device: DmaDevice): void;
  /** Assert or release DREQ; the controller runs transfers while DREQ is asserted and the channel unmasked. */
  setDreq(channel: number, level: boolean): void;
  /** True once the channel reached terminal count since its last programming. */
  terminalCount(channel: number): boolean;
}

/** Guest physical memory as devices (DMA, bus masters, firmware loaders) access it. */
export interface PhysicalMemory {
  read(addr: number, length: number): Uint8Array;
  write(addr: number, data: Uint8Array): void;
}
