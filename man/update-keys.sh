#!/bin/sh
# Rewrites the KEYS section of man/ember.1 from `ember --keys` (the key
# tables the explorer runs on), so the manual lists every binding.
# Usage: man/update-keys.sh path/to/ember
set -e
ember=${1:?usage: man/update-keys.sh EMBER}
keys=$(mktemp)
"$ember" --keys | awk '
    /^  / {
        k = substr($0, 3, 11); sub(/ +$/, "", k); h = substr($0, 14)
        # troff: a backslash is written \e (a bare one would escape the
        # newline and swallow the key), a minus \-
        gsub(/\\/, "\\\\e", k); gsub(/\\/, "\\\\e", h); gsub(/-/, "\\-", h)
        print ".TP\n.B " k "\n" h; next
    }
    { print ".SS " $0 }' >"$keys"
awk -v keys="$keys" '
    /^\.SH KEYS$/ { print; while ((getline line < keys) > 0) print line; skip = 1; next }
    /^\.SH / { skip = 0 }
    !skip' man/ember.1 >man/ember.1.new
mv man/ember.1.new man/ember.1
rm -f "$keys"
