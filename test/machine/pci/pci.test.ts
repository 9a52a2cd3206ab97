import { describe, it, expect } from "vitest";
import { IoBus, MmioBus } from "../../../src/machine/io";
import { IrqLine } from "../../../src/machine/irq";
import { loadDevice, saveDevice, type Schema } from "../../../src/machine/state";
import { PciBus } from "../../../src/machine/pci/pci-bus";
import { PciFunction, pciConfigSchema, type PciConfigState } from "../../../src/machine/pci/pci-function";
import { I440fxHostBridge } from "../../../src/machine/pci/i440fx";
import { Piix3IsaBridge } from "../../../src/machine/pci/piix3-isa";
import { PiixIde } from "../../../src/machine/pci/piix-ide";
import { IdeChannel } from "../../../src/machine/storage/ata/channel";
import { CompletionQueue } from "../../../src/machine/storage/completion";
import { RecordingSink, cfgAddr, cfgRead, cfgWrite } from "./helpers";

/** A test function with a 4 KiB memory BAR, a 32-port I/O BAR, a 4 KiB ROM and INTA#. */
class TestFunction extends PciFunction<PciConfigState> {
  readonly name = "testfn";
  readonly schema: Schema = pciConfigSchema;
  readonly memWrites: [number, number][] = [];
  constructor(io: IoBus, mmio: MmioBus) {
    super(
      { vendorId: 0x1234, deviceId: 0x5678, revision: 1, classCode: 0x030000, interruptPin: 1 },
      [
        { kind: "mem", size: 0x1000, mmio: { read: (off) => 0xa0 + off, write: (off, _s, v) => void this.memWrites.push([off, v]) } },
        { kind: "io", size: 32, io: { read8: (off) => 0x40 + off } },
      ],
      io,
      mmio,
      new Uint8Array(3000).map((_, i) => i & 0xff),
    );
    this.reset();
  }
  reset(): void {
    this.resetPci({});
  }
  interrupt(level: boolean): void {
    this.setInterrupt(level);
  }
}

function platform() {
  const io = new IoBus();
  const mmio = new MmioBus();
  const sink = new RecordingSink();
  const bus = new PciBus(io);
  const host = new I440fxHostBridge(128 << 20);
  bus.register(host, 0, 0);
  const isa = new Piix3IsaBridge(bus, sink);
  bus.register(isa, 1, 0);
  const q = new CompletionQueue();
  const ide = new PiixIde(io, [new IdeChannel("ide0", new IrqLine(sink, 14), q), new IdeChannel("ide1", new IrqLine(sink, 15), q)]);
  bus.register(ide, 1, 1);
  const test = new TestFunction(io, mmio);
  bus.register(test, 3, 0);
  return { io, mmio, sink, bus, host, isa, ide, test };
}

describe("PCI configuration mechanism #1", () => {
  it("reads the i440FX identity as dword, word and byte at any offset", () => {
    const { io } = platform();
    expect(cfgRead(io, 0, 0, 0, 4)).toBe(0x12378086);
    expect(cfgRead(io, 0, 0, 2, 2)).toBe(0x1237);
    expect(cfgRead(io, 0, 0, 3, 1)).toBe(0x12);
    expect(cfgRead(io, 0, 0, 1, 1)).toBe(0x80);
    // Class code 060000h (host bridge) with revision 02h.
    expect(cfgRead(io, 0, 0, 8, 4)).toBe(0x06000002);
    expect(cfgRead(io, 1, 0, 0, 4)).toBe(0x70008086);
    expect(cfgRead(io, 1, 0, 0x0e, 1)).toBe(0x80); // PIIX3 is multi-function
    expect(cfgRead(io, 1, 1, 0, 4)).toBe(0x70108086);
    expect(cfgRead(io, 1, 1, 8, 4) >>> 8).toBe(0x010180);
  });

  it("keeps only the defined CONFIG_ADDRESS bits and latches it only on dword writes", () => {
    const { io } = platform();
    io.write(0xcf8, 4, 0xffffffff);
    expect(io.read(0xcf8, 4)).toBe(0x80fffffc);
    io.write(0xcf8, 2, 0x1234); // a word write is an ordinary I/O cycle
    expect(io.read(0xcf8, 4)).toBe(0x80fffffc);
  });

  it("returns all ones for absent functions, other buses and a disabled CONFIG_ADDRESS", () => {
    const { io } = platform();
    expect(cfgRead(io, 7, 0, 0, 4)).toBe(0xffffffff);
    io.write(0xcf8, 4, cfgAddr(0, 0, 0) | (1 << 16));
    expect(io.read(0xcfc, 4)).toBe(0xffffffff);
    io.write(0xcf8, 4, cfgAddr(0, 0, 0) & 0x7fffffff);
    expect(io.read(0xcfc, 2)).toBe(0xffff);
    // Device 3 has only function 0.
    expect(cfgRead(io, 3, 1, 0, 4)).toBe(0xffffffff);
  });

  it("hides functions 1-7 of a device whose function 0 is absent", () => {
    const io = new IoBus();
    const bus = new PciBus(io);
    const f = new TestFunction(io, new MmioBus());
    bus.register(f, 5, 2);
    expect(cfgRead(io, 5, 2, 0, 4)).toBe(0xffffffff);
  });

  it("protects read-only fields and clears status error bits written with one", () => {
    const { io, test } = platform();
    cfgWrite(io, 3, 0, 0, 4, 0);
    expect(cfgRead(io, 3, 0, 0, 4)).toBe(0x56781234);
    test.state.config[0x07] = 0xf9; // error bits set
    cfgWrite(io, 3, 0, 0x06, 2, 0x0100 | 0x2000); // clear data parity and received master abort
    expect(cfgRead(io, 3, 0, 0x07, 1)).toBe(0xf9 & ~0x21);
    cfgWrite(io, 3, 0, 0x3c, 1, 11);
    expect(cfgRead(io, 3, 0, 0x3c, 2)).toBe(0x010b); // interrupt pin 1 (INTA#) is read-only
  });
});

describe("BARs", () => {
  it("sizes memory, I/O and ROM BARs by writing all ones", () => {
    const { io } = platform();
    cfgWrite(io, 3, 0, 0x10, 4, 0xffffffff);
    expect(cfgRead(io, 3, 0, 0x10, 4)).toBe(0xfffff000);
    cfgWrite(io, 3, 0, 0x14, 4, 0xffffffff);
    expect(cfgRead(io, 3, 0, 0x14, 4)).toBe(0xffffffe1); // 32 ports, I/O indicator
    cfgWrite(io, 3, 0, 0x18, 4, 0xffffffff);
    expect(cfgRead(io, 3, 0, 0x18, 4)).toBe(0); // unimplemented BAR
    cfgWrite(io, 3, 0, 0x30, 4, 0xffffffff);
    expect(cfgRead(io, 3, 0, 0x30, 4)).toBe(0xfffff001); // 3000-byte ROM rounds up to 4 KiB
    cfgWrite(io, 1, 1, 0x20, 4, 0xffffffff);
    expect(cfgRead(io, 1, 1, 0x20, 4)).toBe(0xfffffff1); // PIIX BMIDE: 16 ports
  });

  it("decodes a BAR only while the command register enables its space, and follows relocation", () => {
    const { io, mmio, test } = platform();
    const moves: [number, number | null, number | null][] = [];
    test.onBarMoved = (i, o, n) => void moves.push([i, o, n]);
    cfgWrite(io, 3, 0, 0x10, 4, 0xfebf0000);
    cfgWrite(io, 3, 0, 0x14, 4, 0xc100);
    expect(mmio.read(0xfebf0004, 1)).toBe(0xff);
    expect(io.read(0xc105, 1)).toBe(0xff);
    cfgWrite(io, 3, 0, 0x04, 2, 0x0003);
    expect(mmio.read(0xfebf0004, 1)).toBe(0xa4);
    expect(io.read(0xc105, 1)).toBe(0x45);
    mmio.write(0xfebf0010, 4, 0x77);
    expect(test.memWrites).toEqual([[0x10, 0x77]]);
    // The guest moves the I/O BAR: the old ports are released, the new ones decode.
    cfgWrite(io, 3, 0, 0x14, 4, 0xd020);
    expect(io.read(0xc105, 1)).toBe(0xff);
    expect(io.read(0xd025, 1)).toBe(0x45);
    expect(test.barBase(1)).toBe(0xd020);
    cfgWrite(io, 3, 0, 0x04, 2, 0x0001); // memory decoding off
    expect(mmio.read(0xfebf0004, 1)).toBe(0xff);
    expect(moves).toEqual([
      [0, null, 0xfebf0000],
      [1, null, 0xc100],
      [1, 0xc100, 0xd020],
      [0, 0xfebf0000, null],
    ]);
  });

  it("maps the expansion ROM when its enable bit and memory decoding are set", () => {
    const { io, mmio } = platform();
    cfgWrite(io, 3, 0, 0x04, 2, 0x0002);
    cfgWrite(io, 3, 0, 0x30, 4, 0xfeb00000);
    expect(mmio.read(0xfeb00010, 1)).toBe(0xff);
    cfgWrite(io, 3, 0, 0x30, 4, 0xfeb00001);
    expect(mmio.read(0xfeb00010, 4)).toBe(0x13121110);
    expect(mmio.read(0xfeb00000 + 2999, 1)).toBe(2999 & 0xff);
    expect(mmio.read(0xfeb00000 + 3500, 1)).toBe(0xff); // inside the 4 KiB window, past the image
  });

  it("maps the PIIX bus-master registers at BAR4", () => {
    const { io } = platform();
    cfgWrite(io, 1, 1, 0x20, 4, 0xc000);
    cfgWrite(io, 1, 1, 0x04, 2, 0x0005);
    io.write(0xc002, 1, 0x60);
    io.write(0xc004, 4, 0x12345677);
    expect(io.read(0xc002, 1)).toBe(0x60);
    expect(io.read(0xc004, 4)).toBe(0x12345674);
  });
});

describe("i440FX PAM and SMRAM", () => {
  it("reports shadow attribute changes per region", () => {
    const { io, host } = platform();
    const calls: [number, number, boolean, boolean][] = [];
    host.onPamChange = (b, s, r, w) => void calls.push([b, s, r, w]);
    cfgWrite(io, 0, 0, 0x59, 1, 0x30);
    expect(calls).toEqual([[0xf0000, 0x10000, true, true]]);
    calls.length = 0;
    cfgWrite(io, 0, 0, 0x5a, 1, 0x21); // C0000 read-only DRAM, C4000 write-only DRAM
    expect(calls).toEqual([
      [0xc0000, 0x4000, true, false],
      [0xc4000, 0x4000, false, true],
    ]);
    calls.length = 0;
    cfgWrite(io, 0, 0, 0x5a, 1, 0x21); // no change, no callback
    cfgWrite(io, 0, 0, 0x5c, 4, 0x11111111); // D0000-EFFFF read enable in one dword
    expect(calls.map((c) => c[0])).toEqual([0xd0000, 0xd4000, 0xd8000, 0xdc000, 0xe0000, 0xe4000, 0xe8000, 0xec000]);
    expect(cfgRead(io, 0, 0, 0x59, 1)).toBe(0x30);
  });

  it("keeps SMRAM C_BASE_SEG fixed and honours D_LCK", () => {
    const { io } = platform();
    expect(cfgRead(io, 0, 0, 0x72, 1)).toBe(0x02);
    cfgWrite(io, 0, 0, 0x72, 1, 0x4f);
    expect(cfgRead(io, 0, 0, 0x72, 1)).toBe(0x4a);
    cfgWrite(io, 0, 0, 0x72, 1, 0x1a); // lock
    cfgWrite(io, 0, 0, 0x72, 1, 0x42); // D_OPEN can no longer be set, D_LCK stays
    expect(cfgRead(io, 0, 0, 0x72, 1)).toBe(0x1a);
  });

  it("round-trips PAM state and replays it to the machine after restore", () => {
    const { io, host } = platform();
    cfgWrite(io, 0, 0, 0x5f, 1, 0x30);
    const saved = saveDevice(host);
    host.reset();
    const calls: number[] = [];
    host.onPamChange = (b, _s, _r, w) => w && calls.push(b);
    loadDevice(host, saved);
    expect(calls).toEqual([0xec000]);
    expect(cfgRead(io, 0, 0, 0x5f, 1)).toBe(0x30);
  });
});

describe("PIIX3 PIRQ routing", () => {
  it("routes a function's INTA# through the swizzle and PIRQRC to an ISA IRQ", () => {
    const { io, sink, isa, test } = platform();
    // Device 3, INTA#: PIRQ (3 + 0) mod 4 = PIRQD, register 0x63.
    expect(isa.intxToIrq(test.devfn, 1)).toBe(-1);
    cfgWrite(io, 1, 0, 0x63, 1, 11);
    expect(isa.pirqToIrq(3)).toBe(11);
    test.interrupt(true);
    expect(sink.level(11)).toBe(true);
    expect(cfgRead(io, 3, 0, 0x06, 1) & 0x08).toBe(0x08); // Interrupt Status
    // Re-route to IRQ 10: 11 drops, 10 rises.
    cfgWrite(io, 1, 0, 0x63, 1, 10);
    expect(sink.level(11)).toBe(false);
    expect(sink.level(10)).toBe(true);
    // Interrupt Disable in the command register masks INTx#.
    cfgWrite(io, 3, 0, 0x04, 2, 0x0400);
    expect(sink.level(10)).toBe(false);
    cfgWrite(io, 3, 0, 0x04, 2, 0x0000);
    expect(sink.level(10)).toBe(true);
    // Routing disabled (bit 7) and reserved IRQs (2, 8, 13) do not deliver.
    cfgWrite(io, 1, 0, 0x63, 1, 0x8a);
    expect(sink.level(10)).toBe(false);
    cfgWrite(io, 1, 0, 0x63, 1, 13);
    expect(isa.pirqToIrq(3)).toBe(-1);
    cfgWrite(io, 1, 0, 0x63, 1, 10);
    test.interrupt(false);
    expect(sink.level(10)).toBe(false);
  });

  it("leaves 0xCF9-0xCFB to other devices and latches CONFIG_ADDRESS only from dword writes", () => {
    const { io } = platform();
    expect(io.ownerOf(0xcf8)).toBe("pci-config");
    expect(io.ownerOf(0xcf9)).toBeUndefined();
    expect(io.ownerOf(0xcfb)).toBeUndefined();
    io.write(0xcf8, 4, cfgAddr(0, 0, 0));
    io.write(0xcf8, 1, 0x00);
    expect(io.read(0xcf8, 4)).toBe(cfgAddr(0, 0, 0));
  });

  it("refuses a saved state whose driven IRQs disagree with its routes", () => {
    const { isa } = platform();
    const bad = saveDevice(isa);
    bad.driven = 1 << 11;
    expect(() => loadDevice(isa, bad)).toThrow(/piix3-isa\.driven/);
  });

  it("refuses a config space with another device's identity", () => {
    const { test } = platform();
    const bad = saveDevice(test);
    bad.config[0] = 0x86;
    expect(() => loadDevice(test, bad)).toThrow(/testfn\.config.*vendor/);
  });
});

describe("PIIX IDE legacy decoding", () => {
  it("claims the compatibility ports only with I/O enable and IDE Decode Enable", () => {
    const { io, ide } = platform();
    expect(io.ownerOf(0x1f7)).toBeUndefined();
    cfgWrite(io, 1, 1, 0x04, 2, 0x0001);
    expect(io.ownerOf(0x1f7)).toBeUndefined();
    cfgWrite(io, 1, 1, 0x40, 2, 0x8000);
    expect(io.ownerOf(0x1f7)).toBe("ide0");
    expect(io.ownerOf(0x3f6)).toBe("ide0");
    expect(io.ownerOf(0x177)).toBeUndefined();
    cfgWrite(io, 1, 1, 0x42, 2, 0x8000);
    expect(io.ownerOf(0x376)).toBe("ide1");
    expect(io.ownerOf(0x3f7)).toBeUndefined(); // the floppy controller's DIR
    cfgWrite(io, 1, 1, 0x04, 2, 0x0000);
    expect(io.ownerOf(0x1f0)).toBeUndefined();
    expect(ide.legacyDecoding(0)).toBe(false);
  });
});

describe("PIIX IDE state", () => {
  it("restores bus-master registers and legacy decoding into a fresh function", () => {
    const a = platform();
    cfgWrite(a.io, 1, 1, 0x20, 4, 0xc000);
    cfgWrite(a.io, 1, 1, 0x04, 2, 0x0005);
    cfgWrite(a.io, 1, 1, 0x40, 2, 0x8000);
    a.io.write(0xc004, 4, 0x00100000);
    a.io.write(0xc002, 1, 0x20);
    const saved = saveDevice(a.ide);
    const b = platform();
    loadDevice(b.ide, saved);
    expect(b.io.ownerOf(0x1f7)).toBe("ide0");
    expect(b.io.ownerOf(0x177)).toBeUndefined();
    expect(b.io.read(0xc004, 4)).toBe(0x00100000);
    expect(b.io.read(0xc002, 1)).toBe(0x20);
    const bad = saveDevice(a.ide);
    bad.bmide[4] = 0x02;
    expect(() => loadDevice(b.ide, bad)).toThrow(/piix-ide\.bmide/);
  });
});

describe("I/O BAR placement", () => {
  it("does not decode an I/O BAR placed above 64 KiB", () => {
    const { io, test } = platform();
    cfgWrite(io, 3, 0, 0x14, 4, 0x00012340);
    cfgWrite(io, 3, 0, 0x04, 2, 0x0001);
    expect(cfgRead(io, 3, 0, 0x14, 4)).toBe(0x00012341);
    expect(test.barBase(1)).toBeNull();
    expect(io.read(0x2345, 1)).toBe(0xff);
  });
});

describe("PCI bus state", () => {
  it("round-trips CONFIG_ADDRESS and refuses malformed INTx masks", () => {
    const a = platform();
    a.io.write(0xcf8, 4, cfgAddr(1, 1, 0x40));
    const saved = saveDevice(a.bus);
    const b = platform();
    loadDevice(b.bus, saved);
    expect(b.io.read(0xcf8, 4)).toBe(cfgAddr(1, 1, 0x40));
    const bad = saveDevice(a.bus);
    bad.intx[9] = 0x1f;
    expect(() => loadDevice(b.bus, bad)).toThrow(/pci\.intx\[9\]/);
    expect(() => loadDevice(b.bus, { ...saved, configAddress: 0x7f000000 })).toThrow(/pci\.configAddress/);
  });
});

describe("PIRQ levels for an I/O APIC", () => {
  it("reports each PIRQ line's wired-OR level, routed or not", () => {
    const { isa, test } = platform();
    const seen: [number, boolean][] = [];
    isa.onPirqLevel = (p, l) => void seen.push([p, l]);
    test.interrupt(true);
    test.interrupt(true);
    test.interrupt(false);
    expect(seen).toEqual([
      [3, true],
      [3, false],
    ]);
  });
});
