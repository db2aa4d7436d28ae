#!/bin/sh
# Remakes each NAME.bin from NAME.txtpb with protoc (protobuf-compiler),
# not with ember: the answers and requests tests/check_pyro.c compares
# ember's codec with. The message of each file is on its first line.
# ember's proto/*.proto carry Pyroscope's field numbers (checked against
# grafana/pyroscope api/querier/v1/querier.proto and api/types/v1/types.proto).
# Usage: tests/data/pyro-txtpb/make.sh
cd "$(dirname "$0")" || exit 1
for t in *.txtpb; do
    msg=$(sed -n '1s/^# \([a-z0-9.]*[A-Za-z]*\).*/\1/p' "$t")
    protoc --proto_path=../../../proto --encode="$msg" types.proto querier.proto <"$t" >"${t%.txtpb}.bin" ||
        exit 1
done
