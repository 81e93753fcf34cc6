//! Rankings and grades: units are ranked within their group (county
//! governments apart from departments: 分类考核), equal totals share a rank,
//! grades follow the bands, an 优秀 quota keeps only the first of a group
//! at 优秀, a veto grades 不合格 whatever the total, and the units that get a
//! 限期整改 item are every 不合格 one and the last of each group.

use super::Scheme;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 优秀.
    Excellent,
    /// 良好.
    Good,
    /// 合格.
    Pass,
    /// 不合格.
    Fail,
}

impl Grade {
    /// Every grade, the best first.
    pub const ALL: [Grade; 4] = [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail];

    /// The identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Good => "good",
            Grade::Pass => "pass",
            Grade::Fail => "fail",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Good => "良好",
            Grade::Pass => "合格",
            Grade::Fail => "不合格",
        }
    }
}

/// The group a unit is ranked in, from its kind (`government`,
/// `department`…); a unit answering for a region below the plan's (a county
/// plan's office reporting the county's part) is ranked with the governments.
pub fn group_of(kind: &str, for_region: bool) -> &'static str {
    match kind {
        _ if for_region => "县（市、区）政府",
        "government" | "collective" => "县（市、区）政府",
        "park" => "园区",
        _ => "部门单位",
    }
}

/// A unit to rank.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// Its group.
    pub group: String,
    /// Its total.
    pub total: f64,
    /// Whether a veto stands against it.
    pub vetoed: bool,
}

/// A unit's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Place {
    /// Its rank in its group (equal totals share one; 1, 1, 3).
    pub rank: i64,
    /// How many units the group has.
    pub of: i64,
    /// Its grade.
    pub grade: Grade,
    /// Whether it gets a 限期整改 item.
    pub rectify: bool,
    /// Whether the quota took 优秀 away.
    pub quota_limited: bool,
}

/// The places of `units` (in their order) under `scheme`.
pub fn places(scheme: &Scheme, units: &[Ranked]) -> Vec<Place> {
    let mut out = vec![Place { rank: 0, of: 0, grade: Grade::Fail, rectify: false, quota_limited: false }; units.len()];
    let mut groups: Vec<&str> = units.iter().map(|u| u.group.as_str()).collect();
    groups.sort_unstable();
    groups.dedup();
    for group in groups {
        let mut members: Vec<usize> = (0..units.len()).filter(|&i| units[i].group == group).collect();
        // The vetoed after everyone, then by total; the input order breaks no tie.
        let key = |i: usize| (units[i].vetoed, -units[i].total);
        members.sort_by(|&a, &b| {
            let (va, ta) = key(a);
            let (vb, tb) = key(b);
            va.cmp(&vb).then(ta.total_cmp(&tb))
        });
        let n = members.len() as i64;
        let quota = scheme.excellent_quota_pct.map(|q| ((q / 100.0) * n as f64).floor().max(1.0) as usize);
        let mut excellent = 0;
        for (pos, &i) in members.iter().enumerate() {
            let u = &units[i];
            let rank =
                if pos > 0 && key(members[pos - 1]) == key(i) { out[members[pos - 1]].rank } else { pos as i64 + 1 };
            let mut grade = band(scheme, u.total);
            let mut quota_limited = false;
            if u.vetoed {
                grade = Grade::Fail;
            } else if grade == Grade::Excellent {
                if quota.is_some_and(|q| excellent >= q) {
                    grade = Grade::Good;
                    quota_limited = true;
                } else {
                    excellent += 1;
                }
            }
            out[i] = Place { rank, of: n, grade, rectify: false, quota_limited };
        }
        let bottom = scheme.rectify_bottom.max(0) as usize;
        for (pos, &i) in members.iter().enumerate() {
            let last = members.len() > 1 && pos >= members.len().saturating_sub(bottom);
            out[i].rectify = out[i].grade == Grade::Fail || last;
        }
    }
    out
}

/// The grade of a total by the bands.
pub fn band(scheme: &Scheme, total: f64) -> Grade {
    let b = &scheme.bands;
    if total >= b.excellent {
        Grade::Excellent
    } else if total >= b.good {
        Grade::Good
    } else if total >= b.pass {
        Grade::Pass
    } else {
        Grade::Fail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(group: &str, total: f64, vetoed: bool) -> Ranked {
        Ranked { group: group.into(), total, vetoed }
    }

    #[test]
    fn groups_rank_apart_and_ties_share_a_rank() {
        let units = [
            unit("县（市、区）政府", 91.0, false),
            unit("部门单位", 85.0, false),
            unit("县（市、区）政府", 95.0, false),
            unit("部门单位", 85.0, false),
            unit("部门单位", 59.5, false),
        ];
        let p = places(&Scheme::default(), &units);
        assert_eq!(p.iter().map(|p| (p.rank, p.of)).collect::<Vec<_>>(), [(2, 2), (1, 3), (1, 2), (1, 3), (3, 3)]);
        assert_eq!(
            p.iter().map(|p| p.grade).collect::<Vec<_>>(),
            [Grade::Excellent, Grade::Good, Grade::Excellent, Grade::Good, Grade::Fail]
        );
        // The last of each group, and the failing one.
        assert_eq!(p.iter().map(|p| p.rectify).collect::<Vec<_>>(), [true, false, false, false, true]);
    }

    #[test]
    fn a_veto_fails_whatever_the_total_and_ranks_last() {
        let units = [unit("部门单位", 98.0, true), unit("部门单位", 70.0, false)];
        let p = places(&Scheme::default(), &units);
        assert_eq!((p[0].grade, p[0].rank), (Grade::Fail, 2));
        assert_eq!((p[1].grade, p[1].rank), (Grade::Pass, 1));
        assert!(p[0].rectify);
    }

    #[test]
    fn the_quota_keeps_only_the_first_at_excellent() {
        let scheme = Scheme { excellent_quota_pct: Some(30.0), rectify_bottom: 0, ..Scheme::default() };
        let units: Vec<Ranked> = [99.0, 97.0, 95.0, 93.0, 60.0].iter().map(|t| unit("部门单位", *t, false)).collect();
        let p = places(&scheme, &units);
        // 30 % of 5 is 1.5: one 优秀.
        assert_eq!(
            p.iter().map(|p| p.grade).collect::<Vec<_>>(),
            [Grade::Excellent, Grade::Good, Grade::Good, Grade::Good, Grade::Pass]
        );
        assert!(p[1].quota_limited && !p[0].quota_limited);
        assert!(p.iter().all(|p| !p.rectify), "no one failed and no bottom is named");
    }

    #[test]
    fn kinds_fall_into_groups() {
        assert_eq!(group_of("government", false), "县（市、区）政府");
        assert_eq!(group_of("department", true), "县（市、区）政府", "a county plan's office answers for its county");
        assert_eq!(group_of("department", false), "部门单位");
        assert_eq!(group_of("enterprise", false), "部门单位");
    }
}
