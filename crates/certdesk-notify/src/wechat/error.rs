//! What can go wrong talking to WeChat, sorted into "try again later" and "final for this
//! message". None of these carries the access token, the AppSecret or a request URL (the URL
//! holds one or the other), so they are safe to log and to store on a failed job.

use std::fmt;

/// Which of the two calls failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// `GET /cgi-bin/token`.
    Token,
    /// `POST /cgi-bin/message/template/send`.
    Send,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Token => "获取 access_token / fetching the access token",
            Step::Send => "发送模板消息 / sending the template message",
        })
    }
}

/// errcode 43004 ("require subscribe").
pub const ERRCODE_NOT_FOLLOWING: i64 = 43004;

/// The errcodes that say our access token is no good: 40001 (invalid credential, or not the
/// latest token), 40014 (invalid access_token), 42001 (access_token expired).
pub const TOKEN_REJECTED: [i64; 3] = [40001, 40014, 42001];

/// The errcodes that no retry can fix: 40003 invalid openid, 40037 invalid template_id,
/// 47003 argument invalid (a `data` value breaks its keyword's limits).
pub const FINAL: [i64; 3] = [40003, 40037, 47003];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeChatError {
    /// 43004: the user does not follow the official account. Final for this message; the
    /// caller may fall back to SMS or email.
    #[error(
        "用户未关注公众号,模板消息无法送达 / the user does not follow the official account \
         (errcode 43004: {errmsg})"
    )]
    NotFollowing { errmsg: String },
    /// An errcode that a retry cannot fix (see [`FINAL`]).
    #[error("微信拒绝了此消息 / WeChat refused this message (errcode {errcode}: {errmsg})")]
    Rejected { errcode: i64, errmsg: String },
    /// Any other errcode: -1 system busy, 45009 quota, 40164 IP not whitelisted, a token
    /// rejected again after a refresh, a refused token fetch, codes we do not know.
    #[error(
        "微信接口错误,稍后重试 / WeChat API error while {step}, will retry (errcode {errcode}: {errmsg})"
    )]
    Api {
        step: Step,
        errcode: i64,
        errmsg: String,
    },
    /// No answer: connection refused, reset, timed out.
    #[error("无法连接微信,稍后重试 / could not reach WeChat while {step}, will retry: {message}")]
    Transport { step: Step, message: String },
    /// An HTTP status other than 2xx (WeChat answers errors with 200 and an errcode, so this is
    /// an outage or a proxy in the way).
    #[error(
        "微信返回 HTTP {status},稍后重试 / WeChat answered HTTP {status} while {step}, will retry"
    )]
    Status { step: Step, status: u16 },
    /// A 2xx answer we could not read.
    #[error(
        "微信的应答无法解析,稍后重试 / unreadable answer from WeChat while {step}, will retry: {message}"
    )]
    Malformed { step: Step, message: String },
}

impl WeChatError {
    /// Whether the same message may succeed later. Unknown errcodes are retried: a retry costs
    /// little, a wrongly dropped notice is lost.
    pub fn is_retryable(&self) -> bool {
        !matches!(
            self,
            WeChatError::NotFollowing { .. } | WeChatError::Rejected { .. }
        )
    }

    /// 43004: the user does not follow the account.
    pub fn is_not_following(&self) -> bool {
        matches!(self, WeChatError::NotFollowing { .. })
    }

    /// The vendor's errcode, when it answered with one.
    pub fn errcode(&self) -> Option<i64> {
        match self {
            WeChatError::NotFollowing { .. } => Some(ERRCODE_NOT_FOLLOWING),
            WeChatError::Rejected { errcode, .. } | WeChatError::Api { errcode, .. } => {
                Some(*errcode)
            }
            _ => None,
        }
    }

    /// The vendor's errmsg, when it answered with one.
    pub fn errmsg(&self) -> Option<&str> {
        match self {
            WeChatError::NotFollowing { errmsg }
            | WeChatError::Rejected { errmsg, .. }
            | WeChatError::Api { errmsg, .. } => Some(errmsg),
            _ => None,
        }
    }

    /// Sorts a non-zero errcode from the send endpoint.
    pub(crate) fn from_send_errcode(errcode: i64, errmsg: String) -> WeChatError {
        let errmsg = bounded(errmsg);
        if errcode == ERRCODE_NOT_FOLLOWING {
            WeChatError::NotFollowing { errmsg }
        } else if FINAL.contains(&errcode) {
            WeChatError::Rejected { errcode, errmsg }
        } else {
            WeChatError::Api {
                step: Step::Send,
                errcode,
                errmsg,
            }
        }
    }

    /// Whether the send failed because of the token (so a fresh one may fix it).
    pub(crate) fn is_token_rejected(&self) -> bool {
        matches!(self, WeChatError::Api { step: Step::Send, errcode, .. } if TOKEN_REJECTED.contains(errcode))
    }

    pub(crate) fn transport(step: Step, err: reqwest::Error) -> WeChatError {
        // reqwest's Display names the URL, whose query holds the token or the AppSecret.
        let err = err.without_url();
        let kind = if err.is_timeout() {
            "超时 / timed out"
        } else if err.is_connect() {
            "连接失败 / connection failed"
        } else {
            "请求失败 / request failed"
        };
        let mut message = format!("{kind}: {err}");
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        WeChatError::Transport {
            step,
            message: bounded(message),
        }
    }
}

/// Vendor text is stored on failed jobs; a runaway answer should not fill a row.
pub(crate) fn bounded(mut text: String) -> String {
    const MAX_CHARS: usize = 300;
    if let Some((cut, _)) = text.char_indices().nth(MAX_CHARS) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errcodes_are_sorted_into_final_and_retryable() {
        let not_following = WeChatError::from_send_errcode(43004, "require subscribe".into());
        assert!(not_following.is_not_following());
        assert!(!not_following.is_retryable());
        assert_eq!(not_following.errcode(), Some(43004));
        for code in FINAL {
            let e = WeChatError::from_send_errcode(code, "x".into());
            assert!(!e.is_retryable(), "{code} should be final");
            assert!(!e.is_not_following());
        }
        for code in [-1, 45009, 40164, 40001, 42001, 40014, 99999] {
            let e = WeChatError::from_send_errcode(code, "x".into());
            assert!(e.is_retryable(), "{code} should be retried");
            assert_eq!(e.errcode(), Some(code));
        }
        assert!(WeChatError::from_send_errcode(42001, "expired".into()).is_token_rejected());
        assert!(!WeChatError::from_send_errcode(-1, "busy".into()).is_token_rejected());
    }

    #[test]
    fn long_vendor_text_is_cut() {
        let cut = bounded("错".repeat(1000));
        assert_eq!(cut.chars().count(), 301);
        assert!(cut.ends_with('…'));
        assert_eq!(bounded("ok".into()), "ok");
    }
}
