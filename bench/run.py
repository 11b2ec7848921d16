#!/usr/bin/env python3
"""tmeet benchmark: builds release, starts the emulator as its own process, and prints
medians (min/max) over repeated runs, each next to a baseline measured in the same run.

    python3 bench/run.py [--runs N] [--idle-seconds S] [--no-build]

Measures (issues 2 and 5): the whole --demo create, create vs curl, TUI start to first frame, idle CPU, peak RSS through
sign-in + create + result, result-screen render time (cargo bench), and the TCP
connections the TUI opens for 5 meetings. Nothing here asserts: it prints numbers.
"""
import argparse
import json
import os
import pty
import re
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# TMEET_BENCH_BIN: another build of tmeet (e.g. target/dist/tmeet) in place of the release one.
BIN = os.environ.get("TMEET_BENCH_BIN") or os.path.join(ROOT, "target", "release", "tmeet")
FORM_MARKER = b"Passcode"     # drawn with the form
RESULT_MARKER = b"Meeting created"  # the status line of the result pane


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.read()


class Emulator:
    def __init__(self, env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.graph = self.base + "/v1.0"
        self.proc = subprocess.Popen([BIN, "emulator", "--port", str(self.port), "--auto-approve"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                self.stats()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("the emulator did not start")

    def stats(self):
        return json.loads(http("GET", self.base + "/_emulator/stats")[1])

    def approve(self):
        return http("POST", self.base + "/_emulator/devicecode/approve", b"")

    def mint_user_token(self):
        _, body = http("POST", self.base + "/_emulator/tokens/user", b"tenant=organizations",
                       {"Content-Type": "application/x-www-form-urlencoded"})
        return json.loads(body)["access_token"]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(5)


def isolated_env(tmp):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMEET_", "DBUS_", "DISPLAY", "WAYLAND"))}
    env.update({
        "HOME": tmp, "XDG_CONFIG_HOME": os.path.join(tmp, "config"), "XDG_STATE_HOME": os.path.join(tmp, "state"),
        "XDG_DATA_HOME": os.path.join(tmp, "data"), "TZ": "UTC", "LANG": "en_US.UTF-8", "TERM": "xterm-256color",
    })
    return env


def login(emu, env, common):
    """A real device-code sign-in against the emulator; the token lands in the 0600 file store."""
    p = subprocess.Popen([BIN, "login", *common], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 20
    approved = False
    while p.poll() is None and time.time() < deadline:
        if not approved:
            try:
                emu.approve()
                approved = True
            except OSError:
                pass
        time.sleep(0.1)
    out = p.communicate(timeout=20)[0].decode(errors="replace")
    if p.returncode != 0:
        raise SystemExit(f"tmeet login failed:\n{out}")


def stats_line(name, values, unit, fmt="{:.1f}"):
    med = statistics.median(values)
    return f"{name:<44} {fmt.format(med):>9} {unit:<3} (min {fmt.format(min(values))}, max {fmt.format(max(values))}, n={len(values)})", med


def time_cmd(argv, env):
    t = time.perf_counter()
    r = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = (time.perf_counter() - t) * 1000
    if r.returncode != 0:
        raise SystemExit(f"{argv[0]} failed: {r.stderr.decode(errors='replace')}")
    return dt


class Pty:
    """The TUI in a pseudo-terminal, 100x30."""

    def __init__(self, argv, env):
        import fcntl
        import struct
        import termios
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.buf = b""

    def wait_for(self, marker, timeout=15.0, since=0):
        deadline = time.perf_counter() + timeout
        while marker not in self.buf[since:]:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise SystemExit(f"timed out waiting for {marker!r}; screen tail: {self.buf[-400:]!r}")
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    self.buf += os.read(self.fd, 65536)
                except OSError:
                    raise SystemExit(f"the TUI exited while waiting for {marker!r}: {self.buf[-400:]!r}")
        return time.perf_counter()

    def drain(self, quiet=0.2):
        while True:
            r, _, _ = select.select([self.fd], [], [], quiet)
            if not r:
                return
            try:
                self.buf += os.read(self.fd, 65536)
            except OSError:
                return

    def send(self, data):
        os.write(self.fd, data)

    def cpu_ns(self):
        """On-CPU time per thread, in ns (schedstat), not in 10 ms clock ticks."""
        out = {}
        for tid in os.listdir(f"/proc/{self.pid}/task"):
            try:
                with open(f"/proc/{self.pid}/task/{tid}/schedstat") as f:
                    out[tid] = int(f.read().split()[0])
            except FileNotFoundError:
                pass  # a thread that ended meanwhile
        return out

    @staticmethod
    def cpu_ms_between(before, after):
        # Per thread, so a thread that ends in between does not subtract its past.
        return sum(ns - before.get(tid, 0) for tid, ns in after.items()) / 1e6

    def peak_rss_mb(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
        return float("nan")

    def close(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


def sign_in_and_five_creates(p, emu, slow=1.0):
    """Step 4's keys: the TUI in `p` signs in (the emulator approves), then creates five
    meetings, each shown in the result pane. `slow` stretches every wait (valgrind)."""
    deadline = time.time() + 20 * slow
    while FORM_MARKER not in p.buf and time.time() < deadline:
        p.drain(0.2 * slow)
        try:
            emu.approve()
        except OSError:
            pass
    p.wait_for(FORM_MARKER, timeout=15 * slow)
    p.drain(0.3 * slow)
    p.send(b"bench meeting")
    for i in range(5):
        mark = len(p.buf)
        p.send(b"\x13")  # Ctrl+S
        p.wait_for(RESULT_MARKER, timeout=15 * slow, since=mark)
        p.drain(0.2 * slow)
        if i < 4:
            p.send(b"n")  # a new meeting
            p.drain(0.3 * slow)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--idle-seconds", type=float, default=10.0)
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()

    if not a.no_build:
        log("building release (cargo build --release)…")
        subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "tmeet"], cwd=ROOT, check=True)
    tmp = tempfile.mkdtemp(prefix="tmeet-bench-")
    env = isolated_env(tmp)
    emu = Emulator(env)
    common = ["--graph-url", emu.graph, "--login-url", emu.base, "--client-id", "bench-client"]
    rows = []
    try:
        login(emu, env, common)
        # curl gets a token of the same kind from the emulator; tmeet uses the one it stored.
        token = emu.mint_user_token()
        body = json.dumps({"subject": "bench", "startDateTime": "2026-12-01T14:00:00+00:00",
                           "endDateTime": "2026-12-01T14:30:00+00:00"})
        header_file = os.path.join(tmp, "auth-header")  # not argv: tokens stay out of `ps`
        fd = os.open(header_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, f"Authorization: Bearer {token}\n".encode())
        os.close(fd)
        curl = ["curl", "-sS", "-f", "-o", "/dev/null", "-X", "POST", "-H", f"@{header_file}",
                "-H", "Content-Type: application/json", "-d", body, emu.graph + "/me/onlineMeetings"]
        create = [BIN, "create", *common, "--subject", "bench", "--start", "2037-12-01 14:00", "--json"]
        for argv in (curl, create):  # warm the page cache
            time_cmd(argv, env)
        t_tmeet, t_curl = [], []
        for _ in range(a.runs):  # interleaved, so drift hits both alike
            t_curl.append(time_cmd(curl, env))
            t_tmeet.append(time_cmd(create, env))
        # 0. The whole demo path in one process: emulator start, device-code sign-in, create.
        demo = [BIN, "--demo", "create", "--subject", "bench", "--json"]
        version = [BIN, "--version"]
        t_demo, t_version = [], []
        for _ in range(a.runs):
            t_version.append(time_cmd(version, env))
            t_demo.append(time_cmd(demo, env))
        rows.append(stats_line("0. tmeet --demo create --json", t_demo, "ms")[0])
        rows.append(stats_line("   tmeet --version (process floor)", t_version, "ms")[0])
        line, m_tmeet = stats_line("1. tmeet create --json (stored token)", t_tmeet, "ms")
        rows.append(line)
        line, m_curl = stats_line("   curl, same POST (baseline)", t_curl, "ms")
        rows.append(line)
        rows.append(f"{'   ratio tmeet/curl (medians)':<44} {m_tmeet / m_curl:>9.2f}     (target <= 1.5)")

        # 2. TUI start to first complete frame (stored token: straight to the form).
        firsts = []
        for _ in range(max(5, a.runs // 2)):
            t0 = time.perf_counter()
            p = Pty([BIN, *common], env)
            t1 = p.wait_for(FORM_MARKER)
            firsts.append((t1 - t0) * 1000)
            p.close()
        line, _ = stats_line("2. TUI spawn to first form frame", firsts, "ms")
        rows.append(line + "  (target <= 20)")
        # Baseline: spawning a trivial process in the same pty harness.
        bases = []
        for _ in range(max(5, a.runs // 2)):
            t0 = time.perf_counter()
            p = Pty(["/bin/echo", "Passcode"], env)
            t1 = p.wait_for(FORM_MARKER)
            bases.append((t1 - t0) * 1000)
            p.close()
        line, _ = stats_line("   /bin/echo in the same pty harness (floor)", bases, "ms")
        rows.append(line)

        # 3. Idle CPU over N seconds.
        p = Pty([BIN, *common], env)
        p.wait_for(FORM_MARKER)
        p.drain(0.5)
        c0 = p.cpu_ns()
        time.sleep(a.idle_seconds)
        idle_ms = Pty.cpu_ms_between(c0, p.cpu_ns())
        p.close()
        rows.append(f"{f'3. TUI idle CPU over {a.idle_seconds:.0f} s':<44} {idle_ms:>9.3f} ms  (target <= 1; all threads, /proc/*/schedstat)")

        # 4 + 6. Sign-in, then 5 meetings in one TUI run: peak RSS and TCP connections.
        subprocess.run([BIN, "logout", *common], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        before = emu.stats()
        p = Pty([BIN, *common], env)
        sign_in_and_five_creates(p, emu)
        rss = p.peak_rss_mb()
        p.close()
        after = emu.stats()
        conns = after.get("api_connections", after.get("connections", 0)) - before.get("api_connections", before.get("connections", 0))
        rows.append(f"{'4. TUI peak RSS: sign-in, 5 creates, results':<44} {rss:>9.1f} MB  (target <= 15)")
        rows.append(f"{'6. TCP connections to Graph+login, 5 creates':<44} {conns:>9d}     (target 1)")
    finally:
        emu.stop()

    # 5. Render time of the result screen (criterion-free bench in benches/render.rs).
    r = subprocess.run(["cargo", "bench", "--locked", "--bench", "render", "--", "--quiet"], cwd=ROOT,
                       capture_output=True, text=True)
    render = [l for l in r.stdout.splitlines() if l.startswith("render")]
    rows.extend(render or [f"5. render bench failed: {r.stderr.strip()[-300:]}"])

    print()
    print(f"tmeet benchmark, {os.cpu_count()} cores, {a.runs} runs, {time.strftime('%Y-%m-%d %H:%M:%S')}")
    for r_ in rows:
        print(r_)


if __name__ == "__main__":
    main()
