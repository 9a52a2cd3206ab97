// Vite plugin (Node side): the <vm-frame> module inside the app's own site, at lib/vm-frame.js,
// so that pages under public/ (the examples) load it with one <script type="module">, as a site
// author's page loads the library build.
// - `npm start`: the dev server answers that path with a module re-exporting the element's
//   TypeScript sources (src/ui/vm-frame-lib.ts), which Vite compiles on the fly.
// - `npm run build`: after the app is written, the library build (vite.config.ts, mode "lib":
//   one file with the worker and the CPU inside) is written to <outDir>/lib/.
import { resolve } from "node:path";
import { build, type Plugin, type ResolvedConfig } from "vite";

/** Where the module is in the site, relative to the site's base. */
export const SITE_LIBRARY = "lib/vm-frame.js";

export function siteLibrary(): Plugin {
  let config: ResolvedConfig;
  return {
    name: "lab86-site-library",
    configResolved(c) {
      config = c;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if ((req.url ?? "").split("?")[0] !== server.config.base + SITE_LIBRARY) return next();
        res.setHeader("content-type", "text/javascript");
        res.setHeader("cache-control", "no-store");
        res.end(`export * from "/src/ui/vm-frame-lib.ts";\n`);
      });
    },
    async writeBundle() {
      if (config.command !== "build") return;
      if (!config.configFile) throw new Error("lab86-site-library: the library build needs vite.config.ts");
      await build({
        root: config.root, configFile: config.configFile, mode: "lib", logLevel: config.logLevel,
        build: { outDir: resolve(config.root, config.build.outDir, "lib") },
      });
    },
  };
}
