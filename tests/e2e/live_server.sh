# The Go test server (tests/live/server.go: net/http/pprof on a loopback port
# it prints) for the tmux tests of live endpoints; sourced after lib.sh.
# live_server_build NAME: builds it, or skips the test NAME (passing) when go
# is missing or the server does not build; every server started is stopped
# at the end. serve [FLAGS]: starts one; sets port to the port it printed.
servers=()
stop_servers() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    servers=()
}

live_server_build() {
    if ! command -v go >/dev/null 2>&1; then
        echo "$1: skipped: go is not installed (apt-get install golang-go)"
        finish; exit
    fi
    trap 'stop_servers; tm kill-server 2>/dev/null; rm -rf "$E2E_DIR"' EXIT
    if ! (cd "$ROOT" && go build -o "$E2E_DIR/server" tests/live/server.go) 2>"$E2E_DIR/go.err"; then
        echo "$1: skipped: the test server does not build:"; sed 's/^/  /' "$E2E_DIR/go.err"
        finish; exit
    fi
    live_test=$1
}

serve() {
    local out=$E2E_DIR/server.$RANDOM
    "$E2E_DIR/server" -lifetime 120s "$@" >"$out" 2>"$out.err" &
    servers+=($!)
    port=""
    for _ in $(seq 100); do
        port=$(grep -oE '[0-9]+' "$out" | head -1)
        [ -n "$port" ] && return 0
        sleep 0.1
    done
    echo "$live_test: the test server printed no port:"; cat "$out"
    return 1
}
