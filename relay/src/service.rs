//! The request service: authenticates, applies quotas, calls the store, waits
//! for durability, answers. Transport-agnostic: QUIC and TCP both call
//! [`Service::handle`].
//!
//! TEMPORARY interface placeholder while the store is written; replaced in the
//! next commit.

use std::path::Path;

use sanad_protocol::{ErrorCode, Request, Response};

use crate::limits::Quotas;

/// Opening the relay's storage failed.
#[derive(Debug, thiserror::Error)]
#[error("storage: {0}")]
pub struct OpenError(String);

/// The relay's request handler. Cheap to share behind an `Arc`.
pub struct Service {
    _quotas: Quotas,
}

impl Service {
    /// Open (or create) the storage under `data_dir`, recovering from any crash.
    pub fn open(_data_dir: &Path, quotas: Quotas) -> Result<Service, OpenError> {
        Ok(Service { _quotas: quotas })
    }

    /// Answer one request. Mutations are durable before this returns.
    pub async fn handle(&self, _req: Request) -> Response {
        Response::error(ErrorCode::Internal)
    }

    /// Delete expired messages, blobs and nonces.
    pub async fn sweep(&self) {}

    /// Make everything durable before exit.
    pub async fn close(&self) {}
}
