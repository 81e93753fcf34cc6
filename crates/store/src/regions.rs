//! Regions by their GB/T 2260 six-digit code (行政区划代码), with the national
//! list built in (`data/regions.tsv`: provinces, cities, counties).

use crate::db::Store;
use crate::error::{Reason, Result, StoreError};
use serde::Serialize;
use sqlx::FromRow;
use utoipa::ToSchema;

const REGIONS: &str = include_str!("../data/regions.tsv");

/// A region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, ToSchema)]
pub struct Region {
    /// GB/T 2260 code (`522600`).
    pub code: String,
    /// Its name (`黔东南苗族侗族自治州`).
    pub name: String,
    /// `province`, `city` or `county`.
    pub level: String,
    /// The code of the region it belongs to.
    pub parent: Option<String>,
}

/// Checks that `code` has the shape of a GB/T 2260 code.
pub fn check_code(code: &str) -> Result<()> {
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) && !code.starts_with("00") {
        Ok(())
    } else {
        Err(StoreError::invalid("region", Reason::RegionMalformed { code: code.into() }))
    }
}

impl Store {
    /// Loads the built-in region list when the table is empty.
    pub(crate) async fn seed_regions(&self) -> Result<()> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM regions").fetch_one(self.pool()).await?;
        if n > 0 {
            return Ok(());
        }
        let mut tx = self.write().await?;
        for line in REGIONS.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let mut f = line.split('\t');
            let (Some(code), Some(name), Some(level)) = (f.next(), f.next(), f.next()) else { continue };
            let parent = f.next().filter(|p| !p.is_empty());
            sqlx::query("INSERT INTO regions (code, name, level, parent) VALUES ($1, $2, $3, $4)")
                .bind(code)
                .bind(name)
                .bind(level)
                .bind(parent)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The region with `code`.
    pub async fn region(&self, code: &str) -> Result<Region> {
        check_code(code)?;
        sqlx::query_as::<_, Region>("SELECT * FROM regions WHERE code = $1")
            .bind(code)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::invalid("region", Reason::RegionUnknown { code: code.into() }))
    }

    /// `code` and the regions above it, nearest first.
    pub async fn region_chain(&self, code: &str) -> Result<Vec<Region>> {
        let mut chain = vec![self.region(code).await?];
        while let Some(parent) = chain.last().and_then(|r| r.parent.clone()) {
            if chain.len() > 4 {
                break;
            }
            chain.push(self.region(&parent).await?);
        }
        Ok(chain)
    }

    /// Every region with the names of the regions above it (`重庆市 黔江区`),
    /// for a picker: (code, name with its parents).
    pub async fn region_choices(&self) -> Result<Vec<(String, String)>> {
        let rows: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT r.code, r.name, p.name, g.name FROM regions r LEFT JOIN regions p ON p.code = r.parent \
             LEFT JOIN regions g ON g.code = p.parent ORDER BY r.code",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(code, name, parent, grand)| {
                let path: Vec<String> = [grand, parent, Some(name)].into_iter().flatten().collect();
                (code, path.join(" "))
            })
            .collect())
    }

    /// The region a person means by `given`: its code (`500114`), its name
    /// with the code as the picker shows it (`重庆市 黔江区（500114）`), its
    /// name (`黔江区`) or its name with the names above it (`重庆市黔江区`),
    /// when only one region has it.
    pub async fn find_region(&self, given: &str) -> Result<Region> {
        let given = given.trim();
        let not_found = || StoreError::invalid("region", Reason::RegionNotFound { given: given.into() });
        let digits: String = given.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() == 6 {
            return self.region(&digits).await.map_err(|_| not_found());
        }
        let wanted: String = given.chars().filter(|c| !c.is_whitespace()).collect();
        if wanted.is_empty() {
            return Err(StoreError::invalid("region", Reason::Required { field: "region".into() }));
        }
        let matches: Vec<(String, String)> = self
            .region_choices()
            .await?
            .into_iter()
            .filter(|(_, path)| {
                let joined: String = path.chars().filter(|c| !c.is_whitespace()).collect();
                joined == wanted || path.rsplit(' ').next() == Some(wanted.as_str()) || joined.ends_with(&wanted)
            })
            .collect();
        match matches.as_slice() {
            [] => Err(not_found()),
            [(code, _)] => self.region(code).await,
            many => Err(StoreError::invalid(
                "region",
                Reason::RegionAmbiguous {
                    given: given.into(),
                    choices: many.iter().take(5).map(|(c, p)| format!("{p}（{c}）")).collect::<Vec<_>>().join("、"),
                },
            )),
        }
    }

    /// The regions directly under `code`.
    pub async fn region_children(&self, code: &str) -> Result<Vec<Region>> {
        Ok(sqlx::query_as::<_, Region>("SELECT * FROM regions WHERE parent = $1 ORDER BY code")
            .bind(code)
            .fetch_all(self.pool())
            .await?)
    }
}
