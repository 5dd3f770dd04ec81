#!/bin/sh
# Restart the kiosk when its heartbeat file is older than MAX_AGE seconds (default 30).
# The kiosk rewrites the file every 5 s from its drawing loop, so a frozen picture stops it.
# Usage: watchdog.sh [HEARTBEAT_FILE]   (default: the kiosk's default heartbeat file)
# Environment: MAX_AGE (seconds), UNIT (default thereturn.service).
set -u
beat="${1:-${XDG_STATE_HOME:-$HOME/.local/state}/thereturn-viz/kiosk.heartbeat}"
max_age="${MAX_AGE:-30}"
unit="${UNIT:-thereturn.service}"

if [ ! -f "$beat" ]; then
    # not written yet (starting) or the kiosk never ran: only a running unit can be stale
    echo "watchdog: no heartbeat at $beat yet"
    exit 0
fi
age=$(( $(date +%s) - $(stat -c %Y "$beat") ))
if [ "$age" -gt "$max_age" ]; then
    echo "watchdog: heartbeat is ${age} s old (more than ${max_age} s): restarting $unit"
    systemctl --user restart "$unit"
    exit $?
fi
echo "watchdog: heartbeat ${age} s old: fine"
