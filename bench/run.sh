#!/bin/sh
# make bench. The headline is real mail: every message of the shared corpus
# ($REBOTE_CORPUS: its maildir/ and mailbox/ trees, mboxes split) loaded into
# memory and replicated there to at least 20,000 messages (nothing is copied
# to disk), the analysis timed with one and two threads. Then the synthetic
# set (bench/bounce-gen), whose files are read from disk as they are analysed:
# two sizes with the same seed (the second a superset of the first), so a peak
# RSS that does not grow with N shows the memory is per message.
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
