#!/usr/bin/env bash
# Runs every cargo-fuzz target (or the ones named) for SECONDS each, one after another,
# and prints one table: executions, executions per second, findings.
#
#   fuzz/run.sh [SECONDS] [TARGET...]        default 60 s, all targets
#
# Each target starts from its committed seeds in fuzz/corpus/<target>/ copied to a scratch
# directory, so what a run discovers never grows the committed corpus. A crash, a failed
# property (an assert in the target), a timeout or an out-of-memory is saved under
# fuzz/artifacts/<target>/ and counted as a finding; the exit status is 1 if there is any.
# Reproduce one with:
#   cd fuzz && cargo +nightly fuzz run -a -s none TARGET artifacts/TARGET/FILE
#
# Needs nightly and cargo-fuzz (cargo install cargo-fuzz --locked). Not run in CI: slow.
set -euo pipefail

seconds=${1:-60}
shift || true
cd "$(dirname "$0")"

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

# One build for all targets. Debug assertions on, so integer overflow panics too. No
# AddressSanitizer: tmeet has no `unsafe`, what can go wrong is a panic or a failed
# property, and without it a target runs several times as many inputs in the same time.
cargo +nightly fuzz build --debug-assertions --sanitizer none >&2
bin_dir=target/x86_64-unknown-linux-gnu/release

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tmeet-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

rows=()
total_findings=0
for t in "${targets[@]}"; do
    mkdir -p "$scratch/$t" "artifacts/$t"
    cp corpus/"$t"/* "$scratch/$t/"
    before=$(find "artifacts/$t" -type f | wc -l)
    log="$scratch/$t.log"
    echo "fuzz $t for ${seconds}s ..." >&2
    extra=()
    # html2text makes each input cost in proportion to its length, and libFuzzer otherwise
    # takes the largest seed (an 11 kB invitation) as the limit: 4 kB keeps every template
    # construct and runs about twice as many inputs.
    [[ $t == join_information ]] && extra+=(-max_len=4096)
    # -timeout: an input taking 10 s is a hang, and a finding.
    "$bin_dir/$t" "$scratch/$t" -max_total_time="$seconds" -timeout=10 "${extra[@]}" \
        -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"$log" 2>&1 || true
    after=$(find "artifacts/$t" -type f | wc -l)
    findings=$((after - before))
    total_findings=$((total_findings + findings))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    corpus=$(find "$scratch/$t" -type f | wc -l)
    rows+=("$(printf '%-18s %12s %10s %8s %9s' "$t" "${execs:-?}" "${rate:-?}" "$corpus" "$findings")")
    if [[ $findings -gt 0 ]]; then
        # The panic message and the input that caused it.
        grep -E "panicked|Test unit written|ERROR: libFuzzer" "$log" >&2 || tail -20 "$log" >&2
    fi
done

echo
echo "fuzz/run.sh: ${seconds}s per target, $(nproc) CPUs, $(date -u +%FT%TZ)"
printf '%-18s %12s %10s %8s %9s\n' target executions exec/s corpus findings
printf '%s\n' "${rows[@]}"
if [[ $total_findings -gt 0 ]]; then
    echo "$total_findings finding(s): see fuzz/artifacts/" >&2
    exit 1
fi
