import assert from "node:assert/strict";
import { test } from "node:test";

import { findServer, type Lookup } from "../src/server";

function lookup(files: string[], overrides: Partial<Lookup> = {}): Lookup {
  const existing = new Set(files);
  return {
    configured: undefined,
    env: { PATH: "/usr/local/bin:/usr/bin", HOME: "/home/me" },
    extensionPath: "/ext/kls",
    platform: "linux",
    isFile: (file) => existing.has(file),
    ...overrides,
  };
}

test("the setting comes first", () => {
  const found = findServer(
    lookup(["/opt/kls", "/ext/kls/server/kls", "/usr/bin/kls"], {
      configured: "/opt/kls",
      env: { KLS_SERVER_PATH: "/ext/kls/server/kls", PATH: "/usr/bin" },
    }),
  );
  assert.deepEqual(found, { path: "/opt/kls", source: "setting" });
});

test("then the environment variable", () => {
  const found = findServer(
    lookup(["/env/kls", "/ext/kls/server/kls"], {
      configured: "  ",
      env: { KLS_SERVER_PATH: "/env/kls", PATH: "" },
    }),
  );
  assert.deepEqual(found, { path: "/env/kls", source: "environment" });
});

test("then the bundled binary, before the PATH", () => {
  const found = findServer(lookup(["/ext/kls/server/kls", "/usr/bin/kls"]));
  assert.deepEqual(found, { path: "/ext/kls/server/kls", source: "bundled" });
});

test("then the first match on the PATH", () => {
  const found = findServer(lookup(["/usr/bin/kls", "/usr/local/bin/kls"]));
  assert.deepEqual(found, { path: "/usr/local/bin/kls", source: "path" });
});

test("a configured path that does not exist is an error, not skipped", () => {
  const found = findServer(lookup(["/usr/bin/kls"], { configured: "/nowhere/kls" }));
  assert.ok("error" in found);
  assert.match(found.error, /kls\.server\.path/);
  assert.match(found.error, /\/nowhere\/kls/);
});

test("a home-relative and a workspace-relative setting are resolved", () => {
  assert.deepEqual(findServer(lookup(["/home/me/bin/kls"], { configured: "~/bin/kls" })), {
    path: "/home/me/bin/kls",
    source: "setting",
  });
  assert.deepEqual(
    findServer(
      lookup(["/work/repo/target/debug/kls"], {
        configured: "target/debug/kls",
        workspaceFolder: "/work/repo",
      }),
    ),
    { path: "/work/repo/target/debug/kls", source: "setting" },
  );
});

test("Windows looks for kls.exe along a semicolon-separated Path", () => {
  const found = findServer(
    lookup(["C:\\tools\\kls.exe"], {
      platform: "win32",
      extensionPath: "C:\\ext\\kls",
      env: { Path: "C:\\Windows;C:\\tools" },
    }),
  );
  assert.deepEqual(found, { path: "C:\\tools\\kls.exe", source: "path" });
});

test("nothing found says what to do", () => {
  const found = findServer(lookup([]));
  assert.ok("error" in found);
  assert.match(found.error, /cargo install/);
  assert.match(found.error, /kls\.server\.path/);
});
