//! Every number in the SPEC's rules is a policy value an operator can change without code;
//! `Policy::default()` holds the SPEC's defaults. Serialised field names are a config contract.

use jiff::SignedDuration;

/// The programme's policy values. Months are calendar months (T2); days are 24 h (T2).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// O1: registration opens this many calendar months before exam start.
    pub registration_opens_months_before: i32,
    /// O1: registration closes this many days before exam start.
    pub registration_closes_days_before: i64,
    /// O4: admission tickets are issued no earlier than this many days before start.
    pub ticket_window_opens_days_before: i64,
    /// O4: … and before this many days before start.
    pub ticket_window_closes_days_before: i64,
    /// O6: the confirmation goes out within this many business days after payment (B2).
    pub confirmation_business_days: u32,
    /// O6: the score goes out within this many days after exam end.
    pub score_notice_days_after_end: i64,
    /// O7: how many times a registration may be rescheduled.
    pub reschedule_max: u32,
    /// O7: a reschedule is requested while now < exam start − this many days, and the target
    /// starts more than this many days after now.
    pub reschedule_cutoff_days_before: i64,
    /// O7: the target starts no later than this many months after the original exam start.
    pub reschedule_horizon_months: i32,
    /// O8: the retake starts no later than this many months after the first attempt's start.
    pub retake_horizon_months: i32,
    /// O8: a retake is applied for while now < retake start − this many days.
    pub retake_apply_cutoff_days_before: i64,
    /// O8: a no-show on the first attempt forfeits the retake.
    pub no_show_forfeits_retake: bool,
    /// O9: the e-certificate is queryable by the end of this many business days after the exam date.
    pub e_certificate_business_days: u32,
    /// O9: the paper certificate ships within this many days after exam end.
    pub paper_certificate_days_after_end: i64,
    /// O10: self-service refunds are requested within this many hours of payment.
    pub refund_window_hours: i64,
    /// A2: one identity verifies at most this many accounts.
    pub max_accounts_per_identity: u32,
    /// I4: the institution's confirmation email goes out within this many minutes.
    pub institution_confirmation_minutes: i64,
    /// I5: how many times an appointment may be changed; `None` = unlimited.
    pub institution_reschedule_limit: Option<u32>,
    /// I6: the retake is within this many months after the failed first attempt.
    pub institution_retake_months: i32,
    /// P2: a job is tried at most this many times, then stays dead for an operator.
    pub job_max_attempts: u32,
    /// P2: a notification's job on an outside channel (email, SMS, WeChat) is tried this
    /// many times: with the backoff, a provider may be down about five hours before the job
    /// waits for an operator.
    pub notify_max_attempts: u32,
    /// P2: the first retry waits this long; each further retry waits twice as long …
    pub job_backoff_base_secs: i64,
    /// P2: … but never longer than this.
    pub job_backoff_cap_secs: i64,
    /// Sign-in throttle: this many failures …
    pub login_max_failures: u32,
    /// … within this many minutes …
    pub login_failure_window_minutes: i64,
    /// … lock the account out for this many minutes.
    pub login_lockout_minutes: i64,
    /// Sign-in throttle per client address (IPv4, or an IPv6 /64): this many failures, for
    /// any emails, … Higher than the per-email count, since one address may be a whole
    /// office or school behind NAT.
    pub login_address_max_failures: u32,
    /// … within this many minutes …
    pub login_address_window_minutes: i64,
    /// … lock that address out for this many minutes.
    pub login_address_lockout_minutes: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            registration_opens_months_before: 3,
            registration_closes_days_before: 10,
            ticket_window_opens_days_before: 5,
            ticket_window_closes_days_before: 3,
            confirmation_business_days: 1,
            score_notice_days_after_end: 7,
            reschedule_max: 1,
            reschedule_cutoff_days_before: 10,
            reschedule_horizon_months: 3,
            retake_horizon_months: 3,
            retake_apply_cutoff_days_before: 10,
            no_show_forfeits_retake: true,
            e_certificate_business_days: 1,
            paper_certificate_days_after_end: 30,
            refund_window_hours: 120,
            max_accounts_per_identity: 3,
            institution_confirmation_minutes: 10,
            institution_reschedule_limit: None,
            institution_retake_months: 3,
            job_max_attempts: 8,
            notify_max_attempts: 12,
            job_backoff_base_secs: 30,
            job_backoff_cap_secs: 3600,
            login_max_failures: 5,
            login_failure_window_minutes: 15,
            login_lockout_minutes: 15,
            login_address_max_failures: 20,
            login_address_window_minutes: 15,
            login_address_lockout_minutes: 15,
        }
    }
}

/// An operator's policy that would make the rules meaningless.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("policy value {field} is out of range: {why}")]
pub struct PolicyError {
    pub field: &'static str,
    pub why: &'static str,
}

/// Durations above 10 years are typos, and keep all arithmetic far from overflow.
const MAX_DAYS: i64 = 3660;

impl Policy {
    /// Checks an operator's edit before it is saved.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let err = |field, why| Err(PolicyError { field, why });
        let days = [
            (
                "registration_closes_days_before",
                self.registration_closes_days_before,
            ),
            (
                "ticket_window_opens_days_before",
                self.ticket_window_opens_days_before,
            ),
            (
                "ticket_window_closes_days_before",
                self.ticket_window_closes_days_before,
            ),
            (
                "score_notice_days_after_end",
                self.score_notice_days_after_end,
            ),
            (
                "reschedule_cutoff_days_before",
                self.reschedule_cutoff_days_before,
            ),
            (
                "retake_apply_cutoff_days_before",
                self.retake_apply_cutoff_days_before,
            ),
            (
                "paper_certificate_days_after_end",
                self.paper_certificate_days_after_end,
            ),
        ];
        for (field, v) in days {
            if !(0..=MAX_DAYS).contains(&v) {
                return err(field, "days must be between 0 and 3660");
            }
        }
        let months = [
            (
                "registration_opens_months_before",
                self.registration_opens_months_before,
            ),
            ("reschedule_horizon_months", self.reschedule_horizon_months),
            ("retake_horizon_months", self.retake_horizon_months),
            ("institution_retake_months", self.institution_retake_months),
        ];
        for (field, v) in months {
            if !(0..=120).contains(&v) {
                return err(field, "months must be between 0 and 120");
            }
        }
        if self.ticket_window_opens_days_before < self.ticket_window_closes_days_before {
            return err(
                "ticket_window_opens_days_before",
                "the window must open before it closes",
            );
        }
        if !(0..=MAX_DAYS * 24).contains(&self.refund_window_hours) {
            return err("refund_window_hours", "hours must be between 0 and 87840");
        }
        if !(0..=MAX_DAYS * 24 * 60).contains(&self.institution_confirmation_minutes) {
            return err("institution_confirmation_minutes", "minutes out of range");
        }
        if self.confirmation_business_days > 366 || self.e_certificate_business_days > 366 {
            return err(
                "confirmation_business_days",
                "business days must be at most 366",
            );
        }
        if self.max_accounts_per_identity == 0 {
            return err("max_accounts_per_identity", "at least one account");
        }
        if self.notify_max_attempts == 0 {
            return err("notify_max_attempts", "at least one attempt");
        }
        if self.job_max_attempts == 0 {
            return err("job_max_attempts", "at least one attempt");
        }
        if self.job_backoff_base_secs < 1 || self.job_backoff_cap_secs < self.job_backoff_base_secs
        {
            return err("job_backoff_base_secs", "base ≥ 1 s and cap ≥ base");
        }
        if self.login_max_failures == 0
            || self.login_failure_window_minutes < 1
            || self.login_lockout_minutes < 1
        {
            return err("login_max_failures", "throttle values must be positive");
        }
        if self.login_address_max_failures == 0
            || self.login_address_window_minutes < 1
            || self.login_address_lockout_minutes < 1
        {
            return err(
                "login_address_max_failures",
                "throttle values must be positive",
            );
        }
        Ok(())
    }

    /// O10: the refund window after payment.
    pub fn refund_window(&self) -> SignedDuration {
        SignedDuration::from_hours(self.refund_window_hours)
    }

    /// I4.
    pub fn institution_confirmation_within(&self) -> SignedDuration {
        SignedDuration::from_mins(self.institution_confirmation_minutes)
    }

    /// P2: how long to wait after the `attempt`-th failed attempt (1-based) before the next:
    /// base × 2^(attempt − 1), capped. With the defaults: 30 s, 1 min, 2 min, … 1 h.
    pub fn job_backoff(&self, attempt: u32) -> SignedDuration {
        let doublings = attempt.saturating_sub(1).min(62);
        let secs = self.job_backoff_base_secs.saturating_mul(1i64 << doublings);
        SignedDuration::from_secs(secs.min(self.job_backoff_cap_secs).max(0))
    }

    /// P2: whether a job that has failed `attempts` times is dead (kept for an operator).
    pub fn job_is_dead(&self, attempts: u32) -> bool {
        attempts >= self.job_max_attempts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_spec_values_and_valid() {
        let p = Policy::default();
        p.validate().unwrap();
        assert_eq!(p.refund_window(), SignedDuration::from_hours(120));
        assert_eq!(
            p.institution_confirmation_within(),
            SignedDuration::from_mins(10)
        );
        assert_eq!(p.institution_reschedule_limit, None);
        assert!(p.no_show_forfeits_retake);
    }

    #[test]
    fn p2_backoff_doubles_from_30s_and_caps_at_an_hour() {
        let p = Policy::default();
        let secs: Vec<i64> = (1..=9).map(|a| p.job_backoff(a).as_secs()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(p.job_backoff(0).as_secs(), 30);
        assert_eq!(p.job_backoff(u32::MAX).as_secs(), 3600);
        assert!(!p.job_is_dead(7));
        assert!(p.job_is_dead(8));
    }

    #[test]
    fn policy_reads_partial_config_and_refuses_typos() {
        let p: Policy = serde_json::from_str(r#"{"refund_window_hours": 48}"#).unwrap();
        assert_eq!(p.refund_window_hours, 48);
        assert_eq!(p.registration_closes_days_before, 10);
        assert!(serde_json::from_str::<Policy>(r#"{"refund_window_hour": 48}"#).is_err());
        let round: Policy = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(round, p);
    }

    #[test]
    fn validate_refuses_nonsense() {
        let bad = Policy {
            registration_closes_days_before: -1,
            ..Policy::default()
        };
        assert_eq!(
            bad.validate().unwrap_err().field,
            "registration_closes_days_before"
        );
        let bad = Policy {
            ticket_window_opens_days_before: 2,
            ..Policy::default()
        };
        assert!(bad.validate().is_err());
        let bad = Policy {
            max_accounts_per_identity: 0,
            ..Policy::default()
        };
        assert!(bad.validate().is_err());
        let bad = Policy {
            job_backoff_cap_secs: 1,
            ..Policy::default()
        };
        assert!(bad.validate().is_err());
        let bad = Policy {
            login_address_max_failures: 0,
            ..Policy::default()
        };
        assert_eq!(
            bad.validate().unwrap_err().field,
            "login_address_max_failures"
        );
    }
}
