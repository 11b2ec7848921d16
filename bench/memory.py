#!/usr/bin/env python3
"""Where the form's peak memory goes: the run of bench/run.py's step 4 (sign-in, then five
meetings in one TUI), and at its end the pages of the tmeet binary that are mapped, by ELF
section, beside the private memory.

    python3 bench/memory.py [--runs N] [BINARY ...]

Each BINARY (default: target/release/tmeet and, when built, target/dist/tmeet) gets N runs
(default 3); medians are printed, one binary after the other in the same command. Nothing
is asserted. Linux only (/proc/PID/pagemap: its "present" bit needs no privilege).

Why by section: most of the peak is the binary's own file pages, and the kernel maps them
64 KiB around each page touched ("fault-around"), so the mapped text follows the size of
the code more than the code the form runs. The relocations a position-independent binary
applies at start (.rela.dyn or, packed, .relr.dyn, read; .data.rel.ro, written) are mapped
whole.
"""
import argparse
import os
import statistics
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the emulator, the pty and the form's markers)


def sections(path, with_addr=False):
    """(name, file offset, size) of each allocated ELF64 section (and its address)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise SystemExit(f"{path}: not a 64-bit ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names_at = headers[shstrndx][4]
    out = []
    for name, _type, flags, addr, offset, size, *_ in headers:
        if flags & 0x2 and _type != 8:  # SHF_ALLOC, and not NOBITS (.bss, .tbss)
            end = data.index(b"\0", names_at + name)
            row = (data[names_at + name:end].decode(), offset, size)
            out.append(row + (addr,) if with_addr else row)
    return out


def relocation_targets(path):
    """Of the relative relocations (what a position-independent binary patches at start),
    how many point at a time zone's abbreviation ("CET", "EST", "+03"): chrono-tz keeps one
    pointer to a name in every transition of every zone."""
    import re
    with open(path, "rb") as f:
        data = f.read()
    secs = sections(path, with_addr=True)
    rela = next(((o, n) for name, o, n, _ in secs if name == ".rela.dyn"), None)
    if rela is None:
        return 0, 0
    offset, size = rela
    abbreviation = re.compile(rb"[A-Z][A-Z]{2,4}|[+-][0-9]{2}")
    total = zones = 0
    for i in range(offset, offset + size, 24):
        _where, info, addend = struct.unpack_from("<QQq", data, i)
        if info & 0xFFFFFFFF != 8:  # R_X86_64_RELATIVE
            continue
        total += 1
        for name, o, n, addr in secs:
            if name == ".rodata" and addr <= addend < addr + n:
                text = data[o + addend - addr:o + addend - addr + 4]
                if abbreviation.match(text):
                    zones += 1
                break
    return total, zones


def mapped_pages(pid, binary):
    """File offsets of the binary's pages that are present in the process."""
    present = set()
    real = os.path.realpath(binary)
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap, open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            parts = line.split()
            if len(parts) < 6 or os.path.realpath(parts[5]) != real:
                continue
            start, end = (int(x, 16) for x in parts[0].split("-"))
            offset = int(parts[2], 16)
            pages = (end - start) // 4096
            pagemap.seek(start // 4096 * 8)
            entries = pagemap.read(pages * 8)
            for i in range(pages):
                if struct.unpack_from("<Q", entries, i * 8)[0] >> 63:
                    present.add(offset + i * 4096)
    return present


def status(pid):
    with open(f"/proc/{pid}/status") as f:
        return {k: v.strip() for k, v in (line.split(":", 1) for line in f if ":" in line)}


def kb(field):
    return int(field.split()[0])


def one_run(binary, emu, env, common):
    subprocess.run([binary, "logout", *common], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    p = run.Pty([binary, *common], env)
    try:
        run.sign_in_and_five_creates(p, emu)
        s = status(p.pid)
        present = mapped_pages(p.pid, binary)
        by_section = {}
        for name, offset, size in sections(binary):
            if name == ".rela.dyn":
                name = f".rela.dyn ({size // 24} relocations)"  # Elf64_Rela: 24 bytes
            pages = range(offset // 4096 * 4096, offset + size, 4096)
            by_section[name] = sum(4 for pg in pages if pg in present)
        return {
            "peak (VmHWM)": kb(s["VmHWM"]),
            "private (RssAnon)": kb(s["RssAnon"]),
            "file-backed (RssFile)": kb(s["RssFile"]),
            "the binary, mapped": len(present) * 4,
            **{f"  {name}": v for name, v in by_section.items()},
        }
    finally:
        p.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("binaries", nargs="*")
    a = ap.parse_args()
    binaries = a.binaries or [b for b in (os.path.join(run.ROOT, "target", p, "tmeet") for p in ("release", "dist"))
                              if os.path.exists(b)]
    if not binaries:
        raise SystemExit("no binary: cargo build --release (or --profile dist) first")
    tmp = tempfile.mkdtemp()
    env = run.isolated_env(tmp)
    env["TMEET_TOKEN_STORE"] = "file"
    # One emulator (the first binary's) serves every run, so only the form differs.
    run.BIN = binaries[0]
    emu = run.Emulator(env)
    common = ["--graph-url", emu.graph, "--login-url", emu.base, "--client-id", "bench-client"]
    try:
        for binary in binaries:
            runs = [one_run(binary, emu, env, common) for _ in range(a.runs)]
            size = os.path.getsize(binary) / 1024 / 1024
            total, zones = relocation_targets(binary)
            print(f"{binary} ({size:.1f} MiB on disk), median of {a.runs} runs, KiB:")
            relr = next((n for name, _, n, _ in sections(binary, with_addr=True) if name == ".relr.dyn"), None)
            if relr is not None:  # build.rs: -z pack-relative-relocs
                print(f"  relative relocations: packed (DT_RELR), {relr / 1024:.0f} KiB")
            else:
                print(f"  relative relocations: {total}, of them to a zone's abbreviation: {zones}")
            for key in runs[0]:
                values = [r.get(key, 0) for r in runs]
                if key.startswith("  ") and max(values) < 64:
                    continue  # sections that hardly count
                print(f"  {key:<34} {statistics.median(values):>8.0f}   (min {min(values)}, max {max(values)})")
    finally:
        emu.stop()


if __name__ == "__main__":
    main()
