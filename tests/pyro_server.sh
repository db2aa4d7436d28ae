#!/usr/bin/env bash
# The stand-in Pyroscope server's own checks (tests/pyro/server.go), apart
# from ember: its merged profiles against go tool pprof's merge of the same
# files (pprof merges every profile given on its command line, -tagfocus /
# -tagignore select by label), its series against the files' totals, its
# flame graph, the error forms, auth, tenants, the prefix, the failures on
# demand and the log. Servers on 127.0.0.1 only, started here and stopped
# at the end; every curl has a time limit.
# Usage: tests/pyro_server.sh   (PYRO_BIN: where to build the server)
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
. tests/pyro/serve.sh
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

pyro_build || exit 0
for c in curl jq protoc; do
    command -v $c >/dev/null || { echo "pyro_server: SKIPPED: $c is missing (make deps)"; exit 0; }
done
PYRO_TMP=$(mktemp -d)
tmp=$PYRO_TMP
trap 'pyro_stop_all; rm -rf "$tmp"' EXIT
export GOCACHE=${GOCACHE:-$PWD/build/gocache} GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local
PPROF=(go tool pprof -symbolize=none)
. tests/pprof_top.sh   # pprof_rows, pprof_stacks

CPU=process_cpu:cpu:nanoseconds:cpu:nanoseconds
INUSE=memory:inuse_space:bytes:space:bytes
DATA=tests/data/pyro/profiles
API=/querier.v1.QuerierService

# jpost URL METHOD JSON [CURL-OPTIONS]: the answer's body in $tmp/body
# (printed), its status in $tmp/status, its headers in $tmp/headers.
jpost() {
    local url=$1 method=$2 body=$3
    shift 3
    curl -sS -m 10 -D "$tmp/headers" -o "$tmp/body" -w '%{http_code}' \
        -H 'Content-Type: application/json' "$@" --data-binary "$body" "$url$API/$method" \
        >"$tmp/status" 2>"$tmp/curl.err"
    cat "$tmp/body"
}

# ppost URL METHOD TYPE TEXT [CURL-OPTIONS]: TEXT (protobuf text format of
# tests/pyro/querier.proto's TYPE) encoded by protoc and posted as
# application/proto; body, status and headers as jpost.
ppost() {
    local url=$1 method=$2 type=$3 text=$4
    shift 4
    printf '%s\n' "$text" | protoc --encode="pyrotest.$type" -I tests/pyro querier.proto >"$tmp/req.bin" ||
        { ko "protoc cannot encode $type: $text"; return 1; }
    curl -sS -m 10 -D "$tmp/headers" -o "$tmp/body" -w '%{http_code}' \
        -H 'Content-Type: application/proto' "$@" --data-binary @"$tmp/req.bin" "$url$API/$method" \
        >"$tmp/status" 2>"$tmp/curl.err"
}

# decode TYPE: the proto answer in $tmp/body as protobuf text.
decode() { protoc --decode="pyrotest.$1" -I tests/pyro querier.proto <"$tmp/body"; }

status_is() {    # WANT WHAT
    [ "$(cat "$tmp/status")" = "$1" ] && ok || ko "$2: HTTP $(cat "$tmp/status"), want $1: $(head -c 300 "$tmp/body")"
}

# pprof_top FILES... (with pprof's options first): self, total, name per
# function in exact units, sorted, as tests/live.sh converts -top.
pprof_top() {
    "${PPROF[@]}" -top -nodecount=0 -nodefraction=0 -edgefraction=0 "$@" 2>/dev/null | pprof_rows
}

# pprof_folded FILES... (options first): every stack root first with its
# value, identical stacks summed, from pprof's -traces (labels dropped).
pprof_folded() { "${PPROF[@]}" -traces "$@" 2>/dev/null | pprof_stacks; }

sum_folded() { awk -F "\t" "{ t += \$2 } END { printf \"%.0f\\n\", t }" "$@"; }

# time_ms FILE: a profile's time_nanos as pprof prints it (whole seconds:
# the fixtures' times are), in ms.
time_ms() {
    local t
    t=$("${PPROF[@]}" -raw "$1" 2>/dev/null | sed -n 's/^Time: \(.*\) UTC$/\1/p' | head -1)
    echo $(($(date -u -d "$t" +%s) * 1000))
}

# 0. The pieces rewritten from Pyroscope (flame graph, node limit), against
# its own tests' expectations, and the selector parser (server_test.go).
if (GOPATH=/usr/share/gocode go test ./tests/pyro >"$tmp/gotest" 2>&1); then ok
else ko "go test ./tests/pyro:"; cat "$tmp/gotest"; fi

pyro_serve -log "$tmp/main.log" || exit 1
base=$PYRO_URL
[ "$PYRO_SHIFT" = 0 ] && ok || ko "without -shift the second line is $PYRO_SHIFT, want 0"
for i in 1 2 3 4 5 6 7 8; do
    T[$i]=$(time_ms $DATA/checkout/cpu-0$i.pb.gz)
done
T0=$((T[1] - 1000)) T9=$((T[8] + 1000))
# the generator dates them 5 minutes apart (tests/data/pyro/gen)
[ $((T[8] - T[1])) = $((7 * 300000)) ] && ok || ko "checkout's profiles span $((T[8] - T[1])) ms, want 7 x 5 min"

# 1. SelectMergeProfile (proto) equals pprof's merge of the same files.
merge_check() {    # WHAT SELECTOR START END TYPE-ID PPROF-ARGS...
    local what=$1 sel=$2 start=$3 end=$4 type=$5
    shift 5
    ppost "$base" SelectMergeProfile SelectMergeProfileRequest \
        "profile_typeID: \"$type\" label_selector: '$sel' start: $start end: $end" -H 'Accept-Encoding: gzip' ||
        return
    status_is 200 "SelectMergeProfile $what"
    mv "$tmp/body" "$tmp/merged.pb"
    pprof_top "${@:1:2}" "$tmp/merged.pb" >"$tmp/server.top"
    pprof_top "$@" >"$tmp/files.top"
    if [ -s "$tmp/files.top" ] && cmp -s "$tmp/server.top" "$tmp/files.top"; then ok
    else ko "SelectMergeProfile $what: -top differs from pprof's merge of the files"
        diff "$tmp/server.top" "$tmp/files.top" | head -5; fi
    pprof_folded "${@:1:2}" "$tmp/merged.pb" >"$tmp/server.folded"
    pprof_folded "$@" >"$tmp/files.folded"
    if [ -s "$tmp/files.folded" ] && cmp -s "$tmp/server.folded" "$tmp/files.folded"; then ok
    else ko "SelectMergeProfile $what: its stacks differ from pprof's merge of the files"
        diff "$tmp/server.folded" "$tmp/files.folded" | head -5; fi
}
merge_check "checkout, all" '{service_name="checkout"}' $T0 $T9 $CPU \
    -sample_index=cpu -unit=ns $DATA/checkout/cpu-*.pb.gz
merge_check "checkout, eu-north" '{service_name="checkout", region="eu-north"}' $T0 $T9 $CPU \
    -sample_index=cpu -unit=ns -tagfocus=region=eu-north $DATA/checkout/cpu-*.pb.gz
merge_check "regex and !=" '{service_name=~"check.*", region=~"eu-.+", pod!="b"}' $T0 $T9 $CPU \
    -sample_index=cpu -unit=ns -tagfocus=region=eu- -tagignore=pod=b $DATA/checkout/cpu-*.pb.gz
# (region!~"us-.*" keeps the samples without a region: pprof's -tagignore too)
merge_check "!~ and a time range (cpu-05 to cpu-08)" '{service_name="checkout", region!~"us-.*"}' \
    ${T[5]} ${T[8]} $CPU -sample_index=cpu -unit=ns -tagignore=region=us- \
    $DATA/checkout/cpu-0[5-8].pb.gz
# (cart's profiles are 30 s after checkout's, its heap ones 2 s later)
merge_check "cart's heap" '{service_name="cart"}' $T0 $((T9 + 60000)) $INUSE \
    -sample_index=inuse_space -unit=B $DATA/cart/heap-*.pb.gz
# the story: main.slowPath of checkout/eu-north grew from cpu-05 on (the
# regression's factor is 10; sampling is noisy, so at least 4 times)
slow() { awk -F '\t' '$3 == "main.slowPath" { print $2 }' "$tmp/files.top"; }
merge_check "eu-north before" '{service_name="checkout", region="eu-north"}' ${T[1]} ${T[4]} $CPU \
    -sample_index=cpu -unit=ns -tagfocus=region=eu-north $DATA/checkout/cpu-0[1-4].pb.gz
before=$(slow)
merge_check "eu-north after" '{service_name="checkout", region="eu-north"}' ${T[5]} ${T[8]} $CPU \
    -sample_index=cpu -unit=ns -tagfocus=region=eu-north $DATA/checkout/cpu-0[5-8].pb.gz
after=$(slow)
[ "${before:-0}" -gt 0 ] && [ "${after:-0}" -ge $((4 * before)) ] && ok ||
    ko "main.slowPath of eu-north: $before ns before, $after ns after cpu-05 (want 4 times more)"

# No node limit without max_nodes: every function of the files is there
# (above, by -top); with max_nodes the tree is cut, its total kept.
ppost "$base" SelectMergeProfile SelectMergeProfileRequest \
    "profile_typeID: \"$CPU\" label_selector: '{service_name=\"checkout\"}' start: $T0 end: $T9 max_nodes: 5"
mv "$tmp/body" "$tmp/cut.pb"
pprof_folded -sample_index=cpu -unit=ns "$tmp/cut.pb" >"$tmp/cut.folded"
pprof_folded -sample_index=cpu -unit=ns $DATA/checkout/cpu-*.pb.gz >"$tmp/all.folded"
# (nodes whose total ties the 5th largest stay: the chain from the root to
# main.handleCheckout is 6 nodes of one total, so 6 and other)
names() { cut -f1 "$1" | tr ';' '\n' | sort -u | tr '\n' ' '; }
if [ "$(names "$tmp/cut.folded")" = "main.handleCheckout main.serve main.workload.func1 main.workload.func1.1 main.workload.func1.1.1 other runtime/pprof.Do " ] &&
    [ "$(sum_folded "$tmp/cut.folded")" = "$(sum_folded "$tmp/all.folded")" ]; then ok
else ko "max_nodes 5: $(names "$tmp/cut.folded"), total $(sum_folded "$tmp/cut.folded")"; fi

# The JSON form of the merged profile: the same samples (values summed).
jpost "$base" SelectMergeProfile "{\"profileTypeID\":\"$CPU\",\"labelSelector\":\"{service_name=\\\"checkout\\\"}\",\"start\":\"$T0\",\"end\":$T9}" >/dev/null
got=$(jq -r '[.sample[].value[0] | tonumber] | add' "$tmp/body")
[ "$got" = "$(sum_folded "$tmp/all.folded")" ] && ok || ko "JSON SelectMergeProfile sums to $got"
[ "$(jq -r '.stringTable[.sampleType[0].type | tonumber]' "$tmp/body")" = cpu ] && ok ||
    ko "JSON SelectMergeProfile: sample type is not cpu"

# 2. SelectSeries: a point per profile (step 300 s from cpu-01's time: each
# profile sits on a point), each the file's total for the label value.
ppost "$base" SelectSeries SelectSeriesRequest \
    "profile_typeID: \"$CPU\" label_selector: '{service_name=\"checkout\"}' start: ${T[1]} end: $T9 group_by: \"region\" step: 300"
status_is 200 SelectSeries
decode SelectSeriesResponse | awk '
    /^series {/ { region = "" }
    /^  labels {/ { inl = 1 } inl && /value:/ { gsub(/"/, "", $2); region = $2; inl = 0 }
    /^  points {/ { v = ""; t = "" } /^    value:/ { v = $2 } /^    timestamp:/ { t = $2 }
    /^  }/ { if (t != "" && region != "") printf "%s %s %.0f\n", region, t, v; t = "" }' >"$tmp/points"
: >"$tmp/want"
for r in eu-north us-east; do
    for i in 1 2 3 4 5 6 7 8; do
        pprof_folded -sample_index=cpu -unit=ns -tagfocus=region=$r $DATA/checkout/cpu-0$i.pb.gz >"$tmp/f"
        echo "$r ${T[$i]} $(sum_folded "$tmp/f")" >>"$tmp/want"
    done
done
if cmp -s "$tmp/points" "$tmp/want"; then ok
else ko "SelectSeries by region: points differ from the files' totals"; diff "$tmp/points" "$tmp/want" | head -5; fi
# The grid: step 600 s from T1 puts cpu-02 (T1+300 s) and cpu-03 (T1+600 s)
# on the point T1+600 s; AVERAGE over one series' profiles there is their
# mean; cpu-08 (T1+2100 s) belongs to the point T1+2400 s, after an end of
# T8 - 1 ms: left out (Pyroscope's RangeSeries), the last point T1+1800 s.
ppost "$base" SelectSeries SelectSeriesRequest \
    "profile_typeID: \"$CPU\" label_selector: '{service_name=\"checkout\", region=\"eu-north\", pod=\"a\"}' start: ${T[1]} end: $((T[8] - 1)) group_by: \"pod\" step: 600 aggregation: 1"
decode SelectSeriesResponse | awk '/^    value:/ { v = $2 } /^    timestamp:/ { printf "%s %.0f\n", $2, v }' >"$tmp/avg"
f2=$(pprof_folded -sample_index=cpu -unit=ns -tagfocus=region=eu-north -tagignore=pod=b $DATA/checkout/cpu-02.pb.gz | sum_folded)
f3=$(pprof_folded -sample_index=cpu -unit=ns -tagfocus=region=eu-north -tagignore=pod=b $DATA/checkout/cpu-03.pb.gz | sum_folded)
got=$(awk -v t=$((T[1] + 600000)) '$1 == t { print $2 }' "$tmp/avg")
[ "$got" = $(((f2 + f3) / 2)) ] && ok || ko "AVERAGE at T1+600s: $got, want ($f2 + $f3) / 2"
last=$(tail -1 "$tmp/avg" | cut -d' ' -f1)
[ "$last" = $((T[1] + 3 * 600000)) ] && [ "$(wc -l <"$tmp/avg")" = 4 ] && ok ||
    ko "points with end = cpu-08 - 1 ms: $(tr '\n' ' ' <"$tmp/avg")"
# JSON: int64 as strings, group_by absent: one series without labels; a
# step of an hour from T1 - 1 ms puts all 8 on one point.
jpost "$base" SelectSeries "{\"profileTypeID\":\"$CPU\",\"labelSelector\":\"{service_name=\\\"checkout\\\"}\",\"start\":$((T[1] - 1)),\"end\":$((T[1] + 3600000)),\"step\":3600}" >/dev/null
got=$(jq -r '.series | length, (.[0].labels | length), (.[0].points[0].timestamp | type), .[0].points[0].value' "$tmp/body" | tr '\n' ' ')
[ "$got" = "1 0 string $(sum_folded "$tmp/all.folded") " ] && ok || ko "JSON SelectSeries: $got"

# 3. SelectMergeStacktraces: the flame graph of the same samples.
jpost "$base" SelectMergeStacktraces "{\"profileTypeID\":\"$CPU\",\"labelSelector\":\"{service_name=\\\"checkout\\\"}\",\"start\":$T0,\"end\":$T9}" >/dev/null
got=$(jq -r '.flamegraph | .names[0], .total, ([.levels[1].values | _nwise(4) | .[1] | tonumber] | add), (.names | index("other"))' "$tmp/body" | tr '\n' ' ')
want_total=$(sum_folded "$tmp/all.folded")
[ "$got" = "total $want_total $want_total null " ] && ok || ko "flame graph: $got (want total $want_total, no other)"
# its stacks read back (a node's parent: the node of the level above whose
# span holds its x; its self: the stack's value) are pprof's stacks of
# the files: the default 8192 nodes keep the whole tree
# (x offsets count from the previous node's end: the running end is the
# state, a node starts at its end minus its total)
jq -r '.flamegraph | .names as $n | .levels | to_entries[] | .key as $l |
    [.value.values | _nwise(4) | map(tonumber)] |
    foreach .[] as $v (0; . + $v[0] + $v[1]; [$l, . - $v[1], $v[1], $v[2], $n[$v[3]]]) | @tsv' "$tmp/body" |
    awk -F '\t' '{ l = $1; k = ++n[l]; x[l, k] = $2; t[l, k] = $3; path = ""
        for (j = 1; j <= n[l - 1]; j++) if ($2 >= x[l - 1, j] && $2 < x[l - 1, j] + t[l - 1, j]) path = p[l - 1, j]
        p[l, k] = (l <= 1) ? $5 : path ";" $5
        if (l >= 1 && $4 > 0) sum[p[l, k]] += $4 }
        END { for (s in sum) printf "%s\t%.0f\n", s, sum[s] }' | sort >"$tmp/fg.folded"
if [ -s "$tmp/fg.folded" ] && cmp -s "$tmp/fg.folded" "$tmp/all.folded"; then ok
else ko "the flame graph's stacks differ from pprof's of the files"; diff "$tmp/fg.folded" "$tmp/all.folded" | head -5; fi
# every node: total = self + its children's totals (the next level's nodes
# whose x falls inside it), checked on the proto form
ppost "$base" SelectMergeStacktraces SelectMergeStacktracesRequest \
    "profile_typeID: \"$CPU\" label_selector: '{service_name=\"checkout\"}' start: $T0 end: $T9 max_nodes: 8"
decode SelectMergeStacktracesResponse >"$tmp/fg.txt"
awk '/^  levels {/ { l++; x = 0; k = 0 } /^    values:/ { v[k++ % 4] = $2
        if (k % 4 == 0) { x += v[0]; node[l, ++n[l]] = x " " v[1] " " v[2]; x += v[1] } }
    END { bad = 0
        for (i = 1; i < l; i++) for (j = 1; j <= n[i]; j++) {
            split(node[i, j], a, " "); s = a[3]
            for (c = 1; c <= n[i + 1]; c++) { split(node[i + 1, c], b, " "); if (b[1] >= a[1] && b[1] < a[1] + a[2]) s += b[2] }
            if (s != a[2]) bad++ }
        print bad }' "$tmp/fg.txt" >"$tmp/bad"
[ "$(cat "$tmp/bad")" = 0 ] && grep -q 'names: "other"' "$tmp/fg.txt" && ok ||
    ko "max_nodes 8 flame graph: $(cat "$tmp/bad") nodes whose children do not add up, or no other"

# 4. Labels: every name, internal ones too; values scoped by a matcher.
jpost "$base" LabelNames '{}' >/dev/null
got=$(jq -r '.names | join(" ")' "$tmp/body")
[ "$got" = "__delta__ __name__ __period_type__ __period_unit__ __profile_type__ __service_name__ __type__ __unit__ pod region service_name" ] &&
    ok || ko "LabelNames: $got"
want=$(ls "$DATA" | tr '\n' ' ')
got=$(jpost "$base" LabelValues '{"name":"service_name"}' | jq -r '.names | join(" ")')
[ "$got " = "$want" ] && ok || ko "LabelValues service_name: $got, want $want"
got=$(jpost "$base" LabelValues "{\"name\":\"__profile_type__\",\"matchers\":[\"{service_name=\\\"cart\\\", __name__=\\\"memory\\\"}\"]}" | jq -r '.names | join(" ")')
want=$("${PPROF[@]}" -raw $DATA/cart/heap-04.pb.gz | sed -n '/^Samples:/{n;p;q}' | tr ' ' '\n' | grep / |
    sed 's#\(.*\)/\(.*\)#memory:\1:\2:space:bytes#' | sort | tr '\n' ' ')
[ "$got " = "$want" ] && ok || ko "cart's memory types: $got, want $want"
ppost "$base" Series SeriesRequest 'matchers: "{service_name=\"checkout\", __name__=\"process_cpu\"}" label_names: "region" label_names: "pod"'
got=$(decode SeriesResponse | grep -c 'labels_set')
[ "$got" = 5 ] && ok || ko "Series of checkout's region x pod: $got sets, want 5 (4 and the unlabelled samples')"
got=$(jpost "$base" ProfileTypes '{}' | jq -r '[.profileTypes[].ID] | join(" ")')
want=$( (echo $CPU; echo process_cpu:samples:count:cpu:nanoseconds; for t in alloc_objects:count alloc_space:bytes \
    inuse_objects:count inuse_space:bytes; do echo memory:$t:space:bytes; done) | sort | tr '\n' ' ')
[ "$got " = "$want" ] && ok || ko "ProfileTypes: $got"

# 5. Errors: Connect JSON with the code's status, for proto requests too.
ppost "$base" SelectMergeProfile SelectMergeProfileRequest "profile_typeID: \"$CPU\" label_selector: '{}'"
status_is 400 "no time range"
[ "$(jq -r .code "$tmp/body"):$(jq -r .message "$tmp/body")" = "invalid_argument:missing time range in the query" ] &&
    grep -qi '^content-type: application/json' "$tmp/headers" && ok || ko "no range: $(cat "$tmp/body")"
jpost "$base" SelectSeries "{\"profileTypeID\":\"$CPU\",\"labelSelector\":\"{}\",\"start\":1000,\"end\":$((1000 + 25 * 3600000)),\"step\":60}" >/dev/null
status_is 400 "25 h range"
[ "$(jq -r .message "$tmp/body")" = "the query time range exceeds the limit (max_query_length, actual: 25h0m0s, limit: 1d)" ] &&
    ok || ko "25 h: $(cat "$tmp/body")"
jpost "$base" SelectMergeStacktraces "{\"profileTypeID\":\"$CPU\",\"labelSelector\":\"{service_name=}\",\"start\":$T0,\"end\":$T9}" >/dev/null
status_is 400 "bad selector"
jq -r .message "$tmp/body" | grep -q 'parse error' && ok || ko "bad selector: $(cat "$tmp/body")"
jpost "$base" SelectMergeProfile "{\"profileTypeID\":\"cpu\",\"labelSelector\":\"{}\",\"start\":$T0,\"end\":$T9}" >/dev/null
status_is 400 "bad profile type"
jpost "$base" LabelNames '{"start":2000,"end":1000}' >/dev/null
status_is 400 "start after end"
jpost "$base" SelectSeries "{\"profileTypeID\":\"$CPU\",\"labelSelector\":\"{}\",\"start\":$T0,\"end\":$T9}" >/dev/null
status_is 400 "SelectSeries without a step"
jpost "$base" LabelNames '' >/dev/null
status_is 400 "an empty JSON body"
jpost "$base" Nothing '{}' >/dev/null
status_is 404 "unknown method"
[ "$(cat "$tmp/body")" = "404 page not found" ] && ok || ko "unknown method: $(cat "$tmp/body")"
curl -s -m 10 -o /dev/null -w '%{http_code}' "$base$API/LabelNames" >"$tmp/status"
status_is 405 "GET"
curl -s -m 10 -o "$tmp/body" -w '%{http_code}' -H 'Content-Type: text/plain' -d x "$base$API/LabelNames" >"$tmp/status"
status_is 415 "text/plain"
# an unknown label or type selects nothing: empty answers, not errors
got=$(jpost "$base" SelectSeries "{\"profileTypeID\":\"a:b:c:d:e\",\"labelSelector\":\"{}\",\"start\":$T0,\"end\":$T9,\"step\":60}")
[ "$got" = '{}' ] && ok || ko "unknown type: $got"

# 6. gzip both ways.
ppost "$base" LabelNames LabelNamesRequest '' -H 'Accept-Encoding: gzip'
grep -qi '^content-encoding: gzip' "$tmp/headers" && gzip -dc "$tmp/body" >"$tmp/names.bin" 2>/dev/null &&
    protoc --decode=pyrotest.NamesResponse -I tests/pyro querier.proto <"$tmp/names.bin" | grep -q '"service_name"' &&
    ok || ko "gzip answer"
printf '{"name":"region"}' | gzip -c >"$tmp/req.gz"
curl -sS -m 10 -o "$tmp/body" -H 'Content-Type: application/json' -H 'Content-Encoding: gzip' \
    --data-binary @"$tmp/req.gz" "$base$API/LabelValues"
[ "$(cat "$tmp/body")" = '{"names":["eu-north","us-east"]}' ] && ok || ko "gzip request: $(cat "$tmp/body")"

# 7. Auth and tenants: a data folder with a tenant's own (t2: cart only).
mkdir -p "$tmp/data/t2/web"
cp -r $DATA/checkout $DATA/cart "$tmp/data/" && cp -r $DATA/cart "$tmp/data/t2/"
protoc --encode=perftools.profiles.Profile -I proto profile.proto >"$tmp/data/t2/web/cpu-01.pb" <<'EOF'
sample_type { type: 1 unit: 2 }
sample { location_id: 1 value: 5 label { key: 3 str: 4 } }
location { id: 1 line { function_id: 1 } }
function { id: 1 name: 5 }
string_table: "" string_table: "samples" string_table: "count" string_table: "k8s.pod"
string_table: "pod-1" string_table: "main.web" string_table: "cpu" string_table: "nanoseconds"
period_type { type: 6 unit: 7 }
time_nanos: 1000000000000
EOF
printf 's3cret-pw\n' >"$tmp/pw" && printf 'tok3n-xyz\n' >"$tmp/tok"
pyro_serve -data "$tmp/data" -tenant t1,t2 -tenant t3 -user alice -password-file "$tmp/pw" \
    -token-file "$tmp/tok" -log "$tmp/auth.log" || exit 1
auth=$PYRO_URL
q='{"name":"service_name"}'
jpost "$auth" LabelValues "$q" -H 'X-Scope-OrgID: t1' >/dev/null
status_is 401 "no credentials"
jpost "$auth" LabelValues "$q" -H 'X-Scope-OrgID: t1' -u alice:wrong >/dev/null
status_is 401 "wrong password"
jpost "$auth" LabelValues "$q" -H 'X-Scope-OrgID: t1' -H 'Authorization: Bearer nope' >/dev/null
status_is 401 "wrong token"
jpost "$auth" LabelValues "$q" -u alice:s3cret-pw >/dev/null
status_is 401 "no tenant"
[ "$(cat "$tmp/body")" = '{"code":"unauthenticated","details":[],"message":"no org id"}' ] && ok ||
    ko "no tenant: $(cat "$tmp/body")"
jpost "$auth" LabelValues "$q" -u alice:s3cret-pw -H 'X-Scope-OrgID: t9' >/dev/null
status_is 403 "unknown tenant"
got=$(jpost "$auth" LabelValues "$q" -u alice:s3cret-pw -H 'X-Scope-OrgID: t1')
[ "$got" = '{"names":["cart","checkout"]}' ] && ok || ko "t1 (basic): $got"
got=$(jpost "$auth" LabelValues "$q" -H 'Authorization: Bearer tok3n-xyz' -H 'X-Scope-OrgID: t2')
[ "$got" = '{"names":["cart","web"]}' ] && ok || ko "t2 (bearer), its own folder: $got"
got=$(jpost "$auth" LabelValues "$q" -H 'Authorization: Bearer tok3n-xyz' -H 'X-Scope-OrgID: t3')
[ "$got" = '{"names":["cart","checkout"]}' ] && ok || ko "t3 (second -tenant): $got"
# t2's web: a profile made here whose label name is no Prometheus name
# (k8s.pod): LabelNames drops it unless Accept allows UTF-8 names, and a
# selector names it quoted
t2=(-H 'Authorization: Bearer tok3n-xyz' -H 'X-Scope-OrgID: t2')
jpost "$auth" LabelNames '{"matchers":["{service_name=\"web\"}"]}' "${t2[@]}" >/dev/null
[ "$(jq -r '.names | index("k8s.pod")' "$tmp/body")" = null ] && ok || ko "k8s.pod without allow-utf8-labelnames"
jpost "$auth" LabelNames '{"matchers":["{service_name=\"web\"}"]}' "${t2[@]}" \
    -H 'Accept: */*;allow-utf8-labelnames=true' >/dev/null
[ "$(jq -r '.names | index("k8s.pod") != null' "$tmp/body")" = true ] && ok || ko "k8s.pod with allow-utf8-labelnames"
jpost "$auth" SelectSeries "{\"profileTypeID\":\"process_cpu:samples:count:cpu:nanoseconds\",\"labelSelector\":\"{\\\"k8s.pod\\\"=\\\"pod-1\\\"}\",\"start\":999000,\"end\":1001000,\"step\":1}" "${t2[@]}" >/dev/null
[ "$(jq -c '.series[0].points' "$tmp/body")" = '[{"value":5,"timestamp":"1000000"}]' ] && ok ||
    ko "a quoted label name in a selector: $(cat "$tmp/body")"
# the log names what came, never the secrets; nor does the command line
[ "$(wc -l <"$tmp/auth.log")" = 11 ] && ok || ko "auth.log has $(wc -l <"$tmp/auth.log") lines, want 11"
[ "$(head -8 "$tmp/auth.log" | jq -r '[.auth, .authValid, .orgID] | join(",")' | tr '\n' ' ')" = \
    "none,false,t1 basic,false,t1 bearer,false,t1 basic,true, basic,true,t9 basic,true,t1 bearer,true,t2 bearer,true,t3 " ] &&
    ok || ko "auth.log's auth fields: $(jq -c '[.auth, .authValid, .orgID]' "$tmp/auth.log" | tr '\n' ' ')"
if grep -qE 's3cret|tok3n|wrong|nope' "$tmp/auth.log" "$PYRO_TMP"/pyro.* || tr '\0' ' ' </proc/$PYRO_PID/cmdline | grep -qE 's3cret|tok3n'; then
    ko "a credential in the log, the server's output or its command line"
else ok; fi

# 8. The prefix: served under it, nowhere else.
pyro_serve -prefix /api/datasources/proxy/uid/abc || exit 1
case $PYRO_URL in */api/datasources/proxy/uid/abc) ok ;; *) ko "PYRO_URL $PYRO_URL lacks the prefix" ;; esac
got=$(jpost "$PYRO_URL" LabelValues '{"name":"region"}')
[ "$got" = '{"names":["eu-north","us-east"]}' ] && ok || ko "under the prefix: $got"
jpost "http://127.0.0.1:$PYRO_PORT" LabelValues '{"name":"region"}' >/dev/null
status_is 404 "without the prefix"
jpost "http://127.0.0.1:$PYRO_PORT/api/datasources/proxy/uid/abd" LabelValues '{"name":"region"}' >/dev/null
status_is 404 "another prefix"

# 9. -shift: the newest profile 1 minute before the start, so now-1h finds
# every checkout profile (8 points, 5 minutes apart).
before=$(date +%s%3N)
pyro_serve -shift || exit 1
newest=0
for f in $DATA/*/*.pb.gz; do t=$(time_ms $f); [ $t -gt $newest ] && newest=$t; done
after=$(date +%s%3N)
shifted=$((newest + PYRO_SHIFT))
[ $shifted -ge $((before - 61000)) ] && [ $shifted -le $((after - 59000)) ] && ok ||
    ko "-shift $PYRO_SHIFT: the newest profile at $shifted, started between $before and $after"
now=$(date +%s%3N)
jpost "$PYRO_URL" SelectSeries "{\"profileTypeID\":\"$CPU\",\"labelSelector\":\"{service_name=\\\"checkout\\\"}\",\"start\":$((now - 3600000)),\"end\":$now,\"step\":60}" >/dev/null
got=$(jq -r '[.series[0].points[].value] | length' "$tmp/body")
[ "$got" = 8 ] && ok || ko "-shift: $got points in the last hour, want 8"

# 10. Failures on demand.
pyro_serve -fail 'SelectSeries=503:down for maintenance' -fail 'SelectMergeProfile@2-2=500' \
    -delay LabelNames=1500ms -hang LabelValues -garbage ProfileTypes -truncate Series \
    -log "$tmp/fail.log" || exit 1
fails=$PYRO_URL
jpost "$fails" SelectSeries '{}' >/dev/null
status_is 503 "-fail SelectSeries=503"
[ "$(cat "$tmp/body")" = '{"code":"unavailable","details":[],"message":"down for maintenance"}' ] && ok ||
    ko "-fail's body: $(cat "$tmp/body")"
sel="{\"profileTypeID\":\"$CPU\",\"labelSelector\":\"{}\",\"start\":$T0,\"end\":$T9}"
jpost "$fails" SelectMergeProfile "$sel" >/dev/null
status_is 200 "SelectMergeProfile's first call (@2)"
jpost "$fails" SelectMergeProfile "$sel" >/dev/null
status_is 500 "SelectMergeProfile's second call (@2-2)"
[ "$(jq -r .message "$tmp/body")" = "Internal Server Error" ] && ok || ko "-fail without a message: $(cat "$tmp/body")"
jpost "$fails" SelectMergeProfile "$sel" >/dev/null
status_is 200 "SelectMergeProfile's third call (@2-2)"
t0=$(date +%s%3N)
jpost "$fails" LabelNames '{}' >/dev/null
t1=$(date +%s%3N)
status_is 200 "-delay"
[ $((t1 - t0)) -ge 1500 ] && ok || ko "-delay 1500ms answered in $((t1 - t0)) ms"
curl -s -m 1 -o /dev/null -H 'Content-Type: application/json' -d '{}' "$fails$API/LabelValues"
[ $? = 28 ] && ok || ko "-hang: curl did not time out"
jpost "$fails" ProfileTypes '{}' >/dev/null
status_is 200 "-garbage"
[ "$(wc -c <"$tmp/body")" = 4096 ] && ! jq . "$tmp/body" >/dev/null 2>&1 && ok || ko "-garbage's body"
curl -sS -m 10 -o /dev/null -H 'Content-Type: application/json' -d '{}' "$fails$API/Series" 2>"$tmp/curl.err"
[ $? = 18 ] && ok || ko "-truncate: $(cat "$tmp/curl.err")"
jq -r '[.method, .status, (.inject // [] | join("+"))] | join(" ")' "$tmp/fail.log" >"$tmp/fail.lines"
printf '%s\n' "SelectSeries 503 fail" "SelectMergeProfile 200 " "SelectMergeProfile 500 fail" \
    "SelectMergeProfile 200 " "LabelNames 200 delay" \
    "LabelValues 0 hang" "ProfileTypes 200 garbage" "Series 200 truncate" >"$tmp/want"
cmp -s "$tmp/fail.lines" "$tmp/want" && ok || ko "fail.log: $(tr '\n' '|' <"$tmp/fail.lines")"
# the log's request is the decoded body, as JSON
[ "$(sed -n 2p "$tmp/fail.log" | jq -r '.request.profileTypeID')" = $CPU ] && ok || ko "the log's request"
if "$PYRO_BIN" -fail Nope=500 >/dev/null 2>&1; then ko "-fail Nope=500 accepted"; else ok; fi

# 11. Node limits as a tenant's: a default of 5 cuts the flame graph and,
# with the SelectMergeProfile override, the merged profile too ("other"
# for the rest, the total kept); a max_nodes over the maximum is a 400.
pyro_serve -max-flamegraph-nodes-default 5 -max-flamegraph-nodes-max 100 \
    -max-flamegraph-nodes-on-select-merge-profile || exit 1
sel="{\"profileTypeID\":\"$CPU\",\"labelSelector\":\"{service_name=\\\"checkout\\\"}\",\"start\":$T0,\"end\":$T9"
jpost "$PYRO_URL" SelectMergeStacktraces "$sel}" >/dev/null
[ "$(jq -r '.flamegraph | (.names | index("other") != null), .total' "$tmp/body" | tr '\n' ' ')" = "true $want_total " ] &&
    ok || ko "-max-flamegraph-nodes-default 5: no other in the flame graph"
ppost "$PYRO_URL" SelectMergeProfile SelectMergeProfileRequest \
    "profile_typeID: \"$CPU\" label_selector: '{service_name=\"checkout\"}' start: $T0 end: $T9"
mv "$tmp/body" "$tmp/cut2.pb"
pprof_folded -sample_index=cpu -unit=ns "$tmp/cut2.pb" >"$tmp/cut2.folded"
cmp -s "$tmp/cut2.folded" "$tmp/cut.folded" && ok || ko "the override: SelectMergeProfile not cut as max_nodes 5 cuts it"
jpost "$PYRO_URL" SelectMergeStacktraces "$sel,\"maxNodes\":101}" >/dev/null
status_is 400 "max_nodes over -max-flamegraph-nodes-max"
[ "$(jq -r .message "$tmp/body")" = "max flamegraph nodes limit 101 is greater than allowed 100" ] && ok ||
    ko "max_nodes 101: $(cat "$tmp/body")"

# 12. -max-requests and -lifetime end the server.
pyro_serve -max-requests 2 || exit 1
jpost "$PYRO_URL" LabelNames '{}' >/dev/null
jpost "$PYRO_URL" LabelNames '{}' >/dev/null
status_is 200 "the last request before -max-requests"
for _ in $(seq 50); do kill -0 $PYRO_PID 2>/dev/null || break; sleep 0.1; done
kill -0 $PYRO_PID 2>/dev/null && ko "-max-requests 2: still running" || ok
pyro_serve -lifetime 1s || exit 1
for _ in $(seq 50); do kill -0 $PYRO_PID 2>/dev/null || break; sleep 0.1; done
kill -0 $PYRO_PID 2>/dev/null && ko "-lifetime 1s: still running after 5 s" || ok

echo "pyro_server: $pass passed, $fail failed"
[ "$fail" = 0 ]
