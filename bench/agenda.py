#!/usr/bin/env python3
"""What the day's commands cost: a cold week of 200 events read by `tmeet agenda` next to
`curl` fetching the same calendarView/delta pages one after the other; `tmeet agenda` (today)
from a cache of 2,000 events and `tmeet next` from a fresh cache, each next to the `sqlite3`
shell answering the same query on the same file; the Agenda screen's first frame of rows
from that cache (F3 in a pseudo-terminal); and the Graph requests a delta round with
no changes makes (the emulator's request counter). Medians (min/max) of interleaved runs,
ratios of medians. Nothing here asserts: it prints numbers.

    python3 bench/agenda.py [--runs 15] [--no-build] [--before OTHER_TMEET]

`--before` times `tmeet next` of another build (a copy of the binary before a change)
interleaved with this one, for a before/after ratio in the same run. TMEET_BENCH_BIN picks
the binary measured (default: target/release/tmeet). The events are made through the
emulator's own Graph API (`POST /me/events`), so the cache holds what the product wrote.
Needs `sqlite3` and `curl`; installs neither.
"""
import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from run import BIN, ROOT, isolated_env, log, stats_line, time_cmd  # noqa: E402

# What `tmeet agenda` and `tmeet next` read (src/history/agenda.rs, `agenda_range`).
RANGE_QUERY = ("SELECT ref, json FROM agenda_events WHERE account = '{key}' AND start_utc < '{to}' "
               "AND end_utc > '{frm}' ORDER BY start_utc, end_utc, ref")
# The client's page size (src/graph/client/agenda.rs, PAGE_SIZE).
PAGE_SIZE = 100


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
    return emu, graph, login


def tmeet(binary, common, env, *args):
    r = subprocess.run([binary, *common, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise SystemExit(f"tmeet {' '.join(args)} failed: {r.stderr.decode(errors='replace')}")
    return r


def http(method, url, body=None, token=None, prefer=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if prefer:
        headers["Prefer"] = prefer
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def graph_requests(login):
    return http("GET", login + "/_emulator/stats")["graph_requests"]


def make_events(graph, token, starts):
    """One `POST /me/events` per start (a 30-minute Teams meeting with a colleague)."""
    def one(i_start):
        i, start = i_start
        end = start + dt.timedelta(minutes=30)
        http("POST", graph + "/me/events", token=token, body={
            "subject": f"bench {i:04d}",
            "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
            "end": {"dateTime": end.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
            "location": {"displayName": f"Room {i % 40}"},
            "attendees": [{"emailAddress": {"address": "MeganB@contoso.onmicrosoft.com"}, "type": "required"}],
            "isOnlineMeeting": True, "onlineMeetingProvider": "teamsForBusiness",
        })
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, enumerate(starts)))


def window(now):
    """The cache's window (src/services/agenda.rs, `window`): whole UTC days, 2 before, 35 after."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - dt.timedelta(days=2), day + dt.timedelta(days=35)


def utc(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def curl_pages(first_url, token):
    """`curl` fetching the delta pages one after the other, each link read from the page
    before (as any client must); the number of pages."""
    url, pages = first_url, 0
    while url:
        r = subprocess.run(["curl", "-sS", "--fail", "-H", f"Authorization: Bearer {token}",
                            "-H", f'Prefer: outlook.timezone="UTC", odata.maxpagesize={PAGE_SIZE}', url],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            raise SystemExit(f"curl failed: {r.stderr.decode(errors='replace')}")
        pages += 1
        url = json.loads(r.stdout).get("@odata.nextLink")
    return pages


def timed_ms(fn):
    t = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t) * 1000, out


def interleaved(runs, *fns):
    out = [[] for _ in fns]
    for f in fns:  # warm the page cache
        f()
    for _ in range(runs):
        for i, f in enumerate(fns):
            out[i].append(timed_ms(f)[0])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--before", help="another tmeet binary whose `next` is timed beside this one")
    a = ap.parse_args()
    for tool in ("sqlite3", "curl"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install sqlite3 curl")
    if not a.no_build:
        log("building release (cargo build --release)…")
        subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "tmeet"], cwd=ROOT, check=True)
    log(f"measuring {BIN}")

    tmp = tempfile.mkdtemp(prefix="tmeet-bench-agenda-")
    env = isolated_env(tmp)
    env["TMEET_TOKEN_STORE"] = "file"
    history = os.path.join(tmp, "data", "tmeet", "history.sqlite3")
    emu, graph, login = start_emulator(env)
    common = ["--graph-url", graph, "--login-url", login, "--client-id", "bench-client"]
    rows = []
    try:
        tmeet(BIN, common, env, "login", "--no-browser", "--scope", "Calendars.ReadWrite")
        form = urllib.parse.urlencode({"scope": "https://graph.microsoft.com/Calendars.ReadWrite"}).encode()
        req = urllib.request.Request(login + "/_emulator/tokens/user", data=form, method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            token = json.loads(r.read())["access_token"]
        now = dt.datetime.now(dt.timezone.utc)
        wf, wt = window(now)

        # 1. A cold week: 200 events over the next seven days, an empty cache each run.
        tomorrow = now.replace(hour=7, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
        make_events(graph, token, [tomorrow + dt.timedelta(days=i % 7, minutes=15 * (i // 7)) for i in range(200)])
        delta_url = (graph + "/me/calendarView/delta?" +
                     urllib.parse.urlencode({"startDateTime": utc(wf), "endDateTime": utc(wt)}))
        pages = [0]

        def emptied():
            """The agenda's cache emptied (outside the timing); the history file stays, as
            it does for anyone who has created a meeting before."""
            import sqlite3
            with sqlite3.connect(history) as db:
                db.execute("DELETE FROM agenda_events")
                db.execute("DELETE FROM agenda_sync")

        def first_ever():
            if os.path.exists(history):
                os.remove(history)
            tmeet(BIN, common, env, "agenda", "--days", "7")

        def cold():
            tmeet(BIN, common, env, "agenda", "--days", "7")

        def curl():
            pages[0] = curl_pages(delta_url, token)

        first_ever()
        emptied()
        before = graph_requests(login)
        cold()
        cold_requests = graph_requests(login) - before
        t_cold, t_curl, t_first = [], [], []
        for _ in range(a.runs):
            emptied()
            t_cold.append(timed_ms(cold)[0])
            t_curl.append(timed_ms(curl)[0])
            t_first.append(timed_ms(first_ever)[0])
        line, m_cold = stats_line("1. tmeet agenda --days 7, empty cache (200 ev.)", t_cold, "ms")
        rows.append(line)
        rows.append(f"{'   Graph requests it made':<44} {cold_requests:>9}")
        line, m_curl = stats_line(f"   curl, the same {pages[0]} pages in turn (baseline)", t_curl, "ms")
        rows.append(line)
        rows.append(f"{'   ratio tmeet/curl (medians)':<44} {m_cold / m_curl:>9.2f}     (target <= 1)")
        line, m_first = stats_line("   the same with no history file at all", t_first, "ms")
        rows.append(line + "  (creates the file)")

        # 2. 2,000 events in the cache: 1,800 more over the window, read whole once.
        span = (wt - wf).total_seconds() - 3600
        make_events(graph, token, [wf + dt.timedelta(seconds=span * i / 1800) for i in range(1800)])
        tmeet(BIN, common, env, "agenda", "--refresh")
        cached = int(subprocess.run(["sqlite3", history, "SELECT count(*) FROM agenda_events"],
                                    stdout=subprocess.PIPE, check=True).stdout)
        key = subprocess.run(["sqlite3", history, "SELECT account FROM agenda_sync"],
                             stdout=subprocess.PIPE, check=True).stdout.decode().strip().replace("'", "''")
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        today = RANGE_QUERY.format(key=key, frm=utc(day), to=utc(day + dt.timedelta(days=1)))
        soon = RANGE_QUERY.format(key=key, frm=utc(now - dt.timedelta(hours=12)), to=utc(wt))
        sql = lambda q: lambda: subprocess.run(["sqlite3", history, q], stdout=subprocess.DEVNULL, check=True)  # noqa: E731
        run = lambda b, *args: lambda: tmeet(b, common, env, *args)  # noqa: E731

        # `agenda` asks for a delta when its cache is older than a minute: resynced first,
        # and the requests made while timing are counted (0 means all came from the cache).
        tmeet(BIN, common, env, "next", "--max-age", "0")
        before = graph_requests(login)
        t_agenda, t_sql = interleaved(a.runs, run(BIN, "agenda"), sql(today))
        asked = graph_requests(login) - before
        line, m_agenda = stats_line(f"2. tmeet agenda (today), {cached} cached", t_agenda, "ms")
        rows.append(line + "  (target <= 50 ms)")
        rows.append(f"{'   Graph requests while timing':<44} {asked:>9}")
        line, m_sql = stats_line("   sqlite3 shell, same query (baseline)", t_sql, "ms")
        rows.append(line)
        rows.append(f"{'   ratio tmeet/sqlite3 (medians)':<44} {m_agenda / m_sql:>9.2f}")

        # 3. `next` from a fresh cache (its default --max-age is 5 minutes).
        tmeet(BIN, common, env, "next", "--max-age", "0")
        before = graph_requests(login)
        fns = [run(BIN, "next"), sql(soon)] + ([run(a.before, "next")] if a.before else [])
        times = interleaved(a.runs, *fns)
        asked = graph_requests(login) - before
        line, m_next = stats_line("3. tmeet next, fresh cache", times[0], "ms")
        rows.append(line + "  (target <= 15 ms)")
        rows.append(f"{'   Graph requests while timing':<44} {asked:>9}")
        line, m_sql = stats_line("   sqlite3 shell, same query (baseline)", times[1], "ms")
        rows.append(line)
        rows.append(f"{'   ratio tmeet/sqlite3 (medians)':<44} {m_next / m_sql:>9.2f}")
        if a.before:
            line, m_old = stats_line("   --before build's tmeet next", times[2], "ms")
            rows.append(line)
            rows.append(f"{'   ratio this/before (medians)':<44} {m_next / m_old:>9.2f}")

        # 4. The Agenda screen from the same cache: F3 on the form to the first frame that
        #    lists meetings (the cache's rows, before the service is asked); beside it, the
        #    same session's start to the form's first frame.
        from run import FORM_MARKER, Pty  # noqa: E402
        t_screen, t_form = [], []
        for _ in range(a.runs):
            p = Pty([BIN, *common], env)
            try:
                t0 = time.perf_counter()
                t_form.append((p.wait_for(FORM_MARKER) - t0) * 1000)
                p.drain(0.3)
                since = len(p.buf)
                t0 = time.perf_counter()
                p.send(b"\x1bOR")  # F3
                t_screen.append((p.wait_for(b"bench ", since=since) - t0) * 1000)
            finally:
                p.close()
        line, m_screen = stats_line(f"4. Agenda screen, F3 to rows, {cached} cached", t_screen, "ms")
        rows.append(line + "  (target <= 100 ms)")
        line, _ = stats_line("   the same TUI's start to the form (context)", t_form, "ms")
        rows.append(line)

        # 5. A delta round with nothing changed: the requests it makes.
        counts = []
        for _ in range(5):
            before = graph_requests(login)
            tmeet(BIN, common, env, "next", "--max-age", "0")
            counts.append(graph_requests(login) - before)
        rows.append(f"{'5. delta round, no changes: Graph requests':<44} {max(counts):>9}     "
                    f"(each of {len(counts)} rounds: {counts}; target 1)")
    finally:
        emu.terminate()
        emu.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"tmeet agenda benchmark ({os.path.relpath(BIN, ROOT)}, {a.runs} runs each)")
    for r in rows:
        print(r)


if __name__ == "__main__":
    main()
