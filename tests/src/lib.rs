//! # sanad-tests
//!
//! Shared helpers for the end-to-end tests in `tests/tests/` and the
//! benchmark binary: real relays (in-process, or as a child process for the
//! crash test) on loopback with real sled storage in temporary directories,
//! and real clients. Nothing here mocks a Sanad component.
//!
//! - [`harness`]: start, restart and stop relays; connect clients.
//! - [`baseline`]: the raw-quinn transfer that benchmark ratios divide by.
//! - [`impair`]: a UDP proxy that imposes rate, delay, loss and outages.
//! - [`logbench`]: the transparency-log benchmarks of `sanad-logbench`.
//! - [`msgbench`]: the messaging benchmarks behind `sanad-msgbench`.
//! - [`tsa`]: a real RFC 3161 timestamp authority (`openssl ts`) behind a
//!   loopback HTTP server, and canned HTTP answers.

#![forbid(unsafe_code)]

pub mod baseline;
pub mod bench;
pub mod harness;
pub mod impair;
pub mod logbench;
pub mod msgbench;
pub mod tsa;
