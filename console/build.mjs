// Builds the console into --outdir (default dist/): app.js (TypeScript and Preact, bundled and
// minified by esbuild), app.css and index.html. No inline script or style: the node serves them
// under a strict Content-Security-Policy. Type errors fail the build (tsc --noEmit first).
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const at = process.argv.indexOf("--outdir");
const outdir = at > 0 ? process.argv[at + 1] : join(here, "dist");

execFileSync(process.execPath, [join(here, "node_modules/typescript/bin/tsc"), "-p", here], {
  stdio: "inherit",
});
rmSync(join(outdir, "chunks"), { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [join(here, "src/main.tsx")],
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "esm",
  // Cytoscape.js (the network page) is loaded when that page opens, not with the first page.
  splitting: true,
  target: "es2022",
  jsx: "automatic",
  jsxImportSource: "preact",
  outdir,
  entryNames: "app",
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
copyFileSync(join(here, "src/index.html"), join(outdir, "index.html"));
copyFileSync(join(here, "src/app.css"), join(outdir, "app.css"));
