// Command embergen writes the Go pprof fixtures used by ember's tests:
// go-cpu.pb.gz, go-heap.pb.gz, go-mutex.pb.gz and go-block.pb.gz into the
// directory given as its only argument (default "..", i.e. tests/data).
//
//	cd tests/data/go && go build -trimpath -o /tmp/embergen . && /tmp/embergen ..
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"embergen/work"
)

var sink int

// square and addmul are small enough to be inlined by the compiler, so the
// CPU profile has Locations with several Lines.
func square(x int) int { return x * x }

func addmul(a, b int) int { return square(a) + b }

// fib is plainly recursive.
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

// isEven / isOdd are mutually recursive.
func isEven(n int) bool {
	if n == 0 {
		return true
	}
	return isOdd(n - 1)
}

func isOdd(n int) bool {
	if n == 0 {
		return false
	}
	return isEven(n - 1)
}

// spin runs the inlined helpers in a hot loop.
func spin(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s = addmul(i&1023, s) & 0xffffff
	}
	return s
}

func busy(deadline time.Time, kind int) int {
	acc := 0
	h := &work.Hasher{}
	for time.Now().Before(deadline) {
		switch kind {
		case 0:
			acc += fib(24)
			acc += spin(200000)
		case 1:
			h.Mix(2000)
			acc += h.Sum()
			if isEven(5001) {
				acc++
			}
		}
		// A closure: shows up as main.busy.func1.
		func() {
			m := work.NewMatrix(24)
			acc += int(m.Mul(m)[1][1])
			acc += work.SortInts(3000, uint32(acc))
		}()
	}
	return acc
}

func cpuProfile(dir string) {
	f, err := os.Create(filepath.Join(dir, "go-cpu.pb.gz"))
	must(err)
	must(pprof.StartCPUProfile(f))
	deadline := time.Now().Add(1500 * time.Millisecond)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, w := range []struct {
		region, worker string
		kind           int
	}{
		{"eu-north", "a", 0},
		{"eu-north", "b", 1},
		{"us-east", "a", 1},
		{"us-east", "b", 0},
	} {
		w := w
		wg.Add(1)
		go func() {
			defer wg.Done()
			labels := pprof.Labels("region", w.region, "worker", w.worker)
			pprof.Do(context.Background(), labels, func(context.Context) {
				r := busy(deadline, w.kind)
				mu.Lock()
				sink += r
				mu.Unlock()
			})
		}()
	}
	wg.Wait()
	pprof.StopCPUProfile()
	must(f.Close())
}

type node struct {
	next *node
	buf  []byte
}

var live []*node
var liveMap = map[int][]byte{}

func allocList(n, size int) *node {
	var head *node
	for i := 0; i < n; i++ {
		head = &node{next: head, buf: make([]byte, size)}
	}
	return head
}

func allocMap(n int) {
	for i := 0; i < n; i++ {
		liveMap[i] = make([]byte, 64+i%128)
	}
}

func allocGarbage(n int) int {
	t := 0
	for i := 0; i < n; i++ {
		b := make([]byte, 1024)
		t += len(b)
	}
	return t
}

func heapProfile(dir string) {
	live = append(live, allocList(300, 256))
	allocMap(200)
	sink += allocGarbage(500)
	func() {
		live = append(live, allocList(50, 4096))
	}()
	runtime.GC()
	runtime.GC()
	writeProfile("heap", filepath.Join(dir, "go-heap.pb.gz"))
}

func contend(mu *sync.Mutex, counter *int, rounds int, hold time.Duration) {
	for i := 0; i < rounds; i++ {
		mu.Lock()
		*counter++
		if hold > 0 {
			time.Sleep(hold)
		}
		mu.Unlock()
	}
}

func mutexAndBlock(dir string) {
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)
	var mu sync.Mutex
	var rw sync.RWMutex
	counter := 0
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			contend(&mu, &counter, 50, 100*time.Microsecond)
		}()
	}
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 30; j++ {
				if i == 0 {
					rw.Lock()
					time.Sleep(200 * time.Microsecond)
					rw.Unlock()
				} else {
					rw.RLock()
					time.Sleep(50 * time.Microsecond)
					rw.RUnlock()
				}
			}
		}(i)
	}
	// Channel blocking for the block profile.
	ch := make(chan int)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			time.Sleep(300 * time.Microsecond)
			ch <- i
		}
		close(ch)
	}()
	for v := range ch {
		sink += v
	}
	wg.Wait()
	writeProfile("mutex", filepath.Join(dir, "go-mutex.pb.gz"))
	writeProfile("block", filepath.Join(dir, "go-block.pb.gz"))
}

func writeProfile(name, path string) {
	f, err := os.Create(path)
	must(err)
	must(pprof.Lookup(name).WriteTo(f, 0))
	must(f.Close())
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "embergen:", err)
		os.Exit(1)
	}
}

func main() {
	runtime.MemProfileRate = 1
	dir := ".."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	cpuProfile(dir)
	heapProfile(dir)
	mutexAndBlock(dir)
	fmt.Println("embergen: wrote profiles to", dir, "sink", sink%10)
}
