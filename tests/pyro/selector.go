package main

// Label selectors as Prometheus parses them (Pyroscope uses its parser):
// an optional metric name (a __name__ matcher), then {name OP "value", ...}
// with OP one of = != =~ !~; regexes are anchored (^(?:re)$); a label a
// series lacks has the value "". Values are quoted with " ' or `; names
// may be quoted too (UTF-8 names).

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

type matcher struct {
	name, op, value string
	re              *regexp.Regexp
}

func (m *matcher) match(v string) bool {
	switch m.op {
	case "=":
		return v == m.value
	case "!=":
		return v != m.value
	case "=~":
		return m.re.MatchString(v)
	default:
		return !m.re.MatchString(v)
	}
}

func matchAll(ms []matcher, get func(string) string) bool {
	for i := range ms {
		if !ms[i].match(get(ms[i].name)) {
			return false
		}
	}
	return true
}

type selParser struct {
	s   string
	pos int
}

func (p *selParser) errorf(format string, a ...interface{}) error {
	return fmt.Errorf("1:%d: parse error: %s", p.pos+1, fmt.Sprintf(format, a...))
}

func (p *selParser) space() {
	for p.pos < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

func isIdent(c byte, first bool, colon bool) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(!first && c >= '0' && c <= '9') || (colon && c == ':')
}

func (p *selParser) ident(colon bool) string {
	start := p.pos
	for p.pos < len(p.s) && isIdent(p.s[p.pos], p.pos == start, colon) {
		p.pos++
	}
	return p.s[start:p.pos]
}

// quoted reads a "...", '...' or `...` string.
func (p *selParser) quoted() (string, error) {
	if p.pos >= len(p.s) {
		return "", p.errorf("unexpected end of input, expected string")
	}
	q := p.s[p.pos]
	if q != '"' && q != '\'' && q != '`' {
		return "", p.errorf("unexpected character %q, expected string", p.s[p.pos])
	}
	start := p.pos
	p.pos++
	if q == '`' {
		end := strings.IndexByte(p.s[p.pos:], '`')
		if end < 0 {
			return "", p.errorf("unterminated raw string")
		}
		v := p.s[p.pos : p.pos+end]
		p.pos += end + 1
		return v, nil
	}
	var b strings.Builder
	rest := p.s[p.pos:]
	for {
		if rest == "" || rest[0] == '\n' {
			p.pos = start
			return "", p.errorf("unterminated quoted string")
		}
		if rest[0] == q {
			p.pos = len(p.s) - len(rest) + 1
			return b.String(), nil
		}
		r, _, tail, err := strconv.UnquoteChar(rest, q)
		if err != nil {
			p.pos = len(p.s) - len(rest)
			return "", p.errorf("invalid escape sequence in string")
		}
		b.WriteRune(r)
		rest = tail
	}
}

// parseSelector parses a label_selector or a matcher.
func parseSelector(s string) ([]matcher, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("1:1: parse error: invalid UTF-8 rune")
	}
	p := &selParser{s: s}
	var out []matcher
	p.space()
	if name := p.ident(true); name != "" {
		out = append(out, matcher{name: "__name__", op: "=", value: name})
		p.space()
		if p.pos == len(p.s) {
			return out, nil
		}
	}
	if p.pos >= len(p.s) {
		return nil, p.errorf("unexpected end of input")
	}
	if p.s[p.pos] != '{' {
		return nil, p.errorf("unexpected character: %q", p.s[p.pos])
	}
	p.pos++
	for {
		p.space()
		if p.pos < len(p.s) && p.s[p.pos] == '}' {
			p.pos++
			break
		}
		m, err := p.matcher()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
		p.space()
		if p.pos < len(p.s) && p.s[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.s) && p.s[p.pos] == '}' {
			p.pos++
			break
		}
		if p.pos >= len(p.s) {
			return nil, p.errorf("unexpected end of input inside braces")
		}
		return nil, p.errorf("unexpected character inside braces: %q", p.s[p.pos])
	}
	p.space()
	if p.pos != len(p.s) {
		return nil, p.errorf("unexpected character after the selector: %q", p.s[p.pos])
	}
	return out, nil
}

func (p *selParser) matcher() (matcher, error) {
	var m matcher
	if p.pos < len(p.s) && (p.s[p.pos] == '"' || p.s[p.pos] == '\'' || p.s[p.pos] == '`') {
		name, err := p.quoted()
		if err != nil {
			return m, err
		}
		m.name = name
	} else if m.name = p.ident(false); m.name == "" {
		if p.pos >= len(p.s) {
			return m, p.errorf("unexpected end of input inside braces")
		}
		return m, p.errorf("unexpected character inside braces: %q", p.s[p.pos])
	}
	p.space()
	for _, op := range []string{"=~", "!~", "!=", "="} {
		if strings.HasPrefix(p.s[p.pos:], op) {
			m.op = op
			break
		}
	}
	if m.op == "" {
		return m, p.errorf("unexpected %s in label matching, expected label matching operator",
			describe(p.s[p.pos:]))
	}
	p.pos += len(m.op)
	p.space()
	v, err := p.quoted()
	if err != nil {
		return m, err
	}
	m.value = v
	if m.op == "=~" || m.op == "!~" {
		re, err := regexp.Compile("^(?:" + v + ")$")
		if err != nil {
			return m, fmt.Errorf("1:%d: parse error: %v", p.pos, err)
		}
		m.re = re
	}
	return m, nil
}

func describe(rest string) string {
	if rest == "" {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return fmt.Sprintf("character %q", r)
}

// parseProfileType checks an ID as Pyroscope's ParseProfileTypeSelector.
func parseProfileType(id string) ([]string, error) {
	parts := strings.Split(id, ":")
	if len(parts) != 5 && len(parts) != 6 {
		return nil, fmt.Errorf("profile-type selection must be of the form "+
			"<name>:<sample-type>:<sample-unit>:<period_type>:<period_unit>(:delta), got(%d): %q",
			len(parts), id)
	}
	return parts, nil
}
