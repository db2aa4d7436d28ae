// pb2json: an independent converter from a pprof profile to the JSON
// formats ember imports (tests/data/json/), written after Pyroscope's own
// code (pkg/model: the tree at function granularity, children by name, the
// levels delta-encoded; ExportToFlamebearer's units and sampleRate) and
// speedscope's file format. Built with GOPATH=/usr/share/gocode
// GO111MODULE=off (Debian's golang-github-google-pprof-dev).
//
//	pb2json -in go-cpu.pb.gz -type cpu -format flamebearer|connect|speedscope
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"

	"github.com/google/pprof/profile"
)

type node struct {
	name        string
	file        string
	line        int64
	self, total int64
	kids        map[string]*node
}

func (n *node) child(name string) *node {
	if n.kids == nil {
		n.kids = map[string]*node{}
	}
	c := n.kids[name]
	if c == nil {
		c = &node{name: name}
		n.kids[name] = c
	}
	return c
}

func (n *node) sorted() []*node {
	var out []*node
	for _, c := range n.kids {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// stack returns the function frames of s, root first (a location's lines
// run leaf first: inlined frames before their caller).
func stack(s *profile.Sample) []*profile.Line {
	var out []*profile.Line
	for i := len(s.Location) - 1; i >= 0; i-- {
		l := s.Location[i]
		for j := len(l.Line) - 1; j >= 0; j-- {
			out = append(out, &l.Line[j])
		}
	}
	return out
}

func main() {
	in := flag.String("in", "", "pprof file")
	typ := flag.String("type", "", "sample type")
	format := flag.String("format", "flamebearer", "flamebearer, connect or speedscope")
	flag.Parse()
	f, err := os.Open(*in)
	check(err)
	p, err := profile.Parse(f)
	check(err)
	idx := -1
	for i, st := range p.SampleType {
		if st.Type == *typ {
			idx = i
		}
	}
	if idx < 0 {
		check(fmt.Errorf("no sample type %q", *typ))
	}
	root := &node{name: "total"}
	var ss speedscope
	frameIdx := map[string]int{}
	for _, s := range p.Sample {
		v := s.Value[idx]
		if v == 0 {
			continue
		}
		n := root
		n.total += v
		var ids []int
		for _, l := range stack(s) {
			n = n.child(l.Function.Name)
			n.total += v
			id, ok := frameIdx[l.Function.Name]
			if !ok {
				id = len(ss.Shared.Frames)
				frameIdx[l.Function.Name] = id
				ss.Shared.Frames = append(ss.Shared.Frames, frame{Name: l.Function.Name,
					File: l.Function.Filename, Line: l.Function.StartLine})
			}
			ids = append(ids, id)
		}
		n.self += v
		ss.samples = append(ss.samples, ids)
		ss.weights = append(ss.weights, v)
	}
	st := p.SampleType[idx]
	var out interface{}
	switch *format {
	case "flamebearer":
		out = flamebearer(root, st)
	case "connect":
		names, levels, maxSelf := levels(root)
		var lv []map[string][]string
		for _, l := range levels {
			var vs []string
			for _, v := range l {
				vs = append(vs, strconv.FormatInt(v, 10))
			}
			lv = append(lv, map[string][]string{"values": vs})
		}
		out = map[string]interface{}{"flamegraph": map[string]interface{}{"names": names,
			"levels": lv, "total": strconv.FormatInt(root.total, 10),
			"maxSelf": strconv.FormatInt(maxSelf, 10)}}
	case "speedscope":
		unit := map[string]string{"nanoseconds": "nanoseconds", "bytes": "bytes"}[st.Unit]
		if unit == "" {
			unit = "none"
		}
		out = map[string]interface{}{
			"$schema":  "https://www.speedscope.app/file-format-schema.json",
			"shared":   ss.Shared,
			"exporter": "pb2json",
			"name":     *in,
			"profiles": []interface{}{map[string]interface{}{"type": "sampled",
				"name": st.Type, "unit": unit, "startValue": 0, "endValue": root.total,
				"samples": ss.samples, "weights": ss.weights}},
		}
	}
	check(json.NewEncoder(os.Stdout).Encode(out))
}

type frame struct {
	Name string `json:"name"`
	File string `json:"file,omitempty"`
	Line int64  `json:"line,omitempty"`
}

type speedscope struct {
	Shared struct {
		Frames []frame `json:"frames"`
	} `json:"shared"`
	samples [][]int
	weights []int64
}

// levels walks the tree depth first, children by name, as Pyroscope's
// tree.go does: each node [x, total, self, name] on its depth's level,
// then every x made a delta from the previous node's end.
func levels(root *node) ([]string, [][]int64, int64) {
	var names []string
	nameIdx := map[string]int64{}
	var lv [][]int64
	var maxSelf int64
	var walk func(n *node, depth int, x int64)
	walk = func(n *node, depth int, x int64) {
		for len(lv) <= depth {
			lv = append(lv, nil)
		}
		id, ok := nameIdx[n.name]
		if !ok {
			id = int64(len(names))
			nameIdx[n.name] = id
			names = append(names, n.name)
		}
		lv[depth] = append(lv[depth], x, n.total, n.self, id)
		if n.self > maxSelf {
			maxSelf = n.self
		}
		for _, c := range n.sorted() {
			walk(c, depth+1, x)
			x += c.total
		}
	}
	walk(root, 0, 0)
	for _, l := range lv {
		prev := int64(0)
		for i := 0; i < len(l); i += 4 {
			l[i] -= prev
			prev += l[i] + l[i+1]
		}
	}
	return names, lv, maxSelf
}

// flamebearer is ExportToFlamebearer's shape: units from the sample type.
func flamebearer(root *node, st *profile.ValueType) interface{} {
	names, lv, maxSelf := levels(root)
	units, rate := st.Unit, 100
	switch st.Type {
	case "inuse_objects", "alloc_objects", "goroutine", "samples":
		units = "objects"
	case "cpu":
		units, rate = "samples", 1000000000
	}
	return map[string]interface{}{
		"version": 1,
		"flamebearer": map[string]interface{}{"names": names, "levels": lv,
			"numTicks": root.total, "maxSelf": maxSelf},
		"metadata": map[string]interface{}{"format": "single", "units": units,
			"sampleRate": rate, "name": st.Type, "spyName": ""},
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "pb2json:", err)
		os.Exit(1)
	}
}
