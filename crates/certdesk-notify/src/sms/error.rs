//! Why a send failed, and whether sending the same message again can succeed.

/// A failed `SendSms`. Vendor failures keep the vendor's code (`FailedOperation.…`);
/// failures before an answer was read get a `certdesk.…` code of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// No answer: connection refused or reset, DNS, TLS.
    #[error("certdesk.Network: {message}")]
    Network { message: String },
    /// No answer within the request timeout.
    #[error("certdesk.Timeout: {message}")]
    Timeout { message: String },
    /// A non-2xx status without a vendor error in the body (a proxy's or a load balancer's).
    #[error("certdesk.Http{status}: {message}")]
    Http { status: u16, message: String },
    /// An answer that is not the vendor's JSON shape.
    #[error("certdesk.BadResponse: {message}")]
    BadResponse { message: String },
    /// The vendor refused the whole request (`Response.Error`).
    #[error("{code}: {message} (RequestId {request_id})")]
    Request {
        code: String,
        message: String,
        request_id: String,
    },
    /// The request was accepted but this number was not (`SendStatusSet[0].Code != "Ok"`).
    #[error("{code}: {message} (RequestId {request_id})")]
    Number {
        code: String,
        message: String,
        request_id: String,
    },
}

impl SmsError {
    pub fn code(&self) -> String {
        match self {
            SmsError::Network { .. } => "certdesk.Network".into(),
            SmsError::Timeout { .. } => "certdesk.Timeout".into(),
            SmsError::Http { status, .. } => format!("certdesk.Http{status}"),
            SmsError::BadResponse { .. } => "certdesk.BadResponse".into(),
            SmsError::Request { code, .. } | SmsError::Number { code, .. } => code.clone(),
        }
    }

    pub fn message(&self) -> &str {
        match self {
            SmsError::Network { message }
            | SmsError::Timeout { message }
            | SmsError::Http { message, .. }
            | SmsError::BadResponse { message }
            | SmsError::Request { message, .. }
            | SmsError::Number { message, .. } => message,
        }
    }

    /// Whether the outbox should keep the message and try again later; `false` means the
    /// message itself is wrong for the vendor and retrying can only fail the same way.
    ///
    /// Everything without an answer is retried: the vendor may not have seen the request, and
    /// a possible duplicate text is a smaller harm than a lost one. Http statuses without a
    /// vendor body come from something in front of the API (overload, a misrouted endpoint the
    /// operator fixes) and are retried too, as is an unreadable answer.
    pub fn is_retryable(&self) -> bool {
        match self {
            SmsError::Network { .. }
            | SmsError::Timeout { .. }
            | SmsError::Http { .. }
            | SmsError::BadResponse { .. } => true,
            SmsError::Request { code, .. } | SmsError::Number { code, .. } => {
                vendor_code_is_retryable(code)
            }
        }
    }
}

/// The vendor's error codes sorted into "try again later" and "give up".
///
/// Retry: the vendor's own trouble (`InternalError*`), rate limits (`RequestLimitExceeded*`,
/// the per-number 30-second / hour / day limits, which lift by themselves), an empty SMS
/// package (an operator tops it up), and `AuthFailure.*` — a wrong key or a skewed server clock
/// is the operator's to fix, and the message is still right, so the outbox keeps it meanwhile.
///
/// Give up: what is wrong with this message and stays wrong however often it is sent — a number
/// the vendor rejects, a template or signature (签名, the 【…】 text) not approved, parameters
/// that do not match the template, sensitive words, an SDK AppID that is not the account's,
/// and any other malformed parameter.
///
/// Codes not listed are retried: a new vendor code is more likely transient than a verdict on
/// the message, and retries are bounded by the outbox, while giving up loses the message.
pub fn vendor_code_is_retryable(code: &str) -> bool {
    const GIVE_UP: [&str; 6] = [
        "InvalidParameterValue.IncorrectPhoneNumber",
        "FailedOperation.TemplateIncorrectOrUnapproved",
        "FailedOperation.SignatureIncorrectOrUnapproved",
        "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
        "FailedOperation.ContainSensitiveWord",
        "UnauthorizedOperation.SmsSdkAppIdVerifyFail",
    ];
    const RETRY: [&str; 4] = [
        "LimitExceeded.PhoneNumberThirtySecondLimit",
        "LimitExceeded.PhoneNumberOneHourLimit",
        "LimitExceeded.PhoneNumberDailyLimit",
        "FailedOperation.InsufficientBalanceInSmsPackage",
    ];
    if GIVE_UP.contains(&code) {
        return false;
    }
    if RETRY.contains(&code)
        || code.starts_with("InternalError")
        || code.starts_with("RequestLimitExceeded")
        || code.starts_with("AuthFailure")
    {
        return true;
    }
    !(code.starts_with("InvalidParameter") || code.starts_with("MissingParameter"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_class_maps_to_retry_or_give_up() {
        let retry = [
            "InternalError",
            "InternalError.Timeout",
            "RequestLimitExceeded",
            "RequestLimitExceeded.PhoneNumberSameContentDailyLimit",
            "LimitExceeded.PhoneNumberThirtySecondLimit",
            "LimitExceeded.PhoneNumberOneHourLimit",
            "LimitExceeded.PhoneNumberDailyLimit",
            "FailedOperation.InsufficientBalanceInSmsPackage",
            "AuthFailure.SignatureFailure",
            "AuthFailure.SignatureExpire",
            "AuthFailure.SecretIdNotFound",
            "SomethingNew.NeverSeenBefore",
        ];
        let give_up = [
            "InvalidParameterValue.IncorrectPhoneNumber",
            "FailedOperation.TemplateIncorrectOrUnapproved",
            "FailedOperation.SignatureIncorrectOrUnapproved",
            "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
            "FailedOperation.ContainSensitiveWord",
            "UnauthorizedOperation.SmsSdkAppIdVerifyFail",
            "InvalidParameter",
            "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
            "MissingParameter",
            "MissingParameter.EmptyPhoneNumberSet",
        ];
        for code in retry {
            assert!(vendor_code_is_retryable(code), "{code} retries");
        }
        for code in give_up {
            assert!(!vendor_code_is_retryable(code), "{code} gives up");
        }
    }

    #[test]
    fn errors_without_a_vendor_verdict_retry() {
        let transport = [
            SmsError::Network {
                message: "refused".into(),
            },
            SmsError::Timeout {
                message: "10 s".into(),
            },
            SmsError::Http {
                status: 503,
                message: "down".into(),
            },
            SmsError::BadResponse {
                message: "html".into(),
            },
        ];
        for err in transport {
            assert!(err.is_retryable(), "{err}");
            assert!(err.code().starts_with("certdesk."), "{err}");
        }
        let number = SmsError::Number {
            code: "InvalidParameterValue.IncorrectPhoneNumber".into(),
            message: "bad number".into(),
            request_id: "r".into(),
        };
        assert!(!number.is_retryable());
        assert_eq!(number.code(), "InvalidParameterValue.IncorrectPhoneNumber");
        assert_eq!(number.message(), "bad number");
    }
}
