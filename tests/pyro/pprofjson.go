package main

// A merged profile as protojson writes google.v1.Profile (the JSON form of
// SelectMergeProfile's answer): its own string table, int64 as strings.

import "github.com/google/pprof/profile"

type jValueType struct {
	Type jint `json:"type,omitempty"`
	Unit jint `json:"unit,omitempty"`
}

type jSample struct {
	LocationID []jint `json:"locationId,omitempty"`
	Value      []jint `json:"value,omitempty"`
}

type jMapping struct {
	ID              jint `json:"id,omitempty"`
	MemoryStart     jint `json:"memoryStart,omitempty"`
	MemoryLimit     jint `json:"memoryLimit,omitempty"`
	FileOffset      jint `json:"fileOffset,omitempty"`
	Filename        jint `json:"filename,omitempty"`
	BuildID         jint `json:"buildId,omitempty"`
	HasFunctions    bool `json:"hasFunctions,omitempty"`
	HasFilenames    bool `json:"hasFilenames,omitempty"`
	HasLineNumbers  bool `json:"hasLineNumbers,omitempty"`
	HasInlineFrames bool `json:"hasInlineFrames,omitempty"`
}

type jLine struct {
	FunctionID jint `json:"functionId,omitempty"`
	Line       jint `json:"line,omitempty"`
}

type jLocation struct {
	ID        jint    `json:"id,omitempty"`
	MappingID jint    `json:"mappingId,omitempty"`
	Address   jint    `json:"address,omitempty"`
	Line      []jLine `json:"line,omitempty"`
	IsFolded  bool    `json:"isFolded,omitempty"`
}

type jFunction struct {
	ID         jint `json:"id,omitempty"`
	Name       jint `json:"name,omitempty"`
	SystemName jint `json:"systemName,omitempty"`
	Filename   jint `json:"filename,omitempty"`
	StartLine  jint `json:"startLine,omitempty"`
}

type jProfile struct {
	SampleType        []jValueType `json:"sampleType,omitempty"`
	Sample            []jSample    `json:"sample,omitempty"`
	Mapping           []jMapping   `json:"mapping,omitempty"`
	Location          []jLocation  `json:"location,omitempty"`
	Function          []jFunction  `json:"function,omitempty"`
	StringTable       []string     `json:"stringTable,omitempty"`
	TimeNanos         jint         `json:"timeNanos,omitempty"`
	DurationNanos     jint         `json:"durationNanos,omitempty"`
	PeriodType        *jValueType  `json:"periodType,omitempty"`
	Period            jint         `json:"period,omitempty"`
	DefaultSampleType jint         `json:"defaultSampleType,omitempty"`
}

type strtab struct {
	list []string
	idx  map[string]int
}

func (t *strtab) id(s string) jint {
	if t.idx == nil {
		t.idx = map[string]int{"": 0}
		t.list = []string{""}
	}
	i, ok := t.idx[s]
	if !ok {
		i = len(t.list)
		t.idx[s] = i
		t.list = append(t.list, s)
	}
	return jint(i)
}

func profileJSON(p *profile.Profile) *jProfile {
	var st strtab
	st.id("")
	j := &jProfile{TimeNanos: jint(p.TimeNanos), DurationNanos: jint(p.DurationNanos), Period: jint(p.Period)}
	for _, vt := range p.SampleType {
		j.SampleType = append(j.SampleType, jValueType{st.id(vt.Type), st.id(vt.Unit)})
	}
	for _, s := range p.Sample {
		var js jSample
		for _, l := range s.Location {
			js.LocationID = append(js.LocationID, jint(l.ID))
		}
		for _, v := range s.Value {
			js.Value = append(js.Value, jint(v))
		}
		j.Sample = append(j.Sample, js)
	}
	for _, m := range p.Mapping {
		j.Mapping = append(j.Mapping, jMapping{jint(m.ID), jint(m.Start), jint(m.Limit), jint(m.Offset),
			st.id(m.File), st.id(m.BuildID), m.HasFunctions, m.HasFilenames, m.HasLineNumbers, m.HasInlineFrames})
	}
	for _, l := range p.Location {
		jl := jLocation{ID: jint(l.ID), Address: jint(l.Address), IsFolded: l.IsFolded}
		if l.Mapping != nil {
			jl.MappingID = jint(l.Mapping.ID)
		}
		for _, ln := range l.Line {
			var fid jint
			if ln.Function != nil {
				fid = jint(ln.Function.ID)
			}
			jl.Line = append(jl.Line, jLine{fid, jint(ln.Line)})
		}
		j.Location = append(j.Location, jl)
	}
	for _, f := range p.Function {
		j.Function = append(j.Function, jFunction{jint(f.ID), st.id(f.Name), st.id(f.SystemName),
			st.id(f.Filename), jint(f.StartLine)})
	}
	if p.PeriodType != nil {
		j.PeriodType = &jValueType{st.id(p.PeriodType.Type), st.id(p.PeriodType.Unit)}
	}
	if p.DefaultSampleType != "" {
		j.DefaultSampleType = st.id(p.DefaultSampleType)
	}
	j.StringTable = st.list
	return j
}
