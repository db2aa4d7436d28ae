#!/usr/bin/env bash
# make bench hook: keystroke latency of the UI on the bench profile, drawn
# into a virtual 200x60 screen. Args: EMBER_BIN FILE
exec "$(dirname "$1")/bench-ui" "$2" 200 60
