#!/bin/bash
# make bench-imap: 100,000 synthetic bounces in a private Dovecot's Maildir
# (half dated 2024, half 2025), then in one run:
#   (a) a raw streaming UID FETCH of the same bytes (tests/imap-helper fetch-raw)
#   (b) rebote's cold open: fetch + analyse + cache write   (target <= 1.5 x (a))
#   (c) the warm reopen                                      (target <= 1 s)
#   (d) purge of the 50,000 from 2024                        (target <= 2 s)
# and the peak resident memory of (b) per bounce (target <= 1 KiB).
# Needs dovecot, openssl and /usr/bin/time; runs as root (the Maildir belongs to dovecot).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILDDIR:=$top}" "${N:=100000}"
. "$top/tests/dovecot.sh"
REBOTE=$BUILDDIR/src/rebote HELPER=$BUILDDIR/tests/imap-helper GEN=$BUILDDIR/bench/bounce-gen
trap 'dovecot_cleanup' EXIT
dovecot_setup && dovecot_start || { echo "imap-bench: dovecot did not start" >&2; exit 1; }
half=$((N / 2))
"$GEN" --seed=101 --count=$half --epoch=1704067200 --maildir="$MAILDIR" >/dev/null   # 2024-01
"$GEN" --seed=102 --count=$((N - half)) --maildir="$MAILDIR" >/dev/null              # 2025-10
chown -R "$MAILUID:$MAILGID" "$MAILDIR"
bytes=$(du -sb "$MAILDIR/cur" | cut -f1)
URL="imaps://rebote@127.0.0.1:$IMAPS_PORT/INBOX"
export XDG_CACHE_HOME=$DOVE/cache
t() { /usr/bin/time -f '%e %M' -o "$DOVE/time" "$@"; read -r secs kb <"$DOVE/time"; }

"$HELPER" "$URL" s3cret-pw "$CA" fetch-raw >/dev/null        # Dovecot indexes the Maildir: not measured
t "$HELPER" "$URL" s3cret-pw "$CA" fetch-raw >"$DOVE/raw"
raw=$secs
t "$REBOTE" summary --ca-file="$CA" --password-file="$DOVE/pw" "$URL" >"$DOVE/cold"
cold=$secs cold_kb=$kb
t "$REBOTE" summary --ca-file="$CA" --password-file="$DOVE/pw" "$URL" >"$DOVE/warm"
warm=$secs warm_kb=$kb
t "$REBOTE" purge --older-than=600 --dry-run --ca-file="$CA" --password-file="$DOVE/pw" "$URL" >/dev/null
dry=$secs
t "$REBOTE" purge --older-than=600 --yes --ca-file="$CA" --password-file="$DOVE/pw" "$URL" >"$DOVE/purge"
purge=$secs
left=$(dovecot_adm search -u rebote mailbox INBOX all | wc -l)

echo "messages: $N ($((bytes / N)) bytes average, $((bytes / 1048576)) MiB)"
echo "(a) raw UID FETCH:   ${raw} s   ($(cat "$DOVE/raw"))"
echo "(b) cold open:       ${cold} s   = $(awk "BEGIN{printf \"%.2f\", $cold / $raw}") x (a)   [$(sed -n 2p "$DOVE/cold")]"
echo "(c) warm reopen:     ${warm} s   [$(sed -n 2p "$DOVE/warm")]"
echo "(d) purge:           ${purge} s   [$(tail -n 1 "$DOVE/purge"); $left left on the server; the same run with --dry-run: ${dry} s]"
echo "peak RSS of (b):     $((cold_kb / 1024)) MiB = $(awk "BEGIN{printf \"%.0f\", $cold_kb * 1024 / $N}") bytes per bounce"
echo "peak RSS of (c):     $((warm_kb / 1024)) MiB = $(awk "BEGIN{printf \"%.0f\", $warm_kb * 1024 / $N}") bytes per bounce (every record loaded, no fetch)"
