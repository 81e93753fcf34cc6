//! A unit's score: each item of the scheme from the facts of the unit's
//! year, with the sentence that explains it and the facts it came from —
//! the targets, the tasks, the supervision items, the monthly reports, the
//! office's entries — each naming its effect, so that a page links every
//! point to the record behind it.
//!
//! An item with nothing to score for the unit (a department with no
//! target) is 不涉及, and the unit's items are scaled to the full score
//! (折算): points got ÷ points it could get × the full score.

use super::{BonusLevel, Item, Rule, Scheme, TargetBasis, round};
use crate::analysis::Status;
use crate::analysis::points;
use crate::labels::number;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A target of the unit at the year's end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetFact {
    /// The target.
    pub id: i64,
    /// Its words.
    pub title: String,
    /// Its status.
    pub status: Status,
    /// The share of the year's way reached, %.
    pub progress: Option<f64>,
    /// The status's sentence.
    pub reason: String,
}

/// A task (or a project) the unit leads, at the year's end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskFact {
    /// `task` or `project`.
    pub kind: String,
    /// The task or project.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: Status,
    /// The status's sentence.
    pub reason: String,
}

/// A supervision item the unit led in the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemFact {
    /// The item.
    pub id: i64,
    /// Its number (健督〔2026〕17号).
    pub number: String,
    /// Its title.
    pub title: String,
    /// Closed after its deadline, or open past it.
    pub late: bool,
    /// How many times the office sent it back (退办).
    pub returned: i64,
}

/// How a monthly report was filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Filed {
    /// On time.
    Timely,
    /// Late.
    Late,
    /// Not at all.
    Missing,
}

/// A monthly report the unit owed in the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportFact {
    /// The period's key (`2026-06`).
    pub period: String,
    /// Its label (2026年6月).
    pub label: String,
    /// How it was filed.
    pub filed: Filed,
}

/// What the office entered for the unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[schema(as = ScoringEntry)]
pub enum Entry {
    /// A manual item's points (工作机制 against its checklist).
    Points {
        /// The item's key.
        item: String,
        /// The points given.
        points: f64,
    },
    /// 加分: an achievement recognised at a level.
    Bonus {
        /// The highest level that recognised it.
        level: BonusLevel,
    },
    /// 扣分: points off (上级通报批评, 媒体曝光…).
    Deduction {
        /// The points off.
        points: f64,
    },
    /// 一票否决.
    Veto {},
}

/// An entry of the office with its id and reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryFact {
    /// The entry's id.
    pub id: i64,
    /// What it is.
    pub entry: Entry,
    /// Why (the achievement, the criticism, the incident).
    pub reason: String,
}

/// Everything a unit's score is made of.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UnitFacts {
    /// The targets it answers for.
    pub targets: Vec<TargetFact>,
    /// The tasks and projects it leads.
    pub tasks: Vec<TaskFact>,
    /// The supervision items it led.
    pub items: Vec<ItemFact>,
    /// The reports it owed.
    pub reports: Vec<ReportFact>,
    /// The office's entries.
    pub entries: Vec<EntryFact>,
}

/// A fact behind a score, with its effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Evidence {
    /// `target`, `task`, `supervision_item`, `report` or `entry`.
    pub kind: String,
    /// The record's id (0 for a report: `period` names it).
    pub id: i64,
    /// A report's period key.
    pub period: Option<String>,
    /// What it is.
    pub label: String,
    /// What it did to the score (完成 92%，计 36.8 分; 迟报 −1).
    pub effect: String,
}

/// One item of a unit's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ItemScore {
    /// The scheme item's key.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Its points.
    pub max: f64,
    /// The points got; `None` when nothing in it concerns the unit (不涉及).
    pub points: Option<f64>,
    /// The sentence.
    pub reason: String,
    /// The facts it came from.
    pub evidence: Vec<Evidence>,
}

/// A unit's score before ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Score {
    /// The items.
    pub items: Vec<ItemScore>,
    /// The items' points scaled to the full score (折算).
    pub base: f64,
    /// 加分, capped.
    pub bonus: f64,
    /// 扣分 (a positive number), capped.
    pub deduction: f64,
    /// 一票否决 and why.
    pub veto: Option<String>,
    /// base + bonus − deduction, never below 0.
    pub total: f64,
    /// How base was scaled, when an item did not concern the unit.
    pub scaled: Option<String>,
    /// The bonus and deduction facts.
    pub adjustments: Vec<Evidence>,
}

/// Scores a unit's `facts` by `scheme`.
pub fn score(scheme: &Scheme, facts: &UnitFacts) -> Score {
    let items: Vec<ItemScore> = scheme.items.iter().map(|item| score_item(item, facts)).collect();
    let got: f64 = items.iter().filter_map(|i| i.points).sum();
    let could: f64 = items.iter().filter(|i| i.points.is_some()).map(|i| i.max).sum();
    let full = scheme.full();
    let (base, scaled) = if could <= 0.0 {
        (0.0, Some("无适用的考核项目".to_string()))
    } else if (could - full).abs() < 1e-9 {
        (got, None)
    } else {
        let base = got / could * full;
        let sentence = format!(
            "不涉及的项目不计分，得分 {} ÷ 适用分值 {} × {} = {}",
            number(round(got)),
            number(round(could)),
            number(full),
            number(round(base))
        );
        (base, Some(sentence))
    };
    let mut adjustments = Vec::new();
    let mut bonus = 0.0;
    let mut deduction = 0.0;
    let mut veto: Option<String> = None;
    for e in &facts.entries {
        let (effect, label) = match &e.entry {
            Entry::Bonus { level } => {
                let p = scheme.bonus_levels.points(*level);
                bonus += p;
                (format!("+{}", number(p)), format!("加分（{}）：{}", level.label(), e.reason))
            }
            Entry::Deduction { points } => {
                deduction += points;
                (format!("−{}", number(*points)), format!("扣分：{}", e.reason))
            }
            Entry::Veto {} => {
                veto.get_or_insert_with(|| e.reason.clone());
                ("评为不合格".to_string(), format!("一票否决：{}", e.reason))
            }
            Entry::Points { .. } => continue,
        };
        adjustments.push(Evidence { kind: "entry".into(), id: e.id, period: None, label, effect });
    }
    let bonus = bonus.min(scheme.bonus_cap);
    let deduction = deduction.min(scheme.deduction_cap);
    let total = (base + bonus - deduction).max(0.0);
    Score {
        items,
        base: round(base),
        bonus: round(bonus),
        deduction: round(deduction),
        veto,
        total: round(total),
        scaled,
        adjustments,
    }
}

fn evidence(kind: &str, id: i64, label: &str, effect: String) -> Evidence {
    Evidence { kind: kind.into(), id, period: None, label: label.into(), effect }
}

fn score_item(item: &Item, facts: &UnitFacts) -> ItemScore {
    let max = item.points;
    let (points, reason, evidence) = match &item.rule {
        Rule::Targets { basis, over_cap_pct } => targets(max, *basis, *over_cap_pct, &facts.targets),
        Rule::Tasks { red_deduct } => tasks(max, *red_deduct, &facts.tasks),
        Rule::Supervision { late_deduct, returned_deduct } => {
            supervision(max, *late_deduct, *returned_deduct, &facts.items)
        }
        Rule::Reporting { late_deduct, missing_deduct } => {
            reporting(max, *late_deduct, *missing_deduct, &facts.reports)
        }
        Rule::Manual {} => manual(max, &item.key, &facts.entries),
    };
    ItemScore { key: item.key.clone(), name: item.name.clone(), max, points: points.map(round), reason, evidence }
}

type Scored = (Option<f64>, String, Vec<Evidence>);

fn targets(max: f64, basis: TargetBasis, over_cap_pct: f64, targets: &[TargetFact]) -> Scored {
    let judged: Vec<&TargetFact> = targets.iter().filter(|t| t.status != Status::Unjudged).collect();
    if judged.is_empty() {
        return (None, "本单位无可考核的目标，不涉及".into(), vec![]);
    }
    let each = max / judged.len() as f64;
    let mut got = 0.0;
    let mut ev = Vec::new();
    for t in &judged {
        let share = match basis {
            TargetBasis::Share => match (t.status, t.progress) {
                (Status::NotReported, _) | (_, None) => 0.0,
                (_, Some(p)) => (p / 100.0).clamp(0.0, over_cap_pct / 100.0),
            },
            TargetBasis::Status => match t.status {
                Status::Green => 1.0,
                Status::Yellow => 0.6,
                Status::Red => 0.2,
                Status::NotReported | Status::Unjudged => 0.0,
            },
        };
        got += each * share;
        let done = match (basis, t.progress) {
            (TargetBasis::Share, Some(p)) if t.status != Status::NotReported => format!("完成年度进度 {}%", points(p)),
            _ => t.status.label().to_string(),
        };
        ev.push(evidence("target", t.id, &t.title, format!("{done}，计 {} 分", number(round(each * share)))));
    }
    let how = match basis {
        TargetBasis::Share => format!("完成的按比例计分，超额的最多计 {}%", number(over_cap_pct)),
        TargetBasis::Status => "绿色计满分，黄色计 60%，红色计 20%，未报送不计分".into(),
    };
    let reason = format!("{} 项目标各 {} 分，{how}，合计 {} 分", judged.len(), number(round(each)), number(round(got)));
    (Some(got), reason, ev)
}

fn tasks(max: f64, red_deduct: f64, tasks: &[TaskFact]) -> Scored {
    let judged: Vec<&TaskFact> = tasks.iter().filter(|t| t.status != Status::Unjudged).collect();
    if judged.is_empty() {
        return (None, "本单位未牵头可考核的任务和项目，不涉及".into(), vec![]);
    }
    let on = judged.iter().filter(|t| t.status == Status::Green).count();
    let red = judged.iter().filter(|t| t.status == Status::Red).count();
    let share = on as f64 / judged.len() as f64;
    let got = (share * max - red as f64 * red_deduct).max(0.0);
    let ev = judged
        .iter()
        .map(|t| {
            let effect = match t.status {
                Status::Green => "按序时推进".to_string(),
                Status::Red => format!("年末仍为红色，−{}", number(red_deduct)),
                s => format!("{}，不计入按序时推进", s.label()),
            };
            evidence(&t.kind, t.id, &t.title, effect)
        })
        .collect();
    let reason = format!(
        "牵头 {} 项任务和项目，{} 项按序时推进（{}%）得 {} 分；年末红色 {} 项各扣 {} 分，得 {} 分",
        judged.len(),
        on,
        points(share * 100.0),
        number(round(share * max)),
        red,
        number(red_deduct),
        number(round(got))
    );
    (Some(got), reason, ev)
}

fn supervision(max: f64, late_deduct: f64, returned_deduct: f64, items: &[ItemFact]) -> Scored {
    if items.is_empty() {
        return (Some(max), "本年度无督办事项，计满分".into(), vec![]);
    }
    let mut off = 0.0;
    let mut ev = Vec::new();
    for i in items {
        let mut effects = Vec::new();
        if i.late {
            off += late_deduct;
            effects.push(format!("逾期 −{}", number(late_deduct)));
        }
        if i.returned > 0 {
            off += returned_deduct * i.returned as f64;
            effects.push(format!("退办 {} 次 −{}", i.returned, number(returned_deduct * i.returned as f64)));
        }
        let effect = if effects.is_empty() { "按期办理".to_string() } else { effects.join("，") };
        ev.push(evidence("supervision_item", i.id, &format!("{} {}", i.number, i.title), effect));
    }
    let got = (max - off).max(0.0);
    let late = items.iter().filter(|i| i.late).count();
    let returned: i64 = items.iter().map(|i| i.returned).sum();
    let reason = format!(
        "承办督办事项 {} 件，逾期 {} 件、退办 {} 次，共扣 {} 分，得 {} 分",
        items.len(),
        late,
        returned,
        number(round(off)),
        number(round(got))
    );
    (Some(got), reason, ev)
}

fn reporting(max: f64, late_deduct: f64, missing_deduct: f64, reports: &[ReportFact]) -> Scored {
    if reports.is_empty() {
        return (None, "本年度无应报的月度报送，不涉及".into(), vec![]);
    }
    let late = reports.iter().filter(|r| r.filed == Filed::Late).count();
    let missing = reports.iter().filter(|r| r.filed == Filed::Missing).count();
    let off = late as f64 * late_deduct + missing as f64 * missing_deduct;
    let got = (max - off).max(0.0);
    let ev = reports
        .iter()
        .filter(|r| r.filed != Filed::Timely)
        .map(|r| {
            let effect = match r.filed {
                Filed::Late => format!("迟报 −{}", number(late_deduct)),
                _ => format!("缺报 −{}", number(missing_deduct)),
            };
            Evidence { kind: "report".into(), id: 0, period: Some(r.period.clone()), label: r.label.clone(), effect }
        })
        .collect();
    let reason = format!(
        "应报 {} 期，按时 {} 期、迟报 {} 期、缺报 {} 期，共扣 {} 分，得 {} 分",
        reports.len(),
        reports.len() - late - missing,
        late,
        missing,
        number(round(off)),
        number(round(got))
    );
    (Some(got), reason, ev)
}

fn manual(max: f64, key: &str, entries: &[EntryFact]) -> Scored {
    // The office's latest entry for the item stands.
    let entry = entries.iter().rev().find_map(|e| match &e.entry {
        Entry::Points { item, points } if item == key => Some((e, *points)),
        _ => None,
    });
    match entry {
        Some((e, p)) => {
            let p = p.clamp(0.0, max);
            let ev = vec![evidence("entry", e.id, &e.reason, format!("计 {} 分", number(p)))];
            (Some(p), format!("办公室对照佐证评定 {} 分：{}", number(p), e.reason), ev)
        }
        None => (Some(0.0), "办公室尚未评分，暂计 0 分".into(), vec![]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: i64, status: Status, progress: Option<f64>) -> TargetFact {
        TargetFact { id, title: format!("目标{id}"), status, progress, reason: String::new() }
    }

    fn task(id: i64, status: Status) -> TaskFact {
        TaskFact { kind: "task".into(), id, title: format!("任务{id}"), status, reason: String::new() }
    }

    fn report(period: &str, filed: Filed) -> ReportFact {
        ReportFact { period: period.into(), label: period.into(), filed }
    }

    fn entry(id: i64, entry: Entry) -> EntryFact {
        EntryFact { id, entry, reason: format!("事由{id}") }
    }

    fn facts() -> UnitFacts {
        UnitFacts {
            targets: vec![target(1, Status::Green, Some(130.0)), target(2, Status::Yellow, Some(50.0))],
            tasks: vec![task(1, Status::Green), task(2, Status::Green), task(3, Status::Red), task(4, Status::Yellow)],
            items: vec![
                ItemFact {
                    id: 7, number: "健督〔2026〕7号".into(), title: "整改".into(), late: true, returned: 1
                },
                ItemFact {
                    id: 8, number: "健督〔2026〕8号".into(), title: "推进".into(), late: false, returned: 0
                },
            ],
            reports: (1..=12)
                .map(|m| {
                    let filed = match m {
                        3 => Filed::Late,
                        9 => Filed::Missing,
                        _ => Filed::Timely,
                    };
                    report(&format!("2026-{m:02}"), filed)
                })
                .collect(),
            entries: vec![entry(1, Entry::Points { item: "mechanism".into(), points: 8.0 })],
        }
    }

    #[test]
    fn every_item_follows_its_rule_and_says_why() {
        let s = score(&Scheme::default(), &facts());
        let item = |k: &str| s.items.iter().find(|i| i.key == k).unwrap().clone();
        // Targets: 20 each; 130 % capped at 120 % → 24, 50 % → 10.
        let t = item("targets");
        assert_eq!(t.points, Some(34.0));
        assert_eq!(t.evidence.len(), 2);
        assert!(t.evidence[0].effect.contains("计 24 分"), "{:?}", t.evidence);
        // Tasks: 2 of 4 on schedule → 15, less 1 for the red one.
        assert_eq!(item("tasks").points, Some(14.0));
        assert!(item("tasks").reason.contains("年末红色 1 项"));
        // Supervision: late −1, returned once −2.
        assert_eq!(item("supervision").points, Some(7.0));
        // Reporting: one late −1, one missing −2.
        let r = item("reporting");
        assert_eq!(r.points, Some(7.0));
        assert_eq!(r.evidence.iter().map(|e| e.period.clone().unwrap()).collect::<Vec<_>>(), ["2026-03", "2026-09"]);
        assert_eq!(item("mechanism").points, Some(8.0));
        assert_eq!(s.base, 70.0);
        assert_eq!(s.total, 70.0);
        assert!(s.scaled.is_none());
    }

    #[test]
    fn an_item_that_does_not_concern_the_unit_is_scaled_away() {
        let mut f = facts();
        f.targets.clear();
        let s = score(&Scheme::default(), &f);
        assert_eq!(s.items[0].points, None);
        // 36 of 60 → 60 of 100.
        assert_eq!(s.base, 60.0);
        assert!(s.scaled.as_deref().unwrap().contains("÷ 适用分值 60"));
    }

    #[test]
    fn bonus_and_deduction_are_capped_and_a_veto_is_kept() {
        let mut f = facts();
        f.entries.extend([
            entry(2, Entry::Bonus { level: BonusLevel::National }),
            entry(3, Entry::Bonus { level: BonusLevel::Provincial }),
            entry(4, Entry::Bonus { level: BonusLevel::Municipal }),
            entry(5, Entry::Deduction { points: 2.0 }),
        ]);
        let s = score(&Scheme::default(), &f);
        assert_eq!(s.bonus, 5.0, "3 + 2 + 1 capped at 5");
        assert_eq!(s.deduction, 2.0);
        assert_eq!(s.total, 73.0);
        assert_eq!(s.adjustments.len(), 4);
        f.entries.push(entry(6, Entry::Veto {}));
        f.entries.push(entry(7, Entry::Deduction { points: 30.0 }));
        let s = score(&Scheme::default(), &f);
        assert_eq!(s.deduction, 10.0, "capped at 10");
        assert_eq!(s.veto.as_deref(), Some("事由6"));
    }

    #[test]
    fn scoring_by_status_and_the_latest_manual_entry() {
        let mut scheme = Scheme::default();
        scheme.items[0].rule = Rule::Targets { basis: TargetBasis::Status, over_cap_pct: 120.0 };
        let mut f = facts();
        f.entries.push(entry(9, Entry::Points { item: "mechanism".into(), points: 12.0 }));
        let s = score(&scheme, &f);
        assert_eq!(s.items[0].points, Some(32.0), "green 20 + yellow 12");
        assert_eq!(s.items[3].points, Some(10.0), "the latest entry, clamped to the item's points");
        let none = score(&scheme, &UnitFacts::default());
        assert_eq!(none.items[3].points, Some(0.0));
        assert!(none.items[3].reason.contains("尚未评分"));
    }

    #[test]
    fn the_same_facts_give_the_same_score() {
        assert_eq!(score(&Scheme::default(), &facts()), score(&Scheme::default(), &facts()));
    }
}
