#!/bin/sh
# make bench. The headline is real mail: every message of the shared corpus
# ($REBOTE_CORPUS: its maildir/ and mailbox/ trees, mboxes split) loaded into
# memory and replicated there to at least 20,000 messages (nothing is copied
# to disk), the analysis timed with one and two threads. Then `rebote parse`
# end to end over the same number of messages (the corpus as copies of
# symbolic links in a temporary folder, JSON to /dev/null), one and two
# threads. Then the synthetic set (bench/bounce-gen), whose files are read
# from disk as they are analysed: two sizes with the same seed (the second a
# superset of the first), so a peak RSS that does not grow with N shows the
# memory is per message. Each line gives the wall clock and the CPU time: on
# a machine shared with others, the messages per CPU-second are the code's.
set -eu
out=bench/out
min=${BENCH_MIN:-20000}
mkdir -p "$out"
corpus=${REBOTE_CORPUS:-}
if [ -n "$corpus" ] && [ -d "$corpus/maildir" ] && [ -d "$corpus/mailbox" ]; then
    for t in 1 2; do
        bench/parse-bench --corpus --threads=$t --min="$min" --label="real mail (shared corpus)" \
            "$corpus/maildir" "$corpus/mailbox"
    done
    tree=$(mktemp -d "${TMPDIR:-/tmp}/rebote-bench.XXXXXX")
    trap 'rm -rf "$tree"' EXIT
    abs=$(cd "$corpus" && pwd)
    msgs=$(src/rebote parse --jobs=1 "$abs/maildir" "$abs/mailbox" 2>/dev/null | cut -f1 | sort -u | wc -l)
    copies=$(( (min + msgs - 1) / msgs ))
    i=0
    while [ $i -lt $copies ]; do
        i=$((i + 1))
        mkdir "$tree/$i"
        cp -rs "$abs/maildir" "$tree/$i/maildir"
        cp -rs "$abs/mailbox" "$tree/$i/mailbox"
    done
    for t in 1 2; do
        bench/parse-bench --run=$((msgs * copies)) \
            --label="rebote parse --jobs=$t (shared corpus x$copies, symbolic links)" \
            src/rebote parse --jobs=$t --format=json "$tree"
    done
else
    echo "real mail (shared corpus): skipped, REBOTE_CORPUS does not name the corpus (maildir/, mailbox/)"
fi
for n in 10000 50000; do
    if [ ! -d "$out/m$n/cur" ]; then
        bench/bounce-gen --seed=7 --count=$n --maildir="$out/m$n" >/dev/null
    fi
    for t in 1 2; do
        bench/parse-bench --threads=$t --label="synthetic N=$n (bench/bounce-gen)" "$out/m$n"
    done
done
bench/model-bench 100000
bench/screen-bench 100000 120x40
bench/screen-bench 100000 200x60
