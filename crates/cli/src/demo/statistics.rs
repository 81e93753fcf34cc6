//! The demo's statistics (统计监测): a population and two monitored
//! indicators (with a per-head one by formula) for each plan's region and
//! its counties over the demo year and the one before, imported as the
//! office imports a table; and three key enterprises per region with their
//! monthly revenue and staff (one whose revenue falls), saved as their
//! accounts would. The region page then shows figures, ranks and falls.

use super::history::Dice;
use bighealth_rules::indicators::enterprise::{Measure, check_character};
use bighealth_rules::indicators::{Definition, OverRegions, OverTime, Periodicity, Polarity};
use bighealth_store::enterprises::{Enterprise, NewEnterprise, PeriodFigures};
use bighealth_store::{Actor, Role, Store, StoreError};

/// The office's indicators the demo fills.
fn definitions() -> Vec<Definition> {
    let def = |code: &str, name: &str, unit: &str, formula: Option<&str>, class: Option<&str>| Definition {
        code: code.into(),
        name: name.into(),
        unit: Some(unit.into()),
        polarity: Polarity::Up,
        over_regions: if formula.is_some() { OverRegions::RatioOfSums } else { OverRegions::Sum },
        over_time: OverTime::Last,
        periodicity: Periodicity::Month,
        formula: formula.map(str::to_string),
        industry_class: class.map(str::to_string),
    };
    vec![
        def("JK01", "健康产业增加值（累计）", "亿元", None, None),
        def("JK02", "医疗卫生机构床位数", "张", None, Some("01")),
        def("JK03", "每千人口医疗卫生机构床位数", "张", Some("ratio(JK02, POP, 0.1)"), Some("01")),
    ]
}

/// A credit code with its check character, made from a region and a number.
fn credit_code(region: &str, n: u64) -> String {
    let first = format!("91{region}MA{n:07}");
    let check = check_character(&first).unwrap_or('0');
    format!("{first}{check}")
}

/// Fills region `code`'s statistics for `year` and the year before; gives
/// (values imported, enterprises registered) and the region's first enterprise.
pub async fn fill(store: &Store, code: &str, year: i16) -> Result<(usize, Vec<Enterprise>), StoreError> {
    let office = Actor::local("demo", Role::SystemAdmin);
    let now = bighealth_store::now_ms();
    for def in definitions() {
        if store.indicator(&office, &def.code).await.is_err() {
            store.create_indicator(&office, &def, now).await?;
        }
    }
    let mut places: Vec<_> = store.region_children(code).await?.into_iter().take(12).collect();
    if places.is_empty() {
        places.push(store.region(code).await?);
    }
    let mut dice = Dice::new(&[code.parse::<i64>().unwrap_or(7)]);
    let mut csv = String::from("指标代码,地区代码,期别,数值\n");
    for place in &places {
        let people = 20.0 + (dice.next() % 80) as f64;
        csv.push_str(&format!("POP,{},{},{people}\n", place.code, year - 1));
        let beds = people * (50.0 + (dice.next() % 30) as f64);
        let output = people * (0.8 + (dice.next() % 10) as f64 / 10.0);
        for (y, growth) in [(year - 1, 1.0), (year, 1.06 + (dice.next() % 10) as f64 / 100.0)] {
            for month in 1..=12 {
                let so_far = output * growth * f64::from(month) / 12.0;
                csv.push_str(&format!("JK01,{},{y}-{month:02},{:.2}\n", place.code, so_far));
                csv.push_str(&format!("JK02,{},{y}-{month:02},{:.0}\n", place.code, beds * growth));
            }
        }
    }
    let stored = store.import_indicator_values(&office, csv.as_bytes(), now).await?;

    let home = places[0].code.clone();
    let name = places[0].name.clone();
    let mut made = Vec::new();
    for (i, (what, class)) in
        [("健康医药有限公司", "09"), ("医疗器械有限公司", "10"), ("康养服务有限公司", "04")].iter().enumerate()
    {
        let new = NewEnterprise {
            credit_code: credit_code(&home, i as u64 + 1),
            name: format!("{name}{what}"),
            region: home.clone(),
            industry_class: (*class).into(),
            size: if i == 0 { "中型".into() } else { "小型".into() },
        };
        let e = store.create_enterprise(&office, &new, now).await?;
        let base = 300.0 + (dice.next() % 500) as f64;
        for (y, factor) in [(year - 1, 1.0), (year, if i == 2 { 0.82 } else { 1.12 })] {
            for month in 1..=12 {
                let figures = PeriodFigures {
                    period: format!("{y}-{month:02}"),
                    values: [
                        (Measure::Revenue.as_str().to_string(), (base * factor * 100.0).round() / 100.0),
                        (Measure::Employees.as_str().to_string(), 80.0 + (i * 40) as f64),
                    ]
                    .into(),
                };
                store.save_enterprise_figures(&office, e.id, &figures, now).await?;
            }
        }
        made.push(e);
    }
    Ok((stored.values, made))
}
