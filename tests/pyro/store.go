package main

// The data: a folder of SERVICE/*.pb.gz read as Pyroscope's ingestion
// would store them. Each file's samples split into rows, one per sample
// type and set of (string) sample labels, each row a series' profile at
// the file's time_nanos: its series labels are service_name (the folder's
// name), the sample's labels and Pyroscope's internal ones (__name__,
// __profile_type__, ...).

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/google/pprof/profile"
)

type ptype struct {
	ID, name, sampleType, sampleUnit, periodType, periodUnit string
}

type lpair struct{ name, value string }

type row struct {
	typ     *ptype
	labels  []lpair // sorted by name
	lmap    map[string]string
	timeMs  int64
	prof    *profile.Profile // the whole file, shared by its rows
	sidx    int              // the sample type's index in prof
	samples []*profile.Sample
	total   int64
}

func (r *row) label(name string) string { return r.lmap[name] }

type store struct {
	rows  []*row
	types map[string]*ptype
}

// typeName names a profile as Pyroscope's Go ingestion does (the pprof
// endpoint it came from), from the file's name or else its period type.
func typeName(file string, p *profile.Profile) string {
	base := filepath.Base(file)
	for prefix, name := range map[string]string{"cpu": "process_cpu", "heap": "memory",
		"allocs": "memory", "mutex": "mutex", "block": "block", "goroutine": "goroutine"} {
		if strings.HasPrefix(base, prefix) {
			return name
		}
	}
	if p.PeriodType != nil {
		switch p.PeriodType.Type {
		case "cpu":
			return "process_cpu"
		case "space":
			return "memory"
		}
	}
	return strings.SplitN(base, ".", 2)[0]
}

// loadStore reads DIR/SERVICE/* (every file pprof parses), skipping the
// folders named in skip (tenants' own folders).
func loadStore(dir string, skip map[string]bool) (*store, error) {
	st := &store{types: map[string]*ptype{}}
	services, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, svc := range services {
		if !svc.IsDir() || skip[svc.Name()] {
			continue
		}
		files, err := filepath.Glob(filepath.Join(dir, svc.Name(), "*"))
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		for _, f := range files {
			if err := st.loadFile(svc.Name(), f); err != nil {
				return nil, fmt.Errorf("%s: %v", f, err)
			}
		}
	}
	return st, nil
}

func (st *store) loadFile(service, file string) error {
	fh, err := os.Open(file)
	if err != nil {
		return err
	}
	defer fh.Close()
	p, err := profile.Parse(fh)
	if err != nil {
		return err
	}
	timeMs := p.TimeNanos / 1e6
	if p.TimeNanos == 0 {
		if fi, err := fh.Stat(); err == nil {
			timeMs = fi.ModTime().UnixMilli()
		}
	}
	name := typeName(file, p)
	for i, vt := range p.SampleType {
		t := st.typeFor(name, vt, p.PeriodType)
		groups := map[string]*row{}
		var keys []string
		for _, s := range p.Sample {
			key := labelKey(s)
			r := groups[key]
			if r == nil {
				r = &row{typ: t, timeMs: timeMs, prof: p, sidx: i, lmap: seriesLabels(service, t, s)}
				groups[key] = r
				keys = append(keys, key)
			}
			r.samples = append(r.samples, s)
			r.total += s.Value[i]
		}
		for _, k := range keys {
			r := groups[k]
			for n, v := range r.lmap {
				r.labels = append(r.labels, lpair{n, v})
			}
			sort.Slice(r.labels, func(a, b int) bool { return r.labels[a].name < r.labels[b].name })
			st.rows = append(st.rows, r)
		}
	}
	return nil
}

func (st *store) typeFor(name string, vt, period *profile.ValueType) *ptype {
	t := &ptype{name: name, sampleType: vt.Type, sampleUnit: vt.Unit}
	if period != nil {
		t.periodType, t.periodUnit = period.Type, period.Unit
	}
	t.ID = strings.Join([]string{t.name, t.sampleType, t.sampleUnit, t.periodType, t.periodUnit}, ":")
	if old := st.types[t.ID]; old != nil {
		return old
	}
	st.types[t.ID] = t
	return t
}

// labelKey: a sample's string labels (first value of each), sorted.
func labelKey(s *profile.Sample) string {
	var parts []string
	for k, v := range s.Label {
		if len(v) > 0 {
			parts = append(parts, k+"\x00"+v[0])
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "\x01")
}

func seriesLabels(service string, t *ptype, s *profile.Sample) map[string]string {
	m := map[string]string{}
	for k, v := range s.Label {
		if len(v) > 0 && v[0] != "" {
			m[k] = v[0]
		}
	}
	for k, v := range map[string]string{
		"service_name":     service,
		"__service_name__": service,
		"__name__":         t.name,
		"__profile_type__": t.ID,
		"__type__":         t.sampleType,
		"__unit__":         t.sampleUnit,
		"__period_type__":  t.periodType,
		"__period_unit__":  t.periodUnit,
		"__delta__":        "false",
	} {
		m[k] = v
	}
	return m
}

func (st *store) newest() int64 {
	var n int64
	for _, r := range st.rows {
		if r.timeMs > n {
			n = r.timeMs
		}
	}
	return n
}

func (st *store) shift(ms int64) {
	for _, r := range st.rows {
		r.timeMs += ms
	}
}

// selectRows: the rows matching every matcher, in [start, end] (ms,
// both ends included; start 0 and end 0: no time filter).
func (st *store) selectRows(ms []matcher, start, end int64) []*row {
	var out []*row
	for _, r := range st.rows {
		if (start != 0 || end != 0) && (r.timeMs < start || r.timeMs > end) {
			continue
		}
		if matchAll(ms, r.label) {
			out = append(out, r)
		}
	}
	return out
}
