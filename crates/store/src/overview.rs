//! What leaders look at first: a plan's tasks and targets counted by segment
//! and by lead unit, its investment, its open findings; and the units a plan
//! names, for the office to review.

use crate::Store;
use crate::error::Result;
use crate::plans::Plan;
use crate::projects::{ProjectQuery, ProjectTotals};
use crate::units::{Unit, UnitRow};
use serde::Serialize;
use utoipa::ToSchema;

/// A count under a key (a segment, a unit).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Count {
    /// The key: a segment's character (医药养健管游食, empty when none), or a unit's name.
    pub key: String,
    /// The unit, when counting by unit (merged units counted under the unit they were merged into).
    pub unit_id: Option<i64>,
    /// How many.
    pub count: i64,
}

/// One plan at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PlanOverview {
    /// The plan, with its counts.
    pub plan: Plan,
    /// Tasks by segment, in the order 医药养健管游食, then the unclassified.
    pub tasks_by_segment: Vec<Count>,
    /// Targets by segment, in the same order.
    pub targets_by_segment: Vec<Count>,
    /// Tasks by lead unit, most first.
    pub tasks_by_lead: Vec<Count>,
    /// The plan's projects: count and investment, by group, status, funding, year.
    pub projects: ProjectTotals,
}

/// Orders counts by segment as 医药养健管游食 lists them, unclassified last.
fn by_segment_order(mut rows: Vec<Count>) -> Vec<Count> {
    let rank =
        |k: &str| bighealth_reader::segment::Segment::ALL.iter().position(|s| s.as_char() == k).unwrap_or(usize::MAX);
    rows.sort_by_key(|c| rank(&c.key));
    rows
}

impl Store {
    async fn segment_counts(&self, table: &str, plan_id: i64) -> Result<Vec<Count>> {
        let sql = format!(
            "SELECT COALESCE(segment, '') AS k, COUNT(*) FROM {table} WHERE plan_id = $1 AND deleted_at IS NULL \
             GROUP BY COALESCE(segment, '')"
        );
        let rows: Vec<(String, i64)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(plan_id).fetch_all(self.pool()).await?;
        Ok(by_segment_order(rows.into_iter().map(|(key, count)| Count { key, unit_id: None, count }).collect()))
    }

    /// Counts of a plan's tasks, targets and projects for its overview.
    pub async fn plan_overview(&self, plan_id: i64) -> Result<PlanOverview> {
        let plan = self.plan(plan_id).await?;
        let tasks_by_segment = self.segment_counts("tasks", plan_id).await?;
        let targets_by_segment = self.segment_counts("targets", plan_id).await?;
        let leads: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT MIN(COALESCE(m.name, u.name)) AS k, COALESCE(u.merged_into, u.id) AS uid, COUNT(DISTINCT t.id) \
             FROM task_units tu JOIN tasks t ON t.id = tu.task_id JOIN units u ON u.id = tu.unit_id \
             LEFT JOIN units m ON m.id = u.merged_into \
             WHERE t.plan_id = $1 AND tu.role = 'lead' AND t.deleted_at IS NULL \
             GROUP BY COALESCE(u.merged_into, u.id) ORDER BY 3 DESC, 1",
        )
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?;
        let tasks_by_lead =
            leads.into_iter().map(|(key, unit, count)| Count { key, unit_id: Some(unit), count }).collect();
        let projects = self.project_totals(&ProjectQuery { plan: Some(plan_id), ..Default::default() }).await?;
        Ok(PlanOverview { plan, tasks_by_segment, targets_by_segment, tasks_by_lead, projects })
    }

    /// The units a plan names (as lead, responsible, owner or project unit),
    /// as stored: merged and unconfirmed ones included, by name.
    pub async fn plan_units(&self, plan_id: i64) -> Result<Vec<Unit>> {
        let rows = sqlx::query_as::<_, UnitRow>(
            "SELECT * FROM units WHERE id IN ( \
               SELECT tu.unit_id FROM task_units tu JOIN tasks t ON t.id = tu.task_id WHERE t.plan_id = $1 \
               UNION SELECT pu.unit_id FROM project_units pu JOIN projects j ON j.id = pu.project_id WHERE j.plan_id = $1 \
               UNION SELECT g.owner_unit FROM targets g WHERE g.plan_id = $1 AND g.owner_unit IS NOT NULL) \
             AND deleted_at IS NULL ORDER BY name, id",
        )
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(Unit::from).collect())
    }
}

/// The words of an indicator that make it the same indicator in another
/// plan: its letters, digits and CJK characters, without a leading "全省",
/// "我市", "本县"… that only says whose it is.
pub fn indicator_key(indicator: &str) -> String {
    let kept: String = indicator.chars().filter(|c| c.is_alphanumeric()).collect();
    let mut chars = kept.chars();
    let (a, b) = (chars.next(), chars.next());
    let own = matches!(a, Some('全' | '我' | '本')) && matches!(b, Some('省' | '市' | '州' | '区' | '县' | '国'));
    if own { chars.collect() } else { kept }
}

/// One target of a comparison, with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Compared {
    /// The target.
    pub target: crate::targets::Target,
    /// Its plan's region (GB/T 2260).
    pub region: String,
    /// The region's name.
    pub region_name: String,
    /// Its plan's title (or file name).
    pub plan_title: String,
}

/// The targets of one indicator across plans.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Comparison {
    /// The key the targets share ([`indicator_key`]).
    pub key: String,
    /// The indicator as the first plan words it.
    pub indicator: String,
    /// How many regions set it.
    pub regions: usize,
    /// The targets, by region.
    pub targets: Vec<Compared>,
}

impl Store {
    /// The same indicator across the plans of different regions: every
    /// indicator set by at least `min_regions` regions, most regions first;
    /// only those whose key contains `q` when given.
    pub async fn compare_indicators(&self, q: Option<&str>, min_regions: usize) -> Result<Vec<Comparison>> {
        let plans = self.plans(None, false).await?;
        let mut groups: std::collections::BTreeMap<String, Vec<Compared>> = Default::default();
        let wanted = q.map(indicator_key).filter(|k| !k.is_empty());
        for plan in &plans {
            let targets = crate::page::all_pages(|offset| async move {
                self.targets(&crate::targets::TargetQuery {
                    plan: Some(plan.id),
                    limit: Some(crate::page::MAX_LIMIT),
                    offset: Some(offset),
                    ..Default::default()
                })
                .await
            })
            .await?;
            for target in targets {
                let key = indicator_key(&target.indicator);
                if key.is_empty() || wanted.as_ref().is_some_and(|w| !key.contains(w.as_str())) {
                    continue;
                }
                groups.entry(key).or_default().push(Compared {
                    target,
                    region: plan.region.clone(),
                    region_name: plan.region_name.clone(),
                    plan_title: plan.title.clone().unwrap_or_else(|| plan.file_name.clone()),
                });
            }
        }
        let mut out: Vec<Comparison> = groups
            .into_iter()
            .filter_map(|(key, mut targets)| {
                targets.sort_by(|a, b| a.region.cmp(&b.region).then(a.target.id.cmp(&b.target.id)));
                let mut regions: Vec<&str> = targets.iter().map(|t| t.region.as_str()).collect();
                regions.dedup();
                let regions = regions.len();
                (regions >= min_regions).then(|| Comparison {
                    indicator: targets[0].target.indicator.clone(),
                    key,
                    regions,
                    targets,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.regions.cmp(&a.regions).then(b.targets.len().cmp(&a.targets.len())).then(a.key.cmp(&b.key))
        });
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::indicator_key;

    #[test]
    fn whose_indicator_does_not_matter() {
        assert_eq!(indicator_key("全省人均预期寿命"), indicator_key("人均预期寿命"));
        assert_eq!(indicator_key("我市 每千人口执业（助理）医师数"), "每千人口执业助理医师数");
        assert_eq!(indicator_key("市场主体数量"), "市场主体数量");
        assert_ne!(indicator_key("婴儿死亡率"), indicator_key("孕产妇死亡率"));
    }
}
