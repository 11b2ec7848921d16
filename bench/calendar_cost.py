#!/usr/bin/env python3
# What a calendar meeting costs against a standalone one: `create --calendar` makes the
# event and finds the meeting behind it by its join link (2 Graph calls, 3 with an option),
# `create` makes the meeting (1). Medians of 15 alternating runs each against one `tmeet emulator`,
# and their ratio. Needs `cargo build` first; the machine is noisy: read the ratio.
from emulated import SignedIn

people = ["--attendee", "MeganB@contoso.onmicrosoft.com", "--attendee", "AlexW@contoso.onmicrosoft.com:optional"]
plain = ["create", "-s", "m", "--start", "2037-12-01 10:00", "--json"]
cal = plain + ["--calendar", *people]
with SignedIn(scopes=["Calendars.ReadWrite"]) as s:
    ma, mb = s.medians(plain, cal, 15)
print(f"create (standalone):            median {ma*1000:.1f} ms (n=15)")
print(f"create --calendar, 2 attendees: median {mb*1000:.1f} ms (n=15)  ratio {mb/ma:.2f}")
