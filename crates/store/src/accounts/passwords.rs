//! Passwords and tokens: argon2id PHC strings beside the algorithm's name
//! (so that another algorithm can be added later), random session tokens
//! kept only as hashes, generated passwords.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};

/// The name stored beside each hash.
pub const ALGORITHM: &str = "argon2id";

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn token_hash(token: &str) -> String {
    bighealth_reader::sha256_hex(token.as_bytes())
}

/// Hashes a password (argon2id, a random salt); returns the PHC string.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
}

pub(crate) fn verify_password(algo: &str, hash: &str, password: &str) -> bool {
    match algo {
        ALGORITHM => PasswordHash::new(hash)
            .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false),
        _ => false,
    }
}

/// A random password of 16 characters mixing all four character classes (for
/// new accounts made on the command line; the user changes it).
pub fn generate_password() -> String {
    const SETS: [&[u8]; 4] = [b"abcdefghijkmnpqrstuvwxyz", b"ABCDEFGHJKLMNPQRSTUVWXYZ", b"23456789", b"#%+-=@^_"];
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let set = SETS[if i < 4 { i } else { *b as usize % 4 }];
            set[(*b as usize / 4) % set.len()] as char
        })
        .collect()
}

/// [`hash_password`] on a blocking thread: a hash takes tens of
/// milliseconds of a core, which the server's other requests must not wait
/// for.
pub(crate) async fn hashed(password: &str) -> String {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&password)).await.unwrap_or_default()
}

/// [`verify_password`] on a blocking thread.
pub(crate) async fn verified(algo: &str, hash: &str, password: &str) -> bool {
    let (algo, hash, password) = (algo.to_string(), hash.to_string(), password.to_string());
    tokio::task::spawn_blocking(move || verify_password(&algo, &hash, &password)).await.unwrap_or(false)
}
