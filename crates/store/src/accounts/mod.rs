//! Accounts, roles, the password policy, logins and sessions.
//!
//! Passwords are stored as PHC strings (argon2id), beside the algorithm's
//! name, so that another algorithm can be added later. After too many failed
//! logins an account is locked for a while; a session ends after a time
//! without requests. The policy is the security administrator's to set.

mod approvals;
mod passwords;
mod policy;
mod sessions;
mod users;

pub use approvals::{AccountRequest, Applied, Decided};
pub use passwords::{ALGORITHM, generate_password, hash_password};
pub use policy::PasswordPolicy;
pub use sessions::{LoginRefusal, NewSession, Session};
pub use users::{NewUser, User, UserPatch};
