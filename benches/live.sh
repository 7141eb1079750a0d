#!/usr/bin/env bash
# Live reload, end to end (issue 5, "Live library"): the release baca runs
# in tmux on LIB; a new article is written into LIB, and the script times
# how long until the headline list counts it and until a library search
# finds it. Repeated RUNS times (a new title each time); prints each run
# and the medians.
#
#   cargo build --release
#   benches/live.sh LIB [RUNS]          # e.g. target/startup-libs/100000-seed1
#
# Env: BACA (the binary, default target/release/baca), SETTLE (seconds to
# let the start-up work finish first: cache check, index load or build;
# default 30). Its own XDG folders are under a temporary folder, kept
# between runs of the script so the second run starts warm. Needs tmux
# and bc. The search is typed after the headline shows, so its figure
# includes typing it (about 0.3 s).
set -euo pipefail
lib=${1:?usage: benches/live.sh LIB [RUNS]}
runs=${2:-5}
baca=${BACA:-target/release/baca}
settle=${SETTLE:-30}
xdg=${TMPDIR:-/tmp}/baca-live-xdg
session=baca-live-$$
mkdir -p "$xdg"/{cache,data,config}

screen() { tmux capture-pane -p -t "$session"; }
now() { date +%s.%N; }
# wait_for PATTERN SECONDS: polls the screen until PATTERN shows.
wait_for() {
    local deadline
    deadline=$(echo "$(now) + $2" | bc)
    until screen | grep -q -- "$1"; do
        if (($(echo "$(now) > $deadline" | bc))); then
            echo "timed out waiting for: $1" >&2
            screen >&2
            return 1
        fi
        sleep 0.02
    done
}
cleanup() {
    tmux kill-session -t "$session" 2>/dev/null || true
    rm -f "$lib"/zz-live-*.txt
}
trap cleanup EXIT

tmux new -d -s "$session" -x 120 -y 40 \
    "XDG_CACHE_HOME=$xdg/cache XDG_DATA_HOME=$xdg/data XDG_CONFIG_HOME=$xdg/config $baca $lib"
wait_for 'Articles (' 600
n=$(screen | grep -o 'Articles ([0-9]*)' | head -1 | tr -dc 0-9)
echo "baca shows $n articles; letting the start-up work settle for ${settle} s"
sleep "$settle"

heads=() finds=()
for run in $(seq 1 "$runs"); do
    word="uji${run}x$$"
    file="$lib/zz-live-$run.txt"
    t0=$(now)
    printf -- '---\ntitle: Artikel Muat Ulang %s\ndate: 2026-11-25\n---\nIsi %s.\n' "$word" "$word" >"$file"
    wait_for "Articles ($((n + 1)))" 30
    t1=$(now)
    tmux send-keys -t "$session" /
    sleep 0.1
    tmux send-keys -t "$session" "$word"
    wait_for 'Search · 1 found' 60
    t2=$(now)
    h=$(echo "$t1 - $t0" | bc) s=$(echo "$t2 - $t0" | bc)
    heads+=("$h") finds+=("$s")
    printf 'run %d: headline after %.2f s, search finds it after %.2f s\n' "$run" "$h" "$s"
    tmux send-keys -t "$session" Escape
    rm -f "$file"
    wait_for "Articles ($n)" 30
    sleep 1
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'median of %d: headline %.2f s, search %.2f s\n' "$runs" "$(median "${heads[@]}")" "$(median "${finds[@]}")"
tmux send-keys -t "$session" q
