import { describe, it, expect } from "vitest";
import { validateManifest, parseMemory, manifestToConfig } from "../../src/ui/manifest";

const BASE = "https://labs.example.org/course/lab1.json";

describe("lab manifest validation", () => {
  it("accepts a kernel lab and resolves media URLs against the manifest", () => {
    const m = validateManifest({ name: "Lab 1", memory: 64, kernel: "vmlinuz", initrd: "/shared/initrd.gz", cmdline: "console=ttyS0" }, BASE);
    expect(m).toEqual({
      name: "Lab 1", memory: 64,
      kernel: "https://labs.example.org/course/vmlinuz", initrd: "https://labs.example.org/shared/initrd.gz", cmdline: "console=ttyS0",
    });
  });

  it("defaults memory to 128 MiB and takes sizes with units", () => {
    expect(validateManifest({ cdrom: "a.iso" }, BASE).memory).toBe(128);
    expect(validateManifest({ cdrom: "a.iso", memory: "1G" }, BASE).memory).toBe(1024);
    expect(parseMemory("256M")).toBe(256);
    expect(parseMemory("512")).toBe(512);
  });

  it("names the faulty field", () => {
    expect(() => validateManifest({ hda: 5 }, BASE)).toThrow('"hda" must be a string, not 5');
    expect(() => validateManifest({ hda: "d.img", memory: "lots" }, BASE)).toThrow(/"memory" must be a size in MiB/);
    expect(() => validateManifest({ hda: "d.img", memory: 2 }, BASE)).toThrow(/between 4 and 3072/);
    expect(() => validateManifest({ hda: "d.img", memory: 64.5 }, BASE)).toThrow(/whole number/);
    expect(() => validateManifest({ hda: "d.img", boot: "usb" }, BASE)).toThrow('"boot" must be "cd", "hd" or "fd", not "usb"');
    expect(() => validateManifest({ hda: "d.img", acpi: "yes" }, BASE)).toThrow('"acpi" must be true or false');
    expect(() => validateManifest({ hda: "d.img", hdd: "x" }, BASE)).toThrow(/unknown field "hdd"/);
    expect(() => validateManifest({ hda: "" }, BASE)).toThrow('"hda" is an empty URL');
    expect(() => validateManifest({ hda: "http://[bad" }, BASE)).toThrow(/"hda" is not a valid URL/);
  });

  it("rejects a lab without boot media, and an initrd or cmdline without a kernel", () => {
    expect(() => validateManifest({ memory: 64 }, BASE)).toThrow(/no boot media/);
    expect(() => validateManifest({ hda: "d.img", initrd: "i.gz" }, BASE)).toThrow('"initrd" is given without a "kernel"');
    expect(() => validateManifest({ hda: "d.img", cmdline: "quiet" }, BASE)).toThrow('"cmdline" is given without a "kernel"');
  });

  it("rejects JSON that is not an object", () => {
    expect(() => validateManifest([], BASE)).toThrow(/must be a JSON object/);
    expect(() => validateManifest(null, BASE)).toThrow(/must be a JSON object/);
  });

  it("becomes a worker configuration fetching every medium by URL", () => {
    const c = manifestToConfig(validateManifest({ cdrom: "cd.iso", fda: "f.img", boot: "fd", memory: 32, apic: false }, BASE));
    expect(c).toEqual({
      memoryMiB: 32, cdrom: { kind: "url", url: "https://labs.example.org/course/cd.iso" },
      fda: { kind: "url", url: "https://labs.example.org/course/f.img" }, boot: "fd", apic: false,
      kernel: undefined, initrd: undefined, cmdline: undefined, hda: undefined, acpi: undefined,
    });
  });
});
