//! What can go wrong in the store, said so that the caller can tell the user
//! what to fix.

use bighealth_reader::ReadError;

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not one bighealth can open.
    #[error("cannot use the database {url}: {problem}")]
    Url {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A record asked for does not exist.
    #[error("{what} {id} does not exist")]
    NotFound {
        /// The kind of record (`plan`, `task`, …).
        what: &'static str,
        /// Its id as given.
        id: String,
    },
    /// A value the caller gave is wrong.
    #[error("{field}: {problem}")]
    Invalid {
        /// The field, as the caller named it.
        field: String,
        /// What is wrong and how to put it right.
        problem: String,
    },
    /// The change conflicts with what is stored.
    #[error("{0}")]
    Conflict(String),
    /// The actor may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The document could not be read.
    #[error("{name}: {source}")]
    Read {
        /// The document's file name.
        name: String,
        /// Why.
        source: ReadError,
    },
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// An [`StoreError::Invalid`] for `field`.
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        StoreError::Invalid { field: field.into(), problem: problem.into() }
    }

    /// A [`StoreError::NotFound`].
    pub fn not_found(what: &'static str, id: impl ToString) -> Self {
        StoreError::NotFound { what, id: id.to_string() }
    }
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
