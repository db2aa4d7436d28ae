package main

// The pieces rewritten from Pyroscope, against the expectations of
// Pyroscope's own tests (pkg/model/flamegraph_test.go Test_ExportToFlamebearer,
// tree_test.go Test_Tree_minValue), and the selector parser. Run by
// tests/pyro_server.sh (go test).

import (
	"math/rand"
	"net/http"
	"reflect"
	"testing"
	"time"
)

// rootFirst turns Pyroscope's test stacks (leaf first) round.
func rootFirst(leafFirst ...string) []string {
	out := make([]string, len(leafFirst))
	for i, s := range leafFirst {
		out[len(out)-1-i] = s
	}
	return out
}

func TestFlameGraphAsPyroscope(t *testing.T) {
	tr := newTree()
	tr.insert(1, rootFirst("e", "b", "a"))
	tr.insert(2, rootFirst("c", "a"))
	tr.insert(1, rootFirst("d", "c", "a"))
	fg := newFlameGraph(tr, -1)
	wantNames := []string{"total", "a", "c", "d", "b", "e"}
	wantLevels := [][]int64{
		{0, 4, 0, 0},
		{0, 4, 0, 1},
		{0, 1, 0, 4, 0, 3, 2, 2},
		{0, 1, 1, 5, 2, 1, 1, 3},
	}
	if !reflect.DeepEqual(fg.names, wantNames) || !reflect.DeepEqual(fg.levels, wantLevels) ||
		fg.total != 4 || fg.maxSelf != 2 {
		t.Errorf("flame graph: names %v levels %v total %d max_self %d", fg.names, fg.levels, fg.total, fg.maxSelf)
	}
}

func TestMinValueAsPyroscope(t *testing.T) {
	tr := newTree()
	tr.insert(1, rootFirst("c", "b", "a"))
	tr.insert(1, rootFirst("c", "b", "a"))
	tr.insert(1, rootFirst("c1", "b", "a"))
	tr.insert(1, rootFirst("c", "b1", "a"))
	for _, c := range []struct{ max, want int64 }{{2, 3}, {1 << 62, 0}, {0, 0}, {-1, 0}} {
		if got := tr.minValue(c.max); got != c.want {
			t.Errorf("minValue(%d) = %d, want %d", c.max, got, c.want)
		}
	}
}

func TestSelectors(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []matcher // re left out
		err  bool
	}{
		{in: "{}"},
		{in: ` { a = "x" , b!='y', c=~"z.*", d!~` + "`w`" + `, } `, want: []matcher{{name: "a", op: "=", value: "x"},
			{name: "b", op: "!=", value: "y"}, {name: "c", op: "=~", value: "z.*"}, {name: "d", op: "!~", value: "w"}}},
		{in: `process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name="a\"b"}`, want: []matcher{
			{name: "__name__", op: "=", value: "process_cpu:cpu:nanoseconds:cpu:nanoseconds"},
			{name: "service_name", op: "=", value: `a"b`}}},
		{in: `{"k8s.pod"="x\u00e9"}`, want: []matcher{{name: "k8s.pod", op: "=", value: "xé"}}},
		{in: "", err: true},
		{in: "{a=b}", err: true},
		{in: `{a="b"`, err: true},
		{in: `{a~"b"}`, err: true},
		{in: `{a=~"("}`, err: true},
		{in: `{a="b"} x`, err: true},
		{in: `{a="b\q"}`, err: true},
	} {
		got, err := parseSelector(c.in)
		if (err != nil) != c.err {
			t.Errorf("%q: error %v, want error: %v", c.in, err, c.err)
			continue
		}
		for i := range got {
			got[i].re = nil
		}
		if !c.err && !reflect.DeepEqual(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("%q: %+v, want %+v", c.in, got, c.want)
		}
	}
	// anchored regexes, and a missing label is ""
	ms, _ := parseSelector(`{a=~"b|c", z!~".+"}`)
	get := func(v string) func(string) string {
		return func(n string) string {
			if n == "a" {
				return v
			}
			return ""
		}
	}
	if !matchAll(ms, get("b")) || matchAll(ms, get("bc")) || matchAll(ms, get("xb")) {
		t.Errorf("=~ is not anchored")
	}
}

func TestPromDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{24 * time.Hour: "1d", 36 * time.Hour: "1d12h",
		7 * 24 * time.Hour: "1w", 90 * time.Minute: "1h30m", 1500 * time.Millisecond: "1s500ms", 0: "0s"} {
		if got := promDuration(d); got != want {
			t.Errorf("promDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestHostileRequests: random bytes as every method's proto and JSON body
// and as selectors decode to an error or a request, which the methods
// answer or refuse over the fixtures, never a panic.
func TestHostileRequests(t *testing.T) {
	st, err := loadStore("../data/pyro/profiles", nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := &server{limits: limits{24 * time.Hour, 8192, 1048576, true}}
	rng := rand.New(rand.NewSource(11))
	seeds := [][]byte{{0x0a, 0x03, 'a', 'b', 'c', 0x18, 0x01}, []byte(`{"start":"1","matchers":["{a=\"b\"}"]}`),
		[]byte(`{a=~"b", c!="d"}`)}
	for i := 0; i < 5000; i++ {
		b := append([]byte{}, seeds[i%len(seeds)]...)
		for j := rng.Intn(4); j >= 0; j-- {
			switch rng.Intn(3) {
			case 0:
				b = append(b, byte(rng.Intn(256)))
			case 1:
				if len(b) > 0 {
					b[rng.Intn(len(b))] = byte(rng.Intn(256))
				}
			default:
				if len(b) > 0 {
					b = b[:rng.Intn(len(b))]
				}
			}
		}
		for _, m := range methodNames {
			for _, decode := range []func(string, []byte) (map[string]interface{}, error){decodeProto, decodeJSON} {
				if req, err := decode(m, b); err == nil {
					srv.run(&exchange{method: m, r: &http.Request{Header: http.Header{}}},
						&query{m: req, st: st, limits: srv.limits})
				}
			}
		}
		parseSelector(string(b))
	}
}
