import { describe, it, expect } from "vitest";
import { guessUrlKind } from "../../src/ui/media-kind";

describe("guessing what a URL points at", () => {
  it("recognises manifests, CDs, floppies and kernels by name, ignoring query and case", () => {
    expect(guessUrlKind("https://x.org/labs/lab1.JSON?v=2")).toBe("lab");
    expect(guessUrlKind("https://x.org/debian-12.iso#boot")).toBe("cdrom");
    expect(guessUrlKind("/images/freedos.ima")).toBe("fda");
    expect(guessUrlKind("/images/msdos.vfd")).toBe("fda");
    expect(guessUrlKind("/boot/vmlinuz-6.1.0-686")).toBe("kernel");
    expect(guessUrlKind("/boot/bzImage")).toBe("kernel");
  });

  it("takes anything else for a hard disk, even with a kernel-like directory name", () => {
    expect(guessUrlKind("/disk.img")).toBe("hda");
    expect(guessUrlKind("/vmlinuz-images/disk.raw")).toBe("hda");
    expect(guessUrlKind("https://x.org/download?file=a.iso")).toBe("hda");
  });
});
