#!/bin/sh
# Regenerates the per-packet decode references in test/fixtures/reference/decode/ from the
# committed fixtures with tshark (4.0.x was used), so the core suite needs no tshark at run time.
# Usage: scripts/make-decode-reference.sh [fixture ...]   (default: every fixture in test/fixtures/pcaps)
#
# Reference configuration (see test/fixtures/reference/decode/README.md):
# - TCP stream reassembly and IPv4/IPv6 defragmentation are OFF: Flowlab decodes each packet on
#   its own, so tshark must also show what each packet itself holds (not reassembled values on
#   the last segment/fragment).
# - Name resolution is off (-n). All occurrences of a field are kept, joined by U+001F, because
#   tunnels and ICMP errors carry several IP/transport headers and the test picks the right one.
set -eu
cd "$(dirname "$0")/.."
FIXTURES=test/fixtures/pcaps
OUT=test/fixtures/reference/decode
mkdir -p "$OUT"

FIELDS="frame.number frame.interface_id frame.protocols frame.len
eth.src eth.dst sll.src.eth vlan.id
ip.src ip.dst ip.proto ip.ttl ip.id ip.flags ip.frag_offset ip.len ip.hdr_len
ipv6.src ipv6.dst ipv6.nxt ipv6.hlim ipv6.plen
ipv6.hopopts.nxt ipv6.routing.nxt ipv6.fraghdr.nxt ipv6.dstopts.nxt ah.next_header
ipv6.fraghdr.offset ipv6.fraghdr.more ipv6.fraghdr.ident
tcp.srcport tcp.dstport tcp.flags tcp.seq_raw tcp.ack_raw tcp.window_size_value tcp.hdr_len tcp.len tcp.options.mss_val
udp.srcport udp.dstport udp.length
icmp.type icmp.code icmp.ident icmpv6.type icmpv6.code icmpv6.echo.identifier
arp.opcode arp.src.hw_mac arp.src.proto_ipv4 arp.dst.hw_mac arp.dst.proto_ipv4
dns.id dns.flags.response dns.flags.rcode dns.qry.name dns.qry.type
dns.a dns.aaaa dns.cname dns.ptr.domain_name dns.ns
tls.handshake.type tls.handshake.extensions_server_name tls.handshake.version tls.handshake.extensions.supported_version
dtls.handshake.type dtls.handshake.extensions_server_name dtls.handshake.version dtls.handshake.extensions.supported_version
http.request.method http.request.uri http.host http.user_agent http.response.code
gquic.tag.sni"

if [ "$#" -gt 0 ]; then
  LIST="$*"
else
  LIST=$(ls "$FIXTURES" | grep -v '\.tsv$')
fi

ARGS=""
for field in $FIELDS; do ARGS="$ARGS -e $field"; done
US=$(printf '\037')

for fixture in $LIST; do
  out="$OUT/$fixture.tsv"
  # Header row: the field names, tab-separated.
  echo $FIELDS | tr ' ' '\t' >"$out"
  # shellcheck disable=SC2086
  tshark -n -r "$FIXTURES/$fixture" \
    -o tcp.desegment_tcp_streams:FALSE -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
    -T fields -E separator=/t -E occurrence=a -E "aggregator=$US" $ARGS 2>/dev/null >>"$out"
  # Large references are stored gzipped (the test reads .tsv and .tsv.gz).
  rm -f "$out.gz"
  if [ "$(wc -c <"$out")" -gt 1000000 ]; then gzip -n -9 "$out"; out="$out.gz"; fi
  echo "$out: $(($(zcat -f "$out" | wc -l) - 1)) packets"
done
tshark --version 2>/dev/null | head -1 >"$OUT/TSHARK_VERSION"
