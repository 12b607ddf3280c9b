// Builds the two widget bundles into the server's wwwroot:
//   wwwroot/widget.js        the loader a website includes (tiny, no dependencies)
//   wwwroot/widget/app.js    the app inside the iframe (SignalR client, UI, i18n)
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";

const out = "../src/Kefu.Server/wwwroot";
await mkdir(`${out}/widget`, { recursive: true });
const common = { bundle: true, minify: true, target: "es2020", format: "iife", legalComments: "none", logLevel: "warning" };
await build({ ...common, entryPoints: ["src/loader/loader.ts"], outfile: `${out}/widget.js` });
await build({ ...common, entryPoints: ["src/app/main.ts"], outfile: `${out}/widget/app.js` });
// The console's calls: an ES module its conversation view imports (same WebRTC code as the widget).
await build({ ...common, format: "esm", entryPoints: ["src/console/calls.ts"], outfile: `${out}/widget/console-calls.js` });
await copyFile("src/app/app.css", `${out}/widget/app.css`);
