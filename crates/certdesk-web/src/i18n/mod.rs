//! The pages' words, zh-CN first and English second, side by side so they never drift.
//! Templates call `t.site_name()`; `T` carries the request's locale.

mod admin;
mod candidate;
mod certificates;
mod common;
mod institution;
mod institution_staff;
mod notifications;
mod official;
mod official_admin;
mod results;
mod retake;
mod support;
mod tickets;

use certdesk_domain::{Family, Fen, IdentityStatus, Level, Locale, Role, Track};

/// The text of the pages in one locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct T(pub Locale);

/// Declares `T::name(&self) -> &'static str` for each `name => "中文", "English";` line.
macro_rules! texts {
    ($($name:ident => $zh:literal, $en:literal;)*) => {
        impl crate::i18n::T {
            $(
                pub(crate) fn $name(&self) -> &'static str {
                    match self.0 {
                        certdesk_domain::Locale::ZhCn => $zh,
                        certdesk_domain::Locale::En => $en,
                    }
                }
            )*
        }
    };
}
pub(crate) use texts;

impl T {
    fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self.0 {
            Locale::ZhCn => zh,
            Locale::En => en,
        }
    }

    pub(crate) fn is_zh(&self) -> bool {
        self.0 == Locale::ZhCn
    }

    /// A price as candidates read it: `¥800.00`.
    pub(crate) fn fee(&self, fen: Fen) -> String {
        fen.to_string()
    }

    pub(crate) fn minutes(&self, n: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("{n} 分钟"),
            Locale::En => format!("{n} minutes"),
        }
    }

    pub(crate) fn months(&self, n: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("{n} 个月"),
            Locale::En if n == 1 => "1 month".to_owned(),
            Locale::En => format!("{n} months"),
        }
    }

    pub(crate) fn points(&self, n: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("{n} 分（满分 100）"),
            Locale::En => format!("{n} out of 100"),
        }
    }

    pub(crate) fn unread(&self, n: u64) -> String {
        match self.0 {
            Locale::ZhCn => format!("{n} 条未读"),
            Locale::En => format!("{n} unread"),
        }
    }

    pub(crate) fn family(&self, f: Family) -> &'static str {
        self.pick(f.label_zh(), f.label_en())
    }

    pub(crate) fn track(&self, t: Track) -> &'static str {
        self.pick(t.label_zh(), t.label_en())
    }

    pub(crate) fn level(&self, l: Level) -> &'static str {
        self.pick(l.label_zh(), l.label_en())
    }

    pub(crate) fn role(&self, r: Role) -> &'static str {
        match r {
            Role::Candidate => self.role_candidate(),
            Role::Admin => self.role_admin(),
            Role::InstitutionStaff => self.role_institution_staff(),
        }
    }

    pub(crate) fn identity_status(&self, s: IdentityStatus) -> &'static str {
        match s {
            IdentityStatus::Verified => self.status_verified(),
            IdentityStatus::Pending => self.status_pending(),
            IdentityStatus::Rejected => self.status_rejected(),
        }
    }

    /// An instant as pages show it (T4): `2027年3月10日 09:00（北京时间）`.
    /// A sitting's start, or "no appointment yet" (I3: an institution registration before
    /// its first booking has none).
    pub(crate) fn sitting(&self, ts: Option<jiff::Timestamp>) -> String {
        match ts {
            Some(ts) => self.instant(ts),
            None if self.is_zh() => "尚未预约".to_owned(),
            None => "No appointment yet".to_owned(),
        }
    }

    pub(crate) fn instant(&self, ts: jiff::Timestamp) -> String {
        certdesk_domain::time::format_deadline(ts, self.0)
    }

    /// T4: an exclusive deadline as pages say it: `2027年3月10日 09:00（北京时间）之前`.
    pub(crate) fn before_instant(&self, instant: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("{instant}之前"),
            Locale::En => format!("before {instant}"),
        }
    }

    /// A voucher's expiry: usable while now < expires_at.
    pub(crate) fn before_expiry(&self, instant: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("{instant}前有效"),
            Locale::En => format!("valid before {instant}"),
        }
    }

    /// O10/E3 on the checkout page.
    pub(crate) fn refund_promise(&self, instant: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("可在 {instant} 之前无理由退款。"),
            Locale::En => format!("You can get a refund, no reason needed, before {instant}."),
        }
    }

    /// O7 on the exam page: what a target must be (also the reason when none qualifies).
    pub(crate) fn reschedule_rules(&self, latest: &str, days: i64) -> String {
        match self.0 {
            Locale::ZhCn => format!(
                "可改到同一认证的另一期考试：须不晚于{latest}开考，距开考多于 {days} 天，且所选城市仍有考位。"
            ),
            Locale::En => format!(
                "You can move to another period of the same certification that starts no later \
                 than {latest}, more than {days} days from now, with a seat left in the city."
            ),
        }
    }

    /// The other language's name, written in that language, for the switch.
    pub(crate) fn other_language(&self) -> &'static str {
        self.pick("English", "中文")
    }

    pub(crate) fn other_tag(&self) -> &'static str {
        self.pick("en", "zh-CN")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_are_there() {
        let zh = T(Locale::ZhCn);
        let en = T(Locale::En);
        assert_eq!(zh.site_name(), "认证服务中心");
        assert_ne!(zh.site_name(), en.site_name());
        assert_eq!(zh.minutes(90), "90 分钟");
        assert_eq!(en.months(1), "1 month");
        assert_eq!(zh.fee(Fen::new(80_000).unwrap()), "¥800.00");
    }
}
