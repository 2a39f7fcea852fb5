//! A real RFC 3161 timestamp authority on loopback: stock `openssl ts
//! -reply` behind a minimal HTTP server, with a CA, a P-256 TSA certificate
//! (critical extended key usage timeStamping) and a second, untrusted TSA
//! certificate, all made by `openssl` in a temporary directory.
//!
//! `openssl ts -reply` is not an HTTP server, so [`LocalTsa`] accepts each
//! `POST` on 127.0.0.1, writes the body to a file, runs `openssl ts -reply
//! -queryfile … -config …` on it and answers the response it wrote. The path
//! chooses the behaviour:
//!
//! - `/tsr`: grant, answered with `Content-Length`;
//! - `/chunked`: grant, answered with `Transfer-Encoding: chunked`;
//! - `/reject`: OpenSSL configured to accept only SHA-512 imprints, so
//!   Sanad's SHA-256 request is refused (`badAlg`) by OpenSSL itself.
//!
//! [`serve_canned`] answers every connection with fixed bytes (or nothing),
//! for the HTTP failures a real TSA does not produce on demand.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

/// Largest request the local TSA reads.
const MAX_REQUEST: usize = 64 * 1024;

/// A timestamp authority run by OpenSSL on loopback.
pub struct LocalTsa {
    dir: tempfile::TempDir,
    addr: SocketAddr,
    task: JoinHandle<()>,
}

fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("openssl runs (it must be installed for these tests)");
    assert!(
        output.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

const EXTENSIONS: &str = "\
[tsa]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
";

fn ts_config(dir: &Path) -> String {
    let dir = dir.display();
    let common = format!(
        "dir = {dir}\nserial = {dir}/tsaserial\ncrypto_device = builtin\n\
         signer_cert = {dir}/tsa.pem\nsigner_key = {dir}/tsa.key\ncerts = {dir}/ca.pem\n\
         signer_digest = sha256\ndefault_policy = 1.2.3.4.1\n\
         accuracy = secs:1\nordering = no\ntsa_name = yes\n\
         ess_cert_id_chain = no\ness_cert_id_alg = sha256\n"
    );
    format!(
        "[tsa]\ndefault_tsa = grant\n\n[grant]\n{common}digests = sha256, sha384, sha512\n\n\
         [reject]\n{common}digests = sha512\n"
    )
}

/// Make a P-256 key and a certificate for it issued by the CA in `dir`.
fn issue(dir: &Path, name: &str, subject: &str, serial: &str) {
    openssl(
        dir,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            &format!("{name}.key"),
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-key",
            &format!("{name}.key"),
            "-subj",
            subject,
            "-out",
            &format!("{name}.csr"),
        ],
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            serial,
            "-days",
            "3650",
            "-sha256",
            "-extfile",
            "ext.cnf",
            "-extensions",
            "tsa",
            "-out",
            &format!("{name}.pem"),
        ],
    );
    openssl(
        dir,
        &[
            "x509",
            "-in",
            &format!("{name}.pem"),
            "-outform",
            "DER",
            "-out",
            &format!("{name}.der"),
        ],
    );
}

impl LocalTsa {
    /// Make the keys and certificates and start serving on a free port.
    pub async fn start() -> LocalTsa {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path();
        openssl(
            path,
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                "ca.key",
            ],
        );
        openssl(
            path,
            &[
                "req",
                "-x509",
                "-new",
                "-key",
                "ca.key",
                "-subj",
                "/O=Sanad tests/CN=Local Test Root CA",
                "-days",
                "3650",
                "-sha256",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-out",
                "ca.pem",
            ],
        );
        std::fs::write(path.join("ext.cnf"), EXTENSIONS).expect("write ext.cnf");
        issue(path, "tsa", "/O=Sanad tests/CN=Local Test TSA", "0x1001");
        issue(
            path,
            "other",
            "/O=Sanad tests/CN=Another Local TSA",
            "0x1002",
        );
        std::fs::write(path.join("tsaserial"), "01\n").expect("write serial");
        std::fs::write(path.join("ts.cnf"), ts_config(path)).expect("write ts.cnf");

        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(ServerState {
            dir: path.to_path_buf(),
            next: AtomicU64::new(0),
            openssl: Mutex::new(()),
        });
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let state = state.clone();
                tokio::spawn(async move {
                    // A failed exchange only fails the test that made it.
                    let _ = serve(stream, &state).await;
                });
            }
        });
        LocalTsa { dir, addr, task }
    }

    /// The address of the granting TSA (answers with `Content-Length`).
    pub fn url(&self) -> String {
        format!("http://{}/tsr", self.addr)
    }

    /// The same TSA, answering with chunked transfer encoding.
    pub fn chunked_url(&self) -> String {
        format!("http://{}/chunked", self.addr)
    }

    /// The same TSA configured to refuse SHA-256 requests.
    pub fn reject_url(&self) -> String {
        format!("http://{}/reject", self.addr)
    }

    /// The TSA's signing certificate (DER): what a verifier trusts.
    pub fn cert_der(&self) -> Vec<u8> {
        std::fs::read(self.dir.path().join("tsa.der")).expect("tsa.der")
    }

    /// Another TSA certificate from the same CA, which signed nothing here.
    pub fn other_cert_der(&self) -> Vec<u8> {
        std::fs::read(self.dir.path().join("other.der")).expect("other.der")
    }

    /// Whether stock `openssl ts -verify` accepts `token` (DER) for `data`,
    /// with the local CA as its trust anchor.
    pub fn openssl_verifies(&self, data: &[u8], token: &[u8]) -> bool {
        let n = rand::random::<u64>();
        let data_path = self.dir.path().join(format!("verify-{n}.dat"));
        let token_path = self.dir.path().join(format!("verify-{n}.tst"));
        std::fs::write(&data_path, data).expect("write data");
        std::fs::write(&token_path, token).expect("write token");
        let status = Command::new("openssl")
            .args(["ts", "-verify", "-data"])
            .arg(&data_path)
            .arg("-in")
            .arg(&token_path)
            .args(["-token_in", "-CAfile"])
            .arg(self.dir.path().join("ca.pem"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl runs");
        status.success()
    }
}

impl Drop for LocalTsa {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct ServerState {
    dir: PathBuf,
    next: AtomicU64,
    /// `openssl ts -reply` increments a serial file: one at a time.
    openssl: Mutex<()>,
}

async fn serve(mut stream: TcpStream, state: &ServerState) -> std::io::Result<()> {
    let Some((path, body)) = read_request(&mut stream).await? else {
        return stream
            .write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )
            .await;
    };
    let (section, chunked) = match path.as_str() {
        "/tsr" => ("grant", false),
        "/chunked" => ("grant", true),
        "/reject" => ("reject", false),
        _ => {
            return stream
                .write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .await;
        }
    };
    let n = state.next.fetch_add(1, Ordering::Relaxed);
    let query = state.dir.join(format!("query-{n}.tsq"));
    let reply = state.dir.join(format!("reply-{n}.tsr"));
    tokio::fs::write(&query, &body).await?;
    let ok = {
        let _one_at_a_time = state.openssl.lock().await;
        let (dir, query, reply) = (state.dir.clone(), query.clone(), reply.clone());
        tokio::task::spawn_blocking(move || {
            Command::new("openssl")
                .args(["ts", "-reply", "-config"])
                .arg(dir.join("ts.cnf"))
                .args(["-section", section, "-queryfile"])
                .arg(&query)
                .arg("-out")
                .arg(&reply)
                .current_dir(&dir)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .await
        .unwrap_or(false)
    };
    if !ok {
        return stream
            .write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
    }
    let answer = tokio::fs::read(&reply).await?;
    let mut out = Vec::new();
    if chunked {
        out.extend_from_slice(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\n\
              Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        );
        // Uneven chunks, with an extension on one size line.
        for (i, chunk) in answer.chunks(100).enumerate() {
            if i == 1 {
                out.extend_from_slice(format!("{:X};note=1\r\n", chunk.len()).as_bytes());
            } else {
                out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            }
            out.extend_from_slice(chunk);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\n\r\n");
    } else {
        out.extend_from_slice(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                answer.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&answer);
    }
    stream.write_all(&out).await?;
    stream.shutdown().await
}

/// Read a `POST` with a `Content-Length` body: its path and body, or `None`
/// when it is not one.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut buf = Vec::new();
    let mut step = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if buf.len() > MAX_REQUEST {
            return Ok(None);
        }
        let n = stream.read(&mut step).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&step[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    if parts.next() != Some("POST") {
        return Ok(None);
    }
    let path = parts.next().unwrap_or_default().to_string();
    let mut length = None;
    let mut query_type = false;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse::<usize>().ok();
            }
            if name.eq_ignore_ascii_case("content-type") {
                query_type = value == "application/timestamp-query";
            }
        }
    }
    let Some(length) = length.filter(|l| *l <= MAX_REQUEST) else {
        return Ok(None);
    };
    if !query_type {
        return Ok(None);
    }
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut step).await?;
        if n == 0 {
            return Ok(None);
        }
        body.extend_from_slice(&step[..n]);
    }
    body.truncate(length);
    Ok(Some((path, body)))
}

/// Serve every connection on a free loopback port with `answer` after the
/// request head has arrived (`None`: read and never answer). Returns the
/// address and the task (abort it, or let the runtime end it).
pub async fn serve_canned(answer: Option<Vec<u8>>) -> (SocketAddr, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local address");
    let answer = Arc::new(answer);
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let answer = answer.clone();
            tokio::spawn(async move {
                let _ = read_request(&mut stream).await;
                match answer.as_ref() {
                    Some(bytes) => {
                        let _ = stream.write_all(bytes).await;
                        let _ = stream.shutdown().await;
                    }
                    None => {
                        // Hold the connection open without a word.
                        let mut sink = [0u8; 1024];
                        while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                    }
                }
            });
        }
    });
    (addr, task)
}
