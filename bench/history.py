#!/usr/bin/env python3
"""What the meeting history costs: `tmeet list` (table and --json) over a large history next
to the `sqlite3` shell answering the same query on the same file, the My meetings screen's
opening over it next to one over a one-meeting history, and a `create` with the history on
next to one with it off. Medians (min/max) of interleaved runs, ratios of medians, peak RSS
from /usr/bin/time. Nothing here asserts: it prints numbers.

    python3 bench/history.py [--rows 10000] [--runs 15] [--no-build]

The large history is made by `generate()`: one real `tmeet create` against `tmeet emulator`
gives a row as the product writes it (its stored meeting included), which is then copied
with other ids, subjects and times, half in the past and half to come. Needs `sqlite3` and
GNU `time` (apt-get install sqlite3 time); installs neither.
"""
import argparse
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from run import BIN, ROOT, Pty, isolated_env, log, stats_line  # noqa: E402

GNU_TIME = "/usr/bin/time"
ORDER = "ORDER BY start_utc IS NULL, start_utc, id"
# What `list --all` reads and prints, and what `list --all --json` reads: the same
# statements the product prepares (src/history/mod.rs, `each_summary` and `each_entry`).
TABLE_QUERY = f"SELECT id, kind, state, subject, start_utc, end_utc FROM meetings {ORDER}"
JSON_QUERY = ("SELECT id, kind, graph_id, join_url, join_meeting_id, subject, start_utc, end_utc, "
              "organizer, cloud, tenant, client_id, target, options_asked, options_set, attendees, "
              "language, created_at, updated_at, state, external_id, event_id, ical_uid, web_link, "
              f"checked_at FROM meetings {ORDER}")


def start_emulator(env):
    emu = subprocess.Popen([BIN, "emulator", "--port", "0", "--auto-approve"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    graph = login = None
    while graph is None or login is None:
        line = emu.stdout.readline()
        if not line:
            raise SystemExit("the emulator ended before printing its URLs")
        m = re.match(r"\s*Graph URL:\s*(\S+)", line)
        graph = graph or (m and m.group(1))
        m = re.match(r"\s*Login URL:\s*(\S+)", line)
        login = login or (m and m.group(1))
    return emu, ["--graph-url", graph, "--login-url", login, "--client-id", "bench-client"]


def tmeet(common, env, *args, check=True):
    r = subprocess.run([BIN, *common, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL)
    if check and r.returncode != 0:
        raise SystemExit(f"tmeet {' '.join(args)} failed: {r.stderr.decode(errors='replace')}")
    return r


def generate(path, rows):
    """Copies the file's one row and its stored meeting `rows` times over (ids hb-00000…,
    half of them past). Returns the stored meeting's size."""
    db = sqlite3.connect(path)
    cols = [r[1] for r in db.execute("PRAGMA table_info(meetings)") if r[1] != "id"]
    template = dict(zip(cols, db.execute(f"SELECT {', '.join(cols)} FROM meetings LIMIT 1").fetchone()))
    stored = db.execute("SELECT json FROM stored_meetings LIMIT 1").fetchone()[0]
    db.execute("DELETE FROM stored_meetings")
    db.execute("DELETE FROM meetings")
    now = time.time()
    for i in range(rows):
        t = now + (i - rows // 2) * 3600  # one an hour, half of them over
        row = dict(template)
        gid = f"{template['graph_id']}-hb-{i:05d}"
        row.update(graph_id=gid, subject=f"hb-{i:05d} planning",
                   start_utc=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
                   end_utc=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t + 1800)))
        cur = db.execute(f"INSERT INTO meetings ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                         tuple(row[c] for c in cols))
        db.execute("INSERT INTO stored_meetings (id, json) VALUES (?, ?)",
                   (cur.lastrowid, stored.replace(template["graph_id"], gid)))
    db.commit()
    db.execute("VACUUM")
    db.close()
    return len(stored)


def timed(argv, env):
    """(wall ms, peak RSS MB) of one run, stdout thrown away."""
    t = time.perf_counter()
    r = subprocess.run([GNU_TIME, "-f", "%M", *argv], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = (time.perf_counter() - t) * 1000
    if r.returncode != 0:
        raise SystemExit(f"{argv[0]} failed: {r.stderr.decode(errors='replace')[-400:]}")
    rss_kb = int(r.stderr.decode().strip().splitlines()[-1])
    return dt, rss_kb / 1024.0


def compare(rows, label, ours, theirs, env, runs):
    a, b, ra, rb = [], [], [], []
    for argv in (ours, theirs):  # warm the page cache
        timed(argv, env)
    for _ in range(runs):  # interleaved, so drift hits both alike
        t, m = timed(ours, env)
        a.append(t)
        ra.append(m)
        t, m = timed(theirs, env)
        b.append(t)
        rb.append(m)
    line, ma = stats_line(f"{label}", a, "ms")
    rows.append(line)
    line, mb = stats_line("   sqlite3 shell, same query (baseline)", b, "ms")
    rows.append(line)
    rows.append(f"{'   ratio tmeet/sqlite3 (medians)':<44} {ma / mb:>9.2f}     (target <= 2)")
    rows.append(f"{'   peak RSS tmeet / sqlite3 (medians)':<44} {statistics.median(ra):>9.1f} MB  "
                f"/ {statistics.median(rb):.1f} MB  (target <= 20 MB)")


def open_meetings(common, env, marker, runs):
    """ms from F2 on the form to the first row of My meetings on the screen."""
    out = []
    for _ in range(runs):
        p = Pty([BIN, *common], env)
        p.wait_for(b"Passcode")
        p.drain(0.3)
        mark = len(p.buf)
        t0 = time.perf_counter()
        p.send(b"\x1bOQ")  # F2
        t1 = p.wait_for(marker, since=mark)
        out.append((t1 - t0) * 1000)
        p.close()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--only", choices=["create", "list", "meetings"], help="one part")
    a = ap.parse_args()
    part = lambda name: a.only in (None, name)  # noqa: E731
    for tool in (GNU_TIME, "sqlite3"):
        if subprocess.run(["sh", "-c", f"command -v {tool}"], stdout=subprocess.DEVNULL).returncode:
            raise SystemExit(f"{tool} is missing: apt-get install sqlite3 time")
    if not a.no_build:
        log("building release (cargo build --release)…")
        subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "tmeet"], cwd=ROOT, check=True)

    tmp = tempfile.mkdtemp(prefix="tmeet-bench-history-")
    env = isolated_env(tmp)
    env["TMEET_TOKEN_STORE"] = "file"
    small_home = tempfile.mkdtemp(prefix="tmeet-bench-history-small-")
    small_env = isolated_env(small_home)
    small_env["TMEET_TOKEN_STORE"] = "file"
    emu, common = start_emulator(env)
    rows = []
    try:
        for e in (env, small_env):
            tmeet(common, e, "login", "--no-browser")
        # 1. A create with the history on and off, interleaved, same emulator and token.
        runs = a.runs if part("create") else 1
        create = [BIN, *common, "create", "--subject", "bench", "--start", "2037-12-01 14:00", "--json"]
        off_env = dict(env, TMEET_HISTORY="off")
        on, off = [], []
        for e in (env, off_env):
            timed(create, e)
        for _ in range(runs):
            off.append(timed(create, off_env)[0])
            on.append(timed(create, env)[0])
        line, m_on = stats_line("1. tmeet create --json, history on", on, "ms")
        rows.append(line)
        line, m_off = stats_line("   the same, TMEET_HISTORY=off (baseline)", off, "ms")
        rows.append(line)
        if part("create"):
            rows.append(f"{'   ratio on/off (medians)':<44} {m_on / m_off:>9.2f}     (target <= 1.2)")
        else:
            rows.clear()
        path = os.path.join(tmp, "data", "tmeet", "history.sqlite3")
        db = sqlite3.connect(path)
        n = db.execute("SELECT count(*) FROM meetings").fetchone()[0]
        size = db.execute("SELECT sum(length(json)) FROM stored_meetings").fetchone()[0]
        per_row = os.path.getsize(path) / max(n, 1)
        db.close()
        rows.append(f"{'   stored meeting, mean per row':<44} {size / n / 1024:>9.1f} KB  "
                    f"(file {os.path.getsize(path) / 1024:.0f} KB for {n} rows, {per_row / 1024:.1f} KB a row)")

        if a.only == "create":
            return print_rows(a, rows)
        # 2. list over a large history.
        stored = generate(path, a.rows)
        log(f"generated {a.rows} rows ({stored} bytes of stored meeting each)")
        if part("list"):
            compare(rows, f"2. tmeet list --all, {a.rows} rows", [BIN, *common, "list", "--all"],
                    ["sqlite3", "-readonly", path, TABLE_QUERY], env, a.runs)
            compare(rows, f"3. tmeet list --all --json, {a.rows} rows", [BIN, *common, "list", "--all", "--json"],
                    ["sqlite3", "-readonly", "-json", path, JSON_QUERY], env, a.runs)
        if not part("meetings"):
            return print_rows(a, rows)

        # 3. My meetings over it, and over a one-meeting history.
        tmeet(common, small_env, "create", "--subject", "hb-small planning", "--start", "2037-12-01 14:00")
        big = open_meetings(common, env, f"hb-{a.rows // 2:05d}".encode(), max(5, a.runs // 2))
        line, m_big = stats_line(f"4. My meetings opens (F2), {a.rows} rows", big, "ms")
        rows.append(line + "  (target <= 50)")
        small = open_meetings(common, small_env, b"hb-small", max(5, a.runs // 2))
        line, m_small = stats_line("   the same, one meeting (baseline)", small, "ms")
        rows.append(line)
        rows.append(f"{'   ratio (medians)':<44} {m_big / m_small:>9.2f}")
    finally:
        emu.terminate()
        emu.wait()
    print_rows(a, rows)


def print_rows(a, rows):
    print()
    print(f"tmeet history benchmark, {os.cpu_count()} cores, {a.runs} runs, load {os.getloadavg()[0]:.2f}, "
          f"{time.strftime('%Y-%m-%d %H:%M:%S')}")
    for r_ in rows:
        print(r_)


if __name__ == "__main__":
    main()
