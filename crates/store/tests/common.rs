//! Shared pieces of the store's tests.

pub use bighealth_store::testing::*;
use bighealth_store::{Actor, Role};

/// The office acting from the command line.
pub fn office() -> Actor {
    Actor::local("test", Role::SystemAdmin)
}

/// The security administrator acting from the command line.
pub fn security() -> Actor {
    Actor::local("test", Role::SecurityAdmin)
}
