//! Accounts in the store: the roles' limits hold below the API too, and
//! concurrent changes keep the audit chain whole.

use crate::common::*;
use bighealth_store::Reason;
use bighealth_store::accounts::{NewUser, generate_password};
use bighealth_store::audit::Event;
use bighealth_store::{Actor, Role};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_security_admin_manages_accounts() {
    each_backend(|store| async move {
        let new = NewUser {
            username: "clerk".into(),
            display_name: Some("办公室 张三".into()),
            password: generate_password(),
            roles: vec![Role::Leader],
            units: vec![],
        };
        let err = store.create_user(&office(), &new, NOW).await.unwrap_err();
        assert!(matches!(err.refusal().map(|r| &r.reason), Some(Reason::RoleMayNot { .. })), "{err}");
        let user = store.create_user(&security(), &new, NOW).await.unwrap().done().unwrap();
        assert_eq!(user.roles, vec![Role::Leader]);
        let dup = store.create_user(&security(), &new, NOW).await.unwrap_err();
        assert!(matches!(dup.refusal().map(|r| &r.reason), Some(Reason::UsernameTaken { .. })), "{dup}");
        let hash: (String, String) = sqlx::query_as("SELECT password_hash, password_algo FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(hash.1, "argon2id");
        assert!(hash.0.starts_with("$argon2id$"), "a PHC string: {}", hash.0);
        assert!(!hash.0.contains(&new.password));
        let reporter = NewUser { username: "reporter1".into(), roles: vec![Role::Reporter], ..new.clone() };
        let err = store.create_user(&security(), &reporter, NOW).await.unwrap_err();
        let refusal = err.refusal().unwrap();
        assert_eq!((refusal.reason.code(), refusal.field.as_deref()), ("reporter_needs_unit", Some("units")), "{err}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_keep_the_audit_chain_whole() {
    each_backend(|store| async move {
        let mut handles = Vec::new();
        for i in 0..24 {
            let store = store.clone();
            handles.push(tokio::spawn(async move {
                let actor = Actor { username: format!("writer{i}"), ..office() };
                store.audit_now(&actor, Event::ok("test", &format!("row:{i}"), ""), NOW + i).await.unwrap();
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
        assert_eq!(store.audit_log(&Default::default()).await.unwrap().len(), 24);
        assert_eq!(store.verify_audit().await.unwrap(), None);
    })
    .await;
}
