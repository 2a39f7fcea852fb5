//! # sanad-relay
//!
//! The zero-knowledge relay (work in progress).

#![forbid(unsafe_code)]

pub mod limits;
pub mod service;
