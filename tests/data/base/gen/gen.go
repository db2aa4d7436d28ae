// Command emberbase writes the before/after pairs of one process for
// ember's --base and --diff-base tests (tests/data/README.md): two heap
// profiles (heap-1 after the first allocations, heap-2 after more, so
// that pprof's -base heap-1 heap-2 is the growth) and two CPU profiles
// (cpu-1 with the work split one way, cpu-2 another, so that some
// functions grow and some shrink).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"
)

const chunk = 32 << 10

var live [][]byte
var sink []byte

//go:noinline
func keepLive(n int) {
	for i := 0; i < n; i++ {
		live = append(live, make([]byte, chunk))
	}
}

//go:noinline
func allocGarbage(n int) {
	for i := 0; i < n; i++ {
		sink = make([]byte, chunk)
	}
}

//go:noinline
func growOnly(n int) {
	for i := 0; i < n; i++ {
		live = append(live, make([]byte, 2*chunk))
	}
}

var acc uint64

//go:noinline
func hash(n int) {
	for i := 0; i < n; i++ {
		acc = acc*6364136223846793005 + uint64(i)
	}
}

//go:noinline
func sortish(n int) {
	for i := 0; i < n; i++ {
		acc ^= acc<<13 ^ acc>>7 ^ uint64(i)
	}
}

//go:noinline
func parse(n int) {
	for i := 0; i < n; i++ {
		acc += uint64(i) * 31
	}
}

// spend runs the three workers for d, each getting its share of every
// millisecond's slices.
func spend(d time.Duration, wHash, wSort, wParse int) {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		hash(wHash * 1000)
		sortish(wSort * 1000)
		parse(wParse * 1000)
	}
}

func write(dir, name string, f func(*os.File) error) {
	out, err := os.Create(filepath.Join(dir, name))
	if err == nil {
		err = f(out)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "emberbase:", err)
		os.Exit(1)
	}
}

func heap(dir, name string) {
	runtime.GC()
	runtime.GC()
	write(dir, name, func(f *os.File) error { return pprof.WriteHeapProfile(f) })
}

func cpu(dir, name string, d time.Duration, wHash, wSort, wParse int) {
	write(dir, name, func(f *os.File) error {
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		spend(d, wHash, wSort, wParse)
		pprof.StopCPUProfile()
		return nil
	})
}

func main() {
	dir := flag.String("dir", ".", "where to write the profiles")
	flag.Parse()
	runtime.MemProfileRate = 1
	keepLive(64)
	allocGarbage(64)
	heap(*dir, "heap-1.pb.gz")
	keepLive(32)
	growOnly(16)
	allocGarbage(128)
	heap(*dir, "heap-2.pb.gz")
	cpu(*dir, "cpu-1.pb.gz", time.Second, 3, 1, 1)
	cpu(*dir, "cpu-2.pb.gz", time.Second, 1, 1, 3)
}
