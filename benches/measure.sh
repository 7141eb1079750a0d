#!/usr/bin/env bash
# Whole-process performance of baca on generated libraries (issue 2's
# targets): `baca links DIR --json` wall time against reading the same
# files with `cat`, and peak memory against the library's size on disk.
#
#   benches/measure.sh                 # 10,000 and 100,000 articles
#   SIZES="10000" RUNS=10 benches/measure.sh
#
# Libraries are generated once into $BACA_BENCH_DIR (default
# ${TMPDIR:-/tmp}/baca-bench), keyed by size, seed and the generator's
# source, and reused. Uses hyperfine when installed, else a timing loop;
# peak memory needs GNU time (/usr/bin/time).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${SIZES:-"10000 100000"}
SEED=${SEED:-1}
RUNS=${RUNS:-5}
CACHE=${BACA_BENCH_DIR:-${TMPDIR:-/tmp}/baca-bench}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BACA=$TARGET_DIR/release/baca

echo "building release..." >&2
(cd "$ROOT" && cargo build --release --quiet)

# A changed generator makes new libraries rather than reusing stale ones.
GEN_KEY=$(cksum <"$ROOT/src/core/generate.rs" | cut -d' ' -f1)

library() {
    local n=$1 dir="$CACHE/lib-$1-seed$SEED-$GEN_KEY"
    if [[ ! -f "$dir/.complete" ]]; then
        rm -rf "$dir"
        echo "generating $n articles into $dir..." >&2
        "$BACA" generate "$dir" --articles "$n" --seed "$SEED" >&2
        touch "$dir/.complete" # hidden: baca skips it
    fi
    echo "$dir"
}

now() { date +%s.%N; }

# Median wall time in seconds of a shell command, over $RUNS runs.
wall() {
    local cmd=$1
    if command -v hyperfine >/dev/null; then
        local csv
        csv=$(mktemp)
        hyperfine --style none --warmup 1 --runs "$RUNS" -i --export-csv "$csv" "$cmd" >/dev/null
        # columns: command,mean,stddev,median,user,system,min,max
        awk -F, 'NR == 2 { print $4 }' "$csv"
        rm -f "$csv"
    else
        local times=() t0
        bash -c "$cmd" || true # warm-up
        for _ in $(seq "$RUNS"); do
            t0=$(now)
            bash -c "$cmd" || true
            times+=("$(awk -v a="$(now)" -v b="$t0" 'BEGIN { print a - b }')")
        done
        printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
    fi
}

peak_kb() {
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1
    else
        echo 0
    fi
}

rows=()
for n in $SIZES; do
    dir=$(library "$n")
    # Warm the page cache so both commands read from memory.
    find "$dir" -type f -exec cat {} + >/dev/null
    bytes=$(du -sb "$dir" | cut -f1)
    t_baca=$(wall "'$BACA' links '$dir' --json > /dev/null 2>&1")
    t_cat=$(wall "find '$dir' -type f -exec cat {} + > /dev/null")
    kb=$(peak_kb "$BACA" links "$dir" --json)
    limit=$(awk -v n="$n" 'BEGIN { print n * 0.3 / 10000 }')
    rows+=("$(awk -v n="$n" -v b="$bytes" -v tb="$t_baca" -v tc="$t_cat" -v kb="$kb" -v lim="$limit" 'BEGIN {
        rss = kb * 1024; ratio = rss / b
        printf "%9d  %8.1f MB  %8.3f s  %7.3f s  %6.1fx  %8.1f MB  %5.2fx   %s %s\n",
            n, b / 1e6, tb, tc, tb / tc, rss / 1e6, ratio,
            (tb < lim ? "time ok" : "TIME MISSED (< " lim " s)"),
            (n < 100000 ? "" : ratio < 2 ? "· memory ok" : "· MEMORY MISSED (< 2x)")
    }')")
done

echo
echo "  articles   on disk    baca links      cat   ratio   peak RSS   RSS/disk  targets"
printf '%s\n' "${rows[@]}"
echo
echo "baca links DIR --json > /dev/null: median of $RUNS runs, warm page cache, $(nproc) cores;"
echo "cat = find DIR -type f -exec cat {} + > /dev/null; ratio = baca / cat."
echo "Targets (issue 2): 0.3 s per 10,000 articles; peak RSS under 2x the size on disk at 100,000."
