//! Repeating requests that are safe to repeat, after transient failures.

use std::future::Future;
use std::time::Duration;

use crate::error::ClientError;
use crate::limits::{REQUEST_ATTEMPTS, RETRY_BACKOFF};

/// How often and how patiently a repeatable request is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Attempts in all, the first included (at least one).
    pub(crate) attempts: u32,
    /// Wait before the second attempt; doubled before each further one.
    pub(crate) backoff: Duration,
}

impl RetryPolicy {
    /// The default for requests that are safe to repeat.
    pub(crate) const REPEATABLE: RetryPolicy = RetryPolicy {
        attempts: REQUEST_ATTEMPTS,
        backoff: RETRY_BACKOFF,
    };

    /// A single attempt: for requests whose repetition would create a second
    /// object on the relay.
    pub(crate) const ONCE: RetryPolicy = RetryPolicy {
        attempts: 1,
        backoff: Duration::ZERO,
    };

    fn wait_before(&self, attempt: u32) -> Duration {
        self.backoff
            .saturating_mul(1u32 << attempt.saturating_sub(2).min(10))
    }
}

/// Run `op` until it succeeds, fails for a reason that is not transient, or
/// the attempts are used up. `op` must be safe to repeat as it is.
pub(crate) async fn retry<T, F, Fut>(policy: RetryPolicy, mut op: F) -> Result<T, ClientError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ClientError>>,
{
    let mut attempt = 1;
    loop {
        match op().await {
            Err(e) if e.is_transient() && attempt < policy.attempts.max(1) => {
                attempt += 1;
                tracing::debug!(attempt, error = %e, "retrying after a transient failure");
                tokio::time::sleep(policy.wait_before(attempt)).await;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sanad_protocol::ErrorCode;
    use std::sync::atomic::{AtomicU32, Ordering};

    const FAST: RetryPolicy = RetryPolicy {
        attempts: 3,
        backoff: Duration::ZERO,
    };

    #[test]
    fn backoff_doubles_from_the_second_attempt() {
        let p = RetryPolicy {
            attempts: 5,
            backoff: Duration::from_millis(100),
        };
        assert_eq!(p.wait_before(2), Duration::from_millis(100));
        assert_eq!(p.wait_before(3), Duration::from_millis(200));
        assert_eq!(p.wait_before(4), Duration::from_millis(400));
    }

    #[tokio::test]
    async fn transient_failures_are_retried_up_to_the_limit() {
        let calls = AtomicU32::new(0);
        let r: Result<(), _> = retry(FAST, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(ClientError::transport("lost"))
        })
        .await;
        assert!(matches!(r, Err(ClientError::Transport { .. })));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn relay_refusals_and_pin_mismatches_are_not_retried() {
        for err in [
            || ClientError::PinMismatch,
            || ClientError::Relay {
                code: ErrorCode::BadUploadToken,
                value: 0,
            },
        ] {
            let calls = AtomicU32::new(0);
            let r: Result<(), _> = retry(FAST, || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(err())
            })
            .await;
            assert!(r.is_err());
            assert_eq!(calls.load(Ordering::SeqCst), 1);
        }
    }

    #[tokio::test]
    async fn a_request_sent_once_is_not_retried() {
        let calls = AtomicU32::new(0);
        let _: Result<(), _> = retry(RetryPolicy::ONCE, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(ClientError::transport("lost"))
        })
        .await;
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
