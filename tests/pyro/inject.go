package main

// Failures on demand: -fail, -delay, -hang, -garbage, -truncate, each
// M[@N[-K]][=ARG], M a method name or *, from the method's N-th call on
// (to its K-th).

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type rule struct {
	method string // "*": every method
	from   int    // first call it applies to (1-based)
	to     int    // last one (0: every one from from on)
	status int    // -fail
	msg    string // -fail's message
	delay  time.Duration
}

func (r *rule) applies(method string, call int) bool {
	return (r.method == "*" || r.method == method) && call >= r.from && (r.to == 0 || call <= r.to)
}

type injections struct {
	fail, delay, hang, garbage, truncate []rule
}

// parseTarget reads M[@N[-K]].
func parseTarget(s string) (rule, error) {
	r := rule{from: 1}
	name, at, found := strings.Cut(s, "@")
	if found {
		from, to, isRange := strings.Cut(at, "-")
		n, err := strconv.Atoi(from)
		if err != nil || n < 1 {
			return r, fmt.Errorf("%q: @N must be a call number from 1", s)
		}
		r.from = n
		if isRange {
			if r.to, err = strconv.Atoi(to); err != nil || r.to < n {
				return r, fmt.Errorf("%q: @N-K wants K >= N", s)
			}
		}
	}
	if name != "*" {
		known := false
		for _, m := range methodNames {
			known = known || m == name
		}
		if !known {
			return r, fmt.Errorf("%q: no method %q (one of %s, or *)", s, name, strings.Join(methodNames, ", "))
		}
	}
	r.method = name
	return r, nil
}

func parseInjections(fails, delays, hangs, garbage, truncates []string) (*injections, error) {
	in := &injections{}
	for _, f := range fails {
		target, arg, ok := strings.Cut(f, "=")
		r, err := parseTarget(target)
		if err != nil || !ok {
			return nil, fmt.Errorf("-fail %q: want M[@N]=STATUS[:MSG] (%v)", f, err)
		}
		code, msg, _ := strings.Cut(arg, ":")
		if r.status, err = strconv.Atoi(code); err != nil || r.status < 400 || r.status > 599 {
			return nil, fmt.Errorf("-fail %q: STATUS must be an HTTP error status (400-599)", f)
		}
		r.msg = msg
		if r.msg == "" {
			r.msg = http.StatusText(r.status)
		}
		in.fail = append(in.fail, r)
	}
	for _, d := range delays {
		target, arg, ok := strings.Cut(d, "=")
		r, err := parseTarget(target)
		if err == nil && ok {
			r.delay, err = time.ParseDuration(arg)
		}
		if err != nil || !ok {
			return nil, fmt.Errorf("-delay %q: want M[@N]=DURATION (%v)", d, err)
		}
		in.delay = append(in.delay, r)
	}
	for _, l := range []struct {
		flag string
		args []string
		dst  *[]rule
	}{{"hang", hangs, &in.hang}, {"garbage", garbage, &in.garbage}, {"truncate", truncates, &in.truncate}} {
		for _, a := range l.args {
			r, err := parseTarget(a)
			if err != nil {
				return nil, fmt.Errorf("-%s %v", l.flag, err)
			}
			*l.dst = append(*l.dst, r)
		}
	}
	return in, nil
}

func first(rules []rule, method string, call int) *rule {
	for i := range rules {
		if rules[i].applies(method, call) {
			return &rules[i]
		}
	}
	return nil
}

// codeOf maps an HTTP status to the Connect code a server would send.
func codeOf(status int) string {
	switch status {
	case 400:
		return "invalid_argument"
	case 401:
		return "unauthenticated"
	case 403:
		return "permission_denied"
	case 404:
		return "not_found"
	case 408, 504:
		return "deadline_exceeded"
	case 409:
		return "aborted"
	case 412:
		return "failed_precondition"
	case 429:
		return "resource_exhausted"
	case 499:
		return "canceled"
	case 500:
		return "internal"
	case 501:
		return "unimplemented"
	case 502, 503:
		return "unavailable"
	}
	return "unknown"
}

// statusOf maps a Connect code to its HTTP status (Connect's protocol).
func statusOf(code string) int {
	switch code {
	case "canceled":
		return 499
	case "invalid_argument", "failed_precondition", "out_of_range":
		return 400
	case "deadline_exceeded":
		return 504
	case "not_found":
		return 404
	case "already_exists", "aborted":
		return 409
	case "permission_denied":
		return 403
	case "resource_exhausted":
		return 429
	case "unimplemented":
		return 501
	case "unavailable":
		return 503
	case "unauthenticated":
		return 401
	}
	return 500
}
