//! What can go wrong in a store, typed: known conflicts are never parsed from error text.

/// A business conflict the database detected (unique keys, conditional updates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    #[error("email already in use")]
    EmailTaken,
    #[error("identity already verifies the maximum number of accounts")]
    IdentityInUse,
    #[error("account already verified")]
    AlreadyVerified,
    #[error("identity submission is not pending")]
    NotPending,
    #[error("certification code already exists")]
    CertCodeTaken,
    #[error("job is not held by this worker")]
    JobNotHeld,
    #[error("job is not dead")]
    JobNotDead,
    #[error("no seats left in that city")]
    NoSeatsLeft,
    /// I3: the slot's capacity is taken.
    #[error("the slot is full")]
    SlotFull,
    /// I3: the centre already has a slot starting at that instant.
    #[error("the centre already has a slot then")]
    SlotExists,
    /// I1: the agreement version accepted is not the institution's current one.
    #[error("agreement version is not the current one")]
    AgreementOutdated,
    /// I8: the amount is more than the registration's paid and not yet refunded remainder.
    #[error("refund exceeds what remains refundable")]
    RefundExceedsPaid,
    #[error("the person already holds a live registration for this certification")]
    AlreadyRegistered,
    #[error("voucher already used")]
    VoucherUnavailable,
    #[error("balance too low")]
    InsufficientBalance,
    #[error("voucher code already exists")]
    VoucherCodeTaken,
    #[error("payment is not pending")]
    PaymentNotPending,
    #[error("order already refunded")]
    AlreadyRefunded,
    #[error("idempotency key already used by this account")]
    IdempotencyKeyUsed,
    #[error("the city already has a venue of that name")]
    VenueNameTaken,
    #[error("a ticket number, sequence or seat of the period was given meanwhile")]
    TicketTaken,
    /// O7: the registration moved (or used its reschedules) since the caller read it.
    #[error("registration already rescheduled")]
    RescheduleUsed,
    /// O8: the first attempt has given its retake already.
    #[error("retake already taken")]
    RetakeUsed,
    /// The registration is no longer what the caller saw: cancelled, ticketed or otherwise
    /// no longer a confirmed first attempt.
    #[error("registration changed meanwhile")]
    RegistrationChanged,
    /// O6: a results commit found this registration no longer awaiting its result (cancelled
    /// meanwhile, or resulted by another import); nothing was written.
    #[error("registration {0} is not awaiting a result")]
    NotAwaitingResult(certdesk_domain::RegistrationId),
    /// O9: a certificate number drawn twice, or a registration certified meanwhile.
    #[error("a certificate number or registration is certified already")]
    CertificateTaken,
    #[error("certificate already revoked")]
    AlreadyRevoked,
    /// O9: the holder has given no mailing address; the paper copy cannot ship.
    #[error("no mailing address")]
    NoMailingAddress,
    #[error("paper certificate already shipped")]
    AlreadyShipped,
    /// O11: the support ticket's status moved since the caller read it; nothing was written.
    #[error("support ticket changed meanwhile")]
    TicketChanged,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(Conflict),
    /// The database is momentarily unable to serve (locked, pool exhausted); retry.
    #[error("database busy")]
    Busy,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;
