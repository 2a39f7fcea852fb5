//! Timestamp anchoring: obtain an RFC 3161 token for some bytes (the desk
//! stamps the current log checkpoint) from a timestamp authority, and check
//! it before keeping it (`docs/anchoring.md`).
//!
//! The exchange is one HTTP/1.1 `POST` of an `application/timestamp-query`
//! to an `http://` address (RFC 3161 §3.4), over a plain TCP connection
//! this module owns, with a connect timeout and a bound on the whole answer
//! (time and size, checked before anything is allocated). `https://` is
//! refused with its own error: the answer is self-authenticating (it is
//! signed by the TSA, checked against the certificate the caller pins, and
//! carries our fresh nonce), and the stamped hash is that of a checkpoint
//! that is public anyway, so TLS would add nothing the check does not.
//!
//! The byte formats and the verification are in
//! [`sanad_protocol::tsa`]; this module only moves bytes.

use std::io;
use std::time::Duration;

use rand_core::{OsRng, RngCore};
use sanad_protocol::limits::MAX_TSA_RESPONSE_LEN;
use sanad_protocol::tsa::{
    self, FailureInfo, PkiStatus, TsaError, VerifiedTimestamp, REQUEST_MEDIA_TYPE,
    RESPONSE_MEDIA_TYPE,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

use crate::limits::{
    MAX_HTTP_HEAD_LEN, MAX_HTTP_INTERIM, MAX_TSA_URL_LEN, TSA_CONNECT_TIMEOUT, TSA_RESPONSE_TIMEOUT,
};

/// Why anchoring failed. Messages name what went wrong, never bytes of the
/// answer.
#[derive(Debug, thiserror::Error)]
pub enum AnchorError {
    /// The address is not a usable `http://` URL (what is wrong is said).
    #[error("the timestamp authority address is not a usable http:// URL: {0}")]
    BadUrl(&'static str),
    /// An `https://` address was given.
    #[error(
        "https:// timestamp authority addresses are not supported; use the authority's http:// \
         address (its answers are signed and checked)"
    )]
    HttpsUnsupported,
    /// The address does not resolve, or the connection is refused.
    #[error("cannot reach the timestamp authority")]
    Unreachable(#[source] io::Error),
    /// Connecting took longer than the connect timeout.
    #[error("the timestamp authority did not accept a connection within {0:?}")]
    ConnectTimeout(Duration),
    /// The whole answer did not arrive within the response timeout.
    #[error("the timestamp authority did not answer within {0:?}")]
    ResponseTimeout(Duration),
    /// The connection failed while the request or answer was in transit.
    #[error("the connection to the timestamp authority failed")]
    Connection(#[source] io::Error),
    /// The answer is not well-formed HTTP/1.x (what is wrong is said).
    #[error("the timestamp authority's answer is not valid HTTP: {0}")]
    Http(&'static str),
    /// The answer is an HTTP status other than 200.
    #[error("the timestamp authority answered HTTP status {0}")]
    HttpStatus(u16),
    /// The answer is not of type `application/timestamp-reply`.
    #[error("the server's answer is not a timestamp response (wrong content type)")]
    NotTsaResponse,
    /// The answer is longer than the limit.
    #[error("the timestamp authority's answer is longer than {max} bytes")]
    ResponseTooLarge {
        /// The limit.
        max: usize,
    },
    /// The body is not a well-formed `TimeStampResp`.
    #[error("the timestamp authority's answer cannot be read")]
    BadResponse(#[source] TsaError),
    /// The authority refused to stamp.
    #[error("the timestamp authority refused: {status} ({failure})")]
    Rejected {
        /// The status it answered.
        status: PkiStatus,
        /// The reasons it gave.
        failure: FailureInfo,
    },
    /// The token does not verify against the certificates given (or lacks
    /// the nonce sent).
    #[error("the timestamp token does not verify")]
    Verification(#[source] TsaError),
}

/// Timeouts of one anchoring exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnchorOptions {
    /// Bound on resolving the name and connecting.
    pub connect_timeout: Duration,
    /// Bound on sending the request and reading the whole answer.
    pub response_timeout: Duration,
}

impl Default for AnchorOptions {
    fn default() -> Self {
        Self {
            connect_timeout: TSA_CONNECT_TIMEOUT,
            response_timeout: TSA_RESPONSE_TIMEOUT,
        }
    }
}

/// Ask the timestamp authority at `tsa_url` (`http://host[:port][/path]`)
/// to stamp SHA-256 of `stamped`, and verify its token against the TSA
/// certificates given (DER) and the fresh nonce sent. Returns the token
/// (DER, what a bundle stores) and what it proves.
pub async fn anchor(
    tsa_url: &str,
    stamped: &[u8],
    tsa_certs_der: &[&[u8]],
    options: &AnchorOptions,
) -> Result<(Vec<u8>, VerifiedTimestamp), AnchorError> {
    let url = TsaUrl::parse(tsa_url)?;
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    let query = tsa::request(stamped, nonce);
    let answer = post(&url, &query, options).await?;
    let token = tsa::token_from_response(&answer).map_err(|e| match e {
        TsaError::Rejected { status, failure } => AnchorError::Rejected { status, failure },
        other => AnchorError::BadResponse(other),
    })?;
    let verified = tsa::verify_fresh_token(&token, stamped, nonce, tsa_certs_der)
        .map_err(AnchorError::Verification)?;
    tracing::debug!(gen_time = verified.gen_time(), "timestamp token verified");
    Ok((token, verified))
}

// ------------------------------------------------------------------------
// The address.

/// A parsed `http://` TSA address.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TsaUrl {
    /// Host name or IP address (IPv6 without brackets).
    host: String,
    port: u16,
    /// Origin-form request target (`/` when the URL has no path).
    target: String,
    /// The `Host` header value.
    authority: String,
}

impl TsaUrl {
    fn parse(url: &str) -> Result<Self, AnchorError> {
        if url.len() > MAX_TSA_URL_LEN {
            return Err(AnchorError::BadUrl("too long"));
        }
        if !url.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AnchorError::BadUrl("spaces or non-ASCII characters"));
        }
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("https://") {
            return Err(AnchorError::HttpsUnsupported);
        }
        if !lower.starts_with("http://") {
            return Err(AnchorError::BadUrl("it does not start with http://"));
        }
        let rest = url.get("http://".len()..).unwrap_or_default();
        // The fragment is never sent.
        let rest = rest.split('#').next().unwrap_or_default();
        let (authority, target) = match rest.find(['/', '?']) {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        let target = match target {
            "" => "/".to_string(),
            t if t.starts_with('?') => format!("/{t}"),
            t => t.to_string(),
        };
        if authority.contains('@') {
            return Err(AnchorError::BadUrl(
                "credentials in the address are not supported",
            ));
        }
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            let (host, after) = bracketed
                .split_once(']')
                .ok_or(AnchorError::BadUrl("unclosed IPv6 bracket"))?;
            if host.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(AnchorError::BadUrl("bad IPv6 address"));
            }
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':').ok_or(AnchorError::BadUrl("bad port"))?),
            };
            (host, port)
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(AnchorError::BadUrl("no host"));
        }
        let port = match port {
            None => 80,
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or(AnchorError::BadUrl("bad port"))?,
            Some(_) => return Err(AnchorError::BadUrl("bad port")),
        };
        Ok(Self {
            host: host.to_string(),
            port,
            target,
            authority: authority.to_string(),
        })
    }
}

// ------------------------------------------------------------------------
// The exchange.

async fn post(url: &TsaUrl, body: &[u8], options: &AnchorOptions) -> Result<Vec<u8>, AnchorError> {
    let connect = TcpStream::connect((url.host.as_str(), url.port));
    let mut stream = match timeout(options.connect_timeout, connect).await {
        Err(_) => return Err(AnchorError::ConnectTimeout(options.connect_timeout)),
        Ok(Err(e)) => return Err(AnchorError::Unreachable(e)),
        Ok(Ok(stream)) => stream,
    };
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: {REQUEST_MEDIA_TYPE}\r\n\
         Accept: {RESPONSE_MEDIA_TYPE}\r\nContent-Length: {}\r\nConnection: close\r\n\
         User-Agent: sanad\r\n\r\n",
        url.target,
        url.authority,
        body.len()
    );
    match timeout(
        options.response_timeout,
        exchange(&mut stream, head.as_bytes(), body),
    )
    .await
    {
        Err(_) => Err(AnchorError::ResponseTimeout(options.response_timeout)),
        Ok(result) => result,
    }
}

async fn exchange(
    stream: &mut TcpStream,
    head: &[u8],
    body: &[u8],
) -> Result<Vec<u8>, AnchorError> {
    stream
        .write_all(head)
        .await
        .map_err(AnchorError::Connection)?;
    stream
        .write_all(body)
        .await
        .map_err(AnchorError::Connection)?;
    stream.flush().await.map_err(AnchorError::Connection)?;

    let mut incoming = Incoming {
        stream,
        buf: Vec::new(),
    };
    let mut interim = 0;
    let head = loop {
        let head = incoming.read_head().await?;
        if !(100..200).contains(&head.status) {
            break head;
        }
        interim += 1;
        if interim > MAX_HTTP_INTERIM {
            return Err(AnchorError::Http("too many interim answers"));
        }
    };
    if head.status != 200 {
        return Err(AnchorError::HttpStatus(head.status));
    }
    if !head.timestamp_reply {
        return Err(AnchorError::NotTsaResponse);
    }
    match head.framing {
        Framing::Length(len) => incoming.read_length(len).await,
        Framing::Chunked => incoming.read_chunked().await,
        Framing::UntilClose => incoming.read_to_close().await,
    }
}

/// Bytes read from the connection and not yet consumed.
struct Incoming<'s> {
    stream: &'s mut TcpStream,
    buf: Vec<u8>,
}

/// Read at most this much per step.
const READ_STEP: usize = 8 * 1024;

/// Most raw bytes of a chunked body: the body limit plus room for chunk
/// framing (a server that frames a small body in many tiny chunks is
/// refused as too large).
const MAX_CHUNKED_RAW_LEN: usize = 2 * MAX_TSA_RESPONSE_LEN + MAX_HTTP_HEAD_LEN;

impl Incoming<'_> {
    /// Read up to one step more (callers check the buffer's length against
    /// their bound between steps); false at the end of the stream.
    async fn fill(&mut self) -> Result<bool, AnchorError> {
        let mut step = [0u8; READ_STEP];
        let n = self
            .stream
            .read(&mut step)
            .await
            .map_err(AnchorError::Connection)?;
        self.buf
            .extend_from_slice(step.get(..n).unwrap_or_default());
        Ok(n > 0)
    }

    async fn read_head(&mut self) -> Result<Head, AnchorError> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let head = parse_head(self.buf.get(..end).unwrap_or_default())?;
                self.buf.drain(..end + 4);
                return Ok(head);
            }
            if self.buf.len() > MAX_HTTP_HEAD_LEN {
                return Err(AnchorError::Http("header too long"));
            }
            if !self.fill().await? {
                return Err(AnchorError::Http("the connection closed before an answer"));
            }
        }
    }

    async fn read_length(mut self, len: u64) -> Result<Vec<u8>, AnchorError> {
        let too_large = AnchorError::ResponseTooLarge {
            max: MAX_TSA_RESPONSE_LEN,
        };
        let len = usize::try_from(len).map_err(|_| too_large)?;
        if len > MAX_TSA_RESPONSE_LEN {
            return Err(AnchorError::ResponseTooLarge {
                max: MAX_TSA_RESPONSE_LEN,
            });
        }
        while self.buf.len() < len {
            if !self.fill().await? {
                return Err(AnchorError::Http("the answer ends before its length"));
            }
        }
        self.buf.truncate(len);
        Ok(self.buf)
    }

    async fn read_chunked(mut self) -> Result<Vec<u8>, AnchorError> {
        loop {
            if let Some(body) = decode_chunked(&self.buf)? {
                return Ok(body);
            }
            if self.buf.len() > MAX_CHUNKED_RAW_LEN {
                return Err(AnchorError::ResponseTooLarge {
                    max: MAX_TSA_RESPONSE_LEN,
                });
            }
            if !self.fill().await? {
                return Err(AnchorError::Http("the answer ends inside a chunk"));
            }
        }
    }

    async fn read_to_close(mut self) -> Result<Vec<u8>, AnchorError> {
        while self.fill().await? {
            if self.buf.len() > MAX_TSA_RESPONSE_LEN {
                return Err(AnchorError::ResponseTooLarge {
                    max: MAX_TSA_RESPONSE_LEN,
                });
            }
        }
        Ok(self.buf)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// How the body of an answer is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Length(u64),
    Chunked,
    UntilClose,
}

/// What the client needs of an HTTP answer's head.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Head {
    status: u16,
    framing: Framing,
    /// Whether the content type is `application/timestamp-reply` (or the
    /// `application/timestamp-response` some older servers send).
    timestamp_reply: bool,
}

/// Parse a status line and headers (without the final empty line).
fn parse_head(head: &[u8]) -> Result<Head, AnchorError> {
    let text = std::str::from_utf8(head).map_err(|_| AnchorError::Http("header is not text"))?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let rest = status_line
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| status_line.strip_prefix("HTTP/1.0 "))
        .ok_or(AnchorError::Http("no HTTP/1.x status line"))?;
    let code = rest.get(..3).unwrap_or_default();
    if code.len() != 3
        || !code.bytes().all(|b| b.is_ascii_digit())
        || !matches!(rest.as_bytes().get(3), None | Some(b' '))
    {
        return Err(AnchorError::Http("bad status code"));
    }
    let status: u16 = code
        .parse()
        .map_err(|_| AnchorError::Http("bad status code"))?;
    let mut length: Option<u64> = None;
    let mut chunked = false;
    let mut content_type = None;
    for line in lines {
        if line.starts_with([' ', '\t']) {
            return Err(AnchorError::Http("folded header line"));
        }
        let (name, value) = line
            .split_once(':')
            .ok_or(AnchorError::Http("header line without a colon"))?;
        let value = value.trim_matches([' ', '\t']);
        if name.eq_ignore_ascii_case("content-length") {
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(AnchorError::Http("bad Content-Length"));
            }
            let value: u64 = value.parse().map_err(|_| AnchorError::ResponseTooLarge {
                max: MAX_TSA_RESPONSE_LEN,
            })?;
            if length.is_some_and(|l| l != value) {
                return Err(AnchorError::Http("conflicting Content-Length headers"));
            }
            length = Some(value);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            if !value.eq_ignore_ascii_case("chunked") || chunked {
                return Err(AnchorError::Http("unsupported Transfer-Encoding"));
            }
            chunked = true;
        } else if name.eq_ignore_ascii_case("content-type") {
            let media = value.split(';').next().unwrap_or_default().trim();
            content_type = Some(media.to_ascii_lowercase());
        }
    }
    let framing = match (chunked, length) {
        (true, Some(_)) => {
            return Err(AnchorError::Http(
                "both Content-Length and Transfer-Encoding",
            ))
        }
        (true, None) => Framing::Chunked,
        (false, Some(len)) => Framing::Length(len),
        (false, None) => Framing::UntilClose,
    };
    let timestamp_reply = matches!(
        content_type.as_deref(),
        Some("application/timestamp-reply" | "application/timestamp-response")
    );
    Ok(Head {
        status,
        framing,
        timestamp_reply,
    })
}

/// Longest chunk-size or trailer line.
const MAX_CHUNK_LINE: usize = 1024;

/// Decode a chunked body from the bytes received so far: `None` when more
/// are needed, the body once the last chunk and trailers are in.
fn decode_chunked(raw: &[u8]) -> Result<Option<Vec<u8>>, AnchorError> {
    const BAD: AnchorError = AnchorError::Http("bad chunked encoding");
    let mut body = Vec::new();
    let mut pos = 0usize;
    loop {
        let rest = raw.get(pos..).unwrap_or_default();
        let Some(line_len) = find(rest, b"\r\n") else {
            return if rest.len() > MAX_CHUNK_LINE {
                Err(BAD)
            } else {
                Ok(None)
            };
        };
        if line_len > MAX_CHUNK_LINE {
            return Err(BAD);
        }
        let line = rest.get(..line_len).unwrap_or_default();
        let size_field = line.split(|b| *b == b';').next().unwrap_or_default();
        let size_text = std::str::from_utf8(size_field)
            .map_err(|_| BAD)?
            .trim_matches([' ', '\t']);
        if size_text.is_empty() || size_text.len() > 8 {
            return Err(BAD);
        }
        let size = usize::from_str_radix(size_text, 16).map_err(|_| BAD)?;
        pos += line_len + 2;
        if size == 0 {
            // Trailer lines until an empty one.
            loop {
                let rest = raw.get(pos..).unwrap_or_default();
                let Some(len) = find(rest, b"\r\n") else {
                    return if rest.len() > MAX_CHUNK_LINE {
                        Err(BAD)
                    } else {
                        Ok(None)
                    };
                };
                if len == 0 {
                    return Ok(Some(body));
                }
                if len > MAX_CHUNK_LINE {
                    return Err(BAD);
                }
                pos += len + 2;
            }
        }
        if body.len() + size > MAX_TSA_RESPONSE_LEN {
            return Err(AnchorError::ResponseTooLarge {
                max: MAX_TSA_RESPONSE_LEN,
            });
        }
        let Some(chunk) = raw.get(pos..pos + size) else {
            return Ok(None);
        };
        match raw.get(pos + size..pos + size + 2) {
            None if raw.len() < pos + size + 2 => return Ok(None),
            Some(b"\r\n") => {}
            _ => return Err(BAD),
        }
        body.extend_from_slice(chunk);
        pos += size + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> TsaUrl {
        TsaUrl::parse(s).expect("parses")
    }

    #[test]
    fn urls_give_host_port_target_and_host_header() {
        let u = url("http://tsa.example.org/tsr");
        assert_eq!(
            (
                u.host.as_str(),
                u.port,
                u.target.as_str(),
                u.authority.as_str()
            ),
            ("tsa.example.org", 80, "/tsr", "tsa.example.org")
        );
        let u = url("HTTP://127.0.0.1:3180");
        assert_eq!(
            (u.host.as_str(), u.port, u.target.as_str()),
            ("127.0.0.1", 3180, "/")
        );
        let u = url("http://[::1]:8080/a/b?x=1#frag");
        assert_eq!(
            (
                u.host.as_str(),
                u.port,
                u.target.as_str(),
                u.authority.as_str()
            ),
            ("::1", 8080, "/a/b?x=1", "[::1]:8080")
        );
        assert_eq!(url("http://h?q").target, "/?q");
    }

    #[test]
    fn unusable_urls_are_refused_with_their_reason() {
        assert!(matches!(
            TsaUrl::parse("https://freetsa.org/tsr"),
            Err(AnchorError::HttpsUnsupported)
        ));
        for bad in [
            "ftp://h/",
            "h:80",
            "http://",
            "http://:80/",
            "http://h:0/",
            "http://h:65536/",
            "http://h:x/",
            "http://h:/",
            "http://u:p@h/",
            "http://[::1/",
            "http://[zz]/",
            "http://h/a b",
            "http://h/\r\nX: y",
            "http://h/é",
        ] {
            assert!(
                matches!(TsaUrl::parse(bad), Err(AnchorError::BadUrl(_))),
                "{bad}"
            );
        }
        let long = format!("http://h/{}", "a".repeat(MAX_TSA_URL_LEN));
        assert!(matches!(
            TsaUrl::parse(&long),
            Err(AnchorError::BadUrl("too long"))
        ));
    }

    fn head(s: &str) -> Result<Head, AnchorError> {
        parse_head(s.as_bytes())
    }

    #[test]
    fn heads_give_status_framing_and_media_type() {
        let h = head(
            "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nContent-Length: 12",
        )
        .expect("parses");
        assert_eq!(h.status, 200);
        assert_eq!(h.framing, Framing::Length(12));
        assert!(h.timestamp_reply);
        let h = head("HTTP/1.0 200\r\ncontent-type: Application/Timestamp-Reply; charset=x\r\ntransfer-encoding: Chunked")
            .expect("parses");
        assert_eq!(h.framing, Framing::Chunked);
        assert!(h.timestamp_reply);
        let h = head("HTTP/1.1 404 Not Found\r\nContent-Type: text/html").expect("parses");
        assert_eq!(
            (h.status, h.framing, h.timestamp_reply),
            (404, Framing::UntilClose, false)
        );
        let h =
            head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5").expect("same twice");
        assert_eq!(h.framing, Framing::Length(5));
    }

    #[test]
    fn bad_heads_are_refused() {
        for bad in [
            "HTTP/2 200 OK",
            "HTTP/1.1 20 OK",
            "HTTP/1.1 2000 OK",
            "HTTP/1.1 abc OK",
            "HTTP/1.1 200 OK\r\nno colon",
            "HTTP/1.1 200 OK\r\nA: b\r\n folded",
            "HTTP/1.1 200 OK\r\nContent-Length: -1",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3",
        ] {
            assert!(matches!(head(bad), Err(AnchorError::Http(_))), "{bad:?}");
        }
        assert!(matches!(
            head("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999"),
            Err(AnchorError::ResponseTooLarge { .. })
        ));
    }

    #[test]
    fn chunked_bodies_decode_once_complete() {
        let raw = b"4\r\nabcd\r\n3;ext=1\r\nefg\r\n0\r\nTrailer: x\r\n\r\n";
        assert_eq!(
            decode_chunked(raw).expect("valid"),
            Some(b"abcdefg".to_vec())
        );
        for cut in 0..raw.len() {
            assert_eq!(
                decode_chunked(&raw[..cut]).expect("valid so far"),
                None,
                "{cut}"
            );
        }
        for bad in [&b"x\r\n"[..], b"4\r\nabcdXY", b"-1\r\n", b"123456789\r\n"] {
            assert!(matches!(decode_chunked(bad), Err(AnchorError::Http(_))));
        }
        let huge = format!("{:x}\r\n", MAX_TSA_RESPONSE_LEN + 1);
        assert!(matches!(
            decode_chunked(huge.as_bytes()),
            Err(AnchorError::ResponseTooLarge { .. })
        ));
        let long_line = vec![b'1'; MAX_CHUNK_LINE + 1];
        assert!(matches!(
            decode_chunked(&long_line),
            Err(AnchorError::Http(_))
        ));
    }
}
