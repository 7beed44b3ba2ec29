// kls in a real VS Code: code-server (VS Code 1.100 in the browser) driven through Debian's
// Chromium with puppeteer-core. It installs the packaged extension, opens copies of the
// examples and checks what a user sees: each problem once on its line, the quick fix applied
// and the file then clean, completion of a value, a hover, and the extension's commands.
//
// Environment: KLS_BIN (the server), KLS_VSIX (the packaged extension), KLS_EXAMPLES (the
// examples folder), CODE_SERVER (the code-server script), CHROMIUM (default /usr/bin/chromium).
// On failure it leaves screenshots in the scratch folder it names.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";

import puppeteer from "puppeteer-core";

const env = (name) => {
  const value = process.env[name];
  assert.ok(value, `${name} must be set`);
  return value;
};
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "kls-code-server-"));
const workspace = path.join(scratch, "workspace");
const timeout = 30_000;
let server;
let browser;
let page;
let shots = 0;
let failed = false;

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, deadline) {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer at ${url}`);
}

async function screenshot(name) {
  if (page) {
    shots += 1;
    const file = path.join(scratch, `${String(shots).padStart(2, "0")}-${name}.png`);
    await page.screenshot({ path: file }).catch(() => {});
    return file;
  }
  return undefined;
}

/** Types `text` into the open quick input and waits for a row that shows `wanted`. */
async function quickInput(text, wanted = text) {
  const input = await page.waitForSelector(".quick-input-widget input", { visible: true, timeout });
  await input.type(text);
  await page.waitForFunction(
    (it) =>
      [...document.querySelectorAll(".quick-input-list .monaco-list-row")].some((row) =>
        row.textContent.includes(it),
      ),
    { timeout },
    wanted,
  );
}

/** Runs a command from the command palette by its title. */
async function command(title) {
  await page.keyboard.press("F1");
  await quickInput(title);
  await page.keyboard.press("Enter");
}

/** Opens a workspace file through Quick Open and waits for its editor tab. */
async function open(name) {
  await page.keyboard.down("Control");
  await page.keyboard.press("p");
  await page.keyboard.up("Control");
  await quickInput(name);
  await page.keyboard.press("Enter");
  await page.waitForFunction(
    (wanted) =>
      [...document.querySelectorAll(".tabs-container .tab.active")].some((tab) =>
        tab.textContent.includes(wanted),
      ),
    { timeout },
    name,
  );
  const lines = await page.waitForSelector(".part.editor .monaco-editor .view-lines", {
    visible: true,
    timeout,
  });
  await lines.click();
}

async function goToLine(line, column = 1) {
  await page.keyboard.down("Control");
  await page.keyboard.press("g");
  await page.keyboard.up("Control");
  const input = await page.waitForSelector(".quick-input-widget input", { visible: true, timeout });
  await input.type(`${line}:${column}`);
  await page.keyboard.press("Enter");
}

/** The rows of the Problems panel: `{ text, line }` with the 1-based line it shows. */
async function problems() {
  return page.$$eval(".markers-panel .monaco-list-row", (rows) =>
    rows
      .map((row) => {
        const text = row.textContent ?? "";
        const position = /\[Ln (\d+), Col (\d+)\]/.exec(text);
        return position ? { text, line: Number(position[1]) } : undefined;
      })
      .filter(Boolean),
  );
}

async function waitForProblems(predicate, what) {
  const deadline = Date.now() + timeout;
  let last = [];
  while (Date.now() < deadline) {
    last = await problems();
    if (predicate(last)) {
      return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}; the Problems panel shows ${JSON.stringify(last)}`);
}

async function editorText() {
  return page.$eval(".part.editor .monaco-editor .view-lines", (lines) =>
    [...lines.querySelectorAll(".view-line")]
      .map((line) => ({ top: parseFloat(line.style.top), text: line.textContent ?? "" }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text.replace(/\u00a0/g, " "))
      .join("\n"),
  );
}

before(async () => {
  fs.mkdirSync(workspace);
  for (const name of ["deployment-broken.yaml", "pod.yaml"]) {
    fs.copyFileSync(path.join(env("KLS_EXAMPLES"), name), path.join(workspace, name));
  }
  const data = path.join(scratch, "data");
  const extensions = path.join(scratch, "extensions");
  fs.mkdirSync(path.join(data, "User"), { recursive: true });
  fs.writeFileSync(
    path.join(data, "User", "settings.json"),
    JSON.stringify({
      "security.workspace.trust.enabled": false,
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "telemetry.telemetryLevel": "off",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "editor.hover.delay": 100,
      "kls.server.path": env("KLS_BIN"),
    }),
  );
  const codeServer = env("CODE_SERVER");
  const common = ["--user-data-dir", data, "--extensions-dir", extensions];
  const childEnv = { ...process.env, XDG_CONFIG_HOME: path.join(scratch, "config") };
  execFileSync(codeServer, [...common, "--install-extension", env("KLS_VSIX")], {
    env: childEnv,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const port = await freePort();
  server = spawn(
    codeServer,
    [
      ...common,
      "--auth",
      "none",
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      workspace,
    ],
    { env: childEnv, stdio: ["ignore", "ignore", "inherit"] },
  );
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(`${url}healthz`, Date.now() + 60_000);
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${path.join(scratch, "chromium")}`,
      "--window-size=1400,900",
    ],
    defaultViewport: { width: 1400, height: 900 },
  });
  page = await browser.newPage();
  await page.goto(`${url}?folder=${encodeURIComponent(workspace)}`, { waitUntil: "load" });
  await page.waitForSelector(".monaco-workbench .part.editor", { timeout: 60_000 });
});

after(async () => {
  if (failed) {
    await screenshot("failure");
    console.error(`screenshots of the failure are in ${scratch}`);
  }
  await browser?.close().catch(() => {});
  server?.kill("SIGTERM");
  if (!failed) {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

async function step(name, body) {
  try {
    await body();
  } catch (error) {
    failed = true;
    await screenshot(name.replace(/\W+/g, "-"));
    throw error;
  }
}

test("each problem once, on its line", () =>
  step("problems", async () => {
    await open("deployment-broken.yaml");
    await command("View: Focus Problems");
    const rows = await waitForProblems((rows) => rows.length >= 2, "kls reported no problems");
    // Give a duplicate (a pushed and a pulled copy) time to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const settled = await problems();
    assert.equal(settled.length, 2, JSON.stringify(settled));
    assert.ok(
      rows.some((row) => row.line === 7 && row.text.includes("missing required field `template`")),
      JSON.stringify(settled),
    );
    assert.ok(
      rows.some((row) => row.line === 11 && row.text.includes("unknown field `template`")),
      JSON.stringify(settled),
    );
  }));

test("the quick fix moves `template` under `spec` and the file is clean", () =>
  step("quick-fix", async () => {
    await goToLine(11, 1);
    await page.keyboard.down("Control");
    await page.keyboard.press(".");
    await page.keyboard.up("Control");
    const wanted = "Move `template` under `spec`";
    await page.waitForFunction(
      (title) =>
        [...document.querySelectorAll(".action-widget .monaco-list-row")].some((row) =>
          row.textContent.includes(title),
        ),
      { timeout },
      wanted,
    );
    const rows = await page.$$(".action-widget .monaco-list-row");
    for (const row of rows) {
      const text = await row.evaluate((it) => it.textContent);
      if (text.includes(wanted)) {
        await row.click();
        break;
      }
    }
    await waitForProblems((rows) => rows.length === 0, "problems left after the quick fix");
    const text = await editorText();
    assert.match(text, /^spec:\n {2}selector:/m, text);
    assert.match(text, /^ {2}template:\n {4}metadata:/m, text);
  }));

test("completion offers the values of imagePullPolicy", () =>
  step("completion", async () => {
    await open("pod.yaml");
    await goToLine(8, 100);
    await page.keyboard.press("Enter");
    await page.keyboard.type("imagePullPolicy: ");
    await page.keyboard.down("Control");
    await page.keyboard.press("Space");
    await page.keyboard.up("Control");
    await page.waitForSelector(".suggest-widget.visible .monaco-list-row", { timeout });
    const labels = await page.$$eval(".suggest-widget.visible .monaco-list-row .label-name", (items) =>
      items.map((item) => item.textContent),
    );
    for (const value of ["Always", "IfNotPresent", "Never"]) {
      assert.ok(labels.includes(value), JSON.stringify(labels));
    }
    await page.keyboard.press("Escape");
  }));

test("hover shows a field's documentation", () =>
  step("hover", async () => {
    // Line 8 of pod.yaml: `      image: kiamol/ch02-hello-kiamol`, the cursor on `image`.
    await goToLine(8, 9);
    await command("Show or Focus Hover");
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll(".monaco-hover")].some((hover) =>
          /Container image name/.test(hover.textContent ?? ""),
        ),
      { timeout },
    );
    const text = await page.$$eval(".monaco-hover", (hovers) =>
      hovers.map((hover) => hover.textContent).join("\n"),
    );
    assert.match(text, /image\s*string/, text);
    await page.keyboard.press("Escape");
  }));

test("the extension's commands are in the command palette", () =>
  step("commands", async () => {
    await page.keyboard.press("F1");
    await quickInput("kls: ", "kls: Restart the language server");
    await page.keyboard.press("Escape");
  }));
