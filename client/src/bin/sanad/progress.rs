//! Progress bars for long transfers (indicatif), hidden with `--quiet`,
//! `--json`, or when standard error is not a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use sanad_client::Progress;

use crate::output::Out;

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
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template(
        "{bar:40.cyan/blue} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
    )
    .ok()?;
    bar.set_style(style);
    Some(Bar(bar))
}
