//! What certdesk tells a candidate (O6, A4), rendered in zh-CN first and English second.

use serde::{Deserialize, Serialize};

/// One notice. Serialised into a job's payload as `{"notice": "identity_rejected", …}`; the
/// variants carry only what cannot be read back from the store when the job runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notice {
    /// A new account was created.
    Welcome,
    /// A4: real-name verification passed (at once, or approved by an operator).
    IdentityVerified,
    /// A4: the submission awaits an operator's review.
    IdentityPending,
    /// A4: an operator rejected the submission, with a reason the candidate must read.
    IdentityRejected { reason: String },
}

/// A notice's text in both languages, ready for a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub title_zh: String,
    pub body_zh: String,
    pub title_en: String,
    pub body_en: String,
}

impl Notice {
    /// The stable kind, stored with the inbox message and shown by the API (`kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::Welcome => "welcome",
            Notice::IdentityVerified => "identity_verified",
            Notice::IdentityPending => "identity_pending",
            Notice::IdentityRejected { .. } => "identity_rejected",
        }
    }

    pub fn render(&self) -> Rendered {
        let (title_zh, body_zh, title_en, body_en): (&str, String, &str, String) = match self {
            Notice::Welcome => (
                "欢迎注册",
                "您的账号已创建成功。报名考试前，请先在“我的账号”中完成实名认证。".into(),
                "Welcome",
                "Your account has been created. Before you register for an exam, please verify \
                 your real-name identity under My account."
                    .into(),
            ),
            Notice::IdentityVerified => (
                "实名认证已通过",
                "您的实名认证已通过，现在可以报名考试了。".into(),
                "Identity verified",
                "Your real-name identity has been verified. You can now register for exams.".into(),
            ),
            Notice::IdentityPending => (
                "实名认证审核中",
                "我们已收到您的实名认证信息，审核结果将通过站内信通知您。".into(),
                "Identity under review",
                "We have received your identity details. We will tell you the result here once \
                 they have been reviewed."
                    .into(),
            ),
            Notice::IdentityRejected { reason } => {
                let reason = reason.trim();
                (
                    "实名认证未通过",
                    format!(
                        "您的实名认证未通过审核。原因：{reason}\n请核对姓名和身份证号码后重新提交。"
                    ),
                    "Identity not verified",
                    format!(
                        "Your real-name identity could not be verified. Reason: {reason}\n\
                         Please check your name and ID number and submit them again."
                    ),
                )
            }
        };
        Rendered {
            title_zh: title_zh.into(),
            body_zh,
            title_en: title_en.into(),
            body_en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Notice> {
        vec![
            Notice::Welcome,
            Notice::IdentityVerified,
            Notice::IdentityPending,
            Notice::IdentityRejected {
                reason: "照片不清晰".into(),
            },
        ]
    }

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
    }

    #[test]
    fn every_notice_renders_chinese_and_english() {
        for notice in all() {
            let r = notice.render();
            assert!(has_cjk(&r.title_zh) && has_cjk(&r.body_zh), "{notice:?}");
            assert!(!has_cjk(&r.title_en), "{notice:?}");
            assert!(!r.title_en.is_empty() && !r.body_en.is_empty());
        }
    }

    #[test]
    fn rejection_carries_the_reason_in_both_languages() {
        let r = Notice::IdentityRejected {
            reason: " 姓名与证件不符 ".into(),
        }
        .render();
        assert!(
            r.body_zh.contains("原因：姓名与证件不符\n"),
            "{}",
            r.body_zh
        );
        assert!(
            r.body_en.contains("Reason: 姓名与证件不符\n"),
            "{}",
            r.body_en
        );
    }

    #[test]
    fn notices_serialise_with_a_tag() {
        let json = serde_json::to_value(Notice::IdentityRejected { reason: "x".into() }).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"notice": "identity_rejected", "reason": "x"})
        );
        for notice in all() {
            let back: Notice =
                serde_json::from_value(serde_json::to_value(&notice).unwrap()).unwrap();
            assert_eq!(back, notice);
            assert_eq!(
                serde_json::to_value(&notice).unwrap()["notice"],
                notice.kind()
            );
        }
    }
}
