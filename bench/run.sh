#!/bin/sh
# make bench: generates synthetic Maildirs of two sizes (same seed, so the
# second is a superset of the first) and times the analysis with one and two
# threads. Peak RSS that does not grow with N shows the memory is per message.
set -eu
out=bench/out
mkdir -p "$out"
for n in 10000 50000; do
    if [ ! -d "$out/m$n/cur" ]; then
        bench/bounce-gen --seed=7 --count=$n --maildir="$out/m$n"
    fi
    for t in 1 2; do
        printf 'N=%-6s ' "$n"
        bench/parse-bench --threads=$t "$out/m$n"
    done
done
if [ -n "${REBOTE_CORPUS:-}" ] && [ -d "$REBOTE_CORPUS/maildir/bsd" ]; then
    printf 'sisimai  '
    bench/parse-bench --threads=2 --repeat=20 "$REBOTE_CORPUS/maildir/bsd"
fi
bench/model-bench 100000
