# Minimal TAP helpers for the shell tests (sourced).
tap_n=0
tap_failed=0
tap_ok() {   # tap_ok DESCRIPTION COMMAND...
    desc=$1; shift
    tap_n=$((tap_n + 1))
    if "$@" >/dev/null 2>&1; then
        echo "ok $tap_n - $desc"
    else
        echo "not ok $tap_n - $desc"
        tap_failed=$((tap_failed + 1))
    fi
}
tap_exit() {  # tap_exit CODE COMMAND...: succeeds when COMMAND exits with CODE
    want=$1; shift
    "$@" >/dev/null 2>&1
    [ "$?" -eq "$want" ]
}
tap_end() {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
}
tap_skip() {  # tap_skip DESCRIPTION REASON: a check that means nothing in this run
    tap_n=$((tap_n + 1))
    echo "ok $tap_n - $1 # SKIP $2"
}
