#!/usr/bin/env python3
"""Makes link/hot-code.txt: the functions the form runs, which the linker then places first
and side by side in an optimised build (see build.rs, `hot_code_first`).

    python3 bench/hot_code.py [BINARY ...]

Runs bench/run.py's step 4 (sign-in, then five meetings in one TUI), then `tmeet create`
and `tmeet list`, each under valgrind's callgrind, against the emulator in its own process.
The binary is stripped, so callgrind names what ran by address; the linker's map of that
very build (written by build.rs beside the build script's output) names the function each
address falls in. Run it after `cargo build --profile dist` and `cargo build --release`, and commit the
list: the names are those of these builds, and another compiler or another dependency
renames some of them (the linker skips those). Given binaries, it remakes only their
profiles' blocks (`python3 bench/hot_code.py target/release/tmeet` after a change to the
release profile) and keeps the rest. Needs valgrind (`apt-get install valgrind`).
"""
import argparse
import bisect
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the emulator, the pty and the form's keys)

OUT = os.path.join(run.ROOT, "link", "hot-code.txt")
# Sections a compiler marks by temperature; the symbol is the name after the prefix.
PREFIXES = ("unlikely.", "hot.", "startup.", "exit.", "split.")


def newest_map(profile):
    maps = glob.glob(os.path.join(run.ROOT, "target", profile, "build", "tmeet-*", "out", "tmeet.map"))
    if not maps:
        raise SystemExit(f"no link map under target/{profile}: cargo build --profile {profile} first "
                         "(on x86_64 Linux with the default linker, LLD)")
    return max(maps, key=os.path.getmtime)


def text_sections(map_path):
    """(address, size, symbol) of every function section the linker placed (`.text.NAME`)."""
    line = re.compile(r"^\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+\s+\S.*:\(\.text\.(\S+)\)$")
    out = []
    with open(map_path, errors="replace") as f:
        for text in f:
            m = line.match(text)
            if m:
                name = m.group(3)
                for prefix in PREFIXES:
                    name = name.removeprefix(prefix)
                out.append((int(m.group(1), 16), int(m.group(2), 16), name))
    out.sort()
    return out


def ran(callgrind_out, binary):
    """The addresses of the instructions callgrind saw run in `binary`, as the linker placed
    them (`--dump-instr=yes --compress-pos=no`: one absolute address per cost line)."""
    real = os.path.realpath(binary)
    spec = re.compile(r"^(c?ob)=\((\d+)\)(?: (.*))?$")
    objects, ours, out = {}, False, set()
    with open(callgrind_out, errors="replace") as f:
        for text in f:
            if text.startswith("0x"):
                if ours:
                    out.add(int(text.split(None, 1)[0], 16))
                continue
            m = spec.match(text.rstrip("\n"))
            if not m:
                continue
            kind, ident, name = m.groups()
            if name is not None:
                objects[ident] = name
            if kind == "ob":
                ours = os.path.realpath(objects.get(ident, "")) == real
    return out


def hot_functions(binary, valgrind):
    """The names of the function sections `binary` ran, in the order they sit in it."""
    profile = os.path.basename(os.path.dirname(os.path.abspath(binary)))
    map_path = newest_map(profile)
    if os.path.getmtime(map_path) < os.path.getmtime(binary) - 60:
        raise SystemExit(f"{map_path} is older than {binary}: not the map of this build")
    sections = text_sections(map_path)
    starts = [s[0] for s in sections]

    tmp = tempfile.mkdtemp()
    env = run.isolated_env(tmp)
    env["TMEET_TOKEN_STORE"] = "file"
    run.BIN = binary
    emu = run.Emulator(env)
    common = ["--graph-url", emu.graph, "--login-url", emu.base, "--client-id", "bench-client"]
    grind = [valgrind, "--tool=callgrind", "--dump-instr=yes", "--compress-pos=no",
             f"--callgrind-out-file={tmp}/callgrind.%p"]
    try:
        subprocess.run([binary, "logout", *common], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        p = run.Pty([*grind, binary, *common], env)
        try:
            run.sign_in_and_five_creates(p, emu, slow=20)
        finally:
            p.close()
        for argv in (["create", "--subject", "hot code"], ["list"]):
            subprocess.run([*grind, binary, *argv, *common], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        emu.stop()

    hot, elsewhere = set(), 0
    for out in glob.glob(os.path.join(tmp, "callgrind.*")):
        for address in ran(out, binary):
            i = bisect.bisect_right(starts, address) - 1
            if i >= 0 and address < sections[i][0] + sections[i][1]:
                hot.add(i)
            else:
                elsewhere += 1  # code the map names no function section for (assembly)
    shutil.rmtree(tmp, ignore_errors=True)
    size = sum(sections[i][1] for i in hot)
    total = sum(s[1] for s in sections)
    print(f"{binary}: {len(hot)} functions ran, {size / 1024:.0f} KiB of {total / 1024:.0f} KiB of "
          f"function code; {elsewhere} instructions outside function sections")
    return profile, [sections[i][2] for i in sorted(hot)]


def blocks(path):
    """The (profile, names) blocks of an existing list, in their order."""
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if re.fullmatch(r"# [\w-]+", line):
                    out.append((line[2:], []))
                elif line and not line.startswith("#") and out:
                    out[-1][1].append(line)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binaries", nargs="*", help="default: target/dist/tmeet and target/release/tmeet, when built; "
                    "the blocks of other profiles are kept")
    a = ap.parse_args()
    valgrind = shutil.which("valgrind")
    if not valgrind:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    binaries = a.binaries or [b for b in (os.path.join(run.ROOT, "target", p, "tmeet") for p in ("dist", "release"))
                              if os.path.exists(b)]
    if not binaries:
        raise SystemExit("no binary: cargo build --profile dist (and --release) first")
    remade = dict(hot_functions(b, valgrind) for b in binaries)
    # The blocks of the profiles not remade now stay as they were.
    lists = [(p, remade.pop(p) if p in remade else names) for p, names in blocks(OUT)] + list(remade.items())
    with open(OUT, "w") as f:
        f.write("# The functions the form runs (sign-in, five meetings), `tmeet create` and `tmeet list`,\n"
                "# which the linker places first. Each profile names its functions its own way, so\n"
                "# each has its block; a name the linker does not find is skipped. Made by\n"
                "# `python3 bench/hot_code.py`; see build.rs.\n")
        for profile, names in lists:
            f.write(f"# {profile}\n")
            f.writelines(name + "\n" for name in names)
    print(f"written to {os.path.relpath(OUT, run.ROOT)}")


if __name__ == "__main__":
    main()
