// Command embersnap writes a series of Go heap and mutex snapshots of one
// process whose allocation and in-use memory it controls, for ember's
// snapshot tests (tests/data/README.md says how they are made and checked).
//
// Step i (from 1) allocates -garbage MiB that die at once and keeps 1 MiB
// more alive (so in use grows by 1 MiB a step), then, after a GC so that
// the heap profile is up to date, writes heap-NN.pb.gz and mutex-NN.pb.gz
// with NN = -first + i - 1. Every allocation is a 64 KiB []byte and
// runtime.MemProfileRate is 1, so the profile's numbers are exact.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

const chunk = 64 << 10

var live [][]byte

//go:noinline
func keepLive(mib int) {
	for i := 0; i < mib*(1<<20)/chunk; i++ {
		live = append(live, make([]byte, chunk))
	}
}

var sink []byte

//go:noinline
func allocGarbage(mib int) {
	for i := 0; i < mib*(1<<20)/chunk; i++ {
		sink = make([]byte, chunk)
	}
	sink = nil
}

var mu sync.Mutex

//go:noinline
func contend(rounds int) {
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				mu.Lock()
				time.Sleep(50 * time.Microsecond)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

func write(dir, name string) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup(name[:len(name)-9]).WriteTo(f, 0); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}

func main() {
	runtime.MemProfileRate = 1
	runtime.SetMutexProfileFraction(1)
	dir := flag.String("dir", ".", "where to write")
	steps := flag.Int("steps", 4, "snapshots to write")
	first := flag.Int("first", 1, "number of the first snapshot")
	garbage := flag.Int("garbage", 4, "MiB allocated and dropped a step")
	flag.Parse()
	for i := 1; i <= *steps; i++ {
		allocGarbage(*garbage)
		keepLive(1)
		contend(20)
		runtime.GC()
		runtime.GC()
		n := *first + i - 1
		write(*dir, fmt.Sprintf("heap-%02d.pb.gz", n))
		write(*dir, fmt.Sprintf("mutex-%02d.pb.gz", n))
		time.Sleep(20 * time.Millisecond) // distinct times
	}
}
