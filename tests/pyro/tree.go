package main

// Pyroscope's function-name tree and its FlameGraph (pkg/model/tree.go and
// flamegraph.go, rewritten): children sorted by name; max_nodes keeps the
// nodes whose total reaches the N-th largest total, the other children of
// a parent merge into one "other" child.

import (
	"container/heap"
	"sort"

	"github.com/google/pprof/profile"
)

type tnode struct {
	name        string
	self, total int64
	children    []*tnode
}

type tree struct{ root []*tnode }

func newTree() *tree { return &tree{} }

// insert adds v to a root-first stack (Pyroscope's InsertStack: values
// of 0 or less are skipped).
func (t *tree) insert(v int64, stack []string) {
	if v <= 0 {
		return
	}
	r := &tnode{children: t.root}
	n := r
	for _, name := range stack {
		n.total += v
		i := sort.Search(len(n.children), func(i int) bool { return n.children[i].name >= name })
		if i < len(n.children) && n.children[i].name == name {
			n = n.children[i]
			continue
		}
		c := &tnode{name: name}
		n.children = append(n.children, nil)
		copy(n.children[i+1:], n.children[i:])
		n.children[i] = c
		n = c
	}
	n.total += v
	n.self += v
	t.root = r.children
}

type int64heap []int64

func (h int64heap) Len() int            { return len(h) }
func (h int64heap) Less(i, j int) bool  { return h[i] < h[j] }
func (h int64heap) Swap(i, j int)       { h[i], h[j] = h[j], h[i] }
func (h *int64heap) Push(x interface{}) { *h = append(*h, x.(int64)) }
func (h *int64heap) Pop() interface{} {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// minValue: the smallest total a node needs to be kept (0: all fit), as
// Pyroscope's Tree.minValue.
func (t *tree) minValue(maxNodes int64) int64 {
	if maxNodes < 1 {
		return 0
	}
	var size int64
	nodes := append([]*tnode{}, t.root...)
	for len(nodes) > 0 {
		n := nodes[len(nodes)-1]
		nodes = append(nodes[:len(nodes)-1], n.children...)
		size++
	}
	if size <= maxNodes {
		return 0
	}
	h := &int64heap{}
	nodes = append(nodes[:0], t.root...)
	for len(nodes) > 0 {
		n := nodes[len(nodes)-1]
		nodes = nodes[:len(nodes)-1]
		if int64(h.Len()) >= maxNodes {
			if n.total > (*h)[0] {
				heap.Pop(h)
			} else {
				continue
			}
		}
		heap.Push(h, n.total)
		nodes = append(nodes, n.children...)
	}
	if int64(h.Len()) < maxNodes {
		return 0
	}
	return (*h)[0]
}

type flameGraph struct {
	names   []string
	levels  [][]int64
	total   int64
	maxSelf int64
}

// newFlameGraph follows Pyroscope's NewFlameGraph: a depth-first walk from
// a "total" root; each node's self sits left of its children; per level,
// four values per node (x offset from the previous node's end, total,
// self, name index).
func newFlameGraph(t *tree, maxNodes int64) *flameGraph {
	fg := &flameGraph{}
	for _, n := range t.root {
		fg.total += n.total
	}
	minVal := t.minValue(maxNodes)
	index := map[string]int{}
	type item struct {
		x, level int64
		n        *tnode
	}
	stack := []item{{0, 0, &tnode{children: t.root, total: fg.total}}}
	var levels [][]int64
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if cur.n.self > fg.maxSelf {
			fg.maxSelf = cur.n.self
		}
		name := cur.n.name
		i, ok := index[name]
		if !ok {
			i = len(fg.names)
			if i == 0 {
				name = "total"
			}
			index[name] = i
			fg.names = append(fg.names, name)
		}
		if cur.level == int64(len(levels)) {
			levels = append(levels, nil)
		}
		levels[cur.level] = append(levels[cur.level], cur.x, cur.n.total, cur.n.self, int64(i))
		x := cur.x + cur.n.self
		var other int64
		for _, c := range cur.n.children {
			if c.total >= minVal && c.name != "other" {
				stack = append(stack, item{x, cur.level + 1, c})
				x += c.total
			} else {
				other += c.total
			}
		}
		if other != 0 {
			stack = append(stack, item{x, cur.level + 1, &tnode{name: "other", self: other, total: other}})
		}
	}
	// Each level was filled right to left; turn it round and make the
	// x offsets relative to the previous node's end.
	for _, l := range levels {
		var nodes [][4]int64
		for i := 0; i < len(l); i += 4 {
			nodes = append(nodes, [4]int64{l[i], l[i+1], l[i+2], l[i+3]})
		}
		sort.SliceStable(nodes, func(a, b int) bool { return nodes[a][0] < nodes[b][0] })
		var out []int64
		prev := int64(0)
		for _, n := range nodes {
			out = append(out, n[0]-prev, n[1], n[2], n[3])
			prev = n[0] + n[1]
		}
		fg.levels = append(fg.levels, out)
	}
	return fg
}

func (fg *flameGraph) proto() []byte {
	var m pbuf
	for _, n := range fg.names {
		m.bytes(1, []byte(n))
	}
	for _, l := range fg.levels {
		var lv pbuf
		lv.packed(1, l)
		m.msg(2, &lv)
	}
	m.varint(3, fg.total)
	m.varint(4, fg.maxSelf)
	var resp pbuf
	resp.msg(1, &m)
	return resp.b
}

func (fg *flameGraph) json() jFlameGraph {
	j := jFlameGraph{Names: fg.names, Total: jint(fg.total), MaxSelf: jint(fg.maxSelf)}
	for _, l := range fg.levels {
		var lv jLevel
		for _, v := range l {
			lv.Values = append(lv.Values, jint(v))
		}
		j.Levels = append(j.Levels, lv)
	}
	return j
}

// truncatedProfile: a merged profile cut to max_nodes as the flame graph
// is (function names only, "other" where children were merged).
func truncatedProfile(p *profile.Profile, maxNodes int64) *profile.Profile {
	t := newTree()
	for _, s := range p.Sample {
		t.insert(s.Value[0], stackNames(s))
	}
	minVal := t.minValue(maxNodes)
	if minVal == 0 {
		return p
	}
	out := &profile.Profile{SampleType: p.SampleType, PeriodType: p.PeriodType, Period: p.Period,
		TimeNanos: p.TimeNanos, DurationNanos: p.DurationNanos}
	funcs := map[string]*profile.Location{}
	loc := func(name string) *profile.Location {
		if l := funcs[name]; l != nil {
			return l
		}
		f := &profile.Function{ID: uint64(len(out.Function) + 1), Name: name, SystemName: name}
		l := &profile.Location{ID: uint64(len(out.Location) + 1), Line: []profile.Line{{Function: f}}}
		out.Function = append(out.Function, f)
		out.Location = append(out.Location, l)
		funcs[name] = l
		return l
	}
	emit := func(v int64, stack []*profile.Location) {
		if v == 0 {
			return
		}
		s := &profile.Sample{Value: []int64{v}}
		for i := len(stack) - 1; i >= 0; i-- {
			s.Location = append(s.Location, stack[i])
		}
		out.Sample = append(out.Sample, s)
	}
	// stack is root first; emit copies it, so siblings may share its array
	var walk func(n *tnode, stack []*profile.Location)
	walk = func(n *tnode, stack []*profile.Location) {
		emit(n.self, stack)
		var other int64
		for _, c := range n.children {
			if c.total >= minVal && c.name != "other" {
				walk(c, append(stack, loc(c.name)))
			} else {
				other += c.total
			}
		}
		emit(other, append(stack, loc("other")))
	}
	walk(&tnode{children: t.root}, nil)
	return out
}
