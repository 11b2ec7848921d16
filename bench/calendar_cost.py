#!/usr/bin/env python3
# What a calendar meeting costs against a standalone one: `create --calendar` makes the
# event and finds the meeting behind it by its join link (2 Graph calls, 3 with an option),
# `create` makes the meeting (1). Medians of 15 alternating runs each against one `tmeet emulator`,
# and their ratio. Needs `cargo build` first; the machine is noisy: read the ratio.
import subprocess, time, os, statistics, re, tempfile
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
subprocess.run([tm, *common, "login", "--no-browser", "--scope", "Calendars.ReadWrite"], env=env, capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
def t(args):
    s = time.perf_counter(); r = subprocess.run([tm, *common, *args], env=env, capture_output=True); e = time.perf_counter()
    assert r.returncode == 0, r.stderr
    return e - s
people = ["--attendee", "MeganB@contoso.onmicrosoft.com", "--attendee", "AlexW@contoso.onmicrosoft.com:optional"]
plain = ["create", "-s", "m", "--start", "2037-12-01 10:00", "--json"]
cal = plain + ["--calendar", *people]
a, b = [], []
for i in range(15):
    a.append(t(plain)); b.append(t(cal))
ma, mb = statistics.median(a), statistics.median(b)
print(f"create (standalone):            median {ma*1000:.1f} ms (n=15)")
print(f"create --calendar, 2 attendees: median {mb*1000:.1f} ms (n=15)  ratio {mb/ma:.2f}")
emu.terminate()
emu.wait()
