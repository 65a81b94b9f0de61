#!/bin/sh
# make bench: generates synthetic Maildirs of two sizes and times the analysis.
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
