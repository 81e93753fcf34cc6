//! The demo's year closed, the same on every run: each quarter's analysis
//! issued with its documents; the office's scoring scheme saved, its
//! checklist points, a bonus and a criticism entered, two units' own
//! self-assessments reviewed; the year's result published with its 通报 and
//! the 限期整改 items it opens; the plan's progress made public.

use super::history::Dice;
use bighealth_rules::analysis::quarter::Quarter;
use bighealth_rules::disclosure::Settings as Disclosure;
use bighealth_rules::scoring::score::Entry;
use bighealth_rules::scoring::{BonusLevel, Scheme};
use bighealth_server::auth::Auth;
use bighealth_server::{AppState, Clock};
use bighealth_store::assessment::entries::{NewEntry, NewSelfAssessment};
use bighealth_store::{Actor, Role, Store, StoreError};

/// What closing a year did.
pub struct Closed {
    /// The quarterly analyses issued, by number.
    pub quarters: Vec<String>,
    /// The 通报's number.
    pub bulletin: String,
    /// Units assessed.
    pub units: usize,
    /// 限期整改 items opened.
    pub rectification: usize,
}

fn refused(e: bighealth_server::error::ApiError) -> StoreError {
    StoreError::Refused(e.refusal)
}

/// Closes `year` of plan `plan_id` at `at` (ms): the year's quarterly
/// analyses, its assessment published, its page made public.
pub async fn close_year(store: &Store, plan_id: i64, year: i16, at: i64) -> Result<Closed, StoreError> {
    let office = Actor { username: "演示数据（大健康办）".into(), ..Actor::local("demo", Role::SystemAdmin) };
    let clock = Clock::default();
    clock.advance(at - bighealth_store::now_ms());
    let state = AppState::new(store.clone(), clock, false);
    let auth = Auth::local(office.clone());
    let mut quarters = Vec::new();
    for n in 1..=4 {
        let q = Quarter::parse(&format!("{year}-Q{n}"))?;
        let issued = bighealth_server::routes::analysis::issue(&state, &auth, plan_id, q).await.map_err(refused)?;
        quarters.push(issued.number);
    }

    let y = i64::from(year);
    let scheme = Scheme { excellent_quota_pct: Some(30.0), ..Scheme::default() };
    store.save_scoring_scheme(&office, plan_id, y, &scheme, Some("按年度考核办法，优秀比例不超过 30%"), at).await?;
    let draft = store.assessment(&office, plan_id, y, at).await?;
    let mut dice = Dice::new(&[plan_id, y]);
    for (n, u) in draft.units.iter().enumerate() {
        let points = [10.0, 9.0, 8.0, 8.0, 7.0, 6.0][(dice.next() % 6) as usize];
        let why = if points >= 9.0 {
            "工作专班、推进例会、专项资金齐备"
        } else {
            "专班已建，例会或资金保障不足"
        };
        let entry = NewEntry {
            unit_id: u.unit_id,
            entry: Entry::Points { item: "mechanism".into(), points },
            reason: why.into(),
        };
        store.add_assessment_entry(&office, plan_id, y, &entry, at).await?;
        if n == 0 {
            let bonus = NewEntry {
                unit_id: u.unit_id,
                entry: Entry::Bonus { level: BonusLevel::Provincial },
                reason: "经验做法获省级推广".into(),
            };
            store.add_assessment_entry(&office, plan_id, y, &bonus, at).await?;
        }
        if n == 2 {
            let cut = NewEntry {
                unit_id: u.unit_id,
                entry: Entry::Deduction { points: 2.0 },
                reason: "被上级通报批评一次".into(),
            };
            store.add_assessment_entry(&office, plan_id, y, &cut, at).await?;
        }
        if n < 2 {
            // Two units assess themselves; the office reviews.
            let unit = Actor {
                username: format!("演示数据（{}）", u.unit_name),
                units: vec![u.unit_id],
                ..Actor::local("demo", Role::Reporter)
            };
            let scores = scheme.items.iter().map(|i| (i.key.clone(), i.points * 0.9)).collect();
            let me = NewSelfAssessment { scores, note: "全年任务基本完成，报送及时".into() };
            let s = store.submit_self_assessment(&unit, plan_id, y, u.unit_id, &me, at).await?;
            store.review_self_assessment(&office, s.id, "经复核，以系统数据为准", at).await?;
        }
    }
    let published =
        bighealth_server::routes::assessment::publish_year(&state, &auth, plan_id, y).await.map_err(refused)?;
    let (bulletin, rectification) =
        published.published.as_ref().map(|p| (p.number.clone(), p.rectification.len())).unwrap_or_default();
    let public = Disclosure {
        public: true,
        assessment: true,
        intro: "根据政务公开要求，公开本规划主要目标、重点任务和重点项目推进情况。".into(),
        ..Disclosure::default()
    };
    store.set_disclosure(&office, plan_id, &public, at).await?;
    Ok(Closed { quarters, bulletin, units: published.units.len(), rectification })
}
