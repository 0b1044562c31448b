// switchboard.js as the tests see it: the entry module and the modules it imports, loaded by their
// relative paths as the browser loads them. Node would take a `.js` file outside a `"type": "module"`
// package for CommonJS (Node 18, Debian's), so the web directory's scripts are copied into a
// temporary directory that is such a package, and imported from there.
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const web = fileURLToPath(new URL("../../main/resources/web/", import.meta.url));
const copy = mkdtempSync(join(tmpdir(), "switchboard-js-"));
process.on("exit", () => rmSync(copy, { recursive: true, force: true }));
for (const name of readdirSync(web).filter((file) => file.endsWith(".js"))) {
  copyFileSync(join(web, name), join(copy, name));
}
writeFileSync(join(copy, "package.json"), '{ "type": "module" }\n');

const lib = await import(pathToFileURL(join(copy, "switchboard.js")).href);

export const {
  CLIENT_CLOSE, ChatClient, DEFAULTS, Emitter, RECONNECT_CODES, RECONNECT_RANGES, Resume, State, Switchboard, backoff,
  pageOrigin, shouldReconnect,
} = lib;
export default lib;
