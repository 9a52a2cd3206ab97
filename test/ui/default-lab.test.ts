import { describe, it, expect } from "vitest";
import { gunzipSync } from "node:zlib";
import { appInitrdOverlay, APP_INIT, DEFAULT_CMDLINE } from "../../src/ui/dev/default-lab";

describe("the default lab's initrd overlay", () => {
  it("is a gzipped newc cpio archive holding an executable /init, then the trailer", () => {
    const cpio = gunzipSync(appInitrdOverlay());
    const text = new TextDecoder("latin1").decode(cpio);
    // newc header: magic, then 13 eight-digit hex fields (ino, mode, uid, gid, nlink, mtime, filesize, ...).
    expect(text.slice(0, 6)).toBe("070701");
    const field = (i: number) => parseInt(text.slice(6 + i * 8, 14 + i * 8), 16);
    expect(field(1)).toBe(0o100755);
    expect(field(6)).toBe(new TextEncoder().encode(APP_INIT).length);
    const nameSize = field(11);
    expect(text.slice(110, 110 + nameSize)).toBe("init\0");
    expect(text).toContain(APP_INIT);
    expect(text).toContain("TRAILER!!!");
  });

  it("starts a shell on both the serial line and the VGA console, which both get kernel messages", () => {
    expect(APP_INIT).toMatch(/shell \/dev\/ttyS0 &/);
    expect(APP_INIT).toMatch(/shell \/dev\/tty1\n/);
    expect(DEFAULT_CMDLINE).toMatch(/console=ttyS0 console=tty0/);
  });
});
