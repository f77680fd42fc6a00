//! Typed ids: an `AccountId` can never be passed where an `OrderId` is expected.

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The raw database key.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

typed_id! {
    /// An account (a login), candidate or operator.
    AccountId,
    /// A person's verified identity; several accounts may share one (A2).
    IdentityId,
    /// A certification of the catalogue (C1).
    CertificationId,
    /// A background job (jobs table).
    JobId,
    /// An inbox message (站内信).
    MessageId,
    /// An audit log entry.
    AuditId,
    /// An institution (授权考试机构).
    InstitutionId,
    /// An exam period (每期考试), official channel.
    ExamPeriodId,
    /// An order (订单).
    OrderId,
    /// A registration (报名).
    RegistrationId,
    /// A voucher (代金券).
    VoucherId,
    /// A payment-gateway top-up or payment.
    PaymentId,
    /// A test centre (授权考点), institution channel.
    TestCentreId,
    /// A bookable slot at a test centre (I3).
    SlotId,
    /// A venue (考点) in a city of an exam period.
    VenueId,
    /// A certificate (证书).
    CertificateId,
    /// A timed promise (P1).
    PromiseId,
    /// A support ticket (工单).
    SupportTicketId,
}
