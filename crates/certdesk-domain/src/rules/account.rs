//! A2 (accounts per identity) and the sign-in throttle (5 failures in 15 min → 15 min lockout).

use crate::policy::Policy;
use crate::refusal::{ErrorCode, Refusal};
use crate::time::saturating_add;
use jiff::{SignedDuration, Timestamp};

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
