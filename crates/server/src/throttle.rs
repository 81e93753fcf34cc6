//! Login attempts per client address. After a few failures in a row an
//! address waits before it may try again — 1 s, then 2 s, 4 s … up to 15
//! minutes — and a success clears it. Guessing then costs the guesser time,
//! while the account lockout (which an anonymous visitor could otherwise
//! trigger over and over to keep an administrator out) is reached far less
//! easily; a locked administrator is unlocked on the server's own machine
//! (`bighealth account unlock`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Failures in a row an address may have before it waits.
const FREE: u32 = 5;
/// The longest wait, in milliseconds.
const MAX_WAIT_MS: i64 = 15 * 60_000;
/// Addresses remembered at most; beyond, the oldest are forgotten.
const MAX_ADDRESSES: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    until: i64,
    last: i64,
}

/// The failed logins of each client address.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    entries: Mutex<HashMap<IpAddr, Entry>>,
}

impl LoginThrottle {
    /// Seconds `ip` must still wait before trying again, if any.
    pub fn wait(&self, ip: IpAddr, now: i64) -> Option<i64> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(&ip).filter(|e| e.until > now).map(|e| (e.until - now + 999) / 1000)
    }

    /// Counts a failed login from `ip`.
    pub fn failed(&self, ip: IpAddr, now: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ADDRESSES && !entries.contains_key(&ip) {
            let cutoff = now - MAX_WAIT_MS;
            entries.retain(|_, e| e.last > cutoff);
        }
        let e = entries.entry(ip).or_insert(Entry { failures: 0, until: 0, last: now });
        // A quiet quarter of an hour forgives the failures before it.
        if now - e.last > MAX_WAIT_MS {
            e.failures = 0;
        }
        e.failures += 1;
        e.last = now;
        if e.failures > FREE {
            let doubling = (e.failures - FREE - 1).min(20);
            e.until = now + (1_000i64 << doubling).min(MAX_WAIT_MS);
        }
    }

    /// Clears `ip` after a successful login.
    pub fn succeeded(&self, ip: IpAddr) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).remove(&ip);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_after_a_few_failures_and_a_success_clears_them() {
        let t = LoginThrottle::default();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for i in 0..FREE {
            t.failed(ip, i as i64);
            assert_eq!(t.wait(ip, i as i64), None, "the first failures are free");
        }
        t.failed(ip, 10);
        assert_eq!(t.wait(ip, 10), Some(1));
        t.failed(ip, 2_000);
        assert_eq!(t.wait(ip, 2_000), Some(2));
        t.failed(ip, 5_000);
        assert_eq!(t.wait(ip, 5_000), Some(4));
        assert_eq!(t.wait("10.0.0.2".parse().unwrap(), 5_000), None, "other addresses are not held up");
        for k in 0..30 {
            t.failed(ip, 10_000 + k);
        }
        assert_eq!(t.wait(ip, 10_030), Some(MAX_WAIT_MS / 1000), "at most a quarter of an hour");
        t.succeeded(ip);
        assert_eq!(t.wait(ip, 10_030), None);
    }
}
