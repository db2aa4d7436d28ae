// emptyname.go writes empty-name.pb.gz: a CPU profile whose leaf functions
// have an empty name (as some symbolizers leave them) but a file and line,
// in the mapping /usr/bin/app, called from main.main. The export tests of
// tests/granularity.sh round trip it at every granularity.
// Remake (from this directory): GOPATH=/usr/share/gocode GO111MODULE=off go run emptyname.go
package main

import (
	"log"
	"os"

	"github.com/google/pprof/profile"
)

func main() {
	m := &profile.Mapping{ID: 1, Start: 0x400000, Limit: 0x500000, File: "/usr/bin/app",
		HasFunctions: true, HasFilenames: true, HasLineNumbers: true}
	fmain := &profile.Function{ID: 1, Name: "main.main", SystemName: "main.main", Filename: "main.go", StartLine: 10}
	fa := &profile.Function{ID: 2, Filename: "sort/zsortinterface.go", StartLine: 150}
	fb := &profile.Function{ID: 3, Filename: "sort/zsortinterface.go", StartLine: 200}
	loc := func(id, addr uint64, f *profile.Function, line int64) *profile.Location {
		return &profile.Location{ID: id, Mapping: m, Address: addr,
			Line: []profile.Line{{Function: f, Line: line}}}
	}
	lmain := loc(1, 0x401000, fmain, 12)
	la1 := loc(2, 0x402000, fa, 157)
	la2 := loc(3, 0x402010, fa, 160)
	lb := loc(4, 0x403000, fb, 205)
	sample := func(v int64, locs ...*profile.Location) *profile.Sample {
		return &profile.Sample{Location: locs, Value: []int64{v}}
	}
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "cpu", Unit: "nanoseconds"}},
		PeriodType: &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:     10000000,
		Sample: []*profile.Sample{
			sample(30, la1, lmain),
			sample(20, la2, lmain),
			sample(10, lb, lmain),
			sample(5, lmain),
		},
		Mapping:  []*profile.Mapping{m},
		Location: []*profile.Location{lmain, la1, la2, lb},
		Function: []*profile.Function{fmain, fa, fb},
	}
	if err := p.CheckValid(); err != nil {
		log.Fatal(err)
	}
	f, err := os.Create("empty-name.pb.gz")
	if err != nil {
		log.Fatal(err)
	}
	if err := p.Write(f); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
