# The shared part of the screen tests (tests/tui*.test), sourced after tap.sh:
# a private tmux server, the screen as text, waiting for words, keys.
# Sets REBOTE (absolute), BUILDDIR, top, tmp (removed on exit), SOCK.
: "${REBOTE:=src/rebote}" "${BUILDDIR:=.}"
top=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v tmux >/dev/null; then
    if [ -n "${CI:-}" ] && [ "$CI" != false ]; then
        echo "1..1"; echo "not ok 1 - tmux missing (CI needs it)"; exit 1
    fi
    echo "1..0 # SKIP tmux not installed"; exit 0
fi
REBOTE=$(cd "$(dirname "$REBOTE")" && pwd)/$(basename "$REBOTE")
tmp=$(mktemp -d) || exit 1
SOCK=rebote-test-$$
tm() { tmux -L "$SOCK" "$@"; }
cleanup() {
    tm kill-server 2>/dev/null
    for p in /proc/[0-9]*; do   # a rebote left behind by a failed check must not keep running
        tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q "rebote.*$tmp" && kill -9 "${p#/proc/}" 2>/dev/null
    done
    [ -n "${DOVE:-}" ] && dovecot_cleanup
    rm -rf "$tmp"
}
trap cleanup EXIT
export XDG_CACHE_HOME=$tmp/cache XDG_CONFIG_HOME=$tmp/config

screen() { tm capture-pane -p -t t; }
wait_for() {   # wait_for TEXT: up to 5 s for TEXT on the screen
    for _ in $(seq 50); do screen | grep -q -- "$1" && return 0; sleep 0.1; done
    return 1
}
wait_loaded() {   # the screen is up and every record arrived
    for _ in $(seq 100); do
        screen >"$tmp/.now"
        grep -q "Groups (" "$tmp/.now" && grep -q "? help" "$tmp/.now" && ! grep -q "loading:" "$tmp/.now" && return 0
        sleep 0.1
    done
    return 1
}
start() {   # start W H ENV... -- ARGS...: the screen in a fresh tmux session
    local w=$1 h=$2; shift 2
    local envs=()
    while [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    tm kill-server 2>/dev/null
    nsock=$((${nsock:-0} + 1)) SOCK=rebote-test-$$-$nsock   # a dying server must not take the new session along
    tm -f /dev/null new-session -d -s t -x "$w" -y "$h" -c "$tmp" \
        env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 "${envs[@]}" "$REBOTE" "$@"
}
keys() { tm send-keys -t t "$@"; sleep 0.3; }
