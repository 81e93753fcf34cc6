//! The day's reminders as one digest per unit: whatever the office sent a
//! unit today (催报 about one or several periods and plans) and whatever it
//! has late, in one message, sent once a day on each channel (e-mail, each
//! group robot). The sending itself is the server's; this module says what
//! to send and remembers what went.

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use bighealth_rules::calendar::{date_of, start_of};
use bighealth_rules::check;
use bighealth_rules::reporting::Webhook;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Where a unit's reminders go.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    /// E-mail addresses.
    #[serde(default)]
    pub emails: Vec<String>,
}

/// One unit's digest of the day.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Digest {
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The day (China).
    pub day: String,
    /// Its e-mail addresses.
    pub emails: Vec<String>,
    /// The group robots of the plans it was reminded about.
    #[schema(value_type = Vec<Object>)]
    pub webhooks: Vec<Webhook>,
    /// The subject.
    pub subject: String,
    /// The message, one line per reminder.
    pub body: String,
}

impl Digest {
    /// The channel name of a webhook, for the record of what was sent.
    pub fn channel(webhook: &Webhook) -> String {
        format!("{}:{}", webhook.kind, bighealth_reader::sha256_hex(webhook.url.as_bytes()).get(..16).unwrap_or(""))
    }
}

impl Store {
    /// Where `unit`'s reminders go.
    pub async fn unit_contacts(&self, unit: i64) -> Result<Contacts> {
        let emails: Option<String> = sqlx::query_scalar("SELECT emails FROM unit_contacts WHERE unit_id = $1")
            .bind(unit)
            .fetch_optional(self.pool())
            .await?;
        Ok(Contacts { emails: emails.and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default() })
    }

    /// The office sets where `unit`'s reminders go.
    pub async fn set_unit_contacts(&self, actor: &Actor, unit: i64, contacts: &Contacts, now: i64) -> Result<Contacts> {
        actor.require(Action::ReviewReports)?;
        self.unit(unit)
            .await
            .map_err(|_| StoreError::invalid("unit", Reason::Missing { object: Object::Unit, id: unit }))?;
        check::max_items("emails", contacts.emails.len(), 10)?;
        let emails: Vec<String> = contacts.emails.iter().map(|e| e.trim().to_string()).collect();
        for (i, e) in emails.iter().enumerate() {
            check::email(&format!("emails[{i}]"), e)?;
        }
        let old = self.unit_contacts(unit).await?;
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM unit_contacts WHERE unit_id = $1").bind(unit).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO unit_contacts (unit_id, emails, updated_at, updated_by) VALUES ($1, $2, $3, $4)")
            .bind(unit)
            .bind(serde_json::to_string(&emails).unwrap_or_default())
            .bind(now)
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({"old": old.emails, "new": emails}).to_string();
        self.audit(&mut tx, actor, Event::ok("set_unit_contacts", &format!("unit:{unit}"), &detail), now).await?;
        tx.commit().await?;
        Ok(Contacts { emails })
    }

    /// The digests of the day holding `now` for every unit reminded today:
    /// one per unit, listing each period it was reminded about.
    pub async fn digests(&self, now: i64) -> Result<Vec<Digest>> {
        let day = date_of(now);
        let from = start_of(day);
        let to = from + 24 * 3_600_000;
        let rows: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(
            "SELECT unit_id, plan_id, period, note FROM report_reminders WHERE sent_at >= $1 AND sent_at < $2 \
             ORDER BY unit_id, plan_id, period",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        let mut by_unit: BTreeMap<i64, Vec<(i64, String, Option<String>)>> = BTreeMap::new();
        for (unit, plan, period, note) in rows {
            let list = by_unit.entry(unit).or_default();
            if !list.iter().any(|(p, k, _)| *p == plan && *k == period) {
                list.push((plan, period, note));
            }
        }
        let mut out = Vec::new();
        for (unit_id, reminders) in by_unit {
            let unit_name = self.unit(unit_id).await.map(|u| u.name).unwrap_or_default();
            let mut lines = Vec::new();
            let mut webhooks: Vec<Webhook> = Vec::new();
            for (plan_id, key, note) in &reminders {
                let plan = self.plan(*plan_id).await?;
                let (schedule, period) = self.period(*plan_id, key).await?;
                for w in &schedule.webhooks {
                    if !webhooks.contains(w) {
                        webhooks.push(w.clone());
                    }
                }
                let late = if day > period.on_time_until { "，已逾期" } else { "" };
                let mut line = format!("《{}》{}月报尚未报送（截止 {}{late}）", plan.name(), period.label, period.due);
                if let Some(n) = note {
                    line.push_str(&format!("：{n}"));
                }
                lines.push(line);
            }
            let emails = self.unit_contacts(unit_id).await?.emails;
            out.push(Digest {
                subject: format!("【催报】{unit_name}：{} 项月报待报送（{day}）", lines.len()),
                body: format!(
                    "{unit_name}：\n{}\n请登录大健康产业规划管理平台“月度调度”报送。",
                    lines.iter().map(|l| format!("· {l}")).collect::<Vec<_>>().join("\n")
                ),
                unit_id,
                unit_name,
                day: day.to_string(),
                emails,
                webhooks,
            });
        }
        Ok(out)
    }

    /// Records that `unit`'s digest of `day` went out on `channel`; false
    /// when it had already (another sender got there first).
    pub async fn mark_delivered(&self, unit: i64, day: &str, channel: &str, now: i64) -> Result<bool> {
        let mut tx = self.write().await?;
        let done: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM reminder_deliveries WHERE unit_id = $1 AND day = $2 AND channel = $3",
        )
        .bind(unit)
        .bind(day)
        .bind(channel)
        .fetch_one(&mut *tx)
        .await?;
        if done > 0 {
            return Ok(false);
        }
        sqlx::query("INSERT INTO reminder_deliveries (unit_id, day, channel, sent_at) VALUES ($1, $2, $3, $4)")
            .bind(unit)
            .bind(day)
            .bind(channel)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}

impl Store {
    /// Forgets a claim of `mark_delivered` whose sending failed, so that a
    /// later try sends it.
    pub async fn unmark_delivered(&self, unit: i64, day: &str, channel: &str) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM reminder_deliveries WHERE unit_id = $1 AND day = $2 AND channel = $3")
            .bind(unit)
            .bind(day)
            .bind(channel)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
