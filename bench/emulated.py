"""What the create-cost scripts (calendar_cost.py, options.py) share: a debug `tmeet` signed
in to a `tmeet emulator` of its own in a throwaway home, and medians of alternating runs of
two commands against it. Needs `cargo build` first; the machine is noisy: read the ratio."""
import os
import re
import statistics
import subprocess
import tempfile
import time

TMEET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "debug", "tmeet")
CLIENT_ID = "11111111-2222-3333-4444-555555555555"


class SignedIn:
    """`with SignedIn(scopes) as s:` an emulator that approves sign-ins, and a home signed
    in to it with `scopes` granted beyond the base ones; the emulator stops on leaving."""

    def __init__(self, scopes=()):
        home = tempfile.mkdtemp()
        self.env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home + "/c", XDG_DATA_HOME=home + "/d",
                        XDG_STATE_HOME=home + "/s", TMEET_TOKEN_STORE="file")
        self.emu = subprocess.Popen([TMEET, "emulator", "--port", "0", "--auto-approve"], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, env=self.env, text=True)
        graph = login = None
        while graph is None or login is None:
            line = self.emu.stdout.readline()
            m = re.search(r'(http://127\.0\.0\.1:\d+/v1\.0)', line)
            if m and graph is None:
                graph = m.group(1)
            m2 = re.search(r'(http://127\.0\.0\.1:\d+)\s*$', line.strip())
            if 'login' in line.lower() and m2:
                login = m2.group(1)
        self.common = ["--graph-url", graph, "--login-url", login, "--client-id", CLIENT_ID]
        sign_in = [TMEET, *self.common, "login", "--no-browser"]
        for s in scopes:
            sign_in += ["--scope", s]
        subprocess.run(sign_in, env=self.env, capture_output=True, stdin=subprocess.DEVNULL, timeout=60)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.emu.terminate()
        self.emu.wait()

    def seconds(self, args):
        """One run of `tmeet ARGS` against the emulator, which must succeed."""
        s = time.perf_counter()
        r = subprocess.run([TMEET, *self.common, *args], env=self.env, capture_output=True)
        e = time.perf_counter()
        assert r.returncode == 0, r.stderr
        return e - s

    def medians(self, a, b, runs=15):
        """Median seconds of `a` and of `b`, run alternately `runs` times each."""
        ta, tb = [], []
        for _ in range(runs):
            ta.append(self.seconds(a))
            tb.append(self.seconds(b))
        return statistics.median(ta), statistics.median(tb)
