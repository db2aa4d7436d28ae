package main

// Protobuf by hand: a writer of the few shapes the answers need and a
// reader of the requests' top-level fields (the field numbers are in
// /work/shared/reference/pyroscope-api.md and Pyroscope's querier.proto).

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

type pbuf struct{ b []byte }

func (p *pbuf) tag(f, wt int) { p.b = binary.AppendUvarint(p.b, uint64(f)<<3|uint64(wt)) }

// int64 field, omitted when 0 (proto3).
func (p *pbuf) varint(f int, v int64) {
	if v != 0 {
		p.tag(f, 0)
		p.b = binary.AppendUvarint(p.b, uint64(v))
	}
}

// str writes a string field, omitted when empty (proto3 singular).
func (p *pbuf) str(f int, s string) {
	if s != "" {
		p.bytes(f, []byte(s))
	}
}

// bytes writes a length-delimited field even when empty (repeated elements).
func (p *pbuf) bytes(f int, b []byte) {
	p.tag(f, 2)
	p.b = binary.AppendUvarint(p.b, uint64(len(b)))
	p.b = append(p.b, b...)
}

func (p *pbuf) msg(f int, m *pbuf) { p.bytes(f, m.b) }

func (p *pbuf) double(f int, v float64) {
	if v != 0 || math.Signbit(v) {
		p.tag(f, 1)
		p.b = binary.LittleEndian.AppendUint64(p.b, math.Float64bits(v))
	}
}

// packed writes a repeated int64 as proto3 does (one packed field).
func (p *pbuf) packed(f int, vs []int64) {
	if len(vs) == 0 {
		return
	}
	var q []byte
	for _, v := range vs {
		q = binary.AppendUvarint(q, uint64(v))
	}
	p.bytes(f, q)
}

// pfield is one field as read: a varint, a fixed64/fixed32, or bytes.
type pfield struct {
	num int
	wt  int
	v   uint64
	b   []byte
}

var errTruncated = errors.New("proto: cannot parse invalid wire-format data")

// readFields splits a message into its fields (no schema).
func readFields(b []byte) ([]pfield, error) {
	var out []pfield
	for len(b) > 0 {
		tag, n := binary.Uvarint(b)
		if n <= 0 || tag>>3 == 0 || tag>>3 > math.MaxInt32 {
			return nil, errTruncated
		}
		b = b[n:]
		f := pfield{num: int(tag >> 3), wt: int(tag & 7)}
		switch f.wt {
		case 0:
			f.v, n = binary.Uvarint(b)
			if n <= 0 {
				return nil, errTruncated
			}
			b = b[n:]
		case 1:
			if len(b) < 8 {
				return nil, errTruncated
			}
			f.v, b = binary.LittleEndian.Uint64(b), b[8:]
		case 5:
			if len(b) < 4 {
				return nil, errTruncated
			}
			f.v, b = uint64(binary.LittleEndian.Uint32(b)), b[4:]
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return nil, errTruncated
			}
			f.b, b = b[n:n+int(l)], b[n+int(l):]
		default:
			return nil, errTruncated
		}
		out = append(out, f)
	}
	return out, nil
}

// Field kinds of the requests.
const (
	kInt     = iota // int64 (varint)
	kStr            // string
	kStrs           // repeated string
	kDouble         // double (fixed64)
	kEnum           // enum (varint; JSON: its name or number)
	kSTS            // StackTraceSelector: call_site names, root first
	kIgnored        // accepted, not used by this server
)

type fspec struct {
	num        int
	json, name string // protojson's lowerCamel name, the .proto name
	kind       int
	enum       []string // kEnum: names by number
}

var formats = []string{"PROFILE_FORMAT_UNSPECIFIED", "PROFILE_FORMAT_FLAMEGRAPH", "PROFILE_FORMAT_TREE",
	"PROFILE_FORMAT_DOT", "PROFILE_FORMAT_PPROF"}
var aggregations = []string{"TIME_SERIES_AGGREGATION_TYPE_SUM", "TIME_SERIES_AGGREGATION_TYPE_AVERAGE"}
var exemplarTypes = []string{"EXEMPLAR_TYPE_UNSPECIFIED", "EXEMPLAR_TYPE_NONE", "EXEMPLAR_TYPE_INDIVIDUAL",
	"EXEMPLAR_TYPE_SPAN"}

func rangeFields(first int) []fspec {
	return []fspec{{first, "start", "start", kInt, nil}, {first + 1, "end", "end", kInt, nil}}
}

func selectFields() []fspec {
	return append([]fspec{{1, "profileTypeID", "profile_typeID", kStr, nil},
		{2, "labelSelector", "label_selector", kStr, nil}}, rangeFields(3)...)
}

// schemas: each method's request fields.
var schemas = map[string][]fspec{
	"ProfileTypes": rangeFields(1),
	"LabelNames":   append([]fspec{{1, "matchers", "matchers", kStrs, nil}}, rangeFields(2)...),
	"LabelValues": append([]fspec{{1, "name", "name", kStr, nil}, {2, "matchers", "matchers", kStrs, nil}},
		rangeFields(3)...),
	"Series": append([]fspec{{1, "matchers", "matchers", kStrs, nil},
		{2, "labelNames", "label_names", kStrs, nil}}, rangeFields(3)...),
	"SelectMergeProfile": append(selectFields(), fspec{5, "maxNodes", "max_nodes", kInt, nil},
		fspec{6, "stackTraceSelector", "stack_trace_selector", kSTS, nil},
		fspec{7, "profileIdSelector", "profile_id_selector", kStrs, nil},
		fspec{8, "traceIdSelector", "trace_id_selector", kStrs, nil}),
	"SelectMergeStacktraces": append(selectFields(), fspec{5, "maxNodes", "max_nodes", kInt, nil},
		fspec{6, "format", "format", kEnum, formats},
		fspec{7, "stackTraceSelector", "stack_trace_selector", kSTS, nil},
		fspec{8, "profileIdSelector", "profile_id_selector", kStrs, nil},
		fspec{9, "async", "async", kIgnored, nil},
		fspec{10, "traceIdSelector", "trace_id_selector", kStrs, nil},
		fspec{11, "spanSelector", "span_selector", kStrs, nil}),
	"SelectSeries": append(selectFields(), fspec{5, "groupBy", "group_by", kStrs, nil},
		fspec{6, "step", "step", kDouble, nil},
		fspec{7, "aggregation", "aggregation", kEnum, aggregations},
		fspec{8, "stackTraceSelector", "stack_trace_selector", kSTS, nil},
		fspec{9, "limit", "limit", kInt, nil},
		fspec{10, "exemplarType", "exemplar_type", kEnum, exemplarTypes}),
}

// decodeProto reads a request into a map by protojson name (what the log
// prints and the methods read): int64, string, []string, float64.
func decodeProto(method string, body []byte) (map[string]interface{}, error) {
	fields, err := readFields(body)
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{}
	for _, f := range fields {
		var spec *fspec
		for i := range schemas[method] {
			if schemas[method][i].num == f.num {
				spec = &schemas[method][i]
			}
		}
		if spec == nil {
			continue // unknown fields are ignored, as protobuf does
		}
		if err := setProto(out, spec, f); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func setProto(out map[string]interface{}, spec *fspec, f pfield) error {
	want := map[int]int{kInt: 0, kEnum: 0, kStr: 2, kStrs: 2, kSTS: 2, kDouble: 1}[spec.kind]
	if spec.kind == kIgnored {
		return nil
	}
	if f.wt != want {
		return fmt.Errorf("proto: field %s: wire type %d, want %d", spec.name, f.wt, want)
	}
	switch spec.kind {
	case kInt, kEnum:
		out[spec.json] = int64(f.v)
	case kDouble:
		out[spec.json] = math.Float64frombits(f.v)
	case kStr, kStrs:
		if !utf8.Valid(f.b) {
			return fmt.Errorf("proto: field %s contains invalid UTF-8", spec.name)
		}
		if spec.kind == kStr {
			out[spec.json] = string(f.b)
		} else {
			l, _ := out[spec.json].([]string)
			out[spec.json] = append(l, string(f.b))
		}
	case kSTS:
		sites, err := decodeCallSites(f.b)
		if err != nil {
			return err
		}
		l, _ := out[spec.json].([]string)
		out[spec.json] = append(l, sites...)
	}
	return nil
}

// decodeCallSites reads StackTraceSelector{call_site=1 Location{name=1}}.
func decodeCallSites(b []byte) ([]string, error) {
	fields, err := readFields(b)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range fields {
		if f.num != 1 || f.wt != 2 {
			continue
		}
		loc, err := readFields(f.b)
		if err != nil {
			return nil, err
		}
		name := ""
		for _, l := range loc {
			if l.num == 1 && l.wt == 2 {
				name = string(l.b)
			}
		}
		names = append(names, name)
	}
	return names, nil
}
