// Vite builds two things from src/ui/:
// - the app (index.html): `npm start` (dev server) and `npm run build` (dist/app/);
// - the <vm-frame> library (`npm run build:lib`, mode "lib"): one ES module, dist/lib/vm-frame.js,
//   with the machine's worker and the CPU module inlined so that a page needs only that file.
// The app's site also has the library at lib/vm-frame.js (src/ui/dev/site-library.ts: the sources
// under `npm start`, the library build in dist/app/lib/) for the pages under public/examples/,
// and the default lab VM at lab/default.json from fixtures/out/ (src/ui/dev/default-lab.ts).
import { defineConfig, type Plugin } from "vite";
import { defaultLab } from "./src/ui/dev/default-lab";
import { siteLibrary } from "./src/ui/dev/site-library";

export default defineConfig(({ mode }) => {
  if (mode === "lib") {
    return {
      publicDir: false,
      plugins: [inlineWorker()],
      worker: { format: "es" },
      build: {
        outDir: "dist/lib",
        emptyOutDir: true,
        target: "es2022",
        // Library mode inlines every asset (the worker and build/cpu.wasm) into the one module.
        lib: { entry: "src/ui/vm-frame-lib.ts", formats: ["es"], fileName: () => "vm-frame.js" },
      },
    };
  }
  return {
    plugins: [defaultLab(), siteLibrary()],
    // Pages are index.html and public/examples/*.html; an unknown path is a 404 (not the app's
    // page), so a mistyped image URL fails as it would on a real server.
    appType: "mpa",
    worker: { format: "es" },
    server: { host: "127.0.0.1" },
    build: { outDir: "dist/app", emptyOutDir: true, target: "es2022" },
  };
});

/**
 * Library mode: put the worker's code inside vm-frame.js as a Blob URL, so that the element works
 * from one file served from any origin (a worker script must otherwise be same-origin).
 */
function inlineWorker(): Plugin {
  return {
    name: "lab86-inline-worker",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      for (const [name, item] of Object.entries(bundle)) {
        if (item.type !== "chunk" || !item.isEntry) continue;
        item.code = item.code.replace(
          /new URL\(\s*(?:\/\*[^*]*\*\/\s*)?"[^"]*?(assets\/worker-[\w-]+\.js)",\s*import\.meta\.url\s*\)/g,
          (_m, file: string) => {
            const asset = bundle[file];
            if (!asset || asset.type !== "asset") throw new Error(`inline worker: ${file} is not in the bundle`);
            const code = typeof asset.source === "string" ? asset.source : new TextDecoder().decode(asset.source);
            delete bundle[file];
            return `URL.createObjectURL(new Blob([${JSON.stringify(code)}], { type: "text/javascript" }))`;
          },
        );
        if (/assets\/worker-/.test(item.code)) throw new Error(`inline worker: ${name} still refers to a worker file`);
      }
    },
  };
}
