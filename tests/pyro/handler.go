package main

// One request: route, auth, tenant, body, the method, the answer, with
// the failures asked for on the command line.

import (
	"bytes"
	"compress/gzip"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const servicePath = "/querier.v1.QuerierService/"

type exchange struct {
	w      http.ResponseWriter
	r      *http.Request
	entry  *logEntry
	method string
	isJSON bool
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	last := s.counted()
	if last {
		defer s.exitSoon()
	}
	x := &exchange{w: w, r: r, entry: newEntry(r)}
	defer func() {
		if x.entry != nil {
			x.entry.finish()
			s.log.write(x.entry)
		}
	}()
	s.serve(x)
}

func (s *server) serve(x *exchange) {
	authErr := s.authorize(x) // judged first, so that every line logs it
	rest := strings.TrimPrefix(x.r.URL.Path, s.prefix+servicePath)
	if rest == x.r.URL.Path || !known(rest) {
		x.entry.Status = 404
		http.NotFound(x.w, x.r)
		return
	}
	x.method = rest
	x.entry.Method = rest
	x.entry.Call = s.call(rest)
	if x.r.Method != http.MethodPost {
		x.entry.Status = 405
		x.w.Header().Set("Allow", "POST")
		http.Error(x.w, "405 method not allowed", 405)
		return
	}
	if authErr != nil {
		x.fail(authErr)
		return
	}
	st, e := s.tenantStore(x)
	if e != nil {
		x.fail(e)
		return
	}
	req, e := x.readRequest()
	if e != nil {
		x.fail(e)
		return
	}
	x.entry.Request = req
	if s.injected(x) {
		return
	}
	a, e := s.run(x, &query{m: req, st: st, limits: s.limits})
	if e != nil {
		x.fail(e)
		return
	}
	s.answer(x, a)
}

func known(method string) bool {
	for _, m := range methodNames {
		if m == method {
			return true
		}
	}
	return false
}

func (s *server) run(x *exchange, q *query) (*answer, *cerr) {
	switch x.method {
	case "ProfileTypes":
		return profileTypes(q)
	case "LabelNames":
		return labelNames(q, strings.Contains(x.r.Header.Get("Accept"), "allow-utf8-labelnames=true"))
	case "LabelValues":
		return labelValues(q)
	case "Series":
		return series(q)
	case "SelectMergeProfile":
		return selectMergeProfile(q)
	case "SelectMergeStacktraces":
		return selectMergeStacktraces(q)
	}
	return selectSeries(q)
}

// fail writes a Connect error: JSON, whatever the request's form.
func (x *exchange) fail(e *cerr) {
	status := statusOf(e.code)
	if e.status != 0 {
		status = e.status
	}
	if status == 401 {
		x.w.Header().Set("WWW-Authenticate", `Basic realm="pyroscope"`)
	}
	x.failStatus(status, e.code, e.msg)
}

// authorize checks basic or bearer credentials when the server wants them.
func (s *server) authorize(x *exchange) *cerr {
	h := x.r.Header.Get("Authorization")
	kind, cred, _ := strings.Cut(h, " ")
	valid := false
	switch {
	case h == "":
		x.entry.Auth = "none"
	case strings.EqualFold(kind, "Basic"):
		x.entry.Auth = "basic"
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
		u, p, ok := strings.Cut(string(raw), ":")
		if err == nil && ok {
			x.entry.User = u
			valid = s.user != "" && same(u, s.user) && same(p, s.password)
		}
	case strings.EqualFold(kind, "Bearer"):
		x.entry.Auth = "bearer"
		valid = s.token != "" && same(strings.TrimSpace(cred), s.token)
	default:
		x.entry.Auth = "other"
	}
	needed := s.user != "" || s.token != ""
	x.entry.AuthValid = valid || !needed
	if !needed || valid {
		return nil
	}
	if h == "" {
		return &cerr{code: "unauthenticated", msg: "authentication required"}
	}
	if s.echoAuth {
		return &cerr{code: "unauthenticated", msg: s.echoed(h, kind, cred)}
	}
	return &cerr{code: "unauthenticated", msg: "invalid credentials"}
}

// echoed: -echo-auth's message, the credentials as received (as a careless
// proxy might say them), after -echo-pad bytes, so that a client's cut of
// a long message falls inside them.
func (s *server) echoed(h, kind, cred string) string {
	var b strings.Builder
	b.WriteString(strings.Repeat("x", s.echoPad))
	b.WriteString(" invalid credentials: got Authorization: " + h)
	if strings.EqualFold(kind, "Basic") {
		raw, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
		if u, p, ok := strings.Cut(string(raw), ":"); ok {
			b.WriteString(" (user " + u + ", password " + p + "; " + p + "-ish)")
		}
	} else {
		b.WriteString(" (token " + strings.TrimSpace(cred) + ".)")
	}
	return b.String()
}

func same(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func (s *server) tenantStore(x *exchange) (*store, *cerr) {
	id := x.r.Header.Get("X-Scope-OrgID")
	if s.tenants == nil {
		return s.data, nil
	}
	if id == "" {
		return nil, &cerr{code: "unauthenticated", msg: "no org id"}
	}
	st := s.tenants[id]
	if st == nil {
		return nil, &cerr{code: "permission_denied", msg: fmt.Sprintf("tenant %q is not allowed", id)}
	}
	return st, nil
}

const maxBody = 16 << 20

// readRequest reads and decodes the body by its Content-Type.
func (x *exchange) readRequest() (map[string]interface{}, *cerr) {
	ct := strings.TrimSpace(strings.SplitN(x.r.Header.Get("Content-Type"), ";", 2)[0])
	switch ct {
	case "application/proto", "application/protobuf", "application/x-protobuf":
	case "application/json":
		x.isJSON = true
	default:
		x.w.Header().Set("Accept-Post", "application/json, application/proto")
		return nil, &cerr{code: "unknown", status: 415, msg: fmt.Sprintf("invalid content-type: %q; expecting "+
			"\"application/json\" or \"application/proto\"", x.r.Header.Get("Content-Type"))}
	}
	var body io.Reader = io.LimitReader(x.r.Body, maxBody+1)
	switch enc := x.r.Header.Get("Content-Encoding"); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, invalid("decompress request: %v", err)
		}
		body = io.LimitReader(zr, maxBody+1)
	default:
		return nil, &cerr{code: "unimplemented", msg: fmt.Sprintf("unknown compression %q: supported encodings are gzip", enc)}
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, invalid("read request: %v", err)
	}
	if len(b) > maxBody {
		return nil, &cerr{code: "resource_exhausted", msg: fmt.Sprintf("message size is larger than the limit %d", maxBody)}
	}
	var m map[string]interface{}
	if x.isJSON {
		m, err = decodeJSON(x.method, b)
	} else {
		m, err = decodeProto(x.method, b)
	}
	if err != nil {
		return nil, invalid("%v", err)
	}
	return m, nil
}

// injected plays the failures the command line asked for this call;
// true when it answered (or will never answer).
func (s *server) injected(x *exchange) bool {
	call := x.entry.Call
	if d := first(s.inject.delay, x.method, call); d != nil {
		x.entry.Inject = append(x.entry.Inject, "delay")
		select {
		case <-time.After(d.delay):
		case <-x.r.Context().Done():
			x.entry.Status = 499
			return true
		}
	}
	if first(s.inject.hang, x.method, call) != nil {
		x.entry.Inject = append(x.entry.Inject, "hang")
		x.entry.Status = 0
		s.log.write(x.entry) // now: the line of a hang cannot wait for its end
		x.entry = nil
		<-x.r.Context().Done()
		return true
	}
	if f := first(s.inject.fail, x.method, call); f != nil {
		x.entry.Inject = append(x.entry.Inject, "fail")
		code := codeOf(f.status)
		x.failStatus(f.status, code, f.msg)
		return true
	}
	return false
}

// failStatus: a Connect error with any status (-fail's are the command
// line's).
func (x *exchange) failStatus(status int, code, msg string) {
	body, _ := json.Marshal(map[string]interface{}{"code": code, "message": msg, "details": []string{}})
	x.entry.Status = status
	x.entry.Bytes = len(body)
	x.w.Header().Set("Content-Type", "application/json")
	x.w.WriteHeader(status)
	x.w.Write(body)
}

func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) != "gzip" && strings.TrimSpace(name) != "*" {
			continue
		}
		q := strings.TrimSpace(params)
		if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			return false
		}
		return true
	}
	return false
}

func (s *server) answer(x *exchange, a *answer) {
	body := a.pb
	ct := "application/proto"
	if x.isJSON {
		ct = "application/json"
		body, _ = json.Marshal(a.json)
	}
	h := x.w.Header()
	h.Set("Content-Type", ct)
	if g := first(s.inject.garbage, x.method, x.entry.Call); g != nil {
		x.entry.Inject = append(x.entry.Inject, "garbage")
		body = garbageBytes()
	} else if acceptsGzip(x.r.Header.Get("Accept-Encoding")) {
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		zw.Write(body)
		zw.Close()
		body = zb.Bytes()
		h.Set("Content-Encoding", "gzip")
	}
	x.entry.Status = 200
	x.entry.Bytes = len(body)
	if first(s.inject.truncate, x.method, x.entry.Call) != nil {
		x.entry.Inject = append(x.entry.Inject, "truncate")
		x.truncated(body)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	x.w.WriteHeader(200)
	x.w.Write(body)
}

// garbageBytes: 4096 bytes that are neither protobuf (the first byte is
// the tag of field 0, which protobuf forbids), gzip nor JSON.
func garbageBytes() []byte {
	g := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(g)
	g[0] = 0x07
	return g
}

// truncated promises the whole body and sends half, then closes.
func (x *exchange) truncated(body []byte) {
	conn, buf, err := x.w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n", len(body))
	for _, k := range []string{"Content-Type", "Content-Encoding"} {
		if v := x.w.Header().Get(k); v != "" {
			fmt.Fprintf(buf, "%s: %s\r\n", k, v)
		}
	}
	buf.WriteString("\r\n")
	buf.Write(body[:len(body)/2])
	buf.Flush()
}
