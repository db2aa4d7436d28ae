// The tests' Go service: net/http/pprof on a loopback port, a steady
// workload, and stand-ins for every way an endpoint can fail.
//
// Usage: server [flags]; it prints the port it listens on (one line on
// standard output), then serves until -lifetime passes or it is killed.
//
//	-addr 127.0.0.1:0   where to listen (port 0: the system picks one)
//	-lifetime 120s      exit after this long, so a test that dies leaves nothing
//	-burn 1             goroutines burning CPU steadily in main.burn
//	-duty 0.3           the share of a core each of them keeps busy
//	-alloc 4194304      bytes allocated per second in main.allocate (steady)
//	-inuse 1048576      bytes main.retain keeps in use (a ring of 64 KiB blocks)
//	-big 67108864       bytes /big sends (it streams them 64 KiB at a time)
//
// Paths:
//
//	/debug/pprof/...    Go's own net/http/pprof (profile?seconds=N, heap, allocs, ...)
//	/hang               accepts, then never answers (until the client goes)
//	/500                HTTP 500, body "profile\x1b[31m unavailable\nsecond line"
//	/404                HTTP 404, empty body
//	/truncate           promises 100000 bytes of a heap profile, sends 1000, closes
//	/garbage            HTTP 200 with 4096 bytes that are no profile
//	/slow               HTTP 200, one byte every 200 ms, never ends
//	/redirect-loop      302 to itself
//	/redirect           302 to /debug/pprof/heap
//	/big                HTTP 200, -big bytes of zeros, no Content-Length
//	/gzip               the heap profile uncompressed, sent with Content-Encoding: gzip
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime/pprof"
	"time"
)

var sink [32]byte

// burn keeps a steady share of one core busy: busy for duty x 10 ms of
// every 10 ms (the tests' machine is shared).
//
//go:noinline
func burn(duty float64) {
	buf := make([]byte, 4096)
	period := 10 * time.Millisecond
	busy := time.Duration(duty * float64(period))
	for {
		start := time.Now()
		for time.Since(start) < busy {
			sink = sha256.Sum256(buf)
			buf[0]++
		}
		time.Sleep(period - busy)
	}
}

var retained [][]byte

//go:noinline
func retain(n int) {
	for i := 0; i < n/65536; i++ {
		retained = append(retained, make([]byte, 65536))
	}
}

var scratch []byte

//go:noinline
func allocate(perSecond int) {
	const ticks = 100
	for range time.Tick(time.Second / ticks) {
		for i := 0; i < perSecond/ticks/4096; i++ {
			scratch = make([]byte, 4096)
		}
	}
}

// heapProfile: the heap profile as Go writes it (gzip), then unzipped.
func heapProfile() (gz, plain []byte) {
	var b bytes.Buffer
	pprof.Lookup("heap").WriteTo(&b, 0)
	gz = b.Bytes()
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return gz, nil
	}
	plain, _ = io.ReadAll(r)
	return gz, plain
}

func standIns(bigSize int) {
	http.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(60 * time.Second):
		}
	})
	http.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		io.WriteString(w, "profile\x1b[31m unavailable\nsecond line\n")
	})
	http.HandleFunc("/500-big", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		io.WriteString(w, "a big error page\n")
		block := make([]byte, 65536)
		for sent := 0; sent < bigSize; sent += len(block) {
			if _, err := w.Write(block); err != nil {
				return
			}
		}
	})
	http.HandleFunc("/404", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(404)
	})
	http.HandleFunc("/truncate", func(w http.ResponseWriter, r *http.Request) {
		gz, _ := heapProfile()
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"+
			"Content-Length: 100000\r\n\r\n")
		if len(gz) > 1000 {
			gz = gz[:1000]
		}
		buf.Write(gz)
		buf.Flush()
		conn.Close()
	})
	http.HandleFunc("/garbage", func(w http.ResponseWriter, r *http.Request) {
		g := make([]byte, 4096)
		rand.New(rand.NewSource(1)).Read(g)
		g[0] = 0x9c // no gzip, zstd or protobuf field tag
		w.Write(g)
	})
	http.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		for {
			if _, err := w.Write([]byte{0}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(200 * time.Millisecond):
			}
		}
	})
	http.HandleFunc("/redirect-loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/redirect-loop", http.StatusFound)
	})
	http.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/debug/pprof/heap", http.StatusFound)
	})
	http.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		block := make([]byte, 65536)
		for sent := 0; sent < bigSize; sent += len(block) {
			if _, err := w.Write(block); err != nil {
				return
			}
		}
	})
	http.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		_, plain := heapProfile()
		w.Header().Set("Content-Encoding", "gzip")
		z := gzip.NewWriter(w)
		z.Write(plain)
		z.Close()
	})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	lifetime := flag.Duration("lifetime", 120*time.Second, "exit after this long")
	burners := flag.Int("burn", 1, "goroutines burning CPU")
	duty := flag.Float64("duty", 0.3, "the share of a core each burner keeps busy")
	alloc := flag.Int("alloc", 4<<20, "bytes allocated per second")
	inuse := flag.Int("inuse", 1<<20, "bytes kept in use")
	big := flag.Int("big", 64<<20, "bytes /big sends")
	flag.Parse()

	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
	standIns(*big)
	retain(*inuse)
	for i := 0; i < *burners; i++ {
		go burn(*duty)
	}
	go allocate(*alloc)
	time.AfterFunc(*lifetime, func() { os.Exit(0) })
	fmt.Println(l.Addr().(*net.TCPAddr).Port)
	http.Serve(l, logged(http.DefaultServeMux))
}

// logged writes "start NANOS PATH" and "end NANOS PATH" (Unix time) to
// stderr for each request: tests see when requests ran, and that two ran
// at the same time, without timing the client.
func logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(os.Stderr, "start %d %s\n", time.Now().UnixNano(), r.URL.Path)
		h.ServeHTTP(w, r)
		fmt.Fprintf(os.Stderr, "end %d %s\n", time.Now().UnixNano(), r.URL.Path)
	})
}
