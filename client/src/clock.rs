//! The relay's clock as seen from here.
//!
//! Owner-signed requests carry a timestamp the relay checks against its own
//! clock. Phones in the field often have wrong clocks, so the client keeps
//! the offset between the relay's time and the local time, learned from a
//! `Pong` or from the relay time a `StaleTimestamp` refusal carries.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Offset from the local clock to the relay's, in seconds.
#[derive(Debug, Default)]
pub(crate) struct RelayClock {
    offset: AtomicI64,
}

fn local_now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl RelayClock {
    /// The current relay time, estimated.
    pub(crate) fn now(&self) -> u64 {
        self.at_local(local_now())
    }

    /// Record that the relay's clock reads `relay_time` now.
    pub(crate) fn learn(&self, relay_time: u64) {
        self.learn_at(relay_time, local_now());
    }

    /// Seconds to add to the local clock to get the relay's.
    pub(crate) fn offset(&self) -> i64 {
        self.offset.load(Ordering::Relaxed)
    }

    fn at_local(&self, local: i64) -> u64 {
        let t = local.saturating_add(self.offset());
        u64::try_from(t).unwrap_or(0)
    }

    fn learn_at(&self, relay_time: u64, local: i64) {
        self.offset
            .store(to_i64(relay_time).saturating_sub(local), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_clock_trusts_the_local_time() {
        let c = RelayClock::default();
        assert_eq!(c.at_local(1_700_000_000), 1_700_000_000);
    }

    #[test]
    fn a_learned_relay_time_corrects_a_slow_or_fast_local_clock() {
        let c = RelayClock::default();
        c.learn_at(1_700_000_000, 1_600_000_000);
        assert_eq!(c.at_local(1_600_000_010), 1_700_000_010);
        c.learn_at(1_700_000_000, 1_800_000_000);
        assert_eq!(c.at_local(1_800_000_010), 1_700_000_010);
    }

    #[test]
    fn a_local_clock_before_1970_does_not_wrap() {
        let c = RelayClock::default();
        assert_eq!(c.at_local(-5), 0);
        c.learn_at(100, -50);
        assert_eq!(c.at_local(-50), 100);
    }
}
