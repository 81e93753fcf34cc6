//! Progress of long imports: a bar at a terminal, a line per step otherwise
//! (so that logs and pipes see it too).

use bighealth_store::plans::Step;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// Shows import steps on standard error.
pub struct Progress {
    bar: Option<ProgressBar>,
    stage: &'static str,
}

impl Progress {
    /// A display for the current standard error.
    pub fn new() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg:10} [{bar:30}] {pos}/{len}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar
        });
        Progress { bar, stage: "" }
    }

    /// Shows `step`.
    pub fn step(&mut self, step: Step) {
        match &self.bar {
            Some(bar) => {
                if step.stage != self.stage {
                    bar.set_message(step.stage);
                    bar.set_length(step.total as u64);
                }
                bar.set_position(step.done as u64);
            }
            None => {
                let doing = if step.stage == "reports" { "generating" } else { "importing" };
                eprintln!("{doing}: {} {}/{}", step.stage, step.done, step.total)
            }
        }
        self.stage = step.stage;
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
