//! E1: the stable, snake_case error codes, their kind (→ HTTP status) and their messages.
//! Codes are an API contract: add new ones, never rename or reuse one.

use std::fmt;
use std::str::FromStr;

/// What sort of refusal a code is; the web layer maps these to
/// 422 / 401 / 403 / 404 / 409 / 429 / 413 / 400 / 414 / 431 / 500.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The input cannot be understood or is not valid (422).
    Malformed,
    /// Nobody is signed in, or the credentials are wrong (401).
    Unauthenticated,
    /// Signed in but not allowed (403).
    Forbidden,
    /// No such thing, or not yours (404).
    NotFound,
    /// Understood and allowed in principle, but a rule says no now (409).
    Refused,
    /// Too many attempts (429).
    Throttled,
    /// The body is too large (413).
    TooLarge,
    /// The HTTP request itself cannot be read: a byte not allowed in its path or a header (400).
    BadRequest,
    /// The request's URI is longer than the server reads (414).
    UriTooLong,
    /// The request's headers are larger than the server reads (431).
    HeadersTooLarge,
    /// A defect on our side (500).
    Internal,
}

macro_rules! error_codes {
    ($($variant:ident => $code:literal, $kind:ident, $zh:literal, $en:literal;)*) => {
        /// E1: every stable error code certdesk answers with.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode { $($variant,)* }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The stable snake_case code (`"reschedule_too_late"`).
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }

            pub fn kind(self) -> ErrorKind {
                match self { $(ErrorCode::$variant => ErrorKind::$kind,)* }
            }

            /// A short human message; numbers that are policy values stay out of it
            /// (the refusal's detail and deadline carry those).
            pub fn message(self, locale: crate::refusal::Locale) -> &'static str {
                match locale {
                    crate::refusal::Locale::ZhCn => match self { $(ErrorCode::$variant => $zh,)* },
                    crate::refusal::Locale::En => match self { $(ErrorCode::$variant => $en,)* },
                }
            }
        }
    };
}

error_codes! {
    InvalidInput => "invalid_input", Malformed, "输入有误，请检查后重试。", "The input is not valid.";
    InvalidJson => "invalid_json", Malformed, "请求内容不是有效的 JSON。", "The request body is not valid JSON.";
    InvalidEmail => "invalid_email", Malformed, "邮箱地址格式不正确。", "The email address is not valid.";
    InvalidPhone => "invalid_phone", Malformed, "手机号码格式不正确。", "The mobile number is not valid.";
    InvalidPassword => "invalid_password", Malformed, "密码不符合要求。", "The password does not meet the requirements.";
    InvalidRealName => "invalid_real_name", Malformed, "姓名格式不正确。", "The legal name is not valid.";
    InvalidIdNumber => "invalid_id_number", Malformed, "身份证号码不正确。", "The ID number is not valid.";
    InvalidCertCode => "invalid_cert_code", Malformed, "认证代码格式不正确。", "The certification code is not valid.";
    InvalidAmount => "invalid_amount", Malformed, "金额不正确。", "The amount is not valid.";
    InvalidDate => "invalid_date", Malformed, "日期或时间格式不正确。", "The date or time is not valid.";
    InvalidField => "invalid_field", Malformed, "填写的内容有误。", "This field is not valid.";
    InvalidPeriod => "invalid_period", Malformed, "考期的时间安排不正确。", "The exam period's schedule is not valid.";
    UnknownPeriod => "unknown_period", Malformed, "所选考期不存在。", "The chosen exam period does not exist.";
    CityNotOffered => "city_not_offered", Malformed, "该考期不提供所选城市。", "The chosen city is not offered for this exam period.";
    Unauthenticated => "unauthenticated", Unauthenticated, "请先登录。", "Please sign in first.";
    InvalidCredentials => "invalid_credentials", Unauthenticated, "账号或密码错误。", "The email address or password is wrong.";
    LinkExpired => "link_expired", Unauthenticated, "链接已失效，请重新获取。", "This link has expired; please request a new one.";
    Forbidden => "forbidden", Forbidden, "您没有权限执行此操作。", "You are not allowed to do this.";
    CsrfFailed => "csrf_failed", Forbidden, "页面已过期，请刷新后重试。", "The page has expired; please reload it and try again.";
    RealNameRequired => "real_name_required", Forbidden, "请先完成实名认证。", "Please verify your real-name identity first.";
    NotFound => "not_found", NotFound, "未找到相关内容。", "Not found.";
    TooManyAttempts => "too_many_attempts", Throttled, "尝试次数过多，请稍后再试。", "Too many attempts; please try again later.";
    PayloadTooLarge => "payload_too_large", TooLarge, "提交的内容过大。", "The request is too large.";
    // E1 for refusals at the HTTP level, made before any route is matched.
    BadRequest => "bad_request", BadRequest, "请求格式不正确：地址或请求头中含有不允许的字符。", "The request is malformed: its address or a header holds a character that is not allowed.";
    UriTooLong => "uri_too_long", UriTooLong, "请求地址过长。", "The request address (URI) is too long.";
    HeadersTooLarge => "headers_too_large", HeadersTooLarge, "请求头过大。", "The request headers are too large.";
    EmailTaken => "email_taken", Refused, "该邮箱已被注册。", "This email address is already registered.";
    IdentityInUse => "identity_in_use", Refused, "该身份信息已认证的账号数已达上限。", "This identity already verifies the maximum number of accounts.";
    AlreadyVerified => "already_verified", Refused, "您已完成实名认证。", "Your identity is already verified.";
    IdentityNotPending => "identity_not_pending", Refused, "该实名认证不在待审核状态。", "This verification is not awaiting review.";
    CertCodeTaken => "cert_code_taken", Refused, "该认证代码已被使用。", "This certification code is already in use.";
    CertificationRetired => "certification_retired", Refused, "该认证已停止报名。", "This certification has been retired.";
    JobNotDead => "job_not_dead", Refused, "只能重试已失败的任务。", "Only a failed job can be retried.";
    RegistrationNotOpen => "registration_not_open", Refused, "报名尚未开始。", "Registration has not opened yet.";
    RegistrationClosed => "registration_closed", Refused, "报名已截止。", "Registration has closed.";
    NoSeatsLeft => "no_seats_left", Refused, "该城市的考位已满。", "No seats are left in this city.";
    AlreadyRegistered => "already_registered", Refused, "您已报名该认证的考试。", "You are already registered for this certification.";
    InsufficientBalance => "insufficient_balance", Refused, "账户余额不足。", "Your balance is not enough.";
    VoucherInvalid => "voucher_invalid", Refused, "代金券不可用（已过期、已使用、未达最低消费或不属于您）。", "This voucher cannot be used (expired, used, below its minimum spend, or not yours).";
    IdempotencyKeyReused => "idempotency_key_reused", Malformed, "该请求标识已用于另一个请求。", "This idempotency key was already used for a different request.";
    IdempotencyKeyInFlight => "idempotency_key_in_flight", Refused, "使用该请求标识的请求仍在处理中，请稍后重试。", "A request with this idempotency key is still being processed; please try again shortly.";
    TopUpUnavailable => "top_up_unavailable", Refused, "暂不支持在线充值，请联系客服。", "Online top-up is not available; please contact support.";
    AlreadyRefunded => "already_refunded", Refused, "该订单已申请退款。", "A refund has already been requested for this order.";
    RefundWindowPassed => "refund_window_passed", Refused, "已超过自助退款期限。", "The self-service refund window has passed.";
    RescheduleUsed => "reschedule_used", Refused, "该报名已改期过一次，不能再改期。", "This registration has already been rescheduled once.";
    RescheduleTooLate => "reschedule_too_late", Refused, "已超过改期截止时间。", "It is too late to reschedule.";
    RescheduleTargetOutOfRange => "reschedule_target_out_of_range", Refused, "所选考期不在可改期的范围内。", "The chosen exam period is outside the range you can move to.";
    RetakeNotReschedulable => "retake_not_reschedulable", Refused, "补考报名不能改期。", "A retake cannot be rescheduled.";
    RegistrationNotLive => "registration_not_live", Refused, "该报名已取消或考试已结束，不能再变更。", "This registration is cancelled or its exam is over; it can no longer be changed.";
    RetakeNotEligible => "retake_not_eligible", Refused, "您没有补考资格。", "You are not eligible for a retake.";
    RetakeUsed => "retake_used", Refused, "免费补考机会已使用。", "The free retake has already been used.";
    RetakeTooLate => "retake_too_late", Refused, "已超过补考申请截止时间。", "It is too late to apply for this retake.";
    RetakeTargetOutOfRange => "retake_target_out_of_range", Refused, "所选考期不在补考可选范围内。", "The chosen exam is outside the retake range.";
    AgreementOutdated => "agreement_outdated", Refused, "协议已更新，请阅读并同意最新版本。", "The agreement has changed; please read and accept the current version.";
    SlotNotBookable => "slot_not_bookable", Refused, "该时段不可预约。", "This slot cannot be booked.";
    SlotFull => "slot_full", Refused, "该时段已约满。", "This slot is full.";
    AppointmentChangeTooLate => "appointment_change_too_late", Refused, "已超过预约变更截止时间。", "It is too late to change this appointment.";
    AppointmentChangeLimitReached => "appointment_change_limit_reached", Refused, "预约变更次数已达上限。", "This appointment cannot be changed any more times.";
    RefundExceedsPaid => "refund_exceeds_paid", Refused, "退款金额超过可退金额。", "The amount is more than what remains refundable.";
    AppointmentRequired => "appointment_required", Refused, "该报名尚未预约考试时段。", "This registration has no appointment yet.";
    CheckInClosed => "check_in_closed", Refused, "当前不在签到时间内。", "Check-in is not open now.";
    PaymentPending => "payment_pending", Refused, "该报名尚未完成支付。", "This registration has not been paid yet.";
    RetakeWrongCentre => "retake_wrong_centre", Refused, "补考须在首次考试的考点预约。", "A retake must be booked at the test centre of the first attempt.";
    AdmissionTicketWindow => "admission_ticket_window", Refused, "当前不在准考证发放时间内。", "Admission tickets cannot be issued at this time.";
    VenueNameTaken => "venue_name_taken", Refused, "该城市已有同名考点。", "This city already has a venue of that name.";
    TicketInvalid => "ticket_invalid", Malformed, "准考证号或二维码无效。", "This admission ticket number or QR code is not valid.";
    TicketWrongPeriod => "ticket_wrong_period", Refused, "该准考证不属于本场考试。", "This admission ticket is for another exam.";
    TicketVoid => "ticket_void", Refused, "该准考证对应的报名已取消。", "The registration of this admission ticket was cancelled.";
    CertificateInvalid => "certificate_invalid", Malformed, "证书编号不正确。", "This certificate number is not valid.";
    CertificateAlreadyRevoked => "certificate_already_revoked", Refused, "该证书已被撤销。", "This certificate has already been revoked.";
    MailingAddressMissing => "mailing_address_missing", Refused, "持证人尚未填写邮寄地址。", "The holder has not given a mailing address yet.";
    AlreadyShipped => "already_shipped", Refused, "该纸质证书已寄出。", "This paper certificate has already shipped.";
    // O6/P1: a results import (`POST /api/v1/admin/results`); each names one line of the file.
    InvalidCsvHeader => "invalid_csv_header", Malformed, "CSV 表头须为 registration_id（或 ticket_number）、score、absent 三列。", "The CSV header must be registration_id (or ticket_number), score, absent.";
    InvalidCsvLine => "invalid_csv_line", Malformed, "该行格式不正确。", "This line is not well-formed.";
    UnknownRegistration => "unknown_registration", NotFound, "未找到该报名。", "No such registration.";
    UnknownTicketNumber => "unknown_ticket_number", NotFound, "未找到该准考证号。", "No such admission ticket number.";
    DuplicateResult => "duplicate_result", Malformed, "同一报名在文件中出现了多次。", "This registration appears more than once in the file.";
    InvalidScore => "invalid_score", Malformed, "成绩须为 0 到 100 之间的整数。", "The score must be a whole number from 0 to 100.";
    ScoreWithAbsent => "score_with_absent", Malformed, "缺考的考生不应填写成绩。", "An absent candidate has no score.";
    ScoreMissing => "score_missing", Malformed, "未缺考的考生须填写成绩。", "A candidate who sat the exam needs a score.";
    InvalidAbsent => "invalid_absent", Malformed, "absent 须为 true 或 false。", "absent must be true or false.";
    RegistrationCancelled => "registration_cancelled", Refused, "该报名已取消，不能登记成绩。", "This registration is cancelled; it gets no result.";
    RegistrationNotOfficial => "registration_not_official", Refused, "该报名不属于官网报名渠道。", "This registration is not of the official channel.";
    ExamNotEnded => "exam_not_ended", Refused, "考试尚未结束，暂不能登记成绩。", "The exam has not ended yet; results come after it.";
    ResultAlreadyRecorded => "result_already_recorded", Refused, "该报名已有成绩。", "This registration already has a result.";
    ResultsChanged => "results_changed", Refused, "导入期间该报名发生了变化，请重新上传。", "This registration changed during the import; please upload the file again.";
    // O11: support tickets (工单).
    TicketClosed => "ticket_closed", Refused, "该工单已关闭，不能再回复或变更。", "This support ticket is closed; it can no longer be replied to or changed.";
    InternalError => "internal_error", Internal, "系统出现错误，请稍后再试。", "Something went wrong on our side; please try again later.";
}

/// How a refusal's deadline reads in its message (T4: pages say "before …").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeadlineRole {
    /// A deadline that passed: "Deadline: before …".
    Closes,
    /// A window not yet open: "Opens at …".
    Opens,
    /// Either edge of a window, the detail says which: "Window limit: …".
    Boundary,
    /// A lockout: "Try again after …".
    RetryAfter,
}

impl ErrorCode {
    /// How this code's deadline reads.
    pub fn deadline_role(self) -> DeadlineRole {
        match self {
            // O6: results are accepted from the exam's end on.
            ErrorCode::RegistrationNotOpen | ErrorCode::ExamNotEnded => DeadlineRole::Opens,
            ErrorCode::AdmissionTicketWindow | ErrorCode::CheckInClosed => DeadlineRole::Boundary,
            ErrorCode::TooManyAttempts => DeadlineRole::RetryAfter,
            _ => DeadlineRole::Closes,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ErrorCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown error code {s:?}"))
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refusal::Locale;
    use std::collections::HashSet;

    const REQUIRED: &[&str] = &[
        "invalid_input",
        "invalid_json",
        "invalid_email",
        "invalid_phone",
        "invalid_password",
        "invalid_real_name",
        "invalid_id_number",
        "invalid_cert_code",
        "invalid_amount",
        "invalid_field",
        "invalid_period",
        "unknown_period",
        "city_not_offered",
        "unauthenticated",
        "invalid_credentials",
        "forbidden",
        "csrf_failed",
        "not_found",
        "too_many_attempts",
        "payload_too_large",
        "bad_request",
        "uri_too_long",
        "headers_too_large",
        "email_taken",
        "identity_in_use",
        "already_verified",
        "identity_not_pending",
        "cert_code_taken",
        "certification_retired",
        "job_not_dead",
        "real_name_required",
        "registration_not_open",
        "registration_closed",
        "no_seats_left",
        "already_registered",
        "insufficient_balance",
        "voucher_invalid",
        "idempotency_key_reused",
        "idempotency_key_in_flight",
        "already_refunded",
        "refund_window_passed",
        "reschedule_used",
        "reschedule_too_late",
        "reschedule_target_out_of_range",
        "retake_not_reschedulable",
        "registration_not_live",
        "retake_not_eligible",
        "retake_used",
        "retake_too_late",
        "retake_target_out_of_range",
        "agreement_outdated",
        "slot_not_bookable",
        "slot_full",
        "appointment_change_too_late",
        "retake_wrong_centre",
        "admission_ticket_window",
        "internal_error",
    ];

    fn is_cjk(c: char) -> bool {
        ('\u{4E00}'..='\u{9FFF}').contains(&c)
    }

    #[test]
    fn every_code_is_unique_snake_case_and_round_trips() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(!s.is_empty() && !s.starts_with('_') && !s.ends_with('_') && !s.contains("__"));
            assert!(
                s.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{s} is not snake_case"
            );
            assert_eq!(s.parse::<ErrorCode>().unwrap(), *code);
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), *code);
        }
        for required in REQUIRED {
            assert!(seen.contains(required), "missing code {required}");
        }
    }

    #[test]
    fn every_code_has_chinese_and_english_text() {
        for code in ErrorCode::ALL {
            let zh = code.message(Locale::ZhCn);
            let en = code.message(Locale::En);
            assert!(
                zh.chars().any(is_cjk),
                "{code}: zh text has no Chinese: {zh}"
            );
            assert!(
                !en.trim().is_empty() && en.is_ascii(),
                "{code}: en text: {en}"
            );
            assert!(!en.chars().any(is_cjk), "{code}: en text has Chinese");
            assert_ne!(zh, en);
        }
    }

    #[test]
    fn kinds_follow_the_status_mapping() {
        assert_eq!(ErrorCode::InvalidIdNumber.kind(), ErrorKind::Malformed);
        assert_eq!(
            ErrorCode::InvalidCredentials.kind(),
            ErrorKind::Unauthenticated
        );
        assert_eq!(ErrorCode::CsrfFailed.kind(), ErrorKind::Forbidden);
        assert_eq!(ErrorCode::NotFound.kind(), ErrorKind::NotFound);
        assert_eq!(ErrorCode::RescheduleTooLate.kind(), ErrorKind::Refused);
        assert_eq!(ErrorCode::TooManyAttempts.kind(), ErrorKind::Throttled);
        assert_eq!(ErrorCode::PayloadTooLarge.kind(), ErrorKind::TooLarge);
        assert_eq!(ErrorCode::BadRequest.kind(), ErrorKind::BadRequest);
        assert_eq!(ErrorCode::UriTooLong.kind(), ErrorKind::UriTooLong);
        assert_eq!(
            ErrorCode::HeadersTooLarge.kind(),
            ErrorKind::HeadersTooLarge
        );
        assert_eq!(ErrorCode::InternalError.kind(), ErrorKind::Internal);
    }
}
