# The stand-in Pyroscope server (tests/pyro/server.go) for shell tests, cli
# and tmux alike; source it (bash), from the repository's top or anywhere.
#
#   pyro_build            builds $PYRO_BIN (default build/pyro-server, from
#                         the repository's top); when go or Debian's
#                         golang-github-google-pprof-dev is missing, or the
#                         build fails, prints one "skipped" line and returns 1
#   pyro_serve [FLAGS]    starts one on a loopback port with
#                         -data tests/data/pyro/profiles -lifetime 300s and
#                         FLAGS (server.go's flags: -shift, -tenant T, -user U
#                         -password-file F, -token-file F, -prefix P, -fail
#                         M=STATUS, -delay, -hang, -garbage, -truncate, -log F,
#                         -max-requests N ...); waits for its port, sets
#                         PYRO_URL (http://127.0.0.1:PORT, plus -prefix's path
#                         if given), PYRO_PORT, PYRO_PID and PYRO_SHIFT (ms
#                         added to the profiles' times: 0 without -shift);
#                         returns 1 with the server's stderr if it printed no
#                         port within 10 s
#   pyro_stop_all         stops every server pyro_serve started; the caller
#                         traps it:  trap 'pyro_stop_all' EXIT
#
# Their output files live in $PYRO_TMP (a fresh temporary folder unless
# set; pyro_stop_all removes it only when it made it).
PYRO_ROOT=${PYRO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PYRO_BIN=${PYRO_BIN:-$PYRO_ROOT/build/pyro-server}
PYRO_PIDS=()
PYRO_URL= PYRO_PORT= PYRO_PID= PYRO_SHIFT=

pyro_build() {
    if ! command -v go >/dev/null 2>&1; then
        echo "pyro: skipped: go is missing (make deps installs golang-go)"
        return 1
    fi
    if [ ! -d /usr/share/gocode/src/github.com/google/pprof/profile ]; then
        echo "pyro: skipped: github.com/google/pprof is missing (make deps installs golang-github-google-pprof-dev)"
        return 1
    fi
    mkdir -p "$(dirname "$PYRO_BIN")"
    # built aside, then renamed: tests that build at once, or while one
    # runs the old binary, each see a whole one
    local err tmpname=$BASHPID.$RANDOM
    if ! err=$(cd "$PYRO_ROOT" && GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local \
        GOCACHE=${GOCACHE:-$PYRO_ROOT/build/gocache} go build -o "$PYRO_BIN.$tmpname" ./tests/pyro 2>&1 &&
        mv -f "$PYRO_BIN.$tmpname" "$PYRO_BIN"); then
        rm -f "$PYRO_BIN.$tmpname"
        echo "pyro: skipped: tests/pyro does not build:"
        printf '%s\n' "$err" | sed 's/^/  /'
        return 1
    fi
}

pyro_serve() {
    if [ -z "${PYRO_TMP:-}" ]; then
        PYRO_TMP=$(mktemp -d) && PYRO_OWN_TMP=1
    fi
    local out=$PYRO_TMP/pyro.$$.$RANDOM prefix= a prev=
    for a in "$@"; do
        [ "$prev" = -prefix ] && prefix=$a
        case $a in -prefix=*) prefix=${a#-prefix=} ;; esac
        prev=$a
    done
    : >"$out"   # made before the wait reads it (the background job opens it later)
    "$PYRO_BIN" -data "$PYRO_ROOT/tests/data/pyro/profiles" -lifetime 300s "$@" >"$out" 2>"$out.err" &
    PYRO_PID=$!
    PYRO_PIDS+=("$PYRO_PID")
    for _ in $(seq 100); do
        if [ "$(wc -l <"$out")" -ge 2 ]; then
            PYRO_PORT=$(sed -n 1p "$out") PYRO_SHIFT=$(sed -n 2p "$out")
            PYRO_URL=http://127.0.0.1:$PYRO_PORT${prefix%/}
            return 0
        fi
        kill -0 "$PYRO_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "pyro: the server printed no port:"
    sed 's/^/  /' "$out.err"
    return 1
}

pyro_stop_all() {
    local pid
    for pid in "${PYRO_PIDS[@]}"; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    PYRO_PIDS=()
    if [ -n "${PYRO_OWN_TMP:-}" ]; then
        rm -rf "$PYRO_TMP"
        PYRO_TMP= PYRO_OWN_TMP=
    fi
}
