//! The unit registry: listing, registering, renaming, confirming units met in
//! plans, merging a unit (an alias) into another and undoing it.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bighealth_store::Action;
use bighealth_store::history::HistoryEntry;
use bighealth_store::units::{Unit, UnitDetail, UnitQuery};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Filters for the unit list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitFilter {
    /// Only this region (GB/T 2260).
    #[param(pattern = "^[0-9]{6}$")]
    pub region: Option<String>,
    /// Only confirmed (`true`) or unconfirmed (`false`) units.
    pub confirmed: Option<bool>,
    /// Name contains.
    pub q: Option<String>,
    /// Include merged and deleted units.
    #[serde(default)]
    pub all: bool,
}

/// A unit to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUnit {
    /// Its name.
    pub name: String,
    /// Its region (GB/T 2260).
    pub region: String,
    /// `department`, `government`, `park`, `enterprise`, `collective` or `other` (guessed from the name when left out).
    pub kind: Option<String>,
    /// Other names it goes by.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A change to a unit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitPatch {
    /// Its new name (the old one stays an alias).
    pub name: String,
}

/// A merge.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    /// The unit this one is another name of.
    pub into: i64,
}

/// List units.
#[utoipa::path(get, path = "/api/units", tag = "units", params(UnitFilter),
    responses((status = 200, body = Vec<Unit>), (status = 403, body = ErrorBody)))]
async fn list_units(State(s): State<AppState>, auth: Auth, Q(q): Q<UnitFilter>) -> ApiResult<Json<Vec<Unit>>> {
    auth.require(&s, Action::ReadUnits, "units").await?;
    let q = UnitQuery { region: q.region, confirmed: q.confirmed, q: q.q, all: q.all };
    Ok(Json(s.store.units(&q).await?))
}

/// Register a unit.
#[utoipa::path(post, path = "/api/units", tag = "units", request_body = NewUnit,
    responses((status = 201, body = Unit), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_unit(
    State(s): State<AppState>,
    auth: Auth,
    Body(u): Body<NewUnit>,
) -> ApiResult<(StatusCode, Json<Unit>)> {
    auth.require(&s, Action::ManagePlans, "units").await?;
    let unit =
        s.store.create_unit(&auth.actor, &u.name, &u.region, u.kind.as_deref(), &u.aliases, s.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(unit)))
}

/// One unit with its aliases, names over time and merged units.
#[utoipa::path(get, path = "/api/units/{id}", tag = "units", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = UnitDetail), (status = 404, body = ErrorBody)))]
async fn get_unit(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<UnitDetail>> {
    auth.require(&s, Action::ReadUnits, &format!("unit:{id}")).await?;
    Ok(Json(s.store.unit_detail(id).await?))
}

/// Rename a unit (a reorganisation).
#[utoipa::path(patch, path = "/api/units/{id}", tag = "units", params(("id" = i64, Path, minimum = 1)), request_body = UnitPatch,
    responses((status = 200, body = Unit), (status = 422, body = ErrorBody)))]
async fn rename_unit(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(p): Body<UnitPatch>,
) -> ApiResult<Json<Unit>> {
    auth.require(&s, Action::ManagePlans, &format!("unit:{id}")).await?;
    Ok(Json(s.store.rename_unit(&auth.actor, id, &p.name, s.clock.now()).await?))
}

/// Confirm a unit met in a plan as a unit in its own right.
#[utoipa::path(post, path = "/api/units/{id}/confirm", tag = "units", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Unit), (status = 404, body = ErrorBody)))]
async fn confirm_unit(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Unit>> {
    auth.require(&s, Action::ManagePlans, &format!("unit:{id}")).await?;
    Ok(Json(s.store.confirm_unit(&auth.actor, id, s.clock.now()).await?))
}

/// Merge this unit (another name of the same body) into another.
#[utoipa::path(post, path = "/api/units/{id}/merge", tag = "units", params(("id" = i64, Path, minimum = 1)), request_body = Merge,
    responses((status = 200, body = Unit), (status = 422, body = ErrorBody)))]
async fn merge_unit(State(s): State<AppState>, auth: Auth, Id(id): Id, Body(m): Body<Merge>) -> ApiResult<Json<Unit>> {
    auth.require(&s, Action::ManagePlans, &format!("unit:{id}")).await?;
    Ok(Json(s.store.merge_unit(&auth.actor, id, m.into, s.clock.now()).await?))
}

/// Undo a merge.
#[utoipa::path(post, path = "/api/units/{id}/unmerge", tag = "units", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Unit), (status = 409, body = ErrorBody)))]
async fn unmerge_unit(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Unit>> {
    auth.require(&s, Action::ManagePlans, &format!("unit:{id}")).await?;
    Ok(Json(s.store.unmerge_unit(&auth.actor, id, s.clock.now()).await?))
}

/// The changes made to a unit.
#[utoipa::path(get, path = "/api/units/{id}/history", tag = "units", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 404, body = ErrorBody)))]
async fn unit_history(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Vec<HistoryEntry>>> {
    auth.require(&s, Action::ReadUnits, &format!("unit:{id}")).await?;
    s.store.unit(id).await?;
    Ok(Json(s.store.history("unit", id).await?))
}

/// The unit routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_units, create_unit))
        .routes(routes!(get_unit, rename_unit))
        .routes(routes!(confirm_unit))
        .routes(routes!(merge_unit))
        .routes(routes!(unmerge_unit))
        .routes(routes!(unit_history))
}
