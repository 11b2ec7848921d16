#!/usr/bin/env python3
"""MSRV check without a second toolchain (only stable and nightly exist on these machines).

`rust-version` in Cargo.toml is a promise: clippy's `incompatible_msrv` (on by default)
already flags std APIs newer than it in our code. This covers the rest of the build: every
package in Cargo.lock that declares a `rust-version` must not need a newer Rust than ours,
and the workspace's crates must agree on one. Reads `cargo metadata --locked` on stdin.
"""
import json
import sys


def version(text):
    # "1.88" and "1.88.0" are the same promise; compare as (major, minor, patch).
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


meta = json.load(sys.stdin)
members = set(meta["workspace_members"])
ours = {p["name"]: p.get("rust_version") for p in meta["packages"] if p["id"] in members}
missing = sorted(name for name, rv in ours.items() if not rv)
if missing:
    sys.exit(f"msrv: no rust-version in {', '.join(missing)}: set it in their Cargo.toml")
if len(set(ours.values())) != 1:
    sys.exit(f"msrv: the workspace's crates disagree: {ours}; give them one rust-version")
msrv = next(iter(ours.values()))

too_new = sorted(
    f"{p['name']} {p['version']} needs Rust {p['rust_version']}"
    for p in meta["packages"]
    if p["id"] not in members
    and p.get("rust_version")
    and version(p["rust_version"]) > version(msrv)
)
if too_new:
    print(f"msrv: Cargo.lock needs a newer Rust than rust-version = \"{msrv}\":", file=sys.stderr)
    for line in too_new:
        print(f"  {line}", file=sys.stderr)
    sys.exit("raise rust-version in both Cargo.toml files, or pin those packages lower")
print(f"msrv: rust-version {msrv} holds for all {len(meta['packages'])} packages in Cargo.lock")
