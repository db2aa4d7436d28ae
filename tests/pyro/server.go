// The tests' stand-in for a Grafana Pyroscope server (issue 11): a folder
// of labelled pprof files served through Pyroscope's query API, in binary
// protobuf and JSON, with tenants, basic and bearer auth, a path prefix
// and failures on demand. Only loopback; it exits after -lifetime.
//
// Build (GO111MODULE=off, Debian's golang-github-google-pprof-dev):
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o build/pyro-server ./tests/pyro
//
// It prints two lines on standard output: the port it listens on, then the
// shift in milliseconds it added to every profile's time (0 without
// -shift). tests/pyro/serve.sh starts it for the shell tests.
//
// Flags (each repeatable one may be given several times; never rename one,
// the tests of three helpers use them):
//
//	-addr 127.0.0.1:0         where to listen (port 0: the system picks)
//	-data DIR                 the profiles: DIR/SERVICE/*.pb.gz (default tests/data/pyro/profiles)
//	-prefix PATH              serve under PATH (e.g. /api/datasources/proxy/uid/abc); any other path is 404
//	-tenant T                 require X-Scope-OrgID to be T (repeatable, or a comma list); each tenant
//	                          sees DIR/T if that folder exists, else DIR (whose tenant folders are skipped)
//	-user U -password-file F  require basic auth U and the file's first line (never a password in argv)
//	-token-file F             require "Authorization: Bearer" and the file's first line
//	                          (with -user too: either is accepted)
//	-shift                    move every profile's time so that the newest is 1 minute before the start
//	-max-query-length D       refuse ranges longer than D (default 24h; 0: no limit), Pyroscope's message
//	-max-flamegraph-nodes-default N   max_nodes of a request without one (default 8192)
//	-max-flamegraph-nodes-max N       a larger max_nodes is a 400 (default 1048576; 0: no limit)
//	-max-flamegraph-nodes-on-select-merge-profile
//	                          SelectMergeProfile too is cut to max_nodes or the default, "other"
//	                          standing for what was cut (Pyroscope's tenant override of that name)
//	-fail M[@N]=STATUS[:MSG]  method M answers STATUS (400-599) with a Connect JSON error (MSG or the
//	                          status text; the code is the status's: 503 unavailable, 500 internal, ...)
//	-delay M[@N]=DURATION     method M waits DURATION before its answer
//	-hang M[@N]               method M never answers (until the client goes or the server exits)
//	-garbage M[@N]            method M answers 200 with 4096 bytes that are no protobuf nor JSON
//	-truncate M[@N]           method M promises its whole answer (Content-Length) and sends half
//	-log FILE                 one JSON line per request (below); never a password or a token
//	-lifetime D               exit after D (default 120s)
//	-max-requests N           exit after answering N requests (0: no limit)
//	-echo-auth                a refused request's message echoes its credentials: the Authorization
//	                          header, the user and password (or token) decoded (tests of the scrubbing)
//	-echo-pad N               with -echo-auth: N bytes of 'x' before them (a cut falls inside them)
//
// M is a method name (SelectMergeProfile, ...) or * for all; @N applies the
// failure from the method's N-th call on (1-based; default 1: every call),
// @N-K from its N-th to its K-th call (then it answers again). The first
// rule that applies of each flag counts; -delay comes first, then -hang,
// -fail, and -garbage or -truncate on the answer.
//
// Paths: POST {prefix}/querier.v1.QuerierService/{ProfileTypes, LabelNames,
// LabelValues, Series, SelectMergeProfile, SelectMergeStacktraces,
// SelectSeries}. Content-Type application/proto or application/json (other:
// 415); Content-Encoding gzip on a request is undone; answers are gzipped
// when Accept-Encoding allows it. Errors are Connect's JSON
// {"code":"invalid_argument","message":"..."} with the code's HTTP status,
// for proto requests too; an unknown path is Go's plain "404 page not
// found" (as Pyroscope's own mux answers); a GET is 405.
//
// What Pyroscope does and this server does too (from grafana/pyroscope's
// source, pkg/frontend, pkg/model, pkg/validation):
//   - series labels: service_name (the folder), the samples' pprof labels
//     (string ones), __name__ (process_cpu, memory, ...), __profile_type__,
//     __type__, __unit__, __period_type__, __period_unit__, __delta__,
//     __service_name__; LabelNames lists them all (a client hides __x__);
//     without allow-utf8-labelnames=true in Accept it drops names that are
//     not legacy Prometheus names.
//   - time ranges (ms): the Select methods need start and end ("missing
//     time range in the query", 400); the others filter only when both are
//     set. A profile is in [start, end] by its time_nanos, both ends
//     included.
//   - SelectMergeProfile: the selected samples of one type merged by
//     pprof's Merge, no labels, the full tree unless max_nodes is sent.
//   - SelectMergeStacktraces: the FlameGraph, max_nodes 0 or absent: 8192
//     (the flags above), above 1048576: 400; children below the N-th largest total merge into
//     one "other" per parent. Only format FLAMEGRAPH (or unset): the others
//     are 501 unimplemented here.
//   - SelectSeries: points at start + k*step (step in seconds), a profile in
//     the first point at or after its time, one left out after the last
//     point <= end; SUM or AVERAGE; series labelled by group_by only.
//   - not done: the 7-day lookback clamp (fixtures stay visible at any
//     date), splitting queries, exemplars, Diff and the other methods.
//   - X-Scope-OrgID missing on a -tenant server: 401 unauthenticated
//     "no org id". Choices of this server: a tenant not listed is 403
//     permission_denied; missing or wrong credentials are 401
//     unauthenticated.
//
// The -log line: {"startUs","endUs" (Unix microseconds; no endUs for a
// hang, whose line is written when it starts), "path", "method", "call"
// (the method's N), "contentType", "accept", "acceptEncoding",
// "contentEncoding", "orgID", "auth" (none, basic, bearer, other),
// "authValid", "user" (basic's user name), "request" (the decoded request),
// "status", "inject" (fail, delay, hang, garbage, truncate), "bytes"}.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// listFlag is a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

var methodNames = []string{"ProfileTypes", "LabelNames", "LabelValues", "Series", "SelectMergeProfile",
	"SelectMergeStacktraces", "SelectSeries"}

type server struct {
	prefix   string
	tenants  map[string]*store // nil: single-tenant
	data     *store
	user     string
	password string
	token    string
	limits
	inject    *injections
	log       *requestLog
	maxReqs   int64
	mu        sync.Mutex
	requests  int64
	calls     map[string]int
	exitTimer *time.Timer
	echoAuth  bool // -echo-auth
	echoPad   int  // -echo-pad
}

func fatal(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "pyro-server: "+format+"\n", a...)
	os.Exit(2)
}

// firstLine reads a secret from a file: its first line, no newline.
func firstLine(file string) string {
	b, err := os.ReadFile(file)
	if err != nil {
		fatal("%v", err)
	}
	return strings.SplitN(strings.TrimRight(string(b), "\r\n"), "\n", 2)[0]
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "where to listen")
	data := flag.String("data", "tests/data/pyro/profiles", "DIR/SERVICE/*.pb.gz")
	prefix := flag.String("prefix", "", "serve under this path")
	var tenants, fails, delays, hangs, garbage, truncates listFlag
	flag.Var(&tenants, "tenant", "require X-Scope-OrgID to be one of these (repeatable, comma list)")
	user := flag.String("user", "", "basic auth user")
	passFile := flag.String("password-file", "", "basic auth password: the file's first line")
	tokenFile := flag.String("token-file", "", "bearer token: the file's first line")
	shift := flag.Bool("shift", false, "move the profiles' times: the newest 1 minute before the start")
	maxRange := flag.Duration("max-query-length", 24*time.Hour, "longest range (0: no limit)")
	nodesDefault := flag.Int64("max-flamegraph-nodes-default", 8192, "max_nodes when a request has none")
	nodesMax := flag.Int64("max-flamegraph-nodes-max", 1048576, "largest max_nodes (0: no limit)")
	nodesOnMerge := flag.Bool("max-flamegraph-nodes-on-select-merge-profile", false,
		"SelectMergeProfile cut to max_nodes (or the default) too")
	flag.Var(&fails, "fail", "M[@N]=STATUS[:MSG]")
	flag.Var(&delays, "delay", "M[@N]=DURATION")
	flag.Var(&hangs, "hang", "M[@N]")
	flag.Var(&garbage, "garbage", "M[@N]")
	flag.Var(&truncates, "truncate", "M[@N]")
	logFile := flag.String("log", "", "one JSON line per request")
	lifetime := flag.Duration("lifetime", 120*time.Second, "exit after this long")
	maxReqs := flag.Int64("max-requests", 0, "exit after this many requests (0: no limit)")
	echoAuth := flag.Bool("echo-auth", false, "a refused request's error message echoes its credentials")
	echoPad := flag.Int("echo-pad", 0, "with -echo-auth: this many bytes before them")
	flag.Parse()
	started := time.Now()

	s := &server{prefix: strings.TrimRight(*prefix, "/"), maxReqs: *maxReqs, calls: map[string]int{},
		limits: limits{*maxRange, *nodesDefault, *nodesMax, *nodesOnMerge}}
	if *prefix != "" && !strings.HasPrefix(*prefix, "/") {
		fatal("-prefix %q: must start with /", *prefix)
	}
	if (*user == "") != (*passFile == "") {
		fatal("-user and -password-file go together")
	}
	s.user = *user
	s.echoAuth, s.echoPad = *echoAuth, *echoPad
	if *passFile != "" {
		s.password = firstLine(*passFile)
	}
	if *tokenFile != "" {
		s.token = firstLine(*tokenFile)
	}
	var err error
	if s.inject, err = parseInjections(fails, delays, hangs, garbage, truncates); err != nil {
		fatal("%v", err)
	}
	s.loadData(*data, tenants)
	var shiftMs int64
	if *shift {
		shiftMs = started.Add(-time.Minute).UnixMilli() - s.newest()
		s.shiftAll(shiftMs)
	}
	if *logFile != "" {
		if s.log, err = openLog(*logFile); err != nil {
			fatal("%v", err)
		}
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fatal("%v", err)
	}
	time.AfterFunc(*lifetime, func() { os.Exit(0) })
	fmt.Printf("%d\n%d\n", l.Addr().(*net.TCPAddr).Port, shiftMs)
	os.Stdout.Sync()
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	fatal("%v", srv.Serve(l))
}

func (s *server) loadData(dir string, tenants []string) {
	skip := map[string]bool{}
	var names []string
	for _, t := range tenants {
		for _, name := range strings.Split(t, ",") {
			if name = strings.TrimSpace(name); name != "" {
				names = append(names, name)
				skip[name] = true
			}
		}
	}
	var err error
	if s.data, err = loadStore(dir, skip); err != nil {
		fatal("%v", err)
	}
	if len(tenants) == 0 {
		return
	}
	s.tenants = map[string]*store{}
	for _, name := range names {
		s.tenants[name] = s.data
		own := dir + "/" + name
		if fi, err := os.Stat(own); err == nil && fi.IsDir() {
			if s.tenants[name], err = loadStore(own, nil); err != nil {
				fatal("%v", err)
			}
		}
	}
}

func (s *server) stores() []*store {
	seen := map[*store]bool{s.data: true}
	out := []*store{s.data}
	var names []string
	for n := range s.tenants {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if st := s.tenants[n]; !seen[st] {
			seen[st] = true
			out = append(out, st)
		}
	}
	return out
}

func (s *server) newest() int64 {
	var n int64
	for _, st := range s.stores() {
		if t := st.newest(); t > n {
			n = t
		}
	}
	return n
}

func (s *server) shiftAll(ms int64) {
	for _, st := range s.stores() {
		st.shift(ms)
	}
}

// counted: the request's number, and whether it is the last one served.
func (s *server) counted() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	return s.maxReqs > 0 && s.requests >= s.maxReqs
}

// call: how many times the method has been called, this call included.
func (s *server) call(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[method]++
	return s.calls[method]
}

// exitSoon ends the server once the last answer has had time to leave.
func (s *server) exitSoon() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.exitTimer == nil {
		s.exitTimer = time.AfterFunc(200*time.Millisecond, func() { os.Exit(0) })
	}
}
