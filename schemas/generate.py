#!/usr/bin/env python3
"""Generate the bundled Kubernetes schemas from the kubernetes-validate package.

Writes, next to this script:
  v1.XX.json.gz      one bundle per Kubernetes minor version (1.30 .. 1.37)
  removed-apis.json  built-in (apiVersion, kind) pairs no longer served

Usage:
  python3 schemas/generate.py [--wheel PATH] [--history PATH ...] [--no-history]

Without --wheel the newest kubernetes-validate wheel is downloaded with
`pip download` into a temporary directory. Without --history the older
kubernetes-validate releases listed in HISTORY_RELEASES are downloaded too;
they carry the schemas of Kubernetes 1.7 .. 1.24, which are only used to
compute removed-apis.json.

Standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from email.parser import Parser
from pathlib import Path, PurePosixPath

OUT_DIR = Path(__file__).resolve().parent
BUNDLED_MINORS = range(30, 38)  # 1.30 .. 1.37
PACKAGE = "kubernetes-validate"
# Older releases whose archives hold schemas of older Kubernetes versions:
# 1.11.0.2 has 1.7.x .. 1.11.x, 1.24.1 has 1.10 .. 1.24.
HISTORY_RELEASES = ["1.11.0.2", "1.24.1"]
# Kinds from apimachinery that are listed under many group/versions; they are
# not resources and are left out of removed-apis.json.
META_KINDS = {"DeleteOptions", "WatchEvent", "Status"}
# The OpenAPI specs of Kubernetes 1.16 and 1.17 still describe these
# group/versions, but 1.16 stopped serving them by default (they could only be
# re-enabled with --runtime-config) and 1.18 deleted them. For
# removed-apis.json they count as not served in 1.16 and 1.17.
NOT_SERVED_BY_DEFAULT = {
    minor: {
        ("apps/v1beta1", kind) for kind in
        ("ControllerRevision", "Deployment", "DeploymentRollback", "Scale", "StatefulSet")
    } | {
        ("apps/v1beta2", kind) for kind in
        ("ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "Scale", "StatefulSet")
    } | {
        ("extensions/v1beta1", kind) for kind in
        ("DaemonSet", "Deployment", "DeploymentRollback", "NetworkPolicy",
         "PodSecurityPolicy", "ReplicaSet", "Scale")
    }
    for minor in (16, 17)
}

FOLDER_RE = re.compile(r"^v(\d+)\.(\d+)\.(\d+)-(local|local-strict)$")
SCHEMA_DIR = "kubernetes-json-schema"
REF_PREFIX = "/api/_definitions.json#"


class Archive:
    """Read-only view of the kubernetes-json-schema folders of a wheel or sdist."""

    def __init__(self, path: Path):
        self.path = path
        self.version = None
        self.files: dict[str, dict[str, str]] = {}  # folder -> {file name -> member}
        self._cache: dict[str, bytes] = {}
        if zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            names = self._zip.namelist()
            for name in names:
                if name.endswith(".dist-info/METADATA"):
                    self.version = Parser().parsestr(
                        self._zip.read(name).decode("utf-8"), headersonly=True
                    )["Version"]
        elif tarfile.is_tarfile(path):
            # Only _definitions.json is needed from sdists; read them in one pass.
            self._zip = None
            names = []
            with tarfile.open(path) as tar:
                for member in tar:
                    if not member.isfile():
                        continue
                    names.append(member.name)
                    p = PurePosixPath(member.name)
                    if p.name == "_definitions.json" or (len(p.parts) == 2 and p.name == "PKG-INFO"):
                        data = tar.extractfile(member).read()
                        if p.name == "PKG-INFO":
                            self.version = Parser().parsestr(
                                data.decode("utf-8"), headersonly=True
                            )["Version"]
                        else:
                            self._cache[member.name] = data
        else:
            sys.exit(f"{path}: not a wheel or sdist")
        for name in names:
            p = PurePosixPath(name)
            if len(p.parts) >= 3 and p.parts[-3] == SCHEMA_DIR and FOLDER_RE.match(p.parts[-2]):
                self.files.setdefault(p.parts[-2], {})[p.name] = name
        if not self.version:
            sys.exit(f"{path}: cannot determine package version")

    def read_json(self, folder: str, name: str):
        member = self.files[folder][name]
        if member not in self._cache:
            if self._zip is None:
                raise KeyError(f"{self.path}: {member} not loaded")
            return json.loads(self._zip.read(member))
        return json.loads(self._cache[member])

    def minors(self, strict_only: bool = False) -> dict[int, str]:
        """Kubernetes 1.minor -> folder to use (the .0 release, else the
        highest patch; -local-strict preferred over -local)."""
        best: dict[int, tuple] = {}
        for folder, files in self.files.items():
            if "_definitions.json" not in files:
                continue
            major, minor, patch, flavour = FOLDER_RE.match(folder).groups()
            if major != "1" or (strict_only and flavour != "local-strict"):
                continue
            minor, patch = int(minor), int(patch)
            rank = (patch == 0, patch, flavour == "local-strict")
            if minor not in best or rank > best[minor][0]:
                best[minor] = (rank, folder)
        return {m: f for m, (_, f) in sorted(best.items())}


def pip_download(spec: str, dest: Path, binary_only: bool) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(dest)]
    if binary_only:
        cmd += ["--only-binary", ":all:"]
    cmd.append(spec)
    before = set(dest.iterdir())
    subprocess.run(cmd, check=True)
    new = [p for p in dest.iterdir() if p not in before]
    if len(new) != 1:
        sys.exit(f"pip download {spec}: expected one new file, got {new}")
    return new[0]


def definitions_of(doc: dict) -> dict:
    return doc["$defs"] if "$defs" in doc else doc["definitions"]


def api_version(gvk: dict) -> str:
    return f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]


def gvks_from_definitions(defs: dict) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for name, schema in defs.items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            key = (api_version(gvk), gvk["kind"])
            if key in out and out[key] != name:
                sys.exit(f"{key} claimed by {out[key]} and {name}")
            out[key] = name
    return out


def rewrite_refs(node):
    """Make per-kind file $refs point into the bundle: '/api/_definitions.json#/$defs/X' -> '#/$defs/X'."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and v.startswith(REF_PREFIX):
                v = "#" + v[len(REF_PREFIX):]
            else:
                v = rewrite_refs(v)
            out[k] = v
        return out
    if isinstance(node, list):
        return [rewrite_refs(v) for v in node]
    return node


def build_bundle(archive: Archive, folder: str) -> tuple[dict, dict]:
    definitions_doc = archive.read_json(folder, "_definitions.json")
    defs = definitions_of(definitions_doc)
    from_defs = gvks_from_definitions(defs)

    # Per-kind files: the top-level schema kubernetes-validate validates a document against.
    from_files: dict[tuple[str, str], str] = {}
    roots: dict[str, dict] = {}
    by_gvk_list = {
        json.dumps(s["x-kubernetes-group-version-kind"], sort_keys=True): n
        for n, s in defs.items()
        if "x-kubernetes-group-version-kind" in s
    }
    for name in sorted(archive.files[folder]):
        if name in ("_definitions.json", "all.json") or not name.endswith(".json"):
            continue
        schema = archive.read_json(folder, name)
        gvks = schema.get("x-kubernetes-group-version-kind")
        if not gvks:
            continue
        def_name = by_gvk_list.get(json.dumps(gvks, sort_keys=True))
        if def_name is None:
            sys.exit(f"{folder}/{name}: no definition with the same x-kubernetes-group-version-kind")
        for gvk in gvks:
            from_files[(api_version(gvk), gvk["kind"])] = def_name
        root = {k: v for k, v in schema.items() if k not in ("$schema", "$id")}
        roots[def_name] = rewrite_refs(root)

    if from_defs != from_files:
        only_defs = sorted(set(from_defs.items()) - set(from_files.items()))
        only_files = sorted(set(from_files.items()) - set(from_defs.items()))
        sys.exit(f"{folder}: kinds disagree\n definitions only: {only_defs}\n files only: {only_files}")

    kinds = {f"{av}/{kind}": from_defs[(av, kind)] for av, kind in sorted(from_defs)}
    version = FOLDER_RE.match(folder)
    bundle = {
        "version": f"{version[1]}.{version[2]}.{version[3]}",
        "source": f"{PACKAGE} {archive.version}",
        "kinds": kinds,
        "roots": roots,
        "definitions": defs,
    }
    return bundle, from_defs


def write_gz(path: Path, data: bytes) -> None:
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(data)


def stability(av: str) -> tuple:
    m = re.search(r"v(\d+)(?:(alpha|beta)(\d+))?$", av)
    if not m:
        return (0,)
    level = {"alpha": 1, "beta": 2, None: 3}[m[2]]
    return (level, int(m[1]), int(m[3] or 0))


def removed_apis(served: dict[int, set[tuple[str, str]]]) -> list[dict]:
    minors = sorted(served)
    latest = minors[-1]
    current_by_kind: dict[str, list[str]] = {}
    for av, kind in served[latest]:
        current_by_kind.setdefault(kind, []).append(av)

    out = []
    seen = set().union(*(served[m] for m in minors[:-1]))
    for av, kind in seen - served[latest]:
        last = max(m for m in minors if (av, kind) in served[m])
        removed_in = minors[minors.index(last) + 1]
        candidates = current_by_kind.get(kind, [])
        group = av.rsplit("/", 1)[0] if "/" in av else ""
        same_group = [c for c in candidates if (c.rsplit("/", 1)[0] if "/" in c else "") == group]
        pool = same_group or candidates
        replacement = max(pool, key=lambda c: (stability(c), c)) if pool else None
        out.append(
            {
                "apiVersion": av,
                "kind": kind,
                "lastServedIn": f"1.{last}",
                "removedIn": f"1.{removed_in}",
                "replacement": replacement,
            }
        )
    out.sort(key=lambda r: (r["kind"], r["apiVersion"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", type=Path, help="kubernetes-validate wheel (default: download the newest)")
    ap.add_argument(
        "--history",
        type=Path,
        action="append",
        help="older kubernetes-validate wheel/sdist, repeatable "
        f"(default: download {', '.join(HISTORY_RELEASES)})",
    )
    ap.add_argument("--no-history", action="store_true", help="use only --wheel for removed-apis.json")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        wheel = args.wheel or pip_download(PACKAGE, tmp, binary_only=True)
        main_archive = Archive(wheel)
        history = []
        if not args.no_history:
            paths = args.history or [
                pip_download(f"{PACKAGE}=={v}", tmp, binary_only=False) for v in HISTORY_RELEASES
            ]
            history = [Archive(p) for p in paths]

        main_minors = main_archive.minors(strict_only=True)
        served: dict[int, set[tuple[str, str]]] = {}
        sources: dict[int, str] = {}

        # Bundles.
        for minor in BUNDLED_MINORS:
            folder = main_minors.get(minor)
            if folder is None:
                sys.exit(f"{wheel}: no -local-strict schemas for Kubernetes 1.{minor}")
            bundle, gvks = build_bundle(main_archive, folder)
            data = json.dumps(bundle, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            out = OUT_DIR / f"v1.{minor}.json.gz"
            write_gz(out, data)
            print(f"{out.name}: {folder}, {len(bundle['kinds'])} kinds, "
                  f"{len(bundle['definitions'])} definitions, {out.stat().st_size} bytes")

        # Served (apiVersion, kind) per minor, from every archive; newer packages win.
        archives = sorted(history, key=lambda a: tuple(int(x) for x in a.version.split("."))) + [main_archive]
        for archive in archives:
            for minor, folder in archive.minors().items():
                defs = definitions_of(archive.read_json(folder, "_definitions.json"))
                served[minor] = {
                    (av, kind)
                    for av, kind in gvks_from_definitions(defs)
                    if not kind.endswith("List") and kind not in META_KINDS
                }
                sources[minor] = f"{PACKAGE} {archive.version} {folder}"
        for minor, keys in NOT_SERVED_BY_DEFAULT.items():
            if minor in served:
                if not keys <= served[minor]:
                    sys.exit(f"1.{minor}: expected in the spec: {sorted(keys - served[minor])}")
                served[minor] -= keys
        minors = sorted(served)
        missing = [m for m in range(minors[0], minors[-1] + 1) if m not in served]
        if missing:
            sys.exit(f"no schemas for Kubernetes minors {missing}")
        for minor in minors:
            print(f"1.{minor}: {len(served[minor])} served kinds ({sources[minor]})")

        removed = removed_apis(served)
        (OUT_DIR / "removed-apis.json").write_text(json.dumps(removed, indent=2) + "\n", encoding="utf-8")
        print(f"removed-apis.json: {len(removed)} entries (Kubernetes 1.{minors[0]} .. 1.{minors[-1]})")


if __name__ == "__main__":
    main()
