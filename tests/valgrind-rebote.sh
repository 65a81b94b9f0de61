#!/bin/sh
# Runs the real rebote ($REBOTE_BIN) under valgrind memcheck, for
# `make check-valgrind`: the tests set REBOTE to this script. The exit status
# is rebote's own (the tests check it); valgrind's findings go to one log per
# process in $VALGRIND_LOGDIR, which check-valgrind reads when the tests end.
: "${REBOTE_BIN:?REBOTE_BIN unset}" "${VALGRIND_LOGDIR:?VALGRIND_LOGDIR unset}"
here=$(cd "$(dirname "$0")" && pwd)
exec valgrind --quiet --tool=memcheck --leak-check=full \
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
    --track-origins=yes --num-callers=30 \
    --suppressions="$here/valgrind.supp" \
    --log-file="$VALGRIND_LOGDIR/rebote.%p.log" \
    "$REBOTE_BIN" "$@"
