//! The plans' progress rolled up by region: for a region and each of its
//! children, the plans under it, their tasks by status against 序时, the
//! year's investment of their projects against what is due, and their
//! reporting rates — read from the approved figures at each request, as the
//! plans' own statuses are.

use crate::access::{Action, Actor};
use crate::analysis::status::StatusCount;
use crate::db::Store;
use crate::error::Result;
use crate::plans::region_prefix;
use bighealth_rules::analysis::Status;
use bighealth_rules::reporting::rates::{Rates, combined};
use serde::Serialize;
use utoipa::ToSchema;

/// A region's plans together.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegionProgress {
    /// The region's code.
    pub region: String,
    /// Its name.
    pub name: String,
    /// Plans in it or below it.
    pub plans: usize,
    /// Their tasks.
    pub tasks: i64,
    /// Of them, per status (红, 黄, 未报送, 无法判断, 绿 in that order).
    pub statuses: Vec<StatusCount>,
    /// The year's investment completed by the projects (万元).
    pub invested: f64,
    /// What 序时 called for by now (万元).
    pub due: f64,
    /// The reporting rates over their units and the year's periods so far.
    pub rates: Rates,
}

struct One {
    region: String,
    tasks: i64,
    statuses: Vec<(Status, i64)>,
    invested: f64,
    due: f64,
    rates: Rates,
}

impl Store {
    /// Region `code`'s plans' progress, then each child's, the child with
    /// the most red tasks first.
    pub async fn region_progress(&self, actor: &Actor, code: &str, now: i64) -> Result<Vec<RegionProgress>> {
        actor.require(Action::ReadPlans)?;
        let region = self.region(code).await?;
        let mut ones = Vec::new();
        for p in self.plans(Some(code), false).await? {
            let status = self.plan_status(actor, p.id, None, now).await?;
            let tasks = status.kinds.iter().find(|k| k.kind == "task");
            let statuses = Status::ALL
                .iter()
                .map(|s| (*s, tasks.map_or(0, |k| k.counts.iter().filter(|c| c.status == *s).map(|c| c.count).sum())))
                .collect();
            let projects = status.items.iter().filter(|i| i.kind == "project");
            let (due, invested) = projects.fold((0.0, 0.0), |(d, a), i| {
                (d + i.judgement.expected.unwrap_or(0.0), a + i.judgement.actual.unwrap_or(0.0))
            });
            let rates = self.reporting_rates(actor, p.id, i64::from(status.period.end.year()), now).await?.total;
            ones.push(One { region: p.region, tasks: tasks.map_or(0, |k| k.total), statuses, invested, due, rates });
        }
        let sum = |code: &str, name: &str| {
            let like = region_prefix(code);
            let stem = like.trim_end_matches('%');
            let mine: Vec<&One> = ones.iter().filter(|o| o.region.starts_with(stem)).collect();
            RegionProgress {
                region: code.to_string(),
                name: name.to_string(),
                plans: mine.len(),
                tasks: mine.iter().map(|o| o.tasks).sum(),
                statuses: Status::ALL
                    .iter()
                    .map(|s| StatusCount {
                        status: *s,
                        label: s.label().into(),
                        count: mine.iter().flat_map(|o| &o.statuses).filter(|(x, _)| x == s).map(|(_, n)| n).sum(),
                    })
                    .collect(),
                invested: mine.iter().map(|o| o.invested).sum(),
                due: mine.iter().map(|o| o.due).sum(),
                rates: combined(mine.iter().map(|o| &o.rates)),
            }
        };
        let mut out = vec![sum(&region.code, &region.name)];
        let mut children: Vec<RegionProgress> =
            self.region_children(code).await?.iter().map(|c| sum(&c.code, &c.name)).filter(|p| p.plans > 0).collect();
        let red = |p: &RegionProgress| p.statuses.iter().find(|c| c.status == Status::Red).map_or(0, |c| c.count);
        children.sort_by(|a, b| red(b).cmp(&red(a)).then(a.region.cmp(&b.region)));
        out.extend(children);
        Ok(out)
    }
}
