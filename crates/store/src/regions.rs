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

    /// The regions directly under `code`.
    pub async fn region_children(&self, code: &str) -> Result<Vec<Region>> {
        Ok(sqlx::query_as::<_, Region>("SELECT * FROM regions WHERE parent = $1 ORDER BY code")
            .bind(code)
            .fetch_all(self.pool())
            .await?)
    }
}
