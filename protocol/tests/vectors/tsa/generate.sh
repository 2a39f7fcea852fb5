#!/usr/bin/env bash
# Generates the RFC 3161 vectors in this folder with stock OpenSSL (3.0),
# acting as a real timestamp authority. Run once; the outputs are committed
# so that the protocol crate's tests need no OpenSSL. Running it again makes
# new keys, certificates and tokens (the tests read whatever is here).
#
#   bash protocol/tests/vectors/tsa/generate.sh
#
# The private keys are test keys made here and used nowhere else; the one
# of the P-256 TSA is kept (tsa-p256.key.der, SEC1) so that the tests can
# re-sign altered tokens and reach every check behind the signature.
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# Checkpoint-like bytes (C2SP checkpoint body form).
printf 'sanad.example/log\n8\nZXhhbXBsZSByb290IGhhc2ggb2YgdGhlIGxvZyBhdCA4\n' > stamped.txt

days=36500
ca_subj="/O=Sanad tests/CN=Sanad Test Root CA"

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
openssl req -x509 -new -key ca.key -subj "$ca_subj" -days $days -sha256 \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" -out ca.pem

cat > ext.cnf <<'EOF'
[tsa]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[tsa_noncritical]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = timeStamping
subjectKeyIdentifier = hash

[tsa_no_eku]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
EOF

serial=4096
# cert NAME KEYSPEC EXTENSIONS SUBJECT
cert() {
  local name=$1 keyspec=$2 ext=$3 subj=$4
  serial=$((serial + 1))
  # shellcheck disable=SC2086
  openssl genpkey $keyspec -out "$name.key" 2>/dev/null
  openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -set_serial $serial \
    -days $days -sha256 -extfile ext.cnf -extensions "$ext" -out "$name.pem" 2>/dev/null
  openssl x509 -in "$name.pem" -outform DER -out "$out/$name.der"
}
cert tsa-p256 "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" tsa "/O=Sanad tests/CN=Sanad Test TSA P-256"
cert tsa-p384 "-algorithm EC -pkeyopt ec_paramgen_curve:P-384" tsa "/O=Sanad tests/CN=Sanad Test TSA P-384"
cert tsa-rsa "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" tsa "/O=Sanad tests/CN=Sanad Test TSA RSA"
cert other-p256 "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" tsa "/O=Sanad tests/CN=Another TSA"
cert eku-noncritical "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" tsa_noncritical "/O=Sanad tests/CN=TSA with non-critical EKU"
cert no-eku "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" tsa_no_eku "/O=Sanad tests/CN=TSA without EKU"
openssl x509 -in ca.pem -outform DER -out "$out/ca.der"
openssl ec -in tsa-p256.key -outform DER -out "$out/tsa-p256.key.der" 2>/dev/null

cat > ts.cnf <<'EOF'
[tsa]
default_tsa = tsa_p256

[tsa_p256]
dir = .
serial = $dir/tsaserial
crypto_device = builtin
certs = $dir/ca.pem
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 3
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
signer_cert = $dir/tsa-p256.pem
signer_key = $dir/tsa-p256.key
signer_digest = sha256

[tsa_p384]
dir = .
serial = $dir/tsaserial
crypto_device = builtin
default_policy = 1.2.3.4.1
digests = sha256
ess_cert_id_alg = sha384
signer_cert = $dir/tsa-p384.pem
signer_key = $dir/tsa-p384.key
signer_digest = sha384

[tsa_rsa]
dir = .
serial = $dir/tsaserial
crypto_device = builtin
default_policy = 1.2.3.4.1
digests = sha256
ess_cert_id_alg = sha1
signer_cert = $dir/tsa-rsa.pem
signer_key = $dir/tsa-rsa.key
signer_digest = sha256

[tsa_reject]
dir = .
serial = $dir/tsaserial
crypto_device = builtin
default_policy = 1.2.3.4.1
digests = sha512
signer_cert = $dir/tsa-p256.pem
signer_key = $dir/tsa-p256.key
signer_digest = sha256
EOF
echo 01 > tsaserial

# The request Sanad sends (protocol::tsa::request) for stamped.txt with the
# nonce 0x0123456789abcdeffedcba9876543210, written out byte by byte:
# TimeStampReq { v1, MessageImprint { sha256 (no parameters), hash },
# nonce, certReq TRUE }.
hash=$(openssl dgst -sha256 -r stamped.txt | cut -c1-64)
nonce=0123456789abcdeffedcba9876543210
printf '%s' "3049020101302f300b06096086480165030402010420${hash}0210${nonce}0101ff" \
  | xxd -r -p > request.tsq
cp request.tsq "$out/request.tsq"
cp stamped.txt "$out/stamped.txt"

reply() { # SECTION RESPONSE-FILE
  openssl ts -reply -config ts.cnf -section "$1" -queryfile request.tsq -out "$2" 2>/dev/null
}
reply tsa_p256 "$out/response-p256.der"
openssl ts -reply -config ts.cnf -in "$out/response-p256.der" -token_out -out "$out/token-p256.der" 2>/dev/null
reply tsa_p384 response-p384.der
openssl ts -reply -config ts.cnf -in response-p384.der -token_out -out "$out/token-p384.der" 2>/dev/null
reply tsa_rsa response-rsa.der
openssl ts -reply -config ts.cnf -in response-rsa.der -token_out -out "$out/token-rsa-pkcs1.der" 2>/dev/null
reply tsa_reject "$out/response-rejected-badalg.der"

# OpenSSL's TSA only signs with ECDSA or RSA PKCS#1 v1.5, and refuses a
# certificate without a critical timeStamping usage. The other shapes are
# CMS signatures over the TSTInfo of the RSA token (which names no TSA), made
# by `openssl cms`: no ESS attribute, and the signer named by
# subjectKeyIdentifier.
openssl cms -verify -noverify -inform DER -in "$out/token-rsa-pkcs1.der" -binary -out tstinfo.der 2>/dev/null
sign() { # KEY-NAME OUTPUT [EXTRA OPTIONS...]
  local name=$1 output=$2
  shift 2
  openssl cms -sign -binary -nodetach -nosmimecap -in tstinfo.der \
    -econtent_type 1.2.840.113549.1.9.16.1.4 -signer "$name.pem" -inkey "$name.key" \
    -md sha256 -outform DER -out "$output" "$@"
}
sign tsa-rsa "$out/token-rsa-pss.der" -keyid -keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:32
sign eku-noncritical "$out/token-eku-noncritical.der"
sign no-eku "$out/token-no-eku.der"

# Check what was made with OpenSSL's own verifier, and keep OpenSSL's
# reading of each token for the tests to compare theirs with.
for token in token-p256 token-p384 token-rsa-pkcs1; do
  openssl ts -verify -in "$out/$token.der" -token_in -data stamped.txt -CAfile ca.pem >/dev/null
  openssl ts -reply -in "$out/$token.der" -token_in -token_out -text -out "$out/$token.txt" 2>/dev/null
done
ls -l "$out"
