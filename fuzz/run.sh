#!/bin/sh
# Runs a libFuzzer target on its seed corpus plus what earlier runs found (kept in CORPUS_DIR),
# for SECONDS seconds (0 = no limit), one process; exits non-zero on a finding, leaving the input
# as crash-* / leak-* / timeout-* / oom-* in the current directory.
#   fuzz/run.sh TARGET CORPUS_DIR SECONDS [SEED_DIR...] [-libfuzzer-flag...]
# The long runs (fuzz/README.md):
#   fuzz/run.sh build/fuzz/bin/fuzz_incident build/fuzz/corpus-fuzz_incident 0 data/incidents tests/data/robustness -runs=10000000
set -eu
target=$1
corpus=$2
seconds=$3
shift 3
mkdir -p "$corpus"
# -rss_limit_mb bounds memory per input (the budget's job); -timeout flags any input over 60 s
# of wall time: a hang, not a slow input (inputs take milliseconds; a starved process on a loaded
# machine took 10-16 s for a 143 ms input, which a lower limit reported as a timeout);
# -max_len lets a whole shipped incident through.
# Flags given after the seed directories come last, so they override these.
exec "$target" "$corpus" \
    -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 "$@"
