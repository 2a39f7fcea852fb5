//! Progress bars for long transfers (indicatif), hidden with `--quiet`,
//! `--json`, or when standard error is not a terminal. The figures beside
//! the bar are the user's language (sizes, rate, time left), not
//! indicatif's English ones.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use sanad_client::i18n::Localizer;
use sanad_client::{t, Progress};

use crate::output::{size, Out};

/// A bar on standard error.
pub struct Bar(ProgressBar);

impl Progress for Bar {
    fn advanced(&self, done_bytes: u64, total_bytes: u64) {
        if self.0.length() != Some(total_bytes) {
            self.0.reset();
            self.0.set_length(total_bytes);
        }
        self.0.set_position(done_bytes);
        if done_bytes >= total_bytes {
            self.0.finish_and_clear();
        }
    }
}

/// A bar, unless output is quiet or not a terminal.
pub fn bar(out: &Out<'_>) -> Option<Bar> {
    if out.quiet() || !std::io::stderr().is_terminal() {
        return None;
    }
    // The style outlives `out`, so it holds its own localizer.
    let loc = Arc::new(Localizer::new(out.loc().lang()));
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template("{bar:40.cyan/blue} {sanad_figures}")
        .ok()?
        .with_key(
            "sanad_figures",
            move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&figures(
                    &loc,
                    state.pos(),
                    state.len().unwrap_or(0),
                    state.per_sec(),
                    state.eta(),
                ));
            },
        );
    bar.set_style(style);
    Some(Bar(bar))
}

/// "1.5 MiB of 10.0 MiB · 200.0 KiB/s · 0:43 left", in `loc`'s language.
fn figures(loc: &Localizer, done: u64, total: u64, per_sec: f64, left: Duration) -> String {
    // A rate is never negative or infinite; `as` saturates anyway.
    let rate = if per_sec.is_finite() && per_sec > 0.0 {
        per_sec as u64
    } else {
        0
    };
    t!(
        loc,
        "progress-line",
        done = size(loc, done),
        total = size(loc, total),
        rate = size(loc, rate),
        left = clock(loc, left)
    )
}

/// A duration as m:ss or h:mm:ss, in the language's digits (hours capped
/// at 99: a stalled transfer's estimate means nothing).
fn clock(loc: &Localizer, d: Duration) -> String {
    let secs = d.as_secs().min(99 * 3600 + 59 * 60 + 59);
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    let text = if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    };
    loc.digits(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sanad_client::i18n::{strip_bidi_marks, Lang};

    #[test]
    fn progress_figures_are_in_the_users_language() {
        let left = Duration::from_secs(43);
        let en = figures(&Localizer::new(Lang::En), 1536, 10 << 20, 204_800.0, left);
        assert_eq!(en, "1.5 KiB of 10.0 MiB · 200.0 KiB/s · 0:43 left");
        let fr = figures(&Localizer::new(Lang::Fr), 1536, 10 << 20, 204_800.0, left);
        assert_eq!(fr, "1,5 Kio sur 10,0 Mio · 200,0 Kio/s · reste 0:43");
        let ar = figures(&Localizer::new(Lang::Ar), 1536, 10 << 20, 204_800.0, left);
        let ar = strip_bidi_marks(&ar);
        assert!(ar.contains("١٫٥") && ar.contains("٠:٤٣"), "{ar}");
        assert!(!ar.chars().any(|c| c.is_ascii_digit()), "{ar}");
    }

    #[test]
    fn time_left_shows_hours_only_when_needed_and_is_capped() {
        let en = Localizer::new(Lang::En);
        assert_eq!(clock(&en, Duration::from_secs(59)), "0:59");
        assert_eq!(clock(&en, Duration::from_secs(3600 + 61)), "1:01:01");
        assert_eq!(clock(&en, Duration::from_secs(u64::MAX)), "99:59:59");
    }

    #[test]
    fn a_stalled_transfer_shows_a_zero_rate() {
        let en = Localizer::new(Lang::En);
        let text = figures(&en, 0, 100, f64::NAN, Duration::ZERO);
        assert_eq!(text, "0 bytes of 100 bytes · 0 bytes/s · 0:00 left");
    }
}
