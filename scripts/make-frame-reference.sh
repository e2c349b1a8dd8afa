#!/usr/bin/env bash
# Regenerates test/fixtures/reference/frames-<capture>.tsv: tshark's per-frame view (number,
# epoch time, frame.len, frame.cap_len, interface id, encapsulation) of the format fixtures, so
# the core test suite compares the framer and record reader against tshark without running it.
# Generated with TShark (Wireshark) 4.0.17. Usage: scripts/make-frame-reference.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tshark >/dev/null || { echo "tshark is not installed (apt-get install tshark)" >&2; exit 1; }
out=test/fixtures/reference
for capture in test/fixtures/pcaps/fmt_*; do
  name=$(basename "$capture")
  case "$name" in *.gz) continue ;; esac # the gzip fixture is checked against fixtures-totals.tsv
  {
    printf 'number\ttime_epoch\tlen\tcap_len\tinterface_id\tencap_type\n'
    tshark -r "$capture" -T fields -E separator=/t \
      -e frame.number -e frame.time_epoch -e frame.len -e frame.cap_len -e frame.interface_id -e frame.encap_type \
      2>/dev/null
  } >"$out/frames-$name.tsv"
  echo "$out/frames-$name.tsv: $(($(wc -l <"$out/frames-$name.tsv") - 1)) frames"
done
