//! The server's clock: the system time, plus an offset that tests move
//! forward to see idle sessions end and lockouts lift without waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the Unix epoch, as the server sees them.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// Now, in ms since the epoch.
    pub fn now(&self) -> i64 {
        bighealth_store::now_ms() + self.offset.load(Ordering::SeqCst)
    }

    /// Moves the clock forward by `ms`.
    pub fn advance(&self, ms: i64) {
        self.offset.fetch_add(ms, Ordering::SeqCst);
    }
}
