// Writes kls.vsix into this folder. With a server binary in server/ (copy `target/release/kls`
// there first), the package is platform-specific, as VS Code Marketplace expects of a
// bundled native binary; without one, it is universal and finds `kls` on the PATH.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const vsce = path.join(here, "node_modules", "@vscode", "vsce", "vsce");
const binary = path.join(here, "server", process.platform === "win32" ? "kls.exe" : "kls");
const args = ["package", "--no-dependencies", "--skip-license", "--out", "kls.vsix", "--allow-missing-repository"];
if (fs.existsSync(binary)) {
  const arch = { x64: "x64", arm64: "arm64", arm: "armhf" }[process.arch] ?? process.arch;
  args.push("--target", `${process.platform}-${arch}`);
  fs.chmodSync(binary, 0o755);
}
execFileSync(process.execPath, [vsce, ...args], { cwd: here, stdio: "inherit" });
