// What a URL typed in the app's URL field most likely points at, from its file name, when the
// user left the kind on "guess": lab manifests are JSON, CD images .iso, floppy images the
// usual diskette extensions, Linux kernels vmlinuz*/bzImage*; anything else is taken as a hard
// disk image (raw .img, .raw, .bin...).
export type UrlKind = "lab" | "hda" | "cdrom" | "fda" | "kernel";

export function guessUrlKind(url: string): UrlKind {
  const path = url.split(/[?#]/)[0].toLowerCase();
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (name.endsWith(".json")) return "lab";
  if (name.endsWith(".iso")) return "cdrom";
  if (/\.(ima|flp|vfd|dsk)$/.test(name)) return "fda";
  if (/^(vmlinuz|bzimage)/.test(name)) return "kernel";
  return "hda";
}
