//! The day's round over open items (run by the server each hour and on
//! demand): a reminder (到期提醒) when a deadline is within the plan's
//! reminder days, once per deadline; an escalation (逾期升级) when the
//! rectification deadline has passed, once per item — the item turns red
//! and goes to its leader's view. Each is a step of the item's timeline.

use super::items::running_deadline;
use crate::access::Actor;
use crate::audit::Event;
use crate::db::Store;
use crate::error::Result;
use bighealth_rules::Role;
use bighealth_rules::calendar::date_of;
use bighealth_rules::supervision::workflow::{State, Step};
use bighealth_rules::supervision::{Level, Settings, date_zh};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// What the round did to one item.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Swept {
    /// The item.
    pub item_id: i64,
    /// Its number.
    pub number: String,
    /// Its lead unit.
    pub lead_unit: i64,
    /// `remind` or `escalate`.
    pub step: String,
    /// What the step says.
    pub note: String,
}

/// The system, as it signs the steps it takes.
pub(crate) fn system() -> Actor {
    Actor {
        user_id: None,
        username: "系统".into(),
        roles: vec![Role::SystemAdmin],
        units: vec![],
        plan: None,
        remote: "supervision".into(),
    }
}

type OpenRow =
    (i64, i64, String, i64, String, String, String, String, String, Option<String>, Option<i64>, Option<String>);

impl Store {
    /// Reminds and escalates the open items as of `now`.
    pub async fn supervision_sweep(&self, now: i64) -> Result<Vec<Swept>> {
        let today = date_of(now);
        let holidays = self.holidays();
        let rows: Vec<OpenRow> = sqlx::query_as(
            "SELECT i.id, i.plan_id, i.number, i.lead_unit, i.state, i.level, i.sign_due, i.plan_due, i.due, \
             i.reminded_on, i.escalated_at, l.display_name FROM supervision_items i LEFT JOIN users l ON l.id = i.leader_id \
             WHERE i.state NOT IN ('closed', 'archived') ORDER BY i.id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut settings: HashMap<i64, Settings> = HashMap::new();
        let mut out = Vec::new();
        let actor = system();
        for (id, plan, number, lead, state, level, sign_due, plan_due, due, reminded, escalated, leader) in rows {
            let s = self.supervision_settings_in(&mut settings, plan).await.clone();
            let state = State::parse(&state).unwrap_or(State::Assigned);
            let days = if s.workdays { "个工作日" } else { "天" };
            let Ok(fix) = due.parse::<Date>() else { continue };
            if fix < today && escalated.is_none() {
                let late = -s.days_left(today, fix, &holidays);
                let to = leader.map(|l| format!("，报责任领导{l}阅处")).unwrap_or_default();
                let note = format!("已超过办结时限 {}（逾期 {late} {days}），升级为红色督办{to}", date_zh(fix));
                let mut tx = self.write().await?;
                let done = sqlx::query(
                    "UPDATE supervision_items SET level = 'red', escalated_at = $1, updated_at = $1 \
                     WHERE id = $2 AND escalated_at IS NULL",
                )
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 1 {
                    self.insert_step(&mut tx, &actor, id, Step::Escalate, state, Level::Red, Some(&note), None, now)
                        .await?;
                    let detail = serde_json::json!({"number": number, "due": due}).to_string();
                    self.audit(
                        &mut tx,
                        &actor,
                        Event::ok("escalate_supervision_item", &format!("supervision_item:{id}"), &detail),
                        now,
                    )
                    .await?;
                    tx.commit().await?;
                    out.push(Swept {
                        item_id: id,
                        number: number.clone(),
                        lead_unit: lead,
                        step: "escalate".into(),
                        note,
                    });
                }
                continue;
            }
            let running = running_deadline(state, &sign_due, &plan_due, &due);
            let Ok(when) = running.parse::<Date>() else { continue };
            let left = s.days_left(today, when, &holidays);
            let key = format!("{running}:{}", state.as_str());
            if !(0..=s.remind_days).contains(&left) || reminded.as_deref() == Some(key.as_str()) {
                continue;
            }
            let what = match state {
                State::Assigned if running == sign_due => "签收",
                State::Assigned | State::Signed if running == plan_due => "整改方案报送",
                _ => "办结",
            };
            let note = if left == 0 {
                format!("今天（{}）是{what}时限，请按时办理", date_zh(when))
            } else {
                format!("距{what}时限（{}）还有 {left} {days}，请按时办理", date_zh(when))
            };
            let level = Level::parse(&level).unwrap_or_default();
            let mut tx = self.write().await?;
            sqlx::query("UPDATE supervision_items SET reminded_on = $1 WHERE id = $2")
                .bind(&key)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            self.insert_step(&mut tx, &actor, id, Step::Remind, state, level, Some(&note), None, now).await?;
            tx.commit().await?;
            out.push(Swept { item_id: id, number, lead_unit: lead, step: "remind".into(), note });
        }
        Ok(out)
    }
}
