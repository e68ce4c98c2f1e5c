#!/usr/bin/env bash
# Regenerates svc-auth/src/main/resources/io/hyperinfer/auth/common-passwords.txt: the 10,000 most common passwords,
# most common first, from the npm package @zxcvbn-ts/language-common (MIT; its passwords.json is the frequency-ordered
# list zxcvbn derives from Mark Burnett's / xato's ten-million-password corpus). Needs npm and python3.
set -euo pipefail
version=4.1.3
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@zxcvbn-ts/language-common@$version" >/dev/null && tar xzf ./*.tgz)
python3 - "$tmp/package/src/passwords.json" "$here/src/main/resources/io/hyperinfer/auth/common-passwords.txt" \
  "$version" <<'PY'
import json, sys
words = json.load(open(sys.argv[1]))[:10000]
with open(sys.argv[2], "w") as out:
    out.write("# The 10,000 most common passwords, most common first: the first 10,000 entries of\n")
    out.write("# @zxcvbn-ts/language-common@%s src/passwords.json (MIT, Copyright (c) 2012-2016 Dan Wheeler and\n" % sys.argv[3])
    out.write("# Dropbox, Inc.; Copyright (c) 2021 @zxcvbn-ts). Regenerate with svc-auth/tools/update-common-passwords.sh.\n")
    for w in words:
        out.write(w + "\n")
PY
