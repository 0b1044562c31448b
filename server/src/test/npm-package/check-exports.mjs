// Runs inside the scratch project that installed the packed tarball: imports switchboard-client by
// its name, as an application does, and checks that the names it exports at run time are exactly
// the values its declarations (switchboard.d.ts) name, that a few of them work, and that the
// package's version is the Maven project's.
//
//   node check-exports.mjs TEST_DIRECTORY MAVEN_VERSION
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [testDirectory, mavenVersion] = process.argv.slice(2);
const ts = createRequire(join(testDirectory, "package.json"))("typescript");
const installed = join(process.cwd(), "node_modules", "switchboard-client");
const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));

const lib = await import("switchboard-client");
const exported = Object.keys(lib).sort();

const declarations = join(installed, manifest.exports["."].types);
const program = ts.createProgram([declarations], { noEmit: true });
const checker = program.getTypeChecker();
const module = checker.getSymbolAtLocation(program.getSourceFile(declarations));
const declared = checker.getExportsOfModule(module)
  .filter((symbol) => symbol.flags & ts.SymbolFlags.Value)
  .map((symbol) => symbol.name)
  .sort();

assert.deepEqual(exported, declared, "the module's exports are the values switchboard.d.ts declares");
assert.ok(exported.includes("Switchboard") && exported.includes("ChatClient"), "the two clients are exported");
assert.equal(typeof lib.Switchboard, "function");
assert.equal(lib.shouldReconnect(1006), true);
assert.equal(lib.shouldReconnect(1000), false);
assert.equal(lib.backoff(0, { jitter: 0 }), lib.DEFAULTS.minReconnectDelay);
assert.deepEqual(new lib.Resume().params(), {});
assert.equal(manifest.version, mavenVersion, "the npm package's version is the Maven project's");
console.log(`switchboard-client ${manifest.version}: ${exported.length} exports, as declared: ${exported.join(", ")}`);
