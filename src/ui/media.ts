// Loading boot media in the worker: bytes handed over by the page, or a URL fetched with progress.
// Errors name the medium and the reason ("HTTP 404", "network error", "empty file").
import type { MediaSource } from "./protocol";

export class MediaError extends Error {}

export async function loadMedia(
  what: string,
  src: MediaSource,
  onProgress: (loaded: number, total: number | null) => void,
): Promise<Uint8Array> {
  if (src.kind === "bytes") {
    if (src.data.byteLength === 0) throw new MediaError(`${what}: ${src.name} is empty`);
    return new Uint8Array(src.data);
  }
  let res: Response;
  try {
    res = await fetch(src.url);
  } catch (e) {
    throw new MediaError(`${what}: cannot download ${src.url}: ${(e as Error).message || "network error"}`);
  }
  if (!res.ok) throw new MediaError(`${what}: cannot download ${src.url}: HTTP ${res.status} ${res.statusText}`.trim());
  // A web server's error or index page served with 200 is not an image (SPA fallbacks do this).
  if ((res.headers.get("content-type") ?? "").startsWith("text/html")) {
    throw new MediaError(`${what}: ${src.url} is a web page, not an image (check the URL)`);
  }
  const lengthHeader = res.headers.get("content-length");
  const total = lengthHeader ? Number(lengthHeader) : null;
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress(loaded, total);
  }
  if (loaded === 0) throw new MediaError(`${what}: ${src.url} is empty`);
  const out = new Uint8Array(loaded);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
