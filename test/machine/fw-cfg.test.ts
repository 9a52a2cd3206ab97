// QEMU's fw_cfg traditional interface as SeaBIOS reads it (QEMU docs/specs/fw_cfg.rst): select
// with a 16-bit write to 510h, stream the item from 511h; the file directory is big-endian.
import { describe, it, expect } from "vitest";
import { IoBus } from "../../src/machine/io";
import { loadDevice, saveDevice } from "../../src/machine/state";
import { FwCfg, seabiosBootOrder } from "../../src/machine/devices/fw-cfg";

function setup() {
  const io = new IoBus();
  const dev = new FwCfg({
    ramBytes: 128 << 20, uuid: Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i), cpus: 1, irq0Override: true,
    files: [{ name: "bootorder", data: seabiosBootOrder(["cd", "hd"]) }],
  });
  dev.attach(io);
  const read = (key: number, n: number) => {
    io.write(0x510, 2, key);
    return Uint8Array.from({ length: n }, () => io.read(0x511, 1));
  };
  return { io, dev, read };
}

describe("fw_cfg", () => {
  it("signature, interface ID, RAM size, CPU count and the IRQ 0 override item", () => {
    const { read } = setup();
    expect(new TextDecoder().decode(read(0, 4))).toBe("QEMU");
    expect([...read(1, 4)]).toEqual([1, 0, 0, 0]);
    expect([...read(3, 8)]).toEqual([0, 0, 0, 8, 0, 0, 0, 0]); // 128 MiB, little-endian
    expect([...read(5, 2)]).toEqual([1, 0]);
    expect([...read(0x8002, 4)]).toEqual([1, 0, 0, 0]);
    expect([...read(2, 16)]).toEqual(Array.from({ length: 16 }, (_, i) => 0xa0 + i));
  });

  it("absent items and reads past an item's end return zero; selecting restarts the item", () => {
    const { io, read } = setup();
    expect([...read(0x1234, 4)]).toEqual([0, 0, 0, 0]);
    expect([...read(0, 6)]).toEqual([0x51, 0x45, 0x4d, 0x55, 0, 0]);
    io.write(0x510, 2, 0);
    expect(io.read(0x511, 1)).toBe(0x51);
  });

  it("the file directory lists bootorder with its size and selector, and the file reads back", () => {
    const { read } = setup();
    const head = read(0x19, 4 + 64);
    const dv = new DataView(head.buffer);
    expect(dv.getUint32(0)).toBe(1);
    const size = dv.getUint32(4);
    const select = dv.getUint16(8);
    expect(new TextDecoder().decode(head.subarray(12, 21))).toBe("bootorder");
    expect(head[21]).toBe(0);
    expect(new TextDecoder().decode(read(select, size))).toBe("/pci@i0cf8/*@1,1/drive@1/disk@0\n/pci@i0cf8/*@1,1/drive@0/disk@0\0");
  });

  it("the selector and offset survive a snapshot", () => {
    const a = setup();
    a.io.write(0x510, 2, 0);
    a.io.read(0x511, 1);
    const b = setup();
    loadDevice(b.dev, saveDevice(a.dev));
    expect(b.io.read(0x511, 1)).toBe(0x45);
  });
});
