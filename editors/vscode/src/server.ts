// Where the `kls` binary comes from: the `kls.server.path` setting, then `KLS_SERVER_PATH`,
// then the binary bundled in a platform-specific package, then `kls` on the PATH.
//
// Pure: the file system is reached only through `isFile`, so the order is unit-tested.

import * as path from "node:path";

export type Source = "setting" | "environment" | "bundled" | "path";

export interface Lookup {
  /** The `kls.server.path` setting; empty or undefined when unset. */
  configured: string | undefined;
  /** The extension host's environment. */
  env: Record<string, string | undefined>;
  /** Where the extension is installed; a bundled server lives in `server/` below it. */
  extensionPath: string;
  /** The first workspace folder, against which a relative setting is resolved. */
  workspaceFolder?: string;
  platform: NodeJS.Platform;
  /** Whether a regular file exists at this path. */
  isFile(file: string): boolean;
}

export interface Found {
  path: string;
  source: Source;
}

export interface NotFound {
  error: string;
}

/** The binary's file name on a platform. */
export function binaryName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "kls.exe" : "kls";
}

/** Finds the server, or says why none can be used and what to do about it. */
export function findServer(lookup: Lookup): Found | NotFound {
  const paths = lookup.platform === "win32" ? path.win32 : path.posix;
  const explicit: [string | undefined, Source, string][] = [
    [lookup.configured, "setting", "the setting `kls.server.path`"],
    [lookup.env.KLS_SERVER_PATH, "environment", "the environment variable `KLS_SERVER_PATH`"],
  ];
  for (const [value, source, origin] of explicit) {
    const given = value?.trim();
    if (!given) {
      continue;
    }
    const resolved = resolve(given, lookup, paths);
    if (lookup.isFile(resolved)) {
      return { path: resolved, source };
    }
    // A path the user chose that does not exist is a mistake to report, not to skip.
    return {
      error: `kls: ${origin} names \`${given}\`, but there is no file at \`${resolved}\`.`,
    };
  }
  const name = binaryName(lookup.platform);
  const bundled = paths.join(lookup.extensionPath, "server", name);
  if (lookup.isFile(bundled)) {
    return { path: bundled, source: "bundled" };
  }
  const separator = lookup.platform === "win32" ? ";" : ":";
  const searchPath = lookup.env.PATH ?? lookup.env.Path ?? "";
  for (const folder of searchPath.split(separator)) {
    if (!folder) {
      continue;
    }
    const candidate = paths.join(folder, name);
    if (lookup.isFile(candidate)) {
      return { path: candidate, source: "path" };
    }
  }
  return {
    error:
      "kls: no language server found. Install it with `cargo install --path .` from a clone " +
      "of kls (it lands in ~/.cargo/bin, which must be on the PATH), or set " +
      "`kls.server.path` to the `kls` binary.",
  };
}

function resolve(given: string, lookup: Lookup, paths: path.PlatformPath): string {
  const home = lookup.env.HOME ?? lookup.env.USERPROFILE;
  if (home && (given === "~" || given.startsWith("~/"))) {
    return paths.join(home, given.slice(1));
  }
  if (!paths.isAbsolute(given) && lookup.workspaceFolder) {
    return paths.join(lookup.workspaceFolder, given);
  }
  return given;
}
