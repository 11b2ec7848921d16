#!/usr/bin/env python3
# What asking for meeting options and checking what the tenant set costs a `create`:
# medians of 15 alternating runs each against one `tmeet emulator`, and their ratio.
# Needs `cargo build` first; the machine is noisy, so read the ratio, not the numbers.
from emulated import SignedIn

plain = ["create", "-s", "m", "--json"]
opts = plain + ["--lobby", "everyone", "--chat", "limited", "--watermark", "both", "--e2ee"]
with SignedIn() as s:
    ma, mb = s.medians(plain, opts, 15)
print(f"create, no options:      median {ma*1000:.1f} ms (n=15)")
print(f"create, 4 options+check: median {mb*1000:.1f} ms (n=15)  ratio {mb/ma:.2f}")
