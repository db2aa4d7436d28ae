// Writes the bundled demo of ember: eight CPU profiles taken one second
// apart from a small service whose requests carry region and pod labels.
// Half way, requests from eu-north start compressing their payloads and
// cost more: the change the tag explorer, comparison and diff should show.
//
// Run: go run . ../profiles   (from src/demo/gen)
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
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

// compressPayload is what eu-north starts doing half way.
func compressPayload(r *request) {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	for i := 0; i < 8; i++ {
		w.Write(r.payload)
	}
	w.Close()
	sink += buf.Len()
}

func handle(r *request, compress bool) {
	sink += parseRequest(r)
	authenticate(r)
	if compress {
		compressPayload(r)
	}
	renderResponse(r)
}

func serve(region, pod string, until time.Time, compress bool, wg *sync.WaitGroup) {
	defer wg.Done()
	labels := pprof.Labels("region", region, "pod", pod)
	pprof.Do(context.Background(), labels, func(context.Context) {
		r := &request{region: region, pod: pod, payload: bytes.Repeat([]byte(region+pod), 512)}
		for time.Now().Before(until) {
			handle(r, compress)
		}
	})
}

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	regions := []string{"eu-north", "us-east", "ap-south"}
	for round := 0; round < 8; round++ {
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
	}
}
