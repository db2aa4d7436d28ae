# Issue 7, point 23 in the explorer: a value no sample has for a label is
# named in the status bar with the values the label takes (go tool pprof
# -tags go-cpu.pb.gz: region is eu-north or us-east), from --query and from
# a query typed at ':'. Run as: bash tests/e2e/t_fix1.sh EMBER
. "$(dirname "$0")/lib.sh"

hint='no sample has region="eu-nort"; region has: eu-north, us-east'

start 140 24 TERM=xterm-256color -- --query "'{region=\"eu-nort\"}'" "$DATA/go-cpu.pb.gz"
expect "--query with a value no sample has" "$hint"

start 140 24 TERM=xterm-256color -- --view flame "$DATA/go-cpu.pb.gz"
expect "flame" "[Flamegraph]"
keys : C-u '{region="eu-nort"}' Enter
expect "a query typed with a value no sample has" "$hint"
keys : C-u '{region="eu-north"}' Enter
expect "a good query applied" '{region="eu-north"}  cpu'
if screen | grep -qF "no sample has region"; then ko "a good query still shows the hint"; else ok; fi

finish
