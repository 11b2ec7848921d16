#!/usr/bin/env python3
"""How long the README's first command takes to build: `cargo build --release` (or another
profile) of a fresh clone, from an empty target directory, with the crates already
downloaded (`cargo fetch` first; a fresh machine also pays for the downloads). Each build
gets its own clone, so nothing is shared but the downloaded crates. Prints the wall time,
the CPU time, and the longest compile steps from `cargo build --timings`; with
`--baseline REV`, the same for that commit, builds interleaved, and the ratio of medians.
Nothing here asserts: it prints numbers.

    python3 bench/build_time.py [--rev HEAD] [--baseline REV] [--runs 1] [--profile release]

Builds commits, not the working tree: commit first. One build takes minutes on 2 cores.
"""
import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import ROOT, log, stats_line  # noqa: E402


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def longest_steps(target, n):
    """The n longest compile steps of the build's --timings report: (name, seconds)."""
    with open(os.path.join(target, "cargo-timings", "cargo-timing.html")) as f:
        m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", f.read(), re.S)
    if not m:
        return []
    units = json.loads(m.group(1))
    units.sort(key=lambda u: -u["duration"])
    return [(u["name"] + (" (build script)" if u["mode"] == "run-custom-build" else ""), u["duration"])
            for u in units[:n]]


def build(rev, profile, work):
    """(wall s, CPU s, longest steps) of one build of `rev` from an empty target."""
    src = tempfile.mkdtemp(prefix="tmeet-build-", dir=work)
    subprocess.run(["git", "clone", "--quiet", ROOT, src], check=True)
    subprocess.run(["git", "-c", "advice.detachedHead=false", "checkout", "--quiet", rev], cwd=src, check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARGO_TARGET_DIR")}
    cpu = cpu_seconds()
    t = time.perf_counter()
    r = subprocess.run(["cargo", "build", "--profile", profile, "--locked", "--timings"], cwd=src, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"the build of {rev} failed:\n{r.stderr.decode(errors='replace')[-2000:]}")
    steps = longest_steps(os.path.join(src, "target"), 5)
    shutil.rmtree(src, ignore_errors=True)
    return wall, cpu_seconds() - cpu, steps


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rev", default="HEAD", help="the commit to build (default HEAD)")
    ap.add_argument("--baseline", help="a commit to build the same way, interleaved, for the ratio")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--profile", default="release")
    a = ap.parse_args()
    revs = {}
    for label, rev in (("this", a.rev), ("baseline", a.baseline)):
        if rev:
            out = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True)
            if out.returncode != 0:
                raise SystemExit(f"not a commit: {rev}")
            revs[label] = out.stdout.strip()
    log("downloading crates first (cargo fetch --locked); the builds below do not download")
    subprocess.run(["cargo", "fetch", "--locked"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="tmeet-bench-build-")
    results = {label: [] for label in revs}
    try:
        for i in range(a.runs):
            for label, rev in revs.items():
                log(f"run {i + 1}/{a.runs}: cargo build --profile {a.profile} of {rev} from an empty target…")
                results[label].append(build(rev, a.profile, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"tmeet build time, {os.cpu_count()} cores, --profile {a.profile}, {a.runs} run(s), "
          f"{time.strftime('%Y-%m-%d %H:%M:%S')}")
    medians = {}
    for label, rev in revs.items():
        name = f"{rev}{' (baseline)' if label == 'baseline' else ''}"
        line, medians[label] = stats_line(f"{name}: wall", [w for w, _, _ in results[label]], "s")
        print(line)
        print(stats_line("   CPU (user + system)", [c for _, c, _ in results[label]], "s")[0])
        steps = results[label][-1][2]
        print("   longest steps (last run): " + ", ".join(f"{n} {s:.0f} s" for n, s in steps))
    if "baseline" in medians:
        print(f"{'ratio wall this/baseline (medians)':<44} {medians['this'] / medians['baseline']:>9.2f}")


if __name__ == "__main__":
    main()
