//! One error for every use case: a refusal (E1, the caller's fault or a rule's "no") or an
//! internal failure (a defect or an outage; the web answers it with an opaque 500).

use certdesk_domain::{ErrorCode, Refusal};
use certdesk_store::{Conflict, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Refused(Refusal),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// The refusal, when this is one (tests and handlers match on its code).
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            AppError::Refused(r) => Some(r),
            AppError::Internal(_) => None,
        }
    }

    /// The refusal's code, when this is one.
    pub fn code(&self) -> Option<ErrorCode> {
        self.refusal().map(|r| r.code)
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        AppError::Refused(r)
    }
}

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> Self {
        AppError::Refused(Refusal::new(code))
    }
}

/// The refusal a known store conflict means. Use cases that know better (the field, the rule)
/// map conflicts themselves before this catch-all.
pub fn conflict_refusal(conflict: Conflict) -> Option<Refusal> {
    Some(match conflict {
        Conflict::EmailTaken => Refusal::new(ErrorCode::EmailTaken).field("email"),
        Conflict::IdentityInUse => Refusal::new(ErrorCode::IdentityInUse)
            .rule("A2")
            .field("id_number"),
        Conflict::AlreadyVerified => Refusal::new(ErrorCode::AlreadyVerified).rule("A4"),
        Conflict::NotPending => Refusal::new(ErrorCode::IdentityNotPending).rule("A4"),
        Conflict::CertCodeTaken => Refusal::new(ErrorCode::CertCodeTaken)
            .rule("C1")
            .field("code"),
        Conflict::JobNotDead => Refusal::new(ErrorCode::JobNotDead).rule("P2"),
        Conflict::NoSeatsLeft => Refusal::new(ErrorCode::NoSeatsLeft)
            .rule("O3")
            .field("city"),
        Conflict::AlreadyRegistered => Refusal::new(ErrorCode::AlreadyRegistered).rule("A2"),
        Conflict::VoucherUnavailable => certdesk_domain::voucher_not_found(),
        Conflict::InsufficientBalance => Refusal::new(ErrorCode::InsufficientBalance).rule("O5"),
        Conflict::PaymentNotPending => Refusal::new(ErrorCode::InvalidField).field("payment_id"),
        Conflict::AlreadyRefunded => Refusal::new(ErrorCode::AlreadyRefunded).rule("O10"),
        Conflict::VenueNameTaken => Refusal::new(ErrorCode::VenueNameTaken)
            .rule("O4")
            .field("name"),
        Conflict::RescheduleUsed => Refusal::new(ErrorCode::RescheduleUsed).rule("O7"),
        Conflict::RetakeUsed => Refusal::new(ErrorCode::RetakeUsed).rule("O8"),
        Conflict::RegistrationChanged => Refusal::new(ErrorCode::RegistrationNotLive).rule("O7"),
        Conflict::NotAwaitingResult(_) => Refusal::new(ErrorCode::ResultsChanged).rule("O6"),
        Conflict::AlreadyRevoked => Refusal::new(ErrorCode::CertificateAlreadyRevoked).rule("O9"),
        Conflict::NoMailingAddress => Refusal::new(ErrorCode::MailingAddressMissing).rule("O9"),
        Conflict::AlreadyShipped => Refusal::new(ErrorCode::AlreadyShipped).rule("O9"),
        Conflict::SlotFull => Refusal::new(ErrorCode::SlotFull)
            .rule("I3")
            .field("slot_id"),
        Conflict::SlotExists => Refusal::new(ErrorCode::InvalidField)
            .rule("I3")
            .field("starts_at")
            .detail(certdesk_domain::LocalizedText::fixed(
                "该考点在这一时间已有时段。",
                "The test centre already has a slot at that time.",
            )),
        Conflict::AgreementOutdated => Refusal::new(ErrorCode::AgreementOutdated)
            .rule("I1")
            .field("agreement_version"),
        Conflict::RefundExceedsPaid => Refusal::new(ErrorCode::RefundExceedsPaid)
            .rule("I8")
            .field("amount_fen"),
        // A worker lost its lease, a random code collided, an idempotent replay, two issues of
        // a period's tickets raced (the job retries): the use case handles these itself;
        // reaching here is a bug, never the caller's fault.
        Conflict::JobNotHeld
        | Conflict::VoucherCodeTaken
        | Conflict::IdempotencyKeyUsed
        | Conflict::TicketTaken
        | Conflict::CertificateTaken
        | Conflict::TicketChanged => {
            return None;
        }
    })
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::Refused(Refusal::new(ErrorCode::NotFound)),
            StoreError::Conflict(c) => match conflict_refusal(c) {
                Some(r) => AppError::Refused(r),
                None => AppError::Internal(anyhow::anyhow!("unexpected store conflict: {c}")),
            },
            StoreError::Busy => AppError::Internal(anyhow::anyhow!("database busy")),
            StoreError::Other(e) => AppError::Internal(e),
        }
    }
}

/// `Err(forbidden)` unless `ok`: the one spelling of an authorization check.
pub(crate) fn require(ok: bool) -> AppResult<()> {
    if ok {
        Ok(())
    } else {
        Err(Refusal::new(ErrorCode::Forbidden).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_refusals_or_internal() {
        let e = AppError::from(StoreError::Conflict(Conflict::EmailTaken));
        assert_eq!(e.code(), Some(ErrorCode::EmailTaken));
        assert_eq!(e.refusal().unwrap().field.as_deref(), Some("email"));
        let e = AppError::from(StoreError::Conflict(Conflict::IdentityInUse));
        assert_eq!(e.refusal().unwrap().rule, Some("A2"));
        assert_eq!(
            AppError::from(StoreError::NotFound).code(),
            Some(ErrorCode::NotFound)
        );
        assert!(matches!(
            AppError::from(StoreError::Busy),
            AppError::Internal(_)
        ));
        assert!(matches!(
            AppError::from(StoreError::Conflict(Conflict::JobNotHeld)),
            AppError::Internal(_)
        ));
    }
}
