#!/usr/bin/env bash
# Nightly backorders for cron: import the day's marketplace orders (confirming them), then raise
# purchase orders for every shortfall, one per vendor. Safe to re-run: an imported order is skipped
# and demand that is already backordered is never ordered twice. Never prompts.
#
#   STOCKROOM_DB      the database (required)
#   ORDERS_DIR        folder with marketplace CSV files to import (optional; *.csv, moved to done/)
#   LOG               log file (default: ~/stockroom-nightly.log)
#   MAILTO_ADDR       mailed on any non-zero exit (optional; needs `mail`)
#
# Exit codes (see README): 0 ok, 5 partial (rows rejected / items without vendor: look at the log),
# 75 busy (a clerk held the database past --wait: cron retries tomorrow, or re-run now), others fail.
set -uo pipefail

: "${STOCKROOM_DB:?set STOCKROOM_DB to the database file}"
export STOCKROOM_DB
LOG="${LOG:-$HOME/stockroom-nightly.log}"
STOCKROOM="${STOCKROOM:-stockroom}"
WAIT="${WAIT:-600}"
worst=0

log() { printf '%s %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*" >>"$LOG"; }

run() {
    log "\$ stockroom $*"
    "$STOCKROOM" --no-input --wait "$WAIT" "$@" >>"$LOG" 2>&1
    local rc=$?
    log "exit $rc"
    if [ "$rc" -ne 0 ] && { [ "$worst" -eq 0 ] || [ "$rc" -ne 5 ]; }; then worst=$rc; fi
    return "$rc"
}

if [ -n "${ORDERS_DIR:-}" ] && [ -d "$ORDERS_DIR" ]; then
    mkdir -p "$ORDERS_DIR/done" "$ORDERS_DIR/rejects"
    for f in "$ORDERS_DIR"/*.csv; do
        [ -e "$f" ] || continue
        name=$(basename "$f")
        if run so import "$f" --confirm --skip-invalid --rejects "$ORDERS_DIR/rejects/$name" --format csv; then
            mv "$f" "$ORDERS_DIR/done/$name"
        elif [ $? -eq 5 ]; then
            mv "$f" "$ORDERS_DIR/done/$name"   # the valid orders are in; fix rejects/$name and drop it back
        fi
    done
fi

run backorder bulk --all --format csv

if [ "$worst" -ne 0 ] && [ -n "${MAILTO_ADDR:-}" ] && command -v mail >/dev/null; then
    tail -n 100 "$LOG" | mail -s "stockroom nightly: exit $worst" "$MAILTO_ADDR"
fi
exit "$worst"
