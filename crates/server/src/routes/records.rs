//! The endpoints every correctable kind of record has — list, one, correct,
//! delete, restore, history — written once for tasks, targets and projects.

/// Defines the six handlers of a kind of record and `record_routes()`, which
/// serves them. Paths and documentation are literals, so that the OpenAPI
/// document shows each kind's own. (rustfmt re-indents the attributes'
/// continuation lines inside a macro on every run, so it is kept off.)
#[rustfmt::skip]
macro_rules! record_endpoints {
    (
        tag: $tag:tt, entity: $entity:tt,
        item: $item:ident, patch: $patch:ident, query: $query:ident,
        list: $list:ident($list_path:tt, $list_doc:tt, $store_list:ident),
        get: $get:ident($get_path:tt, $get_doc:tt, $store_get:ident),
        update: $update:ident($update_doc:tt, $store_update:ident),
        delete: $delete:ident($delete_doc:tt, $store_delete:ident),
        restore: $restore:ident($restore_path:tt, $restore_doc:tt),
        history: $history:ident($history_path:tt, $history_doc:tt),
    ) => {
        #[doc = $list_doc]
        #[utoipa::path(get, path = $list_path, tag = $tag, params($query),
            responses((status = 200, body = Page<$item>)))]
        async fn $list(State(s): State<AppState>, auth: Auth, Q(q): Q<$query>) -> ApiResult<Json<Page<$item>>> {
            auth.require(&s, Action::ReadPlans, $tag).await?;
            // Deleted records are the office's to see.
            if q.deleted {
                auth.require(&s, Action::ManagePlans, concat!($tag, "?deleted=true")).await?;
            }
            Ok(Json(s.store.$store_list(&q).await?))
        }

        #[doc = $get_doc]
        #[utoipa::path(get, path = $get_path, tag = $tag, params(("id" = i64, Path, minimum = 1)),
            responses((status = 200, body = $item)))]
        async fn $get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<$item>> {
            auth.require(&s, Action::ReadPlans, &format!(concat!($entity, ":{}"), id)).await?;
            Ok(Json(s.store.$store_get(id).await?))
        }

        #[doc = $update_doc]
        #[utoipa::path(patch, path = $get_path, tag = $tag, params(("id" = i64, Path, minimum = 1)),
            request_body = $patch, responses((status = 200, body = $item)))]
        async fn $update(
            State(s): State<AppState>,
            auth: Auth,
            Id(id): Id,
            Body(p): Body<$patch>,
        ) -> ApiResult<Json<$item>> {
            Ok(Json(s.store.$store_update(&auth.actor, id, &p, s.clock.now()).await?))
        }

        #[doc = $delete_doc]
        #[utoipa::path(delete, path = $get_path, tag = $tag, params(("id" = i64, Path, minimum = 1)),
            responses((status = 200, body = $item)))]
        async fn $delete(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<$item>> {
            Ok(Json(s.store.$store_delete(&auth.actor, id, true, s.clock.now()).await?))
        }

        #[doc = $restore_doc]
        #[utoipa::path(post, path = $restore_path, tag = $tag, params(("id" = i64, Path, minimum = 1)),
            responses((status = 200, body = $item)))]
        async fn $restore(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<$item>> {
            Ok(Json(s.store.$store_delete(&auth.actor, id, false, s.clock.now()).await?))
        }

        #[doc = $history_doc]
        #[utoipa::path(get, path = $history_path, tag = $tag, params(("id" = i64, Path, minimum = 1)),
            responses((status = 200, body = Vec<HistoryEntry>)))]
        async fn $history(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Vec<HistoryEntry>>> {
            auth.require(&s, Action::ReadPlans, &format!(concat!($entity, ":{}"), id)).await?;
            s.store.$store_get(id).await?;
            Ok(Json(s.store.history($entity, id).await?))
        }

        /// The six endpoints of this kind of record.
        fn record_routes() -> OpenApiRouter<AppState> {
            OpenApiRouter::new()
                .routes(routes!($list))
                .routes(routes!($get, $update, $delete))
                .routes(routes!($restore))
                .routes(routes!($history))
        }
    };
}

pub(crate) use record_endpoints;
