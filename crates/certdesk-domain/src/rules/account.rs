//! A2 (accounts per identity) and the sign-in throttle (5 failures in 15 min → 15 min lockout
//! per email; 20 failures in 15 min → 15 min lockout per client address).

use crate::policy::Policy;
use crate::refusal::{ErrorCode, Refusal};
use crate::time::saturating_add;
use jiff::{SignedDuration, Timestamp};
use std::net::{IpAddr, Ipv6Addr};

/// A2: one identity verifies at most 3 accounts; `verified_accounts` counts those already
/// verified as this person (not counting the one asking).
pub fn check_identity_accounts(verified_accounts: u32, policy: &Policy) -> Result<(), Refusal> {
    if verified_accounts >= policy.max_accounts_per_identity {
        Err(Refusal::new(ErrorCode::IdentityInUse)
            .rule("A2")
            .field("id_number"))
    } else {
        Ok(())
    }
}

/// Sign-in throttle: given the times of recent failed sign-ins (any order), the instant the
/// lockout ends, if one is in force at `now`. A lockout starts at the failure that completes
/// `login_max_failures` failures within `login_failure_window_minutes` (that is, the first and
/// the last of them less than the window apart) and lasts `login_lockout_minutes`.
pub fn login_locked_until(
    failures: &[Timestamp],
    now: Timestamp,
    policy: &Policy,
) -> Option<Timestamp> {
    let need = usize::try_from(policy.login_max_failures)
        .unwrap_or(usize::MAX)
        .max(1);
    let window = SignedDuration::from_mins(policy.login_failure_window_minutes);
    let lockout = SignedDuration::from_mins(policy.login_lockout_minutes);
    let mut times: Vec<Timestamp> = failures.iter().copied().filter(|t| *t <= now).collect();
    times.sort_unstable();
    times
        .windows(need)
        .filter(|w| w[need - 1].duration_since(w[0]) < window)
        .map(|w| saturating_add(w[need - 1], lockout))
        .max()
        .filter(|until| now < *until)
}

/// The sign-in throttle as a refusal: `too_many_attempts` with the lockout's end as deadline.
pub fn check_login_allowed(
    failures: &[Timestamp],
    now: Timestamp,
    policy: &Policy,
) -> Result<(), Refusal> {
    match login_locked_until(failures, now, policy) {
        Some(until) => Err(Refusal::new(ErrorCode::TooManyAttempts).deadline(until)),
        None => Ok(()),
    }
}

/// The sign-in throttle's key for a client address. An IPv4 address is its own key; an IPv6
/// address is keyed by its /64, since one subscriber is routinely given a whole /64 and could
/// otherwise change address at every guess. An IPv4-mapped IPv6 address counts as its IPv4
/// address. Keys hold no `@`, so they never meet the per-email keys (normalised emails).
pub fn login_address_key(addr: IpAddr) -> String {
    match addr.to_canonical() {
        IpAddr::V4(v4) => format!("ip:{v4}"),
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            format!("ip:{}/64", Ipv6Addr::from(prefix))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        login_address_key(s.parse().unwrap())
    }

    #[test]
    fn address_keys_group_ipv6_by_64_and_unmap_ipv4() {
        assert_eq!(key("203.0.113.7"), "ip:203.0.113.7");
        assert_eq!(key("::ffff:203.0.113.7"), "ip:203.0.113.7");
        assert_ne!(key("203.0.113.7"), key("203.0.113.8"));
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "ip:2001:db8:1:2::/64");
        assert_eq!(
            key("2001:db8:1:2::1"),
            key("2001:db8:1:2:ffff:ffff:ffff:ffff")
        );
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert!(!key("::1").contains('@'));
    }
}
