package main

// -log FILE: one JSON line per request. It names the kind of credentials
// and whether they were valid, never the password or the token.

import (
	"encoding/json"
	"net/http"
	"os"
	"sync"
	"time"
)

type logEntry struct {
	StartUs         int64                  `json:"startUs"`
	EndUs           int64                  `json:"endUs,omitempty"`
	Path            string                 `json:"path"`
	Method          string                 `json:"method,omitempty"`
	Call            int                    `json:"call,omitempty"`
	HTTPMethod      string                 `json:"httpMethod"`
	ContentType     string                 `json:"contentType"`
	Accept          string                 `json:"accept"`
	AcceptEncoding  string                 `json:"acceptEncoding"`
	ContentEncoding string                 `json:"contentEncoding,omitempty"`
	OrgID           string                 `json:"orgID"`
	UserAgent       string                 `json:"userAgent,omitempty"`
	Auth            string                 `json:"auth"`
	AuthValid       bool                   `json:"authValid"`
	User            string                 `json:"user,omitempty"`
	Request         map[string]interface{} `json:"request,omitempty"`
	Status          int                    `json:"status"`
	Inject          []string               `json:"inject,omitempty"`
	Bytes           int                    `json:"bytes"`
}

func newEntry(r *http.Request) *logEntry {
	return &logEntry{
		StartUs:         time.Now().UnixMicro(),
		Path:            r.URL.Path,
		HTTPMethod:      r.Method,
		ContentType:     r.Header.Get("Content-Type"),
		Accept:          r.Header.Get("Accept"),
		AcceptEncoding:  r.Header.Get("Accept-Encoding"),
		ContentEncoding: r.Header.Get("Content-Encoding"),
		OrgID:           r.Header.Get("X-Scope-OrgID"),
		UserAgent:       r.Header.Get("User-Agent"),
		Auth:            "none",
	}
}

func (e *logEntry) finish() { e.EndUs = time.Now().UnixMicro() }

type requestLog struct {
	mu sync.Mutex
	f  *os.File
}

func openLog(file string) (*requestLog, error) {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	return &requestLog{f: f}, nil
}

// write appends the line at once (tests wait on the file).
func (l *requestLog) write(e *logEntry) {
	if l == nil || e == nil {
		return
	}
	b, err := json.Marshal(e)
	if err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.f.Write(append(b, '\n'))
}
