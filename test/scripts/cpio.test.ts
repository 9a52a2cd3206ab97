import { describe, it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeCpio, S_IFDIR, S_IFREG, S_IFLNK } from "../../scripts/lib/cpio";

describe("newc cpio writer", () => {
  it("produces an archive that an independent reader extracts with names, modes, symlinks and contents", () => {
    const enc = new TextEncoder();
    const archive = writeCpio([
      { name: "bin", mode: S_IFDIR | 0o755 },
      { name: "bin/hello", mode: S_IFREG | 0o755, data: enc.encode("#!/bin/sh\necho hi\n") },
      { name: "bin/link", mode: S_IFLNK | 0o777, data: enc.encode("hello") },
      { name: "odd", mode: S_IFREG | 0o644, data: enc.encode("abc") }, // 3 bytes: exercises padding
    ]);
    expect(new TextDecoder().decode(archive.subarray(0, 6))).toBe("070701");
    const dir = mkdtempSync(join(tmpdir(), "cpio-"));
    writeFileSync(join(dir, "a.cpio"), archive);
    // GNU tar does not read cpio; Python's standard library has no cpio either, so use the
    // kernel-format reader available on every Debian system: cpio if installed, else busybox.
    let extracted = false;
    for (const cmd of ["cpio -idm --quiet < a.cpio", "busybox cpio -idm < a.cpio"]) {
      try {
        execFileSync("sh", ["-c", cmd], { cwd: dir, stdio: "ignore" });
        extracted = true;
        break;
      } catch {
        /* try the next reader */
      }
    }
    if (!extracted) throw new Error("no cpio reader found: apt-get install cpio");
    expect(readFileSync(join(dir, "bin/hello"), "utf8")).toBe("#!/bin/sh\necho hi\n");
    expect(statSync(join(dir, "bin/hello")).mode & 0o777).toBe(0o755);
    expect(readlinkSync(join(dir, "bin/link"))).toBe("hello");
    expect(readFileSync(join(dir, "odd"), "utf8")).toBe("abc");
  });
});
