package main

// The seven querier methods over a store, as Pyroscope answers them.

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"sort"
	"time"

	"github.com/google/pprof/profile"
)

// cerr is a Connect error: its code names the HTTP status.
type cerr struct {
	code, msg string
	status    int // 0: the code's
}

func (e *cerr) Error() string { return e.code + ": " + e.msg }

func invalid(format string, a ...interface{}) *cerr {
	return &cerr{code: "invalid_argument", msg: fmt.Sprintf(format, a...)}
}

// answer: the proto bytes and the JSON value of one answer.
type answer struct {
	pb   []byte
	json interface{}
}

// limits: the tenant limits this server plays (Pyroscope's defaults).
type limits struct {
	maxRange     time.Duration // querier.max-query-length
	nodesDefault int64         // querier.max-flamegraph-nodes-default
	nodesMax     int64         // querier.max-flamegraph-nodes-max (0: none)
	nodesOnMerge bool          // max_flamegraph_nodes_on_select_merge_profile
}

type query struct {
	m  map[string]interface{}
	st *store
	limits
}

func (q *query) int(name string) int64 {
	v, _ := q.m[name].(int64)
	return v
}

func (q *query) str(name string) string {
	v, _ := q.m[name].(string)
	return v
}

func (q *query) strs(name string) []string {
	v, _ := q.m[name].([]string)
	return v
}

// timeRange checks [start, end] as Pyroscope's ValidateRangeRequest. The
// label methods and ProfileTypes skip it when either is 0 (Pyroscope's
// GetTimeRange: no range, all data); the Select methods require it.
func (q *query) timeRange(required bool) (int64, int64, *cerr) {
	start, end := q.int("start"), q.int("end")
	if start == 0 || end == 0 {
		if required {
			return 0, 0, invalid("missing time range in the query")
		}
		return 0, 0, nil
	}
	if start > end {
		return 0, 0, invalid("query start time is after end time")
	}
	if l := time.Duration(end-start) * time.Millisecond; q.maxRange > 0 && l > q.maxRange {
		return 0, 0, invalid("the query time range exceeds the limit (max_query_length, actual: %s, limit: %s)",
			l, promDuration(q.maxRange))
	}
	return start, end, nil
}

// promDuration formats as Prometheus' model.Duration ("1d", "12h30m").
func promDuration(d time.Duration) string {
	ms := d.Milliseconds()
	if ms == 0 {
		return "0s"
	}
	r := ""
	for _, u := range []struct {
		name  string
		mult  int64
		exact bool
	}{{"y", 365 * 86400e3, true}, {"w", 7 * 86400e3, true}, {"d", 86400e3, false},
		{"h", 3600e3, false}, {"m", 60e3, false}, {"s", 1e3, false}, {"ms", 1, false}} {
		if u.exact && ms%u.mult != 0 {
			continue
		}
		if v := ms / u.mult; v > 0 {
			r += fmt.Sprintf("%d%s", v, u.name)
			ms -= v * u.mult
		}
	}
	return r
}

// matchedRows: rows matching any of the matchers (none: all), in range.
func (q *query) matchedRows(required bool) ([]*row, *cerr) {
	start, end, err := q.timeRange(required)
	if err != nil {
		return nil, err
	}
	sels := q.strs("matchers")
	if len(sels) == 0 {
		return q.st.selectRows(nil, start, end), nil
	}
	seen := map[*row]bool{}
	var out []*row
	for _, s := range sels {
		ms, perr := parseSelector(s)
		if perr != nil {
			return nil, invalid("%v", perr)
		}
		for _, r := range q.st.selectRows(ms, start, end) {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// selected: the rows of a Select method (type, selector, range).
func (q *query) selected() ([]*row, *ptype, *cerr) {
	start, end, err := q.timeRange(true)
	if err != nil {
		return nil, nil, err
	}
	id := q.str("profileTypeID")
	if _, perr := parseProfileType(id); perr != nil {
		return nil, nil, invalid("%v", perr)
	}
	ms, perr := parseSelector(q.str("labelSelector"))
	if perr != nil {
		return nil, nil, invalid("%v", perr)
	}
	ms = append(ms, matcher{name: "__profile_type__", op: "=", value: id})
	t := q.st.types[id]
	if t == nil {
		parts, _ := parseProfileType(id)
		t = &ptype{ID: id, name: parts[0], sampleType: parts[1], sampleUnit: parts[2],
			periodType: parts[3], periodUnit: parts[4]}
	}
	return q.st.selectRows(ms, start, end), t, nil
}

func profileTypes(q *query) (*answer, *cerr) {
	start, end, err := q.timeRange(false)
	if err != nil {
		return nil, err
	}
	seen := map[string]*ptype{}
	for _, r := range q.st.selectRows(nil, start, end) {
		seen[r.typ.ID] = r.typ
	}
	var ids []string
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var pb pbuf
	var js []jProfileType
	for _, id := range ids {
		t := seen[id]
		var m pbuf
		m.str(1, t.ID)
		m.str(2, t.name)
		m.str(4, t.sampleType)
		m.str(5, t.sampleUnit)
		m.str(6, t.periodType)
		m.str(7, t.periodUnit)
		pb.msg(1, &m)
		js = append(js, jProfileType{t.ID, t.name, t.sampleType, t.sampleUnit, t.periodType, t.periodUnit})
	}
	return &answer{pb.b, struct {
		ProfileTypes []jProfileType `json:"profileTypes,omitempty"`
	}{js}}, nil
}

func namesAnswer(names []string) *answer {
	var pb pbuf
	for _, n := range names {
		pb.bytes(1, []byte(n))
	}
	return &answer{pb.b, struct {
		Names []string `json:"names,omitempty"`
	}{names}}
}

var legacyName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// labelNames: without allow-utf8-labelnames=true in Accept, names that
// are not legacy Prometheus names are left out (as Pyroscope does).
func labelNames(q *query, utf8Names bool) (*answer, *cerr) {
	rows, err := q.matchedRows(false)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, r := range rows {
		for _, l := range r.labels {
			if utf8Names || legacyName.MatchString(l.name) {
				set[l.name] = true
			}
		}
	}
	return namesAnswer(sortedKeys(set)), nil
}

func labelValues(q *query) (*answer, *cerr) {
	rows, err := q.matchedRows(false)
	if err != nil {
		return nil, err
	}
	name := q.str("name")
	set := map[string]bool{}
	for _, r := range rows {
		if v := r.label(name); v != "" {
			set[v] = true
		}
	}
	return namesAnswer(sortedKeys(set)), nil
}

func sortedKeys(set map[string]bool) []string {
	out := []string{}
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// series: the distinct label sets, each cut to label_names when given.
func series(q *query) (*answer, *cerr) {
	rows, err := q.matchedRows(false)
	if err != nil {
		return nil, err
	}
	keep := q.strs("labelNames")
	seen := map[string]bool{}
	var sets [][]lpair
	for _, r := range rows {
		ls := project(r, keep)
		if k := pairsKey(ls); !seen[k] {
			seen[k] = true
			sets = append(sets, ls)
		}
	}
	sort.Slice(sets, func(a, b int) bool { return comparePairs(sets[a], sets[b]) < 0 })
	var pb pbuf
	js := []jLabels{}
	for _, ls := range sets {
		pb.msg(2, labelsMsg(ls))
		js = append(js, jLabels{jlabels(ls)})
	}
	return &answer{pb.b, struct {
		LabelsSet []jLabels `json:"labelsSet,omitempty"`
	}{js}}, nil
}

// project: the row's labels named in keep (all when keep is empty).
func project(r *row, keep []string) []lpair {
	if len(keep) == 0 {
		return r.labels
	}
	var out []lpair
	for _, l := range r.labels {
		for _, k := range keep {
			if l.name == k {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

func pairsKey(ls []lpair) string {
	var b bytes.Buffer
	for _, l := range ls {
		b.WriteString(l.name + "\xfe" + l.value + "\xff")
	}
	return b.String()
}

// comparePairs orders label sets as Pyroscope's CompareLabelPairs.
func comparePairs(a, b []lpair) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i].name != b[i].name {
			if a[i].name < b[i].name {
				return -1
			}
			return 1
		}
		if a[i].value != b[i].value {
			if a[i].value < b[i].value {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

func labelsMsg(ls []lpair) *pbuf {
	var m pbuf
	for _, l := range ls {
		var p pbuf
		p.str(1, l.name)
		p.str(2, l.value)
		m.msg(1, &p)
	}
	return &m
}

func jlabels(ls []lpair) []jLabel {
	var out []jLabel
	for _, l := range ls {
		out = append(out, jLabel{l.name, l.value})
	}
	return out
}

// keepSample: the stack trace selector, an exact root-first prefix of
// function names.
func keepSample(s *profile.Sample, callSite []string) bool {
	if len(callSite) == 0 {
		return true
	}
	names := stackNames(s)
	if len(names) < len(callSite) {
		return false
	}
	for i, c := range callSite {
		if names[i] != c {
			return false
		}
	}
	return true
}

// stackNames: a sample's function names, root first, inlined frames
// expanded (a Location's Line[0] is its leaf-most).
func stackNames(s *profile.Sample) []string {
	var out []string
	for i := len(s.Location) - 1; i >= 0; i-- {
		loc := s.Location[i]
		if len(loc.Line) == 0 {
			out = append(out, fmt.Sprintf("0x%x", loc.Address))
		}
		for j := len(loc.Line) - 1; j >= 0; j-- {
			name := ""
			if loc.Line[j].Function != nil {
				name = loc.Line[j].Function.Name
			}
			out = append(out, name)
		}
	}
	return out
}

// merged: the rows' samples of one type as one pprof profile, labels
// dropped, merged by pprof's own Merge (same stacks summed).
func merged(rows []*row, t *ptype, callSite []string) (*profile.Profile, error) {
	var srcs []*profile.Profile
	for _, r := range rows {
		p := r.prof
		q := &profile.Profile{SampleType: []*profile.ValueType{p.SampleType[r.sidx]},
			PeriodType: p.PeriodType, Period: p.Period, TimeNanos: r.timeMs * 1e6,
			DurationNanos: p.DurationNanos, Mapping: p.Mapping, Location: p.Location, Function: p.Function}
		for _, s := range r.samples {
			if keepSample(s, callSite) {
				q.Sample = append(q.Sample, &profile.Sample{Location: s.Location, Value: []int64{s.Value[r.sidx]}})
			}
		}
		srcs = append(srcs, q)
	}
	if len(srcs) == 0 {
		return &profile.Profile{SampleType: []*profile.ValueType{{Type: t.sampleType, Unit: t.sampleUnit}},
			PeriodType: &profile.ValueType{Type: t.periodType, Unit: t.periodUnit}}, nil
	}
	return profile.Merge(srcs)
}

func selectMergeProfile(q *query) (*answer, *cerr) {
	rows, t, err := q.selected()
	if err != nil {
		return nil, err
	}
	// No node limit unless max_nodes is sent, or the limit is on for
	// SelectMergeProfile too (then as for the flame graph).
	n := q.int("maxNodes")
	if q.nodesOnMerge {
		if n, err = q.maxNodes(); err != nil {
			return nil, err
		}
	}
	p, merr := merged(rows, t, q.strs("stackTraceSelector"))
	if merr != nil {
		return nil, &cerr{code: "internal", msg: merr.Error()}
	}
	if n > 0 {
		p = truncatedProfile(p, n)
	}
	var b bytes.Buffer
	if werr := p.WriteUncompressed(&b); werr != nil {
		return nil, &cerr{code: "internal", msg: werr.Error()}
	}
	return &answer{b.Bytes(), profileJSON(p)}, nil
}

// maxNodes: the request's max_nodes as Pyroscope's ValidateMaxNodes
// takes it (0: the default; negative: no limit if there is no maximum).
func (q *query) maxNodes() (int64, *cerr) {
	n := q.int("maxNodes")
	switch {
	case n == 0:
		return q.nodesDefault, nil
	case q.nodesMax > 0 && n > q.nodesMax:
		return 0, invalid("max flamegraph nodes limit %d is greater than allowed %d", n, q.nodesMax)
	case q.nodesMax > 0 && n < 0:
		return 0, invalid("max flamegraph nodes limit must be set (max allowed %d)", q.nodesMax)
	}
	return n, nil
}

func selectMergeStacktraces(q *query) (*answer, *cerr) {
	rows, _, err := q.selected()
	if err != nil {
		return nil, err
	}
	maxNodes, err := q.maxNodes()
	if err != nil {
		return nil, err
	}
	if f := q.int("format"); f > 1 {
		return nil, &cerr{code: "unimplemented", msg: fmt.Sprintf("format %s is not served by this stand-in",
			formats[min64(f, int64(len(formats)-1))])}
	}
	t := newTree()
	for _, r := range rows {
		for _, s := range r.samples {
			if keepSample(s, q.strs("stackTraceSelector")) {
				t.insert(s.Value[r.sidx], stackNames(s))
			}
		}
	}
	fg := newFlameGraph(t, maxNodes)
	return &answer{fg.proto(), struct {
		Flamegraph jFlameGraph `json:"flamegraph"`
	}{fg.json()}}, nil
}

func min64(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}

// selectSeries: Pyroscope's RangeSeries. Points sit at start + k*step
// (k >= 0, at most end); a profile at time t counts in the first point at
// or after t; a profile after the last point (end not on the grid) is
// left out, as Pyroscope does. SUM adds a step's profiles, AVERAGE divides
// by their number. Series are labelled by the group_by labels only.
func selectSeries(q *query) (*answer, *cerr) {
	rows, _, err := q.selected()
	if err != nil {
		return nil, err
	}
	stepS, _ := q.m["step"].(float64)
	if stepS < 0.001 || math.IsNaN(stepS) {
		return nil, invalid("step must be >= 1ms")
	}
	if stepS > 1e9 { // this server's own bound: a Duration holds 292 years
		return nil, invalid("step must be at most 1e9 s")
	}
	step := (time.Duration(stepS * float64(time.Second))).Milliseconds()
	start, end := q.int("start"), q.int("end")
	avg := q.int("aggregation") == 1
	type acc struct {
		labels []lpair
		sum    map[int64]float64
		n      map[int64]int
	}
	groups := map[string]*acc{}
	for _, r := range rows {
		if !keepAnySample(r, q.strs("stackTraceSelector")) {
			continue
		}
		k := (r.timeMs - start + step - 1) / step
		ts := start + k*step
		if ts > end {
			continue
		}
		ls := projectOnly(r, q.strs("groupBy"))
		key := pairsKey(ls)
		a := groups[key]
		if a == nil {
			a = &acc{labels: ls, sum: map[int64]float64{}, n: map[int64]int{}}
			groups[key] = a
		}
		a.sum[ts] += float64(rowTotal(r, q.strs("stackTraceSelector")))
		a.n[ts]++
	}
	var out []*acc
	for _, a := range groups {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return comparePairs(out[i].labels, out[j].labels) < 0 })
	var list []seriesOut
	for _, a := range out {
		so := seriesOut{labels: a.labels}
		for ts, v := range a.sum {
			if avg {
				v /= float64(a.n[ts])
			}
			so.points = append(so.points, pointOut{ts, v})
		}
		sort.Slice(so.points, func(i, j int) bool { return so.points[i].ts < so.points[j].ts })
		list = append(list, so)
	}
	if limit := q.int("limit"); limit > 0 && int64(len(list)) > limit {
		list = topSeries(list, int(limit))
	}
	return seriesAnswer(list), nil
}

type pointOut struct {
	ts int64
	v  float64
}

type seriesOut struct {
	labels []lpair
	points []pointOut
}

// topSeries keeps the limit series of the largest sums (Pyroscope's
// TopSeries), in label order.
func topSeries(list []seriesOut, limit int) []seriesOut {
	sum := func(s seriesOut) float64 {
		t := 0.0
		for _, p := range s.points {
			t += p.v
		}
		return t
	}
	sort.SliceStable(list, func(i, j int) bool { return sum(list[i]) > sum(list[j]) })
	list = list[:limit]
	sort.Slice(list, func(i, j int) bool { return comparePairs(list[i].labels, list[j].labels) < 0 })
	return list
}

func seriesAnswer(list []seriesOut) *answer {
	var pb pbuf
	js := []jSeries{}
	for _, s := range list {
		var m pbuf
		for _, l := range s.labels {
			var p pbuf
			p.str(1, l.name)
			p.str(2, l.value)
			m.msg(1, &p)
		}
		js1 := jSeries{Labels: jlabels(s.labels)}
		for _, pt := range s.points {
			var p pbuf
			p.double(1, pt.v)
			p.varint(2, pt.ts)
			m.msg(2, &p)
			js1.Points = append(js1.Points, jPoint{jdouble(pt.v), jint(pt.ts)})
		}
		pb.msg(1, &m)
		js = append(js, js1)
	}
	return &answer{pb.b, struct {
		Series []jSeries `json:"series,omitempty"`
	}{js}}
}

// projectOnly: the row's labels named in names (none: no labels).
func projectOnly(r *row, names []string) []lpair {
	if len(names) == 0 {
		return nil
	}
	return project(r, names)
}

func keepAnySample(r *row, callSite []string) bool {
	if len(callSite) == 0 {
		return true
	}
	for _, s := range r.samples {
		if keepSample(s, callSite) {
			return true
		}
	}
	return false
}

func rowTotal(r *row, callSite []string) int64 {
	if len(callSite) == 0 {
		return r.total
	}
	var t int64
	for _, s := range r.samples {
		if keepSample(s, callSite) {
			t += s.Value[r.sidx]
		}
	}
	return t
}
