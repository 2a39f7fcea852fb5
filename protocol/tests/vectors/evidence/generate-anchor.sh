#!/usr/bin/env bash
# Makes anchor-token.tsr: an RFC 3161 token over anchor-stamped.txt (the
# text of the anchored checkpoint of the test bundle, written by
# `SANAD_REGENERATE_VECTORS=1 cargo test -p sanad-protocol --test evidence_bundle`)
# from stock OpenSSL acting as the P-256 test TSA of ../tsa/ (its key and
# certificate). Run once; the token is committed so the tests need no OpenSSL.
#
#   bash protocol/tests/vectors/evidence/generate-anchor.sh
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)
tsa="$out/../tsa"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
openssl x509 -inform DER -in "$tsa/tsa-p256.der" -out tsa.pem
openssl ec -inform DER -in "$tsa/tsa-p256.key.der" -out tsa.key 2>/dev/null
openssl x509 -inform DER -in "$tsa/ca.der" -out ca.pem
cat > ts.cnf <<'CNF'
[tsa]
default_tsa = tsa_p256

[tsa_p256]
dir = .
serial = $dir/tsaserial
crypto_device = builtin
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
CNF
echo 01 > tsaserial
openssl ts -query -data "$out/anchor-stamped.txt" -sha256 -cert -out request.tsq
openssl ts -reply -config ts.cnf -section tsa_p256 -queryfile request.tsq -out response.der 2>/dev/null
openssl ts -reply -config ts.cnf -in response.der -token_out -out "$out/anchor-token.tsr" 2>/dev/null
openssl ts -verify -in "$out/anchor-token.tsr" -token_in -data "$out/anchor-stamped.txt" -CAfile ca.pem
