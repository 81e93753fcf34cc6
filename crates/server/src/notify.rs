//! Reminders out of the platform: each unit's digest of the day
//! (`bighealth_store::reporting::digests`) by e-mail through the SMTP
//! server `bighealth serve --smtp` names, and to the group robots (企业微信,
//! 钉钉) of the plans concerned, in the JSON those robots take. A digest goes
//! out once per unit, day and channel: each is claimed in the database
//! before it is sent, and the claim dropped if the sending fails, so that
//! the next reminder of the day sends it.

use crate::AppState;
use bighealth_store::reporting::digests::Digest;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// How reminders leave the server.
#[derive(Debug, Clone, Default)]
pub struct Notifier {
    mail: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
    http: reqwest::Client,
}

/// One digest sent (or not) on one channel.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Sent {
    /// The unit.
    pub unit_id: i64,
    /// `email`, or a robot (`wecom:…`, `dingtalk:…`).
    pub channel: String,
    /// `sent`, `already` (sent earlier today), `failed` or `no_address`.
    pub outcome: String,
    /// What went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Notifier {
    /// Mail through the SMTP server at `smtp` (`smtp://host:25`,
    /// `smtp://user:password@host:587?tls=required`, `smtps://host:465`)
    /// from `from`; without `smtp`, robots only.
    pub fn new(smtp: Option<&str>, from: &str) -> Result<Notifier, String> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("the HTTP client for group robots: {e}"))?;
        let mail = match smtp {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("--smtp {url}: {e} (write smtp://host:port, smtps://host:port or smtp://user:password@host:587?tls=required)"))?
                    .timeout(Some(Duration::from_secs(10)))
                    .build();
                let from: Mailbox = from.parse().map_err(|e| {
                    format!("--mail-from {from}: {e} (write an address such as bighealth@example.gov.cn)")
                })?;
                Some((transport, from))
            }
            None => None,
        };
        Ok(Notifier { mail, http })
    }

    async fn email(&self, d: &Digest) -> Result<(), String> {
        let Some((transport, from)) = &self.mail else {
            return Err("no SMTP server is set (bighealth serve --smtp)".into());
        };
        for to in &d.emails {
            let to: Mailbox = to.parse().map_err(|e| format!("{to}: {e}"))?;
            let message = Message::builder()
                .from(from.clone())
                .to(to)
                .subject(&d.subject)
                .header(lettre::message::header::ContentType::TEXT_PLAIN)
                .body(d.body.clone())
                .map_err(|e| e.to_string())?;
            transport.send(message).await.map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    async fn robot(&self, url: &str, d: &Digest) -> Result<(), String> {
        // 企业微信 and 钉钉 group robots both take a text message so.
        let body = serde_json::json!({"msgtype": "text", "text": {"content": format!("{}\n{}", d.subject, d.body)}});
        let resp = self.http.post(url).json(&body).send().await.map_err(|e| e.to_string())?;
        if resp.status().is_success() { Ok(()) } else { Err(format!("the robot answered {}", resp.status())) }
    }
}

/// Sends every unit's digest of the day not yet sent, on every channel it
/// has; answers what happened on each.
pub async fn deliver(state: &AppState, now: i64) -> Result<Vec<Sent>, bighealth_store::StoreError> {
    let store = &state.store;
    let notifier = &state.notifier;
    let mut out = Vec::new();
    for d in store.digests(now).await? {
        let mut channels: Vec<(String, Option<String>)> = Vec::new();
        if !d.emails.is_empty() {
            channels.push(("email".into(), None));
        }
        for w in &d.webhooks {
            channels.push((Digest::channel(w), Some(w.url.clone())));
        }
        if channels.is_empty() {
            out.push(Sent { unit_id: d.unit_id, channel: "email".into(), outcome: "no_address".into(), detail: None });
        }
        for (channel, url) in channels {
            if !store.mark_delivered(d.unit_id, &d.day, &channel, now).await? {
                out.push(Sent { unit_id: d.unit_id, channel, outcome: "already".into(), detail: None });
                continue;
            }
            let result = match &url {
                None => notifier.email(&d).await,
                Some(url) => notifier.robot(url, &d).await,
            };
            match result {
                Ok(()) => out.push(Sent { unit_id: d.unit_id, channel, outcome: "sent".into(), detail: None }),
                Err(e) => {
                    tracing::warn!("reminder to unit {} by {channel}: {e}", d.unit_id);
                    store.unmark_delivered(d.unit_id, &d.day, &channel).await?;
                    out.push(Sent { unit_id: d.unit_id, channel, outcome: "failed".into(), detail: Some(e) });
                }
            }
        }
    }
    Ok(out)
}
