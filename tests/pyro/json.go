package main

// The JSON form (protojson): requests read into the same map as proto
// ones, answers written with protojson's names, int64 as strings, empty
// fields left out.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// decodeJSON reads a protojson request. Names are the lowerCamel ones or
// the .proto ones; unknown fields are ignored; an empty body is refused
// (as connect-go's JSON codec does).
func decodeJSON(method string, body []byte) (map[string]interface{}, error) {
	var raw map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&raw); err != nil {
		return nil, fmt.Errorf("unmarshal into %s: %v", method, err)
	}
	out := map[string]interface{}{}
	for i := range schemas[method] {
		spec := &schemas[method][i]
		v, ok := raw[spec.json]
		if !ok {
			v, ok = raw[spec.name]
		}
		if !ok || string(v) == "null" || spec.kind == kIgnored {
			continue
		}
		val, err := jsonValue(spec, v)
		if err != nil {
			return nil, fmt.Errorf("unmarshal into %s: field %s: %v", method, spec.json, err)
		}
		out[spec.json] = val
	}
	return out, nil
}

func jsonValue(spec *fspec, v json.RawMessage) (interface{}, error) {
	switch spec.kind {
	case kInt:
		return jsonInt(v)
	case kEnum:
		var name string
		if json.Unmarshal(v, &name) == nil {
			for i, e := range spec.enum {
				if e == name {
					return int64(i), nil
				}
			}
			return nil, fmt.Errorf("invalid value for enum: %q", name)
		}
		return jsonInt(v)
	case kDouble:
		var s string
		if json.Unmarshal(v, &s) == nil {
			return strconv.ParseFloat(s, 64)
		}
		var f float64
		err := json.Unmarshal(v, &f)
		return f, err
	case kStr:
		var s string
		err := json.Unmarshal(v, &s)
		return s, err
	case kStrs:
		var l []string
		err := json.Unmarshal(v, &l)
		return l, err
	case kSTS:
		var sts struct {
			CallSite  []struct{ Name string } `json:"callSite"`
			CallSite2 []struct{ Name string } `json:"call_site"`
		}
		if err := json.Unmarshal(v, &sts); err != nil {
			return nil, err
		}
		names := []string{}
		for _, c := range append(sts.CallSite, sts.CallSite2...) {
			names = append(names, c.Name)
		}
		return names, nil
	}
	return nil, nil
}

// jsonInt: protojson takes an int64 as a number or a string.
func jsonInt(v json.RawMessage) (int64, error) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return strconv.ParseInt(s, 10, 64)
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		return 0, err
	}
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	if err != nil || f != math.Trunc(f) {
		return 0, fmt.Errorf("invalid int64: %s", n)
	}
	return int64(f), nil
}

// jint is an int64 that protojson writes as a string.
type jint int64

func (v jint) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatInt(int64(v), 10) + `"`), nil
}

// jdouble: protojson writes NaN and infinities as strings.
type jdouble float64

func (v jdouble) MarshalJSON() ([]byte, error) {
	f := float64(v)
	switch {
	case math.IsNaN(f):
		return []byte(`"NaN"`), nil
	case math.IsInf(f, 1):
		return []byte(`"Infinity"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-Infinity"`), nil
	}
	return json.Marshal(f)
}

type jProfileType struct {
	ID         string `json:"ID,omitempty"`
	Name       string `json:"name,omitempty"`
	SampleType string `json:"sampleType,omitempty"`
	SampleUnit string `json:"sampleUnit,omitempty"`
	PeriodType string `json:"periodType,omitempty"`
	PeriodUnit string `json:"periodUnit,omitempty"`
}

type jLabel struct {
	Name  string `json:"name,omitempty"`
	Value string `json:"value,omitempty"`
}

type jLabels struct {
	Labels []jLabel `json:"labels,omitempty"`
}

type jPoint struct {
	Value     jdouble `json:"value,omitempty"`
	Timestamp jint    `json:"timestamp,omitempty"`
}

type jSeries struct {
	Labels []jLabel `json:"labels,omitempty"`
	Points []jPoint `json:"points,omitempty"`
}

type jLevel struct {
	Values []jint `json:"values,omitempty"`
}

type jFlameGraph struct {
	Names   []string `json:"names,omitempty"`
	Levels  []jLevel `json:"levels,omitempty"`
	Total   jint     `json:"total,omitempty"`
	MaxSelf jint     `json:"maxSelf,omitempty"`
}
