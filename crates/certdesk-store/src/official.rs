//! The official channel's storage contract: exam periods and seats (O1–O3), the wallet ledger
//! and vouchers (O5), gateway payments, paid registrations (O5), refunds (O10) and promises (P1).

use crate::error::StoreResult;
use crate::records::{
    Certification, IdentityRecord, NewAuditEntry, NewInboxMessage, NewJob, Page, PageRequest,
};
use async_trait::async_trait;
use certdesk_domain::{
    AccountId, Attempt, Balance, CertCode, CertificationId, Channel, ExamPeriodId, Fen, IdentityId,
    LedgerEntryKind, OrderId, OrderStatus, PayFirst, PaymentId, PaymentStatus, PromiseId,
    PromiseKind, RegistrationId, RegistrationStatus, VoucherCode, VoucherId,
};
use jiff::Timestamp;

/// One city of a period with its seat pool (O3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodCity {
    pub city: String,
    pub capacity: u32,
    /// Confirmed registrations holding a seat; never above `capacity`.
    pub taken: u32,
}

impl PeriodCity {
    pub fn seats_left(&self) -> u32 {
        self.capacity.saturating_sub(self.taken)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExamPeriod {
    pub certification_id: CertificationId,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub registration_opens_at: Timestamp,
    pub registration_closes_at: Timestamp,
    /// (city, capacity), cities unique.
    pub cities: Vec<(String, u32)>,
    pub created_at: Timestamp,
    /// Enqueued in the same commit (O4: the job that issues its admission tickets).
    pub jobs: Vec<crate::records::NewJob>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamPeriod {
    pub id: ExamPeriodId,
    pub certification_id: CertificationId,
    pub certification_code: CertCode,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub registration_opens_at: Timestamp,
    pub registration_closes_at: Timestamp,
    /// In the order the operator gave them.
    pub cities: Vec<PeriodCity>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodFilter {
    pub certification_id: Option<CertificationId>,
    /// Only periods whose exam starts at or after this instant.
    pub starts_from: Option<Timestamp>,
}

/// Balances derived from the ledger (kept in step with it inside every transaction).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalletBalance {
    pub cash: Fen,
    pub gift: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub id: i64,
    pub account_id: AccountId,
    pub balance: Balance,
    pub kind: LedgerEntryKind,
    /// Signed fen: credits positive, debits negative.
    pub amount: i64,
    pub reason: String,
    pub order_id: Option<OrderId>,
    pub payment_id: Option<PaymentId>,
    pub actor: Option<AccountId>,
    pub at: Timestamp,
}

/// An operator's credit to an account's cash or gift balance, with a reason; audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCredit {
    pub account_id: AccountId,
    pub balance: Balance,
    pub amount: Fen,
    pub reason: String,
    pub actor: AccountId,
    pub at: Timestamp,
    pub audit: NewAuditEntry,
    pub jobs: Vec<NewJob>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVoucher {
    pub code: VoucherCode,
    pub account_id: AccountId,
    pub face_value: Fen,
    pub min_spend: Fen,
    pub expires_at: Timestamp,
    pub issued_by: AccountId,
    pub issued_at: Timestamp,
    pub audit: NewAuditEntry,
    pub jobs: Vec<NewJob>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voucher {
    pub id: VoucherId,
    pub code: VoucherCode,
    pub account_id: AccountId,
    pub face_value: Fen,
    pub min_spend: Fen,
    pub expires_at: Timestamp,
    /// The order that spent it (single use).
    pub used_by_order: Option<OrderId>,
    pub issued_at: Timestamp,
}

/// A cash top-up through a payment gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub account_id: AccountId,
    pub gateway: String,
    pub amount: Fen,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: PaymentId,
    pub account_id: AccountId,
    pub gateway: String,
    pub amount: Fen,
    pub status: PaymentStatus,
    /// The gateway's own transaction reference, once it reported.
    pub gateway_ref: Option<String>,
    pub created_at: Timestamp,
    pub completed_at: Option<Timestamp>,
}

/// What a gateway callback changed: `credited` is false when it was a repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentOutcome {
    pub payment: Payment,
    pub credited: bool,
}

/// A promise (P1) recorded with its due time when it arises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPromise {
    pub kind: PromiseKind,
    pub due_at: Timestamp,
    /// Already kept by the same commit (O6's confirmation, when the inbox message is in it).
    pub kept_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promise {
    pub id: PromiseId,
    pub kind: PromiseKind,
    pub registration_id: Option<RegistrationId>,
    pub due_at: Timestamp,
    pub kept_at: Option<Timestamp>,
    /// Set when the registration was cancelled (O10) before the promise was kept: it is owed
    /// no more and leaves the summary.
    pub voided_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// Per promise kind: kept on time, kept late, overdue now, pending (P1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromiseSummary {
    pub kind: PromiseKind,
    pub kept_on_time: u64,
    pub kept_late: u64,
    pub overdue: u64,
    pub pending: u64,
}

/// P1: an open promise past its due time (`OrderStore::list_overdue_promises`), with what an
/// operator needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverduePromise {
    pub id: PromiseId,
    pub kind: PromiseKind,
    pub due_at: Timestamp,
    pub created_at: Timestamp,
    /// The registration that is owed the promise; None only for a promise recorded without
    /// one (`promises.registration_id` allows it; every promise recorded today has one).
    pub registration: Option<PromiseRegistration>,
}

/// The registration an overdue promise is owed to, as operators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromiseRegistration {
    pub id: RegistrationId,
    /// The account that bought it.
    pub account_id: AccountId,
    pub certification_code: CertCode,
    pub city: Option<String>,
    pub exam_starts_at: Option<Timestamp>,
    pub status: RegistrationStatus,
}

/// O5: everything one register-and-pay commits, all or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidRegistration {
    pub account_id: AccountId,
    pub identity_id: IdentityId,
    pub period_id: ExamPeriodId,
    pub city: String,
    pub certification_id: CertificationId,
    /// As the use case saw it; the registration takes its sitting's times from the period.
    pub exam_starts_at: Timestamp,
    /// Always `voucher + gift + cash` (the database checks it).
    pub total: Fen,
    /// The voucher and the amount of it applied (at most its face value).
    pub voucher: Option<(VoucherId, Fen)>,
    pub gift: Fen,
    pub cash: Fen,
    pub pay_first: PayFirst,
    pub paid_at: Timestamp,
    /// `Idempotency-Key` and a hash of the request body: the same key for this account
    /// commits once (`Conflict::IdempotencyKeyUsed` on a repeat, so the caller replays).
    pub idempotency: Option<(String, String)>,
    /// At most one per kind.
    pub promises: Vec<NewPromise>,
    /// Jobs enqueued with the order; a job whose `keeps_promise` names a kind keeps the
    /// promise of that kind recorded here when it completes.
    pub jobs: Vec<NewJob>,
    /// O6: the confirmation inbox message, written by the same commit (the inbox is always a
    /// channel, so the candidate is told at the moment of payment). Its `source_job` is None.
    pub inbox: Option<NewInboxMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: OrderId,
    /// The registration it paid for (stored on the registration: `registrations.order_id`).
    pub account_id: AccountId,
    pub registration_id: RegistrationId,
    pub status: OrderStatus,
    pub total: Fen,
    pub voucher_id: Option<VoucherId>,
    pub voucher: Fen,
    pub gift: Fen,
    pub cash: Fen,
    pub pay_first: PayFirst,
    pub paid_at: Timestamp,
    pub idempotency_key: Option<String>,
    pub request_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub id: RegistrationId,
    pub identity_id: IdentityId,
    /// The account that bought it (every account of the identity sees it, A2).
    pub account_id: AccountId,
    pub certification_id: CertificationId,
    pub certification_code: CertCode,
    pub channel: Channel,
    pub attempt: Attempt,
    pub status: RegistrationStatus,
    pub period_id: Option<ExamPeriodId>,
    pub city: Option<String>,
    /// The sitting: always there on the official channel; on the institution channel from
    /// the first appointment booked (I3).
    pub exam_starts_at: Option<Timestamp>,
    pub exam_ends_at: Option<Timestamp>,
    /// O7: reschedules made; I5: appointment moves made (the first booking is not one).
    pub reschedules_used: u32,
    /// O7: the start of the sitting it was first bought for (the reschedule horizon counts
    /// from it): the first move's `from` start, or `exam_starts_at` while never moved.
    pub original_exam_starts_at: Option<Timestamp>,
    pub order_id: Option<OrderId>,
    pub created_at: Timestamp,
    pub cancelled_at: Option<Timestamp>,
    /// O6: the released result, once there is one.
    pub result: Option<crate::results::ExamResult>,
    /// O8: for a retake, the first attempt it follows.
    pub retake_of: Option<RegistrationId>,
    /// O8: for a first attempt, the retake it gave once taken (its `retake_used`).
    pub retake_id: Option<RegistrationId>,
    /// I3: the appointment's slot (institution channel), once booked.
    pub slot_id: Option<certdesk_domain::SlotId>,
}

/// O10: a refund, committed with the seat release and the cancellation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundCommit {
    pub order_id: OrderId,
    /// When the first request was submitted (anchors the O10 window).
    pub requested_at: Timestamp,
    pub completed_at: Timestamp,
    pub cash: Fen,
    pub gift: Fen,
    pub voucher_forfeited: Fen,
    pub jobs: Vec<NewJob>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub order_id: OrderId,
    pub cash: Fen,
    pub gift: Fen,
    pub voucher_forfeited: Fen,
    pub requested_at: Timestamp,
    pub completed_at: Timestamp,
}

/// O5: what an order is checked against, read together (`OrderStore::load_order_context`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderContext {
    /// A1: the account's identity record, whatever its status; None if it never submitted one.
    pub identity: Option<IdentityRecord>,
    /// The period with its cities (O1–O3) and its certification; None for an unknown period.
    pub period: Option<(ExamPeriod, Certification)>,
    /// O5: zero balances for an account that was never credited.
    pub balance: WalletBalance,
}

/// Exam periods and their seat pools (O1–O3).
#[async_trait]
pub trait PeriodStore {
    /// Creates a period with one seat pool per city, and its jobs. Audited. `NotFound` for an
    /// unknown certification.
    async fn commit_exam_period(
        &self,
        period: NewExamPeriod,
        audit: NewAuditEntry,
    ) -> StoreResult<ExamPeriod>;
    async fn get_exam_period(&self, id: ExamPeriodId) -> StoreResult<ExamPeriod>;
    /// Ordered by start, then id.
    async fn list_exam_periods(&self, filter: PeriodFilter) -> StoreResult<Vec<ExamPeriod>>;
}

/// The wallet: an append-only ledger with balances that never go negative (O5).
#[async_trait]
pub trait WalletStore {
    /// Zero balances for an account that was never credited.
    async fn wallet_balance(&self, account: AccountId) -> StoreResult<WalletBalance>;
    /// Newest first.
    async fn list_ledger(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> StoreResult<Page<LedgerEntry>>;
    /// Ledger entry (`operator_credit`, the operator as actor) and balance together, audited,
    /// with the jobs. `NotFound` for an unknown account.
    async fn commit_credit(&self, credit: NewCredit) -> StoreResult<LedgerEntry>;
    /// `Conflict::VoucherCodeTaken` if the random code collides (the caller draws again).
    /// `NotFound` for an unknown account. Audited, with the jobs.
    async fn commit_voucher(&self, voucher: NewVoucher) -> StoreResult<Voucher>;
    /// Newest first, spent and expired ones included.
    async fn list_vouchers(&self, account: AccountId) -> StoreResult<Vec<Voucher>>;
    async fn find_voucher(&self, code: &VoucherCode) -> StoreResult<Option<Voucher>>;
    async fn commit_payment(&self, payment: NewPayment) -> StoreResult<Payment>;
    async fn get_payment(&self, id: PaymentId) -> StoreResult<Payment>;
    /// The gateway reports the payment paid: credits cash once (ledger + balance), however
    /// often and however concurrently the callback arrives. A payment the candidate had
    /// cancelled is still credited (`PaymentStatus::on_gateway_report`: the gateway took the
    /// money). `NotFound` for an unknown id.
    async fn commit_payment_succeeded(
        &self,
        id: PaymentId,
        gateway_ref: &str,
        at: Timestamp,
    ) -> StoreResult<PaymentOutcome>;
    /// The candidate abandoned it; a pending payment only (else `Conflict::PaymentNotPending`,
    /// unless it is already cancelled, which answers the payment unchanged).
    async fn commit_payment_cancelled(&self, id: PaymentId, at: Timestamp) -> StoreResult<Payment>;
}

/// Orders, registrations, refunds and promises of the official channel.
#[async_trait]
pub trait OrderStore {
    /// O5, in one transaction: takes a seat (`Conflict::NoSeatsLeft`), refuses a second live
    /// registration of the identity for the certification (`Conflict::AlreadyRegistered`),
    /// spends the voucher (`Conflict::VoucherUnavailable` if spent meanwhile), debits gift
    /// and cash (`Conflict::InsufficientBalance`), writes order, registration, ledger
    /// entries, promises and jobs. Nothing is written when any step fails.
    ///
    /// Refusals, in the order the steps are decided: `NotFound` for an unknown period or city
    /// (or a period of another certification), `NoSeatsLeft`, `IdempotencyKeyUsed` (also when
    /// any other refusal meets a key this account already used: the caller replays),
    /// `InsufficientBalance` (an account never credited has nothing), `VoucherUnavailable`
    /// (spent, not the buyer's, expired at `paid_at` (T4), `total` below its minimum spend, or
    /// applied beyond its face value — the use case checks these first; the store re-checks
    /// them so no race can get past), `AlreadyRegistered`. A job whose `keeps_promise` names a
    /// kind not in `promises` is a bug (`Other`).
    async fn commit_paid_registration(
        &self,
        paid: PaidRegistration,
    ) -> StoreResult<(Order, Registration)>;
    /// O5's reads before an order, in as few round trips as the database allows: the
    /// same answers as `find_identity`, `get_exam_period` (None for `NotFound`), the period's
    /// `find_certification` and `wallet_balance`. Plain reads, no transaction.
    async fn load_order_context(
        &self,
        account: AccountId,
        period: ExamPeriodId,
    ) -> StoreResult<OrderContext>;
    async fn get_order(&self, id: OrderId) -> StoreResult<Order>;
    /// The order an account committed under an `Idempotency-Key`.
    async fn find_order_by_idempotency_key(
        &self,
        account: AccountId,
        key: &str,
    ) -> StoreResult<Option<Order>>;
    async fn get_registration(&self, id: RegistrationId) -> StoreResult<Registration>;
    /// A person's registrations (A2: every account of the identity sees them), newest first.
    async fn list_registrations(&self, identity: IdentityId) -> StoreResult<Vec<Registration>>;
    /// O10, in one transaction: refund row, ledger credits (`refund`) to the buyer's cash and
    /// gift, seat released, registration cancelled, order refunded, the registration's unkept
    /// promises voided (P1: no longer owed), jobs. The voucher stays spent (forfeited).
    /// `Conflict::AlreadyRefunded` on a second refund, however concurrent;
    /// `Conflict::RegistrationChanged` when its registration is no longer live (a result is
    /// out), nothing written; `NotFound` for an unknown order; more cash or gift than the order
    /// paid that way is a bug (`Other`).
    async fn commit_refund(&self, refund: RefundCommit) -> StoreResult<Refund>;
    async fn find_refund(&self, order: OrderId) -> StoreResult<Option<Refund>>;
    /// P1 per kind, judged at `now`: every kind of `PromiseKind::ALL` in that order, zeros
    /// included. Kept on time iff `kept_at < due_at` (T4), else late; unkept and `due_at <=
    /// now` is overdue, unkept and `due_at > now` pending. Voided promises are not counted.
    async fn summarize_promises(&self, now: Timestamp) -> StoreResult<Vec<PromiseSummary>>;
    /// A registration's promises in the order they were recorded, voided ones included.
    async fn list_promises(&self, registration: RegistrationId) -> StoreResult<Vec<Promise>>;
    /// P1: the promises `summarize_promises` counts as overdue at `now` (unkept, not voided,
    /// `due_at <= now`), of one kind or all, most overdue first: `due_at` ascending, then id.
    /// Keyset-paged: `next_cursor` is the id of the page's last promise, and the next page
    /// starts after that promise's (`due_at`, id) position; an unknown cursor gives an empty
    /// page.
    async fn list_overdue_promises(
        &self,
        kind: Option<PromiseKind>,
        now: Timestamp,
        page: PageRequest,
    ) -> StoreResult<Page<OverduePromise>>;
}

impl Registration {
    /// The sitting's start as the official channel's rules (O7, O8, O10) read it. Every
    /// official registration has one (the schema checks it); an institution registration
    /// without an appointment has none, and the official use cases refuse it (`not_found`)
    /// before they judge anything — were one to reach a rule, `Timestamp::MIN` makes every
    /// deadline already passed, so it is refused, never allowed.
    pub fn official_start(&self) -> Timestamp {
        self.exam_starts_at.unwrap_or(Timestamp::MIN)
    }

    /// O7: `original_exam_starts_at`, read as [`Registration::official_start`] reads its start.
    pub fn official_original_start(&self) -> Timestamp {
        self.original_exam_starts_at.unwrap_or(Timestamp::MIN)
    }
}
