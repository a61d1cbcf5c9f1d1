//! Sign-in throttling: too many failed sign-ins for one email, or from one client address,
//! and that email or address is refused for a while, before any password is checked (argon2
//! is deliberately slow; a guesser must not be able to make the box burn CPU).
//!
//! An attempt counts as failed from the moment it is let through; only a success takes it
//! back. So concurrent guesses cannot all slip past the check before the first one fails, and
//! a guesser who hangs up before the answer has still used the attempt. Emails are counted
//! whether or not a login has them, so a refusal says nothing about which emails exist.
//!
//! The state lives in memory, bounded (old entries are pruned, and past `MAX_TRACKED` keys the
//! least recently failed is forgotten). A restart clears it; that is acceptable: a restart
//! gives a guesser at most one more round of attempts, and persisting it would add a write to
//! every failed sign-in.
//!
//! The client address is the TCP peer. Behind a reverse proxy or tunnel every visitor shares
//! the proxy's address, so the per-address limit applies to all of them together (forecourt
//! does not trust `X-Forwarded-For`: anyone can send it).

use chrono::{DateTime, Utc};
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Failures within this window count towards a lock.
const WINDOW_SECS: i64 = 15 * 60;
/// How long a locked email or address is refused.
const LOCK_SECS: i64 = 15 * 60;
/// Failed sign-ins for one email within the window before it is locked.
pub const EMAIL_FAILURE_LIMIT: usize = 5;
/// Failed sign-ins from one client address within the window before it is locked.
pub const ADDRESS_FAILURE_LIMIT: usize = 20;
/// Keys remembered per kind (emails, addresses); beyond it the least recently failed go.
const MAX_TRACKED: usize = 10_000;
/// Every this many attempts, entries with nothing left to remember are dropped.
const PRUNE_EVERY: u64 = 256;

/// Why an attempt was refused, and for how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Email { retry_after_secs: i64 },
    Address { retry_after_secs: i64 },
}

impl Refusal {
    pub fn retry_after_secs(&self) -> i64 {
        match self {
            Refusal::Email { retry_after_secs } | Refusal::Address { retry_after_secs } => *retry_after_secs,
        }
    }

    /// What the login page says, in plain words.
    pub fn message(&self) -> String {
        let minutes = (self.retry_after_secs() + 59) / 60;
        let wait = if minutes == 1 {
            "1 minute".to_string()
        } else {
            format!("{minutes} minutes")
        };
        match self {
            Refusal::Email { .. } => format!(
                "Too many failed sign-ins for this email. Try again in {wait}, or ask your manager to reset your password."
            ),
            Refusal::Address { .. } => {
                format!("Too many failed sign-ins from this network. Try again in {wait}.")
            }
        }
    }
}

#[derive(Default)]
struct Entry {
    /// Times of failed (or still undecided) attempts within the window, oldest first.
    failures: VecDeque<i64>,
    locked_until: Option<i64>,
}

impl Entry {
    fn forget_before(&mut self, now: i64) {
        while self.failures.front().is_some_and(|&t| t <= now - WINDOW_SECS) {
            self.failures.pop_front();
        }
        if self.locked_until.is_some_and(|until| until <= now) {
            self.locked_until = None;
        }
    }

    fn is_empty(&self) -> bool {
        self.failures.is_empty() && self.locked_until.is_none()
    }

    fn last_failure(&self) -> i64 {
        self.failures.back().copied().unwrap_or(i64::MIN)
    }
}

/// Failures per key (a normalised email, or a client address).
struct Tally {
    limit: usize,
    entries: HashMap<String, Entry>,
}

impl Tally {
    fn new(limit: usize) -> Self {
        Tally {
            limit,
            entries: HashMap::new(),
        }
    }

    /// Seconds left on this key's lock, if it has one.
    fn locked_for(&mut self, key: &str, now: i64) -> Option<i64> {
        let entry = self.entries.get_mut(key)?;
        entry.forget_before(now);
        entry.locked_until.map(|until| until - now)
    }

    fn fail(&mut self, key: &str, now: i64) {
        if !self.entries.contains_key(key) && self.entries.len() >= MAX_TRACKED {
            self.prune(now);
            if self.entries.len() >= MAX_TRACKED {
                self.forget_least_recent();
            }
        }
        let limit = self.limit;
        let entry = self.entries.entry(key.to_string()).or_default();
        entry.forget_before(now);
        entry.failures.push_back(now);
        // no attempt is let through while locked, so a key never holds more than `limit`
        // failures, and they are all out of the window when the lock ends
        if entry.failures.len() >= limit {
            entry.locked_until = Some(now + LOCK_SECS);
        }
    }

    /// Take back one undecided attempt made at `at` (it succeeded), with the lock it caused.
    fn take_back(&mut self, key: &str, at: i64) {
        let Some(entry) = self.entries.get_mut(key) else {
            return;
        };
        if let Some(i) = entry.failures.iter().rposition(|&t| t == at) {
            entry.failures.remove(i);
        }
        if entry.failures.len() < self.limit && entry.locked_until == Some(at + LOCK_SECS) {
            entry.locked_until = None;
        }
        if entry.is_empty() {
            self.entries.remove(key);
        }
    }

    fn clear(&mut self, key: &str) {
        self.entries.remove(key);
    }

    fn prune(&mut self, now: i64) {
        self.entries.retain(|_, e| {
            e.forget_before(now);
            !e.is_empty()
        });
    }

    fn forget_least_recent(&mut self) {
        let oldest = self
            .entries
            .iter()
            .min_by_key(|(_, e)| (e.locked_until.unwrap_or(i64::MIN), e.last_failure()))
            .map(|(k, _)| k.clone());
        if let Some(k) = oldest {
            self.entries.remove(&k);
        }
    }
}

struct State {
    emails: Tally,
    addresses: Tally,
    attempts: u64,
}

/// The sign-in throttle of one running appliance.
#[derive(Clone)]
pub struct LoginThrottle(Arc<Mutex<State>>);

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle(Arc::new(Mutex::new(State {
            emails: Tally::new(EMAIL_FAILURE_LIMIT),
            addresses: Tally::new(ADDRESS_FAILURE_LIMIT),
            attempts: 0,
        })))
    }
}

/// An attempt let through: it counts as failed unless [`Attempt::succeeded`] is called.
pub struct Attempt {
    throttle: LoginThrottle,
    email: String,
    address: String,
    at: i64,
}

impl Attempt {
    /// The password was right: the email's count starts again and this attempt no longer
    /// counts against the address (a whole office signing in from one address is not a
    /// guesser).
    pub fn succeeded(self) {
        let mut state = self.throttle.lock();
        state.emails.clear(&self.email);
        state.addresses.take_back(&self.address, self.at);
    }
}

impl LoginThrottle {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // the state is counts only: after a panic elsewhere it is still usable
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// May this email, from this address, try a password now? If so the attempt is counted
    /// (as failed, until it succeeds).
    pub fn attempt(&self, email: &str, client: IpAddr, now: DateTime<Utc>) -> Result<Attempt, Refusal> {
        let now = now.timestamp();
        let email = email_key(email);
        let address = address_key(client);
        let mut state = self.lock();
        state.attempts += 1;
        if state.attempts.is_multiple_of(PRUNE_EVERY) {
            state.emails.prune(now);
            state.addresses.prune(now);
        }
        if let Some(secs) = state.emails.locked_for(&email, now) {
            return Err(Refusal::Email { retry_after_secs: secs });
        }
        if let Some(secs) = state.addresses.locked_for(&address, now) {
            return Err(Refusal::Address { retry_after_secs: secs });
        }
        state.emails.fail(&email, now);
        state.addresses.fail(&address, now);
        drop(state);
        Ok(Attempt {
            throttle: self.clone(),
            email,
            address,
            at: now,
        })
    }

    #[cfg(test)]
    fn tracked(&self) -> (usize, usize) {
        let state = self.lock();
        (state.emails.entries.len(), state.addresses.entries.len())
    }
}

/// Emails are compared as typed, less surrounding space and case: `A@x` and `a@x ` are one.
fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// An IPv6 client is counted by its /64 (one subscriber usually holds a whole /64); an
/// IPv4-mapped address as the IPv4 address it is.
fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, n])
    }

    fn fail_times(throttle: &LoginThrottle, email: &str, client: IpAddr, now: DateTime<Utc>, times: usize) {
        for _ in 0..times {
            drop(throttle.attempt(email, client, now).expect("let through"));
        }
    }

    #[test]
    fn the_fifth_failure_locks_the_email_for_fifteen_minutes() {
        let throttle = LoginThrottle::default();
        fail_times(&throttle, "a@x.example", ip(1), t0(), EMAIL_FAILURE_LIMIT);
        let refused = throttle.attempt("A@x.example ", ip(2), t0() + Duration::minutes(1));
        assert_eq!(
            refused.err(),
            Some(Refusal::Email {
                retry_after_secs: 14 * 60
            })
        );
        assert!(
            throttle.attempt("b@x.example", ip(1), t0()).is_ok(),
            "other emails are not locked"
        );
        assert!(throttle
            .attempt("a@x.example", ip(1), t0() + Duration::minutes(15))
            .is_ok());
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let throttle = LoginThrottle::default();
        fail_times(&throttle, "a@x.example", ip(1), t0(), EMAIL_FAILURE_LIMIT - 1);
        let later = t0() + Duration::minutes(15);
        fail_times(&throttle, "a@x.example", ip(1), later, EMAIL_FAILURE_LIMIT - 1);
        assert!(throttle.attempt("a@x.example", ip(1), later).is_ok());
    }

    #[test]
    fn success_clears_the_email_and_is_not_held_against_the_address() {
        let throttle = LoginThrottle::default();
        fail_times(&throttle, "a@x.example", ip(1), t0(), EMAIL_FAILURE_LIMIT - 1);
        throttle.attempt("a@x.example", ip(1), t0()).unwrap().succeeded();
        fail_times(&throttle, "a@x.example", ip(1), t0(), EMAIL_FAILURE_LIMIT - 1);
        for _ in 0..ADDRESS_FAILURE_LIMIT * 2 {
            throttle.attempt("b@x.example", ip(2), t0()).unwrap().succeeded();
        }
        assert!(throttle.attempt("c@x.example", ip(2), t0()).is_ok());
    }

    #[test]
    fn an_attempt_that_reaches_the_limit_and_succeeds_unlocks_what_it_locked() {
        let throttle = LoginThrottle::default();
        for n in 0..ADDRESS_FAILURE_LIMIT - 1 {
            drop(throttle.attempt(&format!("{n}@x.example"), ip(1), t0()).unwrap());
        }
        throttle.attempt("ok@x.example", ip(1), t0()).unwrap().succeeded();
        let next = throttle.attempt("other@x.example", ip(1), t0());
        assert!(next.is_ok(), "the success took its attempt back");
        drop(next);
        assert!(
            matches!(
                throttle.attempt("more@x.example", ip(1), t0()),
                Err(Refusal::Address { .. })
            ),
            "but the failures before it still count"
        );
    }

    #[test]
    fn undecided_attempts_count_so_concurrent_guesses_cannot_slip_past() {
        let throttle = LoginThrottle::default();
        let in_flight: Vec<_> = (0..EMAIL_FAILURE_LIMIT)
            .map(|_| throttle.attempt("a@x.example", ip(1), t0()).unwrap())
            .collect();
        assert!(throttle.attempt("a@x.example", ip(1), t0()).is_err());
        drop(in_flight);
    }

    #[test]
    fn twenty_failures_from_one_address_lock_it() {
        let throttle = LoginThrottle::default();
        for n in 0..ADDRESS_FAILURE_LIMIT {
            drop(throttle.attempt(&format!("{n}@x.example"), ip(1), t0()).unwrap());
        }
        let refused = throttle.attempt("fresh@x.example", ip(1), t0()).err().unwrap();
        assert!(matches!(refused, Refusal::Address { .. }));
        assert_eq!(
            refused.message(),
            "Too many failed sign-ins from this network. Try again in 15 minutes."
        );
        assert!(throttle.attempt("fresh@x.example", ip(2), t0()).is_ok());
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_slash_64() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(address_key("::ffff:10.0.0.1".parse().unwrap()), "10.0.0.1");
    }

    #[test]
    fn the_message_says_how_long_to_wait() {
        let r = Refusal::Email { retry_after_secs: 61 };
        assert_eq!(
            r.message(),
            "Too many failed sign-ins for this email. Try again in 2 minutes, or ask your manager to reset your password."
        );
        assert!(Refusal::Email { retry_after_secs: 5 }
            .message()
            .contains("in 1 minute,"));
    }

    #[test]
    fn memory_stays_bounded() {
        let throttle = LoginThrottle::default();
        for n in 0..MAX_TRACKED + 50 {
            let client = IpAddr::from([10, (n >> 16) as u8, (n >> 8) as u8, n as u8]);
            drop(throttle.attempt(&format!("{n}@x.example"), client, t0()));
        }
        let (emails, addresses) = throttle.tracked();
        assert!(
            emails <= MAX_TRACKED && addresses <= MAX_TRACKED,
            "{emails} {addresses}"
        );
        // once their failures are out of the window, pruning forgets them
        let later = t0() + Duration::minutes(16);
        for _ in 0..PRUNE_EVERY {
            throttle.attempt("a@x.example", ip(1), later).unwrap().succeeded();
        }
        assert_eq!(throttle.tracked(), (0, 0));
    }
}
