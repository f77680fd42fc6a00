//! The retake section of the exam page (O8), zh-CN first, English second.

use certdesk_domain::Locale;

crate::i18n::texts! {
    retake_title => "补考", "Retake";
    retake_intro => "首次考试未通过，可免费补考一次：选择同一认证的一期考试和城市即可，无需缴费。补考不能改期，补考未通过不再提供补考机会。", "Your first attempt was not passed, so you have one free retake: choose a period of the same certification and a city; nothing is paid. A retake cannot be rescheduled, and a failed retake gives no further retake.";
    retake_deadline => "最晚补考申请时间", "Last moment to apply for a retake";
    retake_choose => "可补考的考期与城市", "Periods and cities for your retake";
    retake_apply_until_label => "本期申请截止", "Apply for this period";
    retake_here => "在这里补考", "Retake here";
    retake_taken => "补考已报名：", "Your retake is registered: ";
    retake_view => "查看补考报名", "View the retake";
    retaken_banner => "补考报名成功。考试时间和城市见下方，确认通知已发送到您的站内信。", "Your retake is registered. Its exam time and city are shown below; a confirmation is in your inbox.";
    attempt_retake_tag => "补考", "Retake";
}

impl crate::i18n::T {
    /// O8's range and distance rules, as the hint above the retake's periods says them.
    pub(crate) fn retake_rules(&self, latest: &str, days: i64) -> String {
        match self.0 {
            Locale::ZhCn => format!(
                "补考须为同一认证的考试：不晚于{latest}开考，并在开考 {days} 天之前申请，且所选城市仍有考位。"
            ),
            Locale::En => format!(
                "A retake is a period of the same certification that starts no later than \
                 {latest}, applied for more than {days} days before it starts, with a seat left \
                 in the city."
            ),
        }
    }
}
