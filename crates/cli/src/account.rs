//! `bighealth account`: accounts made on the server's own machine — the
//! first 安全管理员, or a reset when nobody can log in.

use crate::{Database, exit_for};
use bighealth_store::accounts::{NewUser, UserPatch, generate_password};
use bighealth_store::{Actor, Role};
use std::process::ExitCode;

/// Arguments of `bighealth account create`.
#[derive(Debug, clap::Args)]
pub struct AccountArgs {
    /// Login name.
    pub username: String,
    /// Role: system_admin (系统管理员), security_admin (安全管理员), auditor
    /// (审计员), reporter (填报员) or leader (领导).
    #[arg(long, value_parser = parse_role)]
    pub role: Role,
    /// For a reporter: the id of a unit reported for (repeat for more).
    #[arg(long = "unit")]
    pub units: Vec<i64>,
    /// Name shown.
    #[arg(long)]
    pub display_name: Option<String>,
    #[command(flatten)]
    pub db: Database,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role {s:?}; use one of {}", all.join(", "))
    })
}

/// Runs `bighealth account create`: prints the new account's password once.
pub async fn run(args: AccountArgs) -> ExitCode {
    let store = match args.db.open().await {
        Ok(s) => s,
        Err(e) => return exit_for(&e),
    };
    let password = generate_password();
    let new = NewUser {
        username: args.username.clone(),
        display_name: args.display_name,
        password: password.clone(),
        roles: vec![args.role],
        units: args.units,
    };
    let actor = Actor::local("cli account", Role::SecurityAdmin);
    let result = store.create_user(&actor, &new, bighealth_store::now_ms()).await.and_then(|a| a.done());
    store.close().await;
    match result {
        Ok(user) => {
            println!("created {} ({}) with password {password}", user.username, args.role.label());
            ExitCode::SUCCESS
        }
        Err(e) => exit_for(&e),
    }
}

/// Arguments of `bighealth account unlock`.
#[derive(Debug, clap::Args)]
pub struct UnlockArgs {
    /// Login name.
    pub username: String,
    #[command(flatten)]
    pub db: Database,
}

/// Runs `bighealth account unlock`: lifts a lockout and enables the account.
pub async fn unlock(args: UnlockArgs) -> ExitCode {
    let store = match args.db.open().await {
        Ok(s) => s,
        Err(e) => return exit_for(&e),
    };
    let actor = Actor::local("cli account unlock", Role::SecurityAdmin);
    let result = async {
        let users = store.users(&actor).await?;
        let Some(user) = users.into_iter().find(|u| u.username == args.username) else {
            return Err(bighealth_store::StoreError::not_found(bighealth_store::Object::User, &args.username));
        };
        let patch = UserPatch { unlock: Some(true), disabled: Some(false), ..Default::default() };
        store.update_user(&actor, user.id, &patch, bighealth_store::now_ms()).await?.done()
    }
    .await;
    store.close().await;
    match result {
        Ok(user) => {
            println!("unlocked {}: it may log in again", user.username);
            ExitCode::SUCCESS
        }
        Err(e) => exit_for(&e),
    }
}
