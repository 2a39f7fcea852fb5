//! # sanad-relay
//!
//! The zero-knowledge relay (work in progress).

#![forbid(unsafe_code)]

pub mod durability;
pub mod limits;
pub mod service;
pub mod store;
