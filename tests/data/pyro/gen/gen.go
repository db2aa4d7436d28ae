// Command pyrogen writes the labelled profiles that tests/pyro/server.go
// serves as a Pyroscope server: two services, a series of Go CPU profiles
// each (pprof.Do labels region and pod) and two heap profiles, with one
// label value regressing in the later profiles.
//
//	cd tests/data/pyro/gen && GO111MODULE=off go build -o /tmp/pyrogen . &&
//	    rm -rf ../profiles && b=$(( $(date +%s) / 60 * 60 - 2400 )) &&
//	    /tmp/pyrogen -service checkout -start $b && /tmp/pyrogen -service cart -start $((b + 30))
//
// One run per service: a heap profile holds every allocation of its
// process since it started, so two services are two processes.
//
// The story (issue 11's "done when"): service checkout, region=eu-north,
// from cpu-05 on, spends several times longer in main.slowPath
// (-regress-from, -regress-factor); region=us-east and service cart stay
// as they were.
//
// Every profile is a real one, written by the Go runtime. Only its
// time_nanos is rewritten (see setTime): profile i of a service is dated
// -spacing after profile i-1 (5 min by default), so the series spans about
// 35 minutes, as a server's hour would hold, while the program runs for a
// profile's -seconds each (about 40 s in all). Remaking them changes their
// contents (CPU timing): rerun tests/pyro_server.sh, and update the numbers
// the tests quote from them.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	out           = flag.String("out", "../profiles", "folder to write SERVICE/*.pb.gz into")
	service       = flag.String("service", "checkout", "checkout or cart: whose workload to run")
	start         = flag.Int64("start", 0, "the first profile's time, Unix seconds (0: now)")
	count         = flag.Int("profiles", 8, "CPU profiles per service")
	seconds       = flag.Duration("seconds", 2*time.Second, "length of each CPU profile")
	spacing       = flag.Duration("spacing", 5*time.Minute, "time between two profiles' time_nanos")
	regressFrom   = flag.Int("regress-from", 5, "first profile (1-based) where checkout/eu-north regresses")
	regressFactor = flag.Int("regress-factor", 10, "how many times longer main.slowPath runs then")
	rate          = flag.Int("rate", 25, "requests per second per goroutine")
)

var sink [32]byte
var sinkMu sync.Mutex

// hashRounds is the unit of work: n rounds of SHA-256 over a small block.
//
//go:noinline
func hashRounds(n int) [32]byte {
	var buf [256]byte
	var h [32]byte
	for i := 0; i < n; i++ {
		copy(buf[:], h[:])
		buf[40] = byte(i)
		h = sha256.Sum256(buf[:])
	}
	return h
}

// The checkout service's request: a validation, a tax computation, a card
// charge, and main.slowPath, the function that regresses.

//go:noinline
func validateCart(n int) [32]byte { return hashRounds(n) }

//go:noinline
func computeTax(n int) [32]byte { return hashRounds(n) }

//go:noinline
func chargeCard(n int) [32]byte { return hashRounds(n) }

//go:noinline
func slowPath(n int) [32]byte { return hashRounds(n) }

// receipt allocates: the heap profiles' main.receipt.
//
//go:noinline
func receipt(n int) []byte { return make([]byte, 512+n%512) }

var kept [][]byte

//go:noinline
func handleCheckout(slow int) {
	validateCart(1200)
	computeTax(800)
	chargeCard(1600)
	slowPath(slow)
	r := receipt(slow)
	if len(kept) < 4096 {
		kept = append(kept, r)
	}
}

// The cart service's request.

//go:noinline
func addItem(n int) [32]byte { return hashRounds(n) }

//go:noinline
func listItems(n int) [32]byte { return hashRounds(n) }

//go:noinline
func encodeJSON(n int) []byte {
	hashRounds(n)
	return make([]byte, 256)
}

//go:noinline
func handleCart(pod string) {
	addItem(1000)
	listItems(1400)
	if pod == "b" {
		listItems(600) // pod b lists more: a steady difference, not a regression
	}
	sinkMu.Lock()
	sink[0] += encodeJSON(600)[0]
	sinkMu.Unlock()
}

// serve runs requests at -rate per second until the deadline, sleeping the
// rest of each tick: a regression costs more CPU, as it would in production.
func serve(deadline time.Time, request func()) {
	tick := time.Second / time.Duration(*rate)
	next := time.Now()
	for time.Now().Before(deadline) {
		request()
		next = next.Add(tick)
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		} else {
			next = time.Now()
		}
	}
}

type worker struct{ region, pod string }

var workers = []worker{{"eu-north", "a"}, {"eu-north", "b"}, {"us-east", "a"}, {"us-east", "b"}}

func workload(service string, step int, deadline time.Time) {
	var wg sync.WaitGroup
	for _, w := range workers {
		w := w
		wg.Add(1)
		go func() {
			defer wg.Done()
			labels := pprof.Labels("region", w.region, "pod", w.pod)
			pprof.Do(context.Background(), labels, func(context.Context) {
				switch service {
				case "checkout":
					slow := 400
					if w.region == "eu-north" && step >= *regressFrom {
						slow *= *regressFactor
					}
					serve(deadline, func() { handleCheckout(slow) })
				case "cart":
					serve(deadline, func() { handleCart(w.pod) })
				}
			})
		}()
	}
	wg.Wait()
}

func cpuProfile(service string, step int, when time.Time) {
	var buf bytes.Buffer
	must(pprof.StartCPUProfile(&buf))
	workload(service, step, time.Now().Add(*seconds))
	pprof.StopCPUProfile()
	write(service, fmt.Sprintf("cpu-%02d.pb.gz", step), buf.Bytes(), when)
}

func heapProfile(service string, step int, when time.Time) {
	runtime.GC()
	var buf bytes.Buffer
	must(pprof.Lookup("heap").WriteTo(&buf, 0))
	write(service, fmt.Sprintf("heap-%02d.pb.gz", step), buf.Bytes(), when)
}

func write(service, name string, gz []byte, when time.Time) {
	data, err := setTime(gz, when)
	must(err)
	dir := filepath.Join(*out, service)
	must(os.MkdirAll(dir, 0o755))
	must(os.WriteFile(filepath.Join(dir, name), data, 0o644))
}

// setTime rewrites a gzipped profile's time_nanos (field 9, a varint of
// the top-level message) and gzips it again.
func setTime(gz []byte, when time.Time) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	at, end, err := findTime(raw)
	if err != nil {
		return nil, err
	}
	field := binary.AppendUvarint([]byte{9 << 3}, uint64(when.UnixNano()))
	raw = append(append(append([]byte{}, raw[:at]...), field...), raw[end:]...)
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return zb.Bytes(), nil
}

// findTime walks the message's top-level fields to time_nanos: where its
// tag starts and where its value ends.
func findTime(b []byte) (int, int, error) {
	for i := 0; i < len(b); {
		tag, n := binary.Uvarint(b[i:])
		if n <= 0 {
			return 0, 0, errors.New("bad tag")
		}
		j := i + n
		switch tag & 7 {
		case 0:
			_, m := binary.Uvarint(b[j:])
			if m <= 0 {
				return 0, 0, errors.New("bad varint")
			}
			if tag>>3 == 9 {
				return i, j + m, nil
			}
			j += m
		case 1:
			j += 8
		case 2:
			l, m := binary.Uvarint(b[j:])
			if m <= 0 || l > uint64(len(b)) {
				return 0, 0, errors.New("bad length")
			}
			j += m + int(l)
		case 5:
			j += 4
		default:
			return 0, 0, fmt.Errorf("wire type %d", tag&7)
		}
		i = j
	}
	return 0, 0, errors.New("the profile has no time_nanos")
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "pyrogen:", err)
		os.Exit(1)
	}
}

func main() {
	flag.Parse()
	if *service != "checkout" && *service != "cart" {
		must(fmt.Errorf("-service %q: checkout or cart", *service))
	}
	runtime.MemProfileRate = 64 * 1024
	first := time.Now()
	if *start != 0 {
		first = time.Unix(*start, 0)
	}
	for step := 1; step <= *count; step++ {
		when := first.Add(time.Duration(step-1) * *spacing)
		cpuProfile(*service, step, when)
		if step == *count/2 || step == *count {
			heapProfile(*service, step, when.Add(*seconds))
		}
	}
}
