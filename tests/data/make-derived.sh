#!/usr/bin/env bash
# Regenerates every fixture that is derived from another fixture or crafted
# from a text source. Run from anywhere:  bash tests/data/make-derived.sh
#
# Inputs : go-cpu.pb.gz, go-heap.pb.gz (from go/, see README.md),
#          txtpb/*.txtpb (hand-written protobuf text sources).
# Outputs: go-cpu.pb, go-heap.pb.zst, unsymbolized.pb, dotnet-empty-default.pb, bad/*.
# Needs  : gzip, zstd, protoc (apt-get install protobuf-compiler), head, dd.
# Does NOT touch expected/ (see make-expected.sh).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")"
PROTO_DIR=../../proto

encode() { # encode txtpb/NAME.txtpb into OUT
	# protoc prints a libprotobuf "invalid UTF-8" complaint for hostile-names
	# (string_table is a proto3 string) but writes the bytes unchanged.
	protoc --encode=perftools.profiles.Profile -I"$PROTO_DIR" profile.proto \
		<"txtpb/$1.txtpb" >"$2" 2> >(grep -v 'invalid UTF-8' >&2 || true)
}

# cut FILE to its first half (rounded down)
half() { head -c $(($(stat -c %s "$1") / 2)) "$1"; }

# ---- container-format copies of real profiles
gzip -dc go-cpu.pb.gz >go-cpu.pb
gzip -dc go-heap.pb.gz | zstd -q -19 -c >go-heap.pb.zst

# ---- crafted valid profiles
encode unsymbolized unsymbolized.pb
encode folded-names folded-names.pb
encode folded-escapes folded-escapes.pb
encode dotnet-empty-default dotnet-empty-default.pb
encode own-file-label own-file-label.pb

mkdir -p bad
# ---- crafted profiles in bad/
encode hostile-names bad/hostile-names.pb
encode hostile-output bad/hostile-output.pb
encode hostile-empty-default bad/hostile-empty-default.pb
encode no-samples bad/no-samples.pb
encode missing-location bad/missing-location.pb
encode missing-function bad/missing-function.pb
encode bad-string bad/bad-string.pb

# ---- truncations
half go-cpu.pb.gz >bad/truncated.pb.gz
half go-cpu.pb >bad/truncated.pb
zstd -q -19 -c go-cpu.pb >bad/.full.zst
half bad/.full.zst >bad/truncated.pb.zst
rm -f bad/.full.zst

# ---- empty file
: >bad/empty.file

# ---- 4096 pseudo-random bytes: 32-bit LCG (Numerical Recipes), seed 20240601,
# byte = bits 16..23 of the state. Pure bash so it is the same everywhere.
garbage() {
	local s=20240601 i out=""
	for ((i = 0; i < 4096; i++)); do
		s=$(((s * 1664525 + 1013904223) & 0xffffffff))
		out+=$(printf '\\%03o' $(((s >> 16) & 0xff)))
		if ((i % 256 == 255)); then printf '%b' "$out"; out=""; fi
	done
}
garbage >bad/garbage.bin

# ---- bit flips: copy of go-cpu.pb with the bytes at 4 fixed offsets XORed
# with 0xff. Go writes time_nanos (field 9) first: flipping offsets 1-2 ends
# that varint early and leaves a tag with wire type 3 (group), which the pprof
# schema never uses, so a decoder must fail (pprof: "unrecognized profile format").
cp go-cpu.pb bad/bitflip.pb
flip() { # flip FILE OFFSET
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf '%03o' $((b ^ 0xff)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
for off in 1 2 300 1000; do flip bad/bitflip.pb "$off"; done

# ---- decompression bombs (streams of zero bytes)
head -c $((1536 * 1024 * 1024)) /dev/zero | zstd -q -19 -c >bad/bomb.pb.zst
head -c $((1229 * 1024 * 1024)) /dev/zero | gzip -9 -c >bad/bomb.pb.gz

ls -l go-cpu.pb go-heap.pb.zst unsymbolized.pb bad/
