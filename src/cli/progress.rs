//! The progress bar of `sds check` on a terminal.

use std::io::IsTerminal;

use super::args::{Format, OutputArgs};
use crate::engine;

/// A progress bar on standard error, for runs of many files on a terminal:
/// never in CI logs, never when standard error is piped, and not over a human
/// report being written to the same terminal.
pub(crate) fn progress_bar(out: &OutputArgs) -> Option<engine::ProgressHook> {
    let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let human_on_terminal = out
        .pairs()
        .unwrap_or_default()
        .iter()
        .any(|(f, d)| *f == Format::Human && d.is_none());
    let stdout_free = !human_on_terminal || !std::io::stdout().is_terminal();
    (interactive && stdout_free)
        .then(|| engine::ProgressHook(std::sync::Arc::new(Bar(indicatif::ProgressBar::hidden()))))
}

struct Bar(indicatif::ProgressBar);

impl engine::Progress for Bar {
    fn start(&self) {
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {pos} files checked ({msg}, {elapsed})",
        ) {
            self.0.set_style(style);
        }
    }
    fn advance(&self) {
        self.0.inc(1);
        // indicatif's own rate looks at the last few steps, and outcomes
        // arrive in batches: the average since the start is the true rate.
        let secs = self.0.elapsed().as_secs_f64();
        if secs > 0.0 {
            #[allow(clippy::cast_precision_loss)] // a file count, far below 2^52
            let rate = self.0.position() as f64 / secs;
            self.0.set_message(format!("{rate:.0} files/s"));
        }
        // A few files check faster than a progress line can be read: show it from the 50th on.
        if self.0.position() == 50 {
            self.0
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
