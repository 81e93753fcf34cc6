//! The secret the audit chain is keyed with, and the checkpoints signed
//! with it — both kept outside the database, so that whoever can rewrite the
//! database cannot rewrite the chain to match.
//!
//! The key is 32 random bytes in a file readable by the server's user only
//! (mode 0600), created on first use: beside a SQLite database
//! (`bighealth.db.audit-key`), under `~/.config/bighealth/` for a PostgreSQL
//! one, or wherever `BIGHEALTH_AUDIT_KEY` says. Beside it, the checkpoints
//! file gets a line now and then: the sequence number and hash of the last
//! audit row, signed. A row deleted from the end of the log, or the log cut
//! back, shows against the last checkpoint; and verification starts from the
//! last good checkpoint instead of re-hashing the whole log.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The key and where its checkpoints go.
#[derive(Debug)]
pub struct AuditKey {
    key: [u8; 32],
    path: PathBuf,
}

/// A signed checkpoint: the audit row at `seq` had `hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The row's sequence number.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
}

/// Where the key of the database at `url` is kept: `BIGHEALTH_AUDIT_KEY`, or
/// beside a SQLite file, or under `~/.config/bighealth/` (or
/// `BIGHEALTH_CONFIG_DIR`) named for a PostgreSQL server and database.
pub fn default_path(url: &str) -> PathBuf {
    if let Ok(p) = std::env::var("BIGHEALTH_AUDIT_KEY")
        && !p.is_empty()
    {
        return PathBuf::from(p);
    }
    if let Some(file) = url.strip_prefix("sqlite:") {
        let file = file.split('?').next().unwrap_or(file).trim_start_matches("//");
        return PathBuf::from(format!("{file}.audit-key"));
    }
    let dir = std::env::var("BIGHEALTH_CONFIG_DIR").map(PathBuf::from).unwrap_or_else(|_| {
        std::env::var("HOME").map(|h| Path::new(&h).join(".config").join("bighealth")).unwrap_or_else(|_| ".".into())
    });
    let after = url.split("://").nth(1).unwrap_or(url);
    let after = after.rsplit('@').next().unwrap_or(after).split('?').next().unwrap_or(after);
    let name: String = after.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    dir.join(format!("{name}.audit-key"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

impl AuditKey {
    /// The key at `path`, made (0600) when there is none yet.
    pub fn load_or_create(path: &Path) -> std::io::Result<AuditKey> {
        let key = match std::fs::read_to_string(path) {
            Ok(text) => unhex(&text).and_then(|b| <[u8; 32]>::try_from(b).ok()).ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{} 不是审计日志密钥（应为 64 位十六进制）", path.display()),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                getrandom::fill(&mut key).map_err(|e| std::io::Error::other(e.to_string()))?;
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options.open(path)?;
                file.write_all(hex(&key).as_bytes())?;
                file.sync_all()?;
                key
            }
            Err(e) => return Err(e),
        };
        Ok(AuditKey { key, path: path.to_path_buf() })
    }

    /// The key's fingerprint (the SHA-256 of its bytes): a backup names the
    /// key its chain needs without holding it.
    pub fn fingerprint(&self) -> String {
        hex(&Sha256::digest(self.key))
    }

    /// HMAC-SHA256 of `message` under the key, in hex.
    pub fn mac(&self, message: &[u8]) -> String {
        const BLOCK: usize = 64;
        let mut inner = [0x36u8; BLOCK];
        let mut outer = [0x5cu8; BLOCK];
        for (i, k) in self.key.iter().enumerate() {
            inner[i] ^= k;
            outer[i] ^= k;
        }
        let first = Sha256::new().chain_update(inner).chain_update(message).finalize();
        hex(&Sha256::new().chain_update(outer).chain_update(first).finalize())
    }

    fn checkpoints(&self) -> PathBuf {
        let mut p = self.path.clone().into_os_string();
        p.push(".checkpoints");
        PathBuf::from(p)
    }

    /// Appends a signed checkpoint.
    pub fn write_checkpoint(&self, c: &Checkpoint) -> std::io::Result<()> {
        let line = format!("{} {}", c.seq, c.hash);
        let signature = self.mac(line.as_bytes());
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(self.checkpoints())?;
        writeln!(file, "{line} {signature}")?;
        file.sync_data()
    }

    /// The last checkpoint whose signature holds, if any.
    pub fn last_checkpoint(&self) -> Option<Checkpoint> {
        let text = std::fs::read_to_string(self.checkpoints()).ok()?;
        text.lines().rev().find_map(|line| {
            let mut parts = line.split(' ');
            let (seq, hash, signature) = (parts.next()?, parts.next()?, parts.next()?);
            let seq: i64 = seq.parse().ok()?;
            (self.mac(format!("{seq} {hash}").as_bytes()) == signature)
                .then(|| Checkpoint { seq, hash: hash.to_string() })
        })
    }

    /// Removes the key and its checkpoints (a test database dropped).
    pub fn remove(path: &Path) {
        let _ = std::fs::remove_file(path);
        let mut p = path.to_path_buf().into_os_string();
        p.push(".checkpoints");
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_is_rfc_4231s() {
        // Test case 2: key "Jefe" (zero-padded, as HMAC pads every key).
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        let k = AuditKey { key, path: PathBuf::new() };
        assert_eq!(
            k.mac(b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_key_file_is_private_and_checkpoints_are_signed() {
        let dir = std::env::temp_dir().join(format!("bh-audit-key-{}-{}", std::process::id(), crate::now_ms()));
        let path = dir.join("k.audit-key");
        let key = AuditKey::load_or_create(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let again = AuditKey::load_or_create(&path).unwrap();
        assert_eq!(key.mac(b"x"), again.mac(b"x"), "the same key on the next start");
        assert_ne!(key.mac(b"x"), key.mac(b"y"));
        assert_eq!(key.last_checkpoint(), None);
        key.write_checkpoint(&Checkpoint { seq: 3, hash: "ab".into() }).unwrap();
        key.write_checkpoint(&Checkpoint { seq: 7, hash: "cd".into() }).unwrap();
        assert_eq!(key.last_checkpoint(), Some(Checkpoint { seq: 7, hash: "cd".into() }));
        // A forged line (no key) is passed over.
        let mut f = std::fs::OpenOptions::new().append(true).open(key.checkpoints()).unwrap();
        writeln!(f, "2 ee 00").unwrap();
        assert_eq!(key.last_checkpoint(), Some(Checkpoint { seq: 7, hash: "cd".into() }));
        AuditKey::remove(&path);
        let _ = std::fs::remove_dir(&dir);
    }
}
