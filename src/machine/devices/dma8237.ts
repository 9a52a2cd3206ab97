// The PC/AT pair of Intel 8237A DMA controllers (datasheet order 231466) with the 74LS612 page
// registers: controller 1 (channels 0-3, byte transfers) at 0x00-0x0F, controller 2 (channels
// 4-7, word transfers, channel 4 the cascade from controller 1) at 0xC0-0xDF with A0 unused, and
// the page registers at 0x81-0x8F.
//
// Transfers happen at once when a device asserts DREQ on an unmasked channel: the controller
// calls the device back with the bytes the programmed address and count allow, splitting at the
// address register's wrap (the page register does not carry, datasheet/AT technical reference).
import type { DmaController, DmaDevice, PhysicalMemory } from "../dma-api";
import type { IoBus } from "../io";
import { type Device, type Schema, StateError } from "../state";

/** Page register port of each channel (AT technical reference, "DMA page registers"). */
const PAGE_PORT = [0x87, 0x83, 0x81, 0x82, 0x8f, 0x8b, 0x89, 0x8a];

const MODE_TYPE = 0x0c; // 00 verify, 01 write (device to memory), 10 read (memory to device)
const MODE_AUTOINIT = 0x10;
const MODE_DECREMENT = 0x20;
const MODE_KIND = 0xc0; // 00 demand, 01 single, 10 block, 11 cascade
const KIND_BLOCK = 0x80;
const KIND_CASCADE = 0xc0;
const CMD_DISABLE = 0x04;

export interface DmaChannelState {
  baseAddress: number;
  baseCount: number;
  address: number;
  count: number; // transfers remaining minus one; 0xFFFF after terminal count
  mode: number;
  dreq: boolean; // the device's DREQ input
  tcReached: boolean; // terminal count since the channel was last programmed
  inBlock: boolean; // a block-mode transfer started and runs to terminal count without DREQ
}

export interface DmaChipState {
  command: number;
  status: number; // bits 0-3: TC reached (cleared by reading status)
  request: number; // software request bits 0-3
  mask: number; // bits 0-3
  flipFlop: boolean; // the byte pointer: true = the next access is the high byte
  temporary: number;
}

export interface DmaState {
  chips: DmaChipState[];
  channels: DmaChannelState[];
  pages: Uint8Array; // the 16 page register bytes at 0x80-0x8F (those of no channel are scratch)
}

const CHANNEL_SCHEMA: Schema = { baseAddress: "u16", baseCount: "u16", address: "u16", count: "u16", mode: "u8", dreq: "bool", tcReached: "bool", inBlock: "bool" };
const CHIP_SCHEMA: Schema = { command: "u8", status: "u8", request: "u8", mask: "u8", flipFlop: "bool", temporary: "u8" };
const DMA_SCHEMA: Schema = {
  chips: { type: "struct[]", length: 2, of: CHIP_SCHEMA },
  channels: { type: "struct[]", length: 8, of: CHANNEL_SCHEMA },
  pages: { type: "bytes", length: 16 },
};

function powerOn(): DmaState {
  return {
    chips: [0, 1].map(() => ({ command: 0, status: 0, request: 0, mask: 0x0f, flipFlop: false, temporary: 0 })),
    channels: Array.from({ length: 8 }, () => ({ baseAddress: 0, baseCount: 0, address: 0, count: 0, mode: 0, dreq: false, tcReached: false, inBlock: false })),
    pages: new Uint8Array(16),
  };
}

export class Dma8237 implements Device<DmaState>, DmaController {
  readonly name = "dma";
  readonly schema = DMA_SCHEMA;
  state: DmaState = powerOn();
  private readonly devices: (DmaDevice | undefined)[] = new Array(8);
  private servicing = false;

  constructor(private readonly memory: PhysicalMemory) {}

  reset(): void {
    this.state = powerOn();
  }

  postLoad(): void {
    this.state.chips.forEach((c, i) => {
      if (c.mask > 15) throw new StateError(`dma.chips[${i}].mask`, "only 4 channels");
      if (c.status & 0xf0) throw new StateError(`dma.chips[${i}].status`, "request bits are not stored");
      if (c.request > 15) throw new StateError(`dma.chips[${i}].request`, "only 4 channels");
    });
    this.state.channels.forEach((ch, i) => {
      if (ch.mode & 3) throw new StateError(`dma.channels[${i}].mode`, "channel select bits must be zero");
    });
  }

  // ---- DmaController ----

  connect(channel: number, device: DmaDevice): void {
    if (channel === 4 || channel < 0 || channel > 7) throw new Error(`dma: channel ${channel} cannot serve a device`);
    this.devices[channel] = device;
  }

  setDreq(channel: number, level: boolean): void {
    this.state.channels[channel].dreq = level;
    if (level) this.service();
  }

  terminalCount(channel: number): boolean {
    return this.state.channels[channel].tcReached;
  }

  // ---- registers ----

  /** Controller `chip` register `reg` (0-15, as on controller 1's ports). */
  read(chip: number, reg: number): number {
    const c = this.state.chips[chip];
    if (reg < 8) {
      const ch = this.state.channels[chip * 4 + (reg >> 1)];
      const v = reg & 1 ? ch.count : ch.address;
      const byte = c.flipFlop ? v >>> 8 : v & 0xff;
      c.flipFlop = !c.flipFlop;
      return byte;
    }
    switch (reg) {
      case 8: {
        // Status: TC bits 0-3 (cleared by this read), request bits 4-7.
        let req = c.request;
        for (let i = 0; i < 4; i++) if (this.state.channels[chip * 4 + i].dreq) req |= 1 << i;
        const v = c.status | (req << 4);
        c.status = 0;
        return v;
      }
      case 13:
        return c.temporary;
      case 15:
        return c.mask | 0xf0; // PIIX makes the mask register readable
      default:
        return 0xff;
    }
  }

  write(chip: number, reg: number, v: number): void {
    const c = this.state.chips[chip];
    if (reg < 8) {
      const n = chip * 4 + (reg >> 1);
      const ch = this.state.channels[n];
      const old = reg & 1 ? ch.baseCount : ch.baseAddress;
      const val = c.flipFlop ? (old & 0xff) | (v << 8) : (old & 0xff00) | v;
      c.flipFlop = !c.flipFlop;
      // Writing loads both the base and the current register (datasheet, "Base and Current").
      if (reg & 1) ch.baseCount = ch.count = val;
      else ch.baseAddress = ch.address = val;
      ch.tcReached = false;
      ch.inBlock = false;
      return;
    }
    switch (reg) {
      case 8:
        c.command = v;
        this.service();
        return;
      case 9:
        if (v & 4) c.request |= 1 << (v & 3);
        else c.request &= ~(1 << (v & 3));
        this.service();
        return;
      case 10:
        if (v & 4) c.mask |= 1 << (v & 3);
        else c.mask &= ~(1 << (v & 3));
        this.service();
        return;
      case 11: {
        const ch = this.state.channels[chip * 4 + (v & 3)];
        ch.mode = v & 0xfc;
        ch.tcReached = false;
        ch.inBlock = false;
        return;
      }
      case 12:
        c.flipFlop = false;
        return;
      case 13:
        // Master clear: like a hardware reset of this controller (all masked).
        c.command = 0;
        c.status = 0;
        c.request = 0;
        c.mask = 0x0f;
        c.flipFlop = false;
        c.temporary = 0;
        return;
      case 14:
        c.mask = 0;
        this.service();
        return;
      case 15:
        c.mask = v & 0x0f;
        this.service();
        return;
      default:
    }
  }

  readPage(port: number): number {
    return this.state.pages[port & 0x0f];
  }

  writePage(port: number, v: number): void {
    this.state.pages[port & 0x0f] = v;
  }

  attach(io: IoBus): void {
    io.register("dma1", 0x00, 0x10, { read8: (p) => this.read(0, p), write8: (p, v) => this.write(0, p, v) });
    io.register("dma2", 0xc0, 0x20, { read8: (p) => this.read(1, (p - 0xc0) >> 1), write8: (p, v) => this.write(1, (p - 0xc0) >> 1, v) });
    // 0x80 is the POST code port (misc-ports.ts); the rest of the page register block is ours.
    io.register("dma-page", 0x81, 0x0f, { read8: (p) => this.readPage(p), write8: (p, v) => this.writePage(p, v) });
  }

  // ---- transfers ----

  private channelActive(n: number): boolean {
    const chip = n >> 2;
    const c = this.state.chips[chip];
    const ch = this.state.channels[n];
    const bit = 1 << (n & 3);
    if (c.command & CMD_DISABLE || c.mask & bit || (ch.mode & MODE_KIND) === KIND_CASCADE) return false;
    if (!(ch.dreq || c.request & bit || ch.inBlock)) return false;
    if (chip === 0) {
      // Controller 1 reaches the bus through controller 2's channel 4 in cascade mode.
      const c2 = this.state.chips[1];
      if (c2.command & CMD_DISABLE || c2.mask & 1 || (this.state.channels[4].mode & MODE_KIND) !== KIND_CASCADE) return false;
    }
    return !!this.devices[n];
  }

  /** Run transfers for every requesting, unmasked channel; channel 0 has the highest (fixed) priority. */
  private service(): void {
    if (this.servicing) return;
    this.servicing = true;
    try {
      for (let guard = 0; guard < 1024; guard++) {
        let n = 0;
        while (n < 8 && !this.channelActive(n)) n++;
        if (n === 8) break;
        if (!this.transfer(n)) break;
      }
    } finally {
      this.servicing = false;
    }
  }

  /** One burst on channel n, up to terminal count or the address wrap. Returns false if nothing moved. */
  private transfer(n: number): boolean {
    const ch = this.state.channels[n];
    const wide = n >= 4;
    const unit = wide ? 2 : 1;
    const dec = (ch.mode & MODE_DECREMENT) !== 0;
    const type = (ch.mode & MODE_TYPE) >> 2;
    const units = Math.min(ch.count + 1, dec ? ch.address + 1 : 0x10000 - ch.address);
    const max = units * unit;
    const page = this.state.pages[PAGE_PORT[n] & 0x0f];
    // 16-bit channels address words: A1-A16 from the address register, A17-A23 from the page.
    const physical = (i: number): number => {
      const a = dec ? ch.address - Math.floor(i / unit) : ch.address + Math.floor(i / unit);
      return wide ? ((page & 0xfe) << 16) | ((a & 0xffff) << 1) | (i & 1) : (page << 16) | (a & 0xffff);
    };
    let moved = 0;
    const port = {
      write: (data: Uint8Array): number => {
        const len = Math.min(data.length, max - moved);
        if (type === 1) {
          if (!dec) this.memory.write(physical(moved), data.subarray(0, len));
          else for (let i = 0; i < len; i++) this.memory.write(physical(moved + i), data.subarray(i, i + 1));
        }
        moved += len;
        return len;
      },
      read: (want: number): Uint8Array => {
        const len = Math.min(want, max - moved);
        let out: Uint8Array;
        if (type !== 2) out = new Uint8Array(len);
        else if (!dec) out = this.memory.read(physical(moved), len);
        else {
          out = new Uint8Array(len);
          for (let i = 0; i < len; i++) out[i] = this.memory.read(physical(moved + i), 1)[0];
        }
        moved += len;
        return out;
      },
    };
    const device = this.devices[n];
    if (!device || type === 3) return false;
    device.dmaTransfer(n, type !== 2, port, max);
    const done = Math.floor(moved / unit);
    if (done === 0) return false;
    ch.address = (dec ? ch.address - done : ch.address + done) & 0xffff;
    const remaining = ch.count + 1 - done;
    const c = this.state.chips[n >> 2];
    // Block mode: once started the transfer continues to terminal count (8237A, "Block Transfer Mode").
    ch.inBlock = remaining > 0 && (ch.mode & MODE_KIND) === KIND_BLOCK;
    if (remaining === 0) {
      c.status |= 1 << (n & 3);
      ch.tcReached = true;
      c.request &= ~(1 << (n & 3));
      if (ch.mode & MODE_AUTOINIT) {
        ch.address = ch.baseAddress;
        ch.count = ch.baseCount;
      } else {
        ch.count = 0xffff;
        c.mask |= 1 << (n & 3); // TC without autoinitialize masks the channel (datasheet, EOP)
      }
    } else {
      ch.count = remaining - 1;
    }
    // Single and demand transfers stop when DREQ drops; block mode runs to terminal count.
    return remaining > 0 ? ch.inBlock || ch.dreq : true;
  }
}
