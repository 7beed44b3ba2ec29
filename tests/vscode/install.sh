#!/usr/bin/env bash
# Installs code-server and puppeteer-core from the lockfile, offline apart from the npm registry.
#
# code-server 4.100.3 is VS Code 1.100 and the last release for Node.js 20. Its native modules
# build against the system's Node.js headers (Debian's build packages: pkg-config,
# libkrb5-dev, libxkbfile-dev, libsecret-1-dev). @vscode/ripgrep's postinstall would download
# `rg` from GitHub; it takes a cached archive first, so Debian's `rg` is put in its cache.
set -euo pipefail
cd "$(dirname "$0")"

rg_bin=$(command -v rg) || { echo "install.sh: ripgrep (rg) is needed" >&2; exit 1; }
# The version code-server's lockfile pins for @vscode/ripgrep, and the asset its postinstall asks for.
rg_package=1.15.11
rg_asset=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
tmp=${TMPDIR:-/tmp}
cache="$tmp/vscode-ripgrep-cache-$rg_package"
if [ ! -f "$cache/$rg_asset" ]; then
    staging=$(mktemp -d)
    cp "$rg_bin" "$staging/rg"
    mkdir -p "$cache"
    tar czf "$cache/$rg_asset" -C "$staging" rg
    rm -r "$staging"
fi

npm_config_yes=true npm_config_unsafe_perm=true npm_config_nodedir=/usr \
    npm ci --foreground-scripts --no-audit --no-fund --loglevel=error
