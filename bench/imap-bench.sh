#!/bin/bash
# make bench-imap: 100,000 synthetic bounces in a private Dovecot's Maildir
# (half dated 2024, half 2025), then in one run:
#   (a) a raw streaming UID FETCH of the same bytes (tests/imap-helper fetch-raw)
#       ((a) to (c) are run RUNS times, default 3: medians and ranges)
#   (b) rebote's cold open: fetch + analyse + cache write   (target <= 1.5 x (a))
#   (c) the warm reopen                                      (target <= 1 s)
#   (d) purge of the 50,000 from 2024                        (target <= 2 s)
#       and, as its floor, the same IMAP commands (UID STORE \Deleted, UID
#       EXPUNGE) for 50,000 messages sent by tests/imap-helper alone: the 2024
#       half again, generated before anything is timed, moved in after (d)
#   (e) which fetch suits the analysis (bench/fetch-bench): the first 256 KiB
#       of each message, as rebote fetches, or BODYSTRUCTURE then only the
#       parts the analysis reads; on this mailbox and on a second one of
#       BIG=1000 bounces that return a 512 KiB original
# and the peak resident memory of (b) per bounce (target <= 1 KiB).
# Needs dovecot, openssl and /usr/bin/time; runs as root (the Maildir belongs to dovecot).
# DOVE_PARENT=/dev/shm puts the server's files in memory: the purge is then
# bound by Dovecot's CPU rather than by the disk's renames and unlinks.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILDDIR:=$top}" "${N:=100000}" "${RUNS:=3}" "${BIG:=1000}"
. "$top/tests/dovecot.sh"
REBOTE=$BUILDDIR/src/rebote HELPER=$BUILDDIR/tests/imap-helper GEN=$BUILDDIR/bench/bounce-gen
FETCHB=$BUILDDIR/bench/fetch-bench
trap 'dovecot_cleanup' EXIT
dovecot_setup && dovecot_start || { echo "imap-bench: dovecot did not start" >&2; exit 1; }
half=$((N / 2))
"$GEN" --seed=101 --count=$half --epoch=1704067200 --maildir="$MAILDIR" >/dev/null   # 2024-01
"$GEN" --seed=102 --count=$((N - half)) --maildir="$MAILDIR" >/dev/null              # 2025-10
"$GEN" --seed=103 --count="$BIG" --attach-kb=512 --maildir="$MAILDIR/.Big" >/dev/null    # mailbox Big
chown -R "$MAILUID:$MAILGID" "$MAILDIR"
"$GEN" --seed=101 --count=$half --epoch=1704067200 --maildir="$DOVE/again" >/dev/null   # for (d)'s floor
chown -R "$MAILUID:$MAILGID" "$DOVE/again"
sync   # the generated files reach the disk before anything is timed
bytes=$(du -sb "$MAILDIR/cur" | cut -f1) bigbytes=$(du -sb "$MAILDIR/.Big/cur" | cut -f1)
URL="imaps://rebote@127.0.0.1:$IMAPS_PORT/INBOX"
export XDG_CACHE_HOME=$DOVE/cache
# t CMD...: secs, kb (peak RSS) and cpu_us (CPU-seconds of the whole machine, Dovecot
# included, busy during the run; /proc/stat counts in 1/100 s)
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
t() {
    local b0; b0=$(busy)
    /usr/bin/time -f '%e %M' -o "$DOVE/time" "$@"
    read -r secs kb <"$DOVE/time"
    cpu=$(awk -v a="$b0" -v b="$(busy)" 'BEGIN{printf "%.1f", (b - a) / 100}')
}

"$HELPER" "$URL" s3cret-pw "$CA" fetch-raw >/dev/null        # Dovecot indexes the Maildir: not measured
# (a), (b) and (c) alternate RUNS times (this machine's timings vary by tens of
# per cent from run to run); the report gives the median and the range.
raws= colds= warms= rawcpu= coldcpu= cold_kb=0 warm_kb=0
for _ in $(seq "$RUNS"); do
    t "$HELPER" "$URL" s3cret-pw "$CA" fetch-raw >"$DOVE/raw"
    raws="$raws $secs" rawcpu="$rawcpu $cpu"
    rm -rf "$XDG_CACHE_HOME"
    t "$REBOTE" summary --ca-file="$CA" --password-file="$DOVE/pw" "$URL" >"$DOVE/cold"
    colds="$colds $secs" coldcpu="$coldcpu $cpu"; [ "$kb" -gt "$cold_kb" ] && cold_kb=$kb
    t "$REBOTE" summary --ca-file="$CA" --password-file="$DOVE/pw" "$URL" >"$DOVE/warm"
    warms="$warms $secs"; [ "$kb" -gt "$warm_kb" ] && warm_kb=$kb
done
median() { printf '%s\n' $1 | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
range() { printf '%s\n' $1 | sort -n | awk 'NR==1{lo=$1} {hi=$1} END {print lo "-" hi}'; }
raw=$(median "$raws") cold=$(median "$colds") warm=$(median "$warms")
# (e): the second of fetch-bench's two rounds (the first warms the server)
"$FETCHB" 127.0.0.1 "$IMAPS_PORT" rebote "$DOVE/pw" INBOX | tail -n 2 >"$DOVE/fetch-inbox"
"$FETCHB" 127.0.0.1 "$IMAPS_PORT" rebote "$DOVE/pw" Big | tail -n 2 >"$DOVE/fetch-big"
t "$REBOTE" summary --no-cache --ca-file="$CA" --password-file="$DOVE/pw" "imaps://rebote@127.0.0.1:$IMAPS_PORT/Big" >/dev/null
bigcold=$secs
t "$REBOTE" purge --older-than=600 --dry-run --ca-file="$CA" --password-file="$DOVE/pw" "$URL" >/dev/null
dry=$secs
sync   # nor does the writeback of the runs above overlap the purge
t "$REBOTE" purge --older-than=600 --yes --ca-file="$CA" --password-file="$DOVE/pw" "$URL" >"$DOVE/purge"
purge=$secs
left=$(dovecot_adm search -u rebote mailbox INBOX all | wc -l)
find "$DOVE/again/cur" -type f -exec mv -t "$MAILDIR/new" {} +
"$HELPER" "$URL" s3cret-pw "$CA" fetch-raw >/dev/null   # Dovecot takes them in (UIDs after $N): not measured
sync
t "$HELPER" "$URL" s3cret-pw "$CA" remove-from $((N + 1)) >"$DOVE/rawpurge"
rawpurge=$secs

echo "messages: $N ($((bytes / N)) bytes average, $((bytes / 1048576)) MiB); the server's files in $DOVE ($(stat -f -c %T "$DOVE"))"
echo "runs: $RUNS; medians, range in brackets"
echo "(a) raw UID FETCH:   ${raw} s ($(range "$raws"))   ($(cat "$DOVE/raw"))"
echo "(b) cold open:       ${cold} s ($(range "$colds")) = $(awk "BEGIN{printf \"%.2f\", $cold / $raw}") x (a)   [$(sed -n 2p "$DOVE/cold")]"
echo "    CPU-seconds the whole machine ($(nproc) cores) was busy: (a) $(range "$rawcpu"), (b) $(range "$coldcpu")"
echo "(c) warm reopen:     ${warm} s ($(range "$warms"))   [$(sed -n 2p "$DOVE/warm")]"
echo "(d) purge:           ${purge} s   [$(tail -n 1 "$DOVE/purge"); $left left on the server; the same run with --dry-run: ${dry} s]"
echo "    the same commands alone (tests/imap-helper): ${rawpurge} s   [$(cat "$DOVE/rawpurge")]"
echo "(e) fetch for the analysis, this mailbox:"
sed 's/^/      /' "$DOVE/fetch-inbox"
echo "    mailbox Big: $BIG bounces returning 512 KiB ($((bigbytes / 1048576)) MiB); rebote's cold open of it: ${bigcold} s"
sed 's/^/      /' "$DOVE/fetch-big"
echo "peak RSS of (b):     $((cold_kb / 1024)) MiB = $(awk "BEGIN{printf \"%.0f\", $cold_kb * 1024 / $N}") bytes per bounce"
echo "peak RSS of (c):     $((warm_kb / 1024)) MiB = $(awk "BEGIN{printf \"%.0f\", $warm_kb * 1024 / $N}") bytes per bounce (every record loaded, no fetch)"
