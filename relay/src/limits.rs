//! Every bound the relay enforces, with its default, in one place.
//!
//! Wire-level maxima live in `sanad_protocol::limits`; the values here are the
//! relay's own (configurable) policy and can only be tighter.

use std::time::Duration;

/// Concurrent incoming QUIC handshakes accepted before new ones are refused.
pub const MAX_INCOMING_HANDSHAKES: usize = 1024;
/// Open connections (QUIC and TCP together) before new ones are refused.
pub const MAX_CONNECTIONS: usize = 4096;
/// Concurrent bidirectional streams (= requests in flight) per QUIC connection.
pub const MAX_STREAMS_PER_CONNECTION: u32 = 16;
/// QUIC connection-level receive window.
pub const CONNECTION_RECEIVE_WINDOW: u32 = 4 * 1024 * 1024;
/// QUIC per-stream receive window: one full segment request fits.
pub const STREAM_RECEIVE_WINDOW: u32 = 1280 * 1024;
/// QUIC send window.
pub const SEND_WINDOW: u64 = 4 * 1024 * 1024;
/// Kernel receive and send buffers asked for the UDP socket (best effort:
/// Linux grants at most `net.core.rmem_max` / `wmem_max`, often 208 KiB
/// unless raised). With the default 208 KiB, a burst of uploads overflows
/// the receive buffer and the kernel drops datagrams, which the senders
/// then encrypt and send again (measured on loopback: 30-45 % of a 256 MiB
/// upload's datagrams dropped).
pub const UDP_SOCKET_BUFFER: usize = 4 * 1024 * 1024;
/// A connection with no traffic for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// A request's header must arrive within this time after its stream opens,
/// and no read or write of a request may stall longer than this.
pub const REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// The slowest average rate at which a request body or a response is
/// accepted, in bytes per second: a 1 MiB segment may take up to about 17
/// minutes (GPRS-class links manage 5 KiB/s), but a client cannot hold its
/// share of the memory budget for ever by trickling bytes.
pub const MIN_TRANSFER_RATE: u64 = 1024;
/// A TLS-over-TCP handshake must finish within this time.
pub const TCP_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Bytes of request bodies held in memory across all connections at once.
/// A request waits for budget before its body is read.
pub const MAX_INFLIGHT_REQUEST_BYTES: usize = 96 * 1024 * 1024;
/// Most appends that share one transparency-log checkpoint (one batch).
pub const MAX_LOG_BATCH: usize = 4096;
/// Appends that may wait for the log's writer before new ones wait to be queued.
pub const LOG_QUEUE: usize = 16 * 1024;
/// How often expired messages, blobs and nonces are swept.
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(10 * 60);

/// Relay policy: quotas, sizes and expiry. Operators set these in the
/// configuration file or on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotas {
    /// Messages a mailbox may hold.
    pub max_messages_per_mailbox: u64,
    /// Bytes of message bodies a mailbox may hold.
    pub max_bytes_per_mailbox: u64,
    /// Largest message body accepted (≤ the wire maximum).
    pub max_message_len: usize,
    /// Largest blob accepted (≤ the wire maximum).
    pub max_blob_len: u64,
    /// Total bytes reserved by all blobs together; 0 means no limit.
    pub max_total_blob_bytes: u64,
    /// Messages older than this are deleted.
    pub message_ttl: Duration,
    /// Blobs older than this (complete or not) are deleted.
    pub blob_ttl: Duration,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            max_messages_per_mailbox: 10_000,
            max_bytes_per_mailbox: 256 * 1024 * 1024,
            max_message_len: sanad_protocol::limits::MAX_MESSAGE_LEN,
            max_blob_len: sanad_protocol::limits::MAX_BLOB_LEN,
            max_total_blob_bytes: 0,
            message_ttl: Duration::from_secs(30 * 24 * 3600),
            blob_ttl: Duration::from_secs(30 * 24 * 3600),
        }
    }
}
