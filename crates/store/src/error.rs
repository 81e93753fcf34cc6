//! What can go wrong in the store. A refusal — a value that does not fit, a
//! right the actor lacks, a record that does not exist — is a coded
//! [`Refusal`] from the catalogue of `bighealth-rules`, worded by whoever
//! shows it; the database failing is not the caller's doing and says so.

pub use bighealth_rules::refusal::{Object, Reason, Refusal};

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store refused: a code with its arguments and field.
    #[error("{0}")]
    Refused(Refusal),
    /// The database URL is not one bighealth can open.
    #[error("无法使用数据库 {url}：{problem}")]
    Url {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The audit key cannot be read or made.
    #[error(
        "审计日志密钥 {path} 无法读取或创建：{problem}；请检查该文件及其所在目录的权限，或用 BIGHEALTH_AUDIT_KEY 指定位置"
    )]
    Key {
        /// Where it is kept.
        path: String,
        /// What went wrong.
        problem: String,
    },
    /// A backup or restore cannot go on.
    #[error("{path}：{problem}")]
    File {
        /// The file concerned.
        path: String,
        /// What is wrong and how to put it right.
        problem: String,
    },
    /// The database failed.
    #[error("数据库出错：{0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("数据库升级失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// A refusal of `reason` about `field`.
    pub fn invalid(field: impl Into<String>, reason: Reason) -> Self {
        StoreError::Refused(reason.on(field))
    }

    /// A record that does not exist.
    pub fn not_found(object: Object, id: impl ToString) -> Self {
        StoreError::Refused(Reason::not_found(object, id).into())
    }

    /// The refusal, when it is one.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            StoreError::Refused(r) => Some(r),
            _ => None,
        }
    }
}

impl From<Refusal> for StoreError {
    fn from(r: Refusal) -> Self {
        StoreError::Refused(r)
    }
}

impl From<Reason> for StoreError {
    fn from(r: Reason) -> Self {
        StoreError::Refused(r.into())
    }
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
