//! # sanad-relay
//!
//! The zero-knowledge relay (work in progress).

#![forbid(unsafe_code)]

pub mod cli;
pub mod config;
pub mod durability;
pub mod keys;
pub mod limits;
pub mod log;
pub mod server;
pub mod service;
pub mod store;
mod transport;
