#!/usr/bin/env bash
# Regenerates tests/data/expected/ from the pprof fixtures with `go tool pprof`
# (the independent reference implementation) and cross-checks the results.
#
#   bash tests/data/make-expected.sh          # regenerate + check
#   bash tests/data/make-expected.sh --check  # only check; fail if anything differs
#
# Needs: go (for `go tool pprof`), gzip, zstd, mawk or gawk, GNU coreutils.
#
# For every fixture F and every sample type T in it:
#   expected/NAME.T.top     "self<TAB>total<TAB>function" for every function with
#                           self or total != 0, sorted by self descending then by
#                           name ascending in byte order. From
#                           `pprof -top -nodecount=0 -nodefraction=0 -edgefraction=0
#                            -sample_index=T -unit=U` (granularity: functions; U below).
#   expected/NAME.T.folded  "root;...;leaf<TAB>value", one line per distinct stack of
#                           function names (inlined frames expanded), identical
#                           stacks summed, value-0 stacks omitted, whole lines
#                           sorted in byte order (LC_ALL=C sort). From
#                           `pprof -traces -sample_index=T -unit=U`.
# NAME is the file name up to its first dot (go-cpu.pb.gz -> go-cpu).
#
# Values: pprof formats every value with %.2f and trims a trailing ".00".
# -unit must be the sample type's own unit so nothing is scaled: -unit=ns for
# nanoseconds, -unit=B for bytes (pprof then prints e.g. "20000000ns", "0"; the
# suffix is stripped here), and -unit=count for counts and any unit pprof does
# not know (printed bare). (-unit=count is NOT neutral for a time or byte type:
# pprof then converts to the type's default unit, seconds or bytes.) Every value
# must then be a plain integer below 2^53, else the script fails.
#
# Checks, per fixture and type: sum of .folded values == sum of .top self
# column == the total in pprof's header ("... of X total") == the sum of that
# value over all samples as printed by `pprof -raw` (exact integers).
#
# Hand-written expectations (not produced here, only compared):
#   bad/hostile-names.pb -> expected/hostile-names.{samples,cpu}.{top,folded}:
#     regenerated into a temp dir and compared byte for byte.
#   folded-small.txt     -> expected/folded-small.samples.{top,folded}: pprof
#     cannot read folded stacks; these are checked by hand (see README.md).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")"

CHECK_ONLY=0
[[ "${1:-}" == "--check" ]] && CHECK_ONLY=1

# Each query's ember form, for tests/cli.sh: expected/<fixture>.<type>.<NAME>.top
# is the table of `ember --query QUERY`.
# Profiles whose expected files are generated here.
FIXTURES=(
	go-cpu.pb.gz go-heap.pb.gz go-mutex.pb.gz go-block.pb.gz
	node-wall.pb.gz node-heap.pb
	unsymbolized.pb
)
# bad/no-samples.pb has no expected output: ember rejects an empty profile.
# Profiles whose expected files are hand-written and only compared.
HANDWRITTEN=(bad/hostile-names.pb)

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PPROF=(go tool pprof -symbolize=none)
LIMIT=9007199254740992 # 2^53
fail=0
die() { echo "make-expected: $*" >&2; exit 1; }

# ---- the raw copies must be the same bytes as the profiles they come from
cmp -s go-cpu.pb <(gzip -dc go-cpu.pb.gz) || die "go-cpu.pb differs from gunzip of go-cpu.pb.gz (run make-derived.sh)"
cmp -s <(zstd -q -dc go-heap.pb.zst) <(gzip -dc go-heap.pb.gz) || die "go-heap.pb.zst differs from go-heap.pb.gz (run make-derived.sh)"

# sample_types FILE -> "type unit" per line, from the "Samples:" header of -raw
sample_types() {
	"${PPROF[@]}" -raw "$1" 2>/dev/null | sed -n '/^Samples:$/{n;p;q;}' |
		tr ' ' '\n' | sed -nE 's#^(.+)/([^/]*)$#\1 \2#p'
}

# top FILE TYPE UNIT OUT [PPROF FLAGS...] -> writes OUT, prints "total selfsum"
top() {
	local f=$1 t=$2 unit=$3 out=$4 raw=$TMP/top.raw
	shift 4
	"${PPROF[@]}" -top -nodecount=0 -nodefraction=0 -edgefraction=0 \
		-sample_index="$t" -unit="$unit" "$@" "$f" >"$raw" 2>"$TMP/top.err" ||
		{ cat "$TMP/top.err" >&2; die "pprof -top failed on $f $t"; }
	awk -v limit="$LIMIT" -v out="$out" '
	/^Showing nodes accounting for / {
		total = $0
		sub(/ total$/, "", total); sub(/.* of /, "", total); sub(/[A-Za-z]+$/, "", total)
		if (total !~ /^-?[0-9]+$/) { print "bad total: " $0 > "/dev/stderr"; exit 1 }
		next
	}
	/^ +flat +flat% +sum% +cum +cum%$/ { rows = 1; next }
	!rows { next }
	{
		# "%10s %s %s %10s %s  %s%s": flat flat% sum% cum cum%  name[ (inline)]
		line = $0
		if (!match(line, /^ *-?[0-9]+[A-Za-z]* +[^ ]+% +[^ ]+% +-?[0-9]+[A-Za-z]* +[^ ]+%  /)) {
			print "unparsed -top row: " line > "/dev/stderr"; exit 1
		}
		head = substr(line, 1, RLENGTH); name = substr(line, RLENGTH + 1)
		split(head, a, / +/); i = (a[1] == "") ? 2 : 1
		self = a[i]; tot = a[i + 3]; sub(/[A-Za-z]+$/, "", self); sub(/[A-Za-z]+$/, "", tot)
		sub(/ \((partial-)?inline\)$/, "", name)
		if (self + 0 >= limit || -self >= limit || tot + 0 >= limit || -tot >= limit) {
			print "value too large for exact checking: " line > "/dev/stderr"; exit 1
		}
		if (self + 0 == 0 && tot + 0 == 0) next
		if (name in seen) { print "duplicate function row: " name > "/dev/stderr"; exit 1 }
		seen[name] = 1
		printf "%s\t%s\t%s\n", self, tot, name > out
		selfsum += self
	}
	END { printf "%s %.0f\n", total, selfsum }' "$raw"
	[[ -f "$out" ]] || : >"$out"
	sort -t $'\t' -k1,1nr -k3 -o "$out" "$out"
}

# folded FILE TYPE UNIT OUT -> writes OUT, prints "sum"
folded() {
	local f=$1 t=$2 unit=$3 out=$4 raw=$TMP/traces.raw
	"${PPROF[@]}" -traces -sample_index="$t" -unit="$unit" "$f" >"$raw" 2>"$TMP/tr.err" ||
		{ cat "$TMP/tr.err" >&2; die "pprof -traces failed on $f $t"; }
	awk -v limit="$LIMIT" '
	# Block layout (report.printTraces):
	#   separator
	#   "%10s:  %s"   label lines (skipped)
	#   "%10s   %s%s" first frame (leaf) with the value, then callers with the
	#                 value column blank; " (inline)" marks an inlined frame.
	function push(nm) { sub(/ \(inline\)$/, "", nm); st[++n] = nm }
	function flush(   key, i) {
		if (instack && val + 0 != 0) {
			key = st[n]
			for (i = n - 1; i >= 1; i--) key = key ";" st[i]
			sum[key] += val
		}
		instack = 0; n = 0
	}
	$0 == "-----------+-------------------------------------------------------" {
		flush(); inblock = 1; next
	}
	!inblock { next }
	!instack {
		if (match($0, /^ *-?[0-9]+[A-Za-z]*   /)) {
			val = substr($0, 1, RLENGTH); gsub(/[ A-Za-z]/, "", val)
			if (val + 0 >= limit || -val >= limit) { print "value too large: " $0 > "/dev/stderr"; exit 1 }
			instack = 1; push(substr($0, RLENGTH + 1))
		} else if ($0 !~ /^ *[^ ]+:  /) {
			print "unparsed -traces line (not a value, not a label): " $0 > "/dev/stderr"; exit 1
		}
		next
	}
	{
		if (substr($0, 1, 13) != "             ") { print "unparsed -traces line: " $0 > "/dev/stderr"; exit 1 }
		push(substr($0, 14))
	}
	END {
		flush()
		for (k in sum) {
			if (sum[k] != 0) printf "%s\t%.0f\n", k, sum[k]
			total += sum[k]
		}
		printf "%.0f\n", total > "/dev/stderr"
	}' "$raw" 2>"$TMP/folded.sum" | sort >"$out" ||
		{ cat "$TMP/folded.sum" >&2; die "parsing -traces failed on $f $t"; }
	tail -n 1 "$TMP/folded.sum"
}

# pprof_unit UNIT -> the -unit value that prints UNIT's values unscaled
pprof_unit() {
	case $1 in
	nanoseconds) echo ns ;;
	bytes) echo B ;;
	*) echo count ;;
	esac
}

# raw_sum FILE INDEX -> sum of value[INDEX] (0-based) over all samples, from -raw
raw_sum() {
	"${PPROF[@]}" -raw "$1" 2>/dev/null | awk -v idx="$2" -v limit="$LIMIT" '
	/^Samples:$/ { s = 1; getline; next }
	/^Locations$/ { s = 0 }
	s && /^ *-?[0-9]+( +-?[0-9]+)*:( |$)/ {
		v = $0; sub(/:.*/, "", v); sub(/^ +/, "", v); split(v, a, / +/)
		sum += a[idx + 1]
		if (sum >= limit || -sum >= limit) { print "sum too large" > "/dev/stderr"; exit 1 }
	}
	END { printf "%.0f\n", sum }'
}

# escape_controls FILE: writes control bytes inside names as \xNN, as ember's
# machine formats do (a raw ESC must not reach a terminal; a tab or newline
# would break the line format). Tabs and newlines here are separators.
escape_controls() {
	perl -i -pe 's/([\x00-\x08\x0b-\x1f\x7f])/sprintf("\\x%02x", ord($1))/ge' "$1"
}

# process FILE DESTDIR
process() {
	local f=$1 dest=$2 name t u tot self fsum
	name=$(basename "$f"); name=${name%%.*}
	local idx=0 pu rsum
	while read -r t u; do
		pu=$(pprof_unit "$u")
		rm -f "$dest/$name.$t.top"
		read -r tot self < <(top "$f" "$t" "$pu" "$dest/$name.$t.top")
		fsum=$(folded "$f" "$t" "$pu" "$dest/$name.$t.folded")
		rsum=$(raw_sum "$f" "$idx")
		escape_controls "$dest/$name.$t.top"
		escape_controls "$dest/$name.$t.folded"
		idx=$((idx + 1))
		if [[ -n "$tot" && "$tot" == "$self" && "$self" == "$fsum" && "$fsum" == "$rsum" ]]; then
			printf 'ok   %-13s %-14s -unit=%-5s total=%s top_self_sum=%s folded_sum=%s raw_sum=%s (%s functions, %s stacks)\n' \
				"$name" "$t" "$pu" "$tot" "$self" "$fsum" "$rsum" "$(wc -l <"$dest/$name.$t.top")" "$(wc -l <"$dest/$name.$t.folded")"
		else
			printf 'FAIL %-13s %-14s -unit=%-5s total=%s top_self_sum=%s folded_sum=%s raw_sum=%s\n' "$name" "$t" "$pu" "$tot" "$self" "$fsum" "$rsum"
			fail=1
		fi
	done < <(sample_types "$f")
}

# Label queries: ember's --query against pprof's -tagfocus/-tagignore
# (anchored regexps, so they mean equality). NAME|QUERY|PPROF FLAGS
QUERIES=(
	'q-eu-north|{region="eu-north"}|-tagfocus=region=^eu-north$'
	'q-us-east-not-a|{region="us-east", worker!="a"}|-tagfocus=region=^us-east$ -tagignore=worker=^a$'
)

query_expected() {
	local dest=$1 q name flags tot self
	for q in "${QUERIES[@]}"; do
		name=${q%%|*}; flags=${q##*|}
		# shellcheck disable=SC2086 # the flags are words
		read -r tot self < <(top go-cpu.pb.gz cpu ns "$dest/go-cpu.cpu.$name.top" $flags)
		# pprof's header keeps the unfiltered total: the selection is a part of it
		if [[ -n "$tot" && "$self" -gt 0 && "$self" -lt "$tot" ]]; then
			echo "ok   go-cpu cpu $name: selected $self of $tot"
		else
			echo "FAIL go-cpu cpu $name: total=$tot self_sum=$self"; fail=1
		fi
	done
}

mkdir -p "$TMP/gen" "$TMP/hand"
for f in "${FIXTURES[@]}"; do process "$f" "$TMP/gen"; done
query_expected "$TMP/gen"
for f in "${HANDWRITTEN[@]}"; do process "$f" "$TMP/hand"; done

# hand-written files must match what pprof says
for g in "$TMP"/hand/*; do
	if cmp -s "$g" "expected/$(basename "$g")"; then
		echo "ok   hand-written expected/$(basename "$g") matches pprof"
	else
		echo "FAIL hand-written expected/$(basename "$g") differs from pprof"; fail=1
	fi
done

if ((CHECK_ONLY)); then
	for g in "$TMP"/gen/*; do
		cmp -s "$g" "expected/$(basename "$g")" ||
			{ echo "FAIL expected/$(basename "$g") is out of date"; fail=1; }
	done
else
	cp "$TMP"/gen/* expected/
fi
((fail == 0)) || die "some checks failed"
echo "make-expected: all checks passed"
