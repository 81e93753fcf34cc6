//! Industry tags of tasks, targets and projects: the plan's segment (医 药 养
//! 健 管 游 食) and the 健康产业统计分类（2019） division, from the reader's
//! keyword classifier.

use crate::error::{Reason, Result, StoreError};
use bighealth_reader::segment::{Segment, classify};

/// The segment char and division code of a text, where its words settle them.
pub fn tag(text: &str) -> (Option<&'static str>, Option<&'static str>) {
    match classify(text) {
        Some(t) => (Some(t.segment.as_char()), t.division.map(|d| d.code)),
        None => (None, None),
    }
}

/// Checks a segment given by a user.
pub fn check_segment(s: &str) -> Result<()> {
    if Segment::parse(s).is_some() {
        Ok(())
    } else {
        let all: Vec<&str> = Segment::ALL.iter().map(|s| s.as_char()).collect();
        Err(StoreError::invalid("segment", Reason::NotOneOf { value: s.into(), allowed: all.join("、") }))
    }
}
