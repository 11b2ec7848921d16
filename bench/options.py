#!/usr/bin/env python3
# What asking for meeting options and checking what the tenant set costs a `create`:
# medians of 15 alternating runs each against one `tmeet emulator`, and their ratio.
# Needs `cargo build` first; the machine is noisy, so read the ratio, not the numbers.
import subprocess, time, os, statistics, re, sys, tempfile
tm = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "debug", "tmeet")
home = tempfile.mkdtemp()
env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home+"/c", XDG_DATA_HOME=home+"/d", XDG_STATE_HOME=home+"/s", TMEET_TOKEN_STORE="file")
emu = subprocess.Popen([tm, "emulator", "--port", "0", "--auto-approve"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
graph = login = None
while graph is None or login is None:
    line = emu.stdout.readline()
    m = re.search(r'(http://127\.0\.0\.1:\d+/v1\.0)', line)
    if m and graph is None: graph = m.group(1)
    m2 = re.search(r'(http://127\.0\.0\.1:\d+)\s*$', line.strip())
    if 'login' in line.lower() and m2: login = m2.group(1)
common = ["--graph-url", graph, "--login-url", login or graph.rsplit('/v1.0',1)[0], "--client-id", "11111111-2222-3333-4444-555555555555"]
subprocess.run([tm, *common, "login", "--no-browser"], env=env, capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
def t(args):
    s = time.perf_counter(); r = subprocess.run([tm, *common, *args], env=env, capture_output=True); e = time.perf_counter()
    assert r.returncode == 0, r.stderr
    return e - s
plain = ["create", "-s", "m", "--json"]
opts = plain + ["--lobby", "everyone", "--chat", "limited", "--watermark", "both", "--e2ee"]
a, b = [], []
for i in range(15):
    a.append(t(plain)); b.append(t(opts))
ma, mb = statistics.median(a), statistics.median(b)
print(f"create, no options:      median {ma*1000:.1f} ms (n=15)")
print(f"create, 4 options+check: median {mb*1000:.1f} ms (n=15)  ratio {mb/ma:.2f}")
emu.terminate()
emu.wait()
