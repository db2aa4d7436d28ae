// Writes the bundled demo of ember: eight CPU profiles of a second each,
// taken 1.5 s apart, from a small service whose requests carry region and pod labels.
// Every region serves the same steady rate of requests. Half way, requests
// from eu-north start compressing their payloads: each costs more CPU, so
// eu-north's CPU per profile grows while the others' stays flat, the change
// the tag explorer, comparison and diff should show.
//
// With a second directory it also writes a heap profile after each CPU
// profile (heap-NN.pb.gz), so that the two folders together are a folder of
// CPU and heap profiles taken in turn (the tests' mixed folder).
//
// Run (from src/demo/gen):
//
//	go run . ../profiles ../../../tests/data/demo-heap
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync"
	"time"
)

var sink int

type request struct {
	region, pod string
	payload     []byte
}

func parseRequest(r *request) int {
	n := 0
	for _, b := range r.payload {
		n += int(b) & 7
	}
	return n
}

func authenticate(r *request) {
	sum := sha256.Sum256(r.payload)
	sink += int(sum[0])
}

func renderResponse(r *request) {
	keys := make([]int, 2000)
	for i := range keys {
		keys[i] = (i * 7919) % 2003
	}
	sort.Ints(keys)
	sink += keys[0]
}

// compressPayload is what eu-north starts doing half way. One writer per
// goroutine, reset for each request: a new one per request would allocate
// a megabyte each time and move the cost into the (unlabelled) collector.
func compressPayload(r *request, w *gzip.Writer, buf *bytes.Buffer) {
	buf.Reset()
	w.Reset(buf)
	for i := 0; i < compressRounds; i++ {
		w.Write(r.payload)
	}
	w.Close()
	sink += buf.Len()
}

// How often a request arrives, per region, and the work one takes.
const (
	tick           = 5 * time.Millisecond
	renderRounds   = 7
	compressRounds = 25
)

func serve(region, pod string, until time.Time, compress bool, wg *sync.WaitGroup) {
	defer wg.Done()
	labels := pprof.Labels("region", region, "pod", pod)
	pprof.Do(context.Background(), labels, func(context.Context) {
		r := &request{region: region, pod: pod, payload: bytes.Repeat([]byte(region+pod), 512)}
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		// a steady rate of requests: the CPU a region uses is what its
		// requests cost, not however long the loop may spin
		for next := time.Now(); time.Now().Before(until); next = next.Add(tick) {
			sink += parseRequest(r)
			authenticate(r)
			if compress {
				compressPayload(r, w, &buf)
			}
			for i := 0; i < renderRounds; i++ {
				renderResponse(r)
			}
			time.Sleep(time.Until(next.Add(tick)))
		}
	})
}

func writeHeap(dir string, round int) {
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("heap-%02d.pb.gz", round)))
	if err != nil {
		panic(err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		panic(err)
	}
	f.Close()
}

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	heapDir := ""
	if len(os.Args) > 2 {
		heapDir = os.Args[2]
		runtime.MemProfileRate = 64 * 1024
	}
	regions := []string{"eu-north", "us-east", "ap-south"}
	start := time.Now()
	for round := 0; round < 8; round++ {
		// one profile every 1.5 s, so that the eight are evenly spaced
		time.Sleep(time.Until(start.Add(time.Duration(round) * 1500 * time.Millisecond)))
		path := filepath.Join(dir, fmt.Sprintf("cpu-%02d.pb.gz", round))
		f, err := os.Create(path)
		if err != nil {
			panic(err)
		}
		pprof.StartCPUProfile(f)
		until := time.Now().Add(time.Second)
		var wg sync.WaitGroup
		for i, region := range regions {
			wg.Add(1)
			go serve(region, fmt.Sprintf("pod-%d", (round+i)%4), until, region == "eu-north" && round >= 4, &wg)
		}
		wg.Wait()
		pprof.StopCPUProfile()
		f.Close()
		if heapDir != "" {
			writeHeap(heapDir, round)
		}
	}
}
