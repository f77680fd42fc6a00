//! Words of the operators' official-channel pages: exam periods, credits, vouchers, promises.

use certdesk_domain::Locale;
use jiff::SignedDuration;

use super::T;

super::texts! {
    admin_nav_periods => "考期管理", "Exam periods";
    admin_nav_credits => "余额发放", "Credits";
    admin_nav_vouchers => "代金券发放", "Vouchers";
    admin_nav_promises => "承诺监控", "Promises";

    periods_admin_title => "考期管理", "Exam periods";
    period_create_title => "新增考期", "Add an exam period";
    field_certification => "认证", "Certification";
    field_starts_at => "考试开始时间（北京时间）", "Exam start (Beijing time)";
    field_ends_at => "考试结束时间（北京时间；不填则按考试时长）", "Exam end (Beijing time; blank: start plus the exam duration)";
    field_cities => "考试城市与考位数", "Cities and seats";
    field_cities_hint => "每行一个城市，格式为“城市:考位数”，如“深圳:200”。", "One city per line as “city:seats”, e.g. “Shenzhen:200”.";
    field_opens_at => "报名开放时间（仅专项认证）", "Registration opens (specialty only)";
    field_closes_at => "报名截止时间（仅专项认证）", "Registration closes (specialty only)";
    field_window_hint => "云计算技术认证的报名时间由考试时间自动确定（考前 3 个月开放，考前 10 天截止），请留空。", "Leave empty for the cloud family: its window follows from the exam start (3 months to 10 days before).";
    period_create_submit => "新增考期", "Add period";
    period_created => "考期已创建。", "The exam period was created.";
    col_period => "考期", "Period";
    col_seats => "已报名 / 考位", "Taken / seats";
    admin_periods_empty => "暂无考期。", "No exam periods.";

    credits_title => "余额发放", "Credit an account";
    credits_intro => "为考生账户发放现金或赠送金。每笔发放都会记录原因和操作人。", "Credit a candidate's cash or gift balance. Each credit records its reason and who made it.";
    field_account => "账号（编号或邮箱）", "Account (id or email)";
    field_kind => "发放到", "Credit to";
    field_amount_yuan => "金额（元）", "Amount (yuan)";
    field_amount_yuan_hint => "单位为元，最多两位小数，如 200 或 99.50。", "In yuan with at most two decimals, e.g. 200 or 99.50.";
    field_reason => "原因", "Reason";
    credit_submit => "发放", "Credit";
    credited => "已发放。", "Credited.";

    vouchers_admin_title => "代金券发放", "Issue a voucher";
    field_face_value_yuan => "面值（元）", "Face value (yuan)";
    field_min_spend_yuan => "最低消费（元）", "Minimum spend (yuan)";
    field_min_spend_hint => "订单金额不低于此值时可用；0 表示不限。", "The order must cost at least this much; 0 for no minimum.";
    field_expires_at => "有效期至（北京时间）", "Valid until (Beijing time)";
    voucher_submit => "发放代金券", "Issue voucher";
    voucher_issued => "代金券已发放，券码：", "Voucher issued, code: ";

    promises_title => "承诺监控", "Promises";
    promises_intro => "各类限时承诺的兑现情况：按时、逾期兑现、当前已逾期和尚未到期的数量。", "How the timed promises are kept: on time, late, overdue now, and still pending.";
    col_promise => "承诺", "Promise";
    col_kept_on_time => "按时兑现", "Kept on time";
    col_kept_late => "逾期兑现", "Kept late";
    col_overdue => "当前逾期", "Overdue now";
    col_pending => "未到期", "Pending";

    overdue_title => "逾期未兑现的承诺", "Overdue promises";
    overdue_intro => "已过截止时间仍未兑现的承诺，逾期最久的在前。", "Promises past their due time and not yet kept, the most overdue first.";
    overdue_back => "返回承诺监控", "Back to promises";
    overdue_empty => "当前没有逾期的承诺。", "Nothing is overdue.";
    col_registration => "报名编号", "Registration";
    col_city => "考试城市", "City";
    col_exam_starts => "考试时间", "Exam starts";
    col_due => "截止时间", "Due";
    col_overdue_for => "已逾期", "Overdue for";
    col_registration_status => "报名状态", "Registration status";
}

impl T {
    /// How long a promise has been overdue, to the minute: `2 天 3 小时`, `2 days 3 hours`.
    pub(crate) fn overdue_for(&self, d: SignedDuration) -> String {
        let minutes = d.as_secs().max(0) / 60;
        let (days, hours, mins) = (minutes / 1_440, minutes / 60 % 24, minutes % 60);
        let unit = |n: i64, zh: &str, en: &str| match self.0 {
            Locale::ZhCn => format!("{n} {zh}"),
            Locale::En if n == 1 => format!("1 {en}"),
            Locale::En => format!("{n} {en}s"),
        };
        if days > 0 {
            format!(
                "{} {}",
                unit(days, "天", "day"),
                unit(hours, "小时", "hour")
            )
        } else if hours > 0 {
            format!(
                "{} {}",
                unit(hours, "小时", "hour"),
                unit(mins, "分钟", "minute")
            )
        } else if mins > 0 {
            unit(mins, "分钟", "minute")
        } else {
            self.pick("不到 1 分钟", "under a minute").to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_for_reads_to_the_minute() {
        let zh = T(Locale::ZhCn);
        let en = T(Locale::En);
        let d = SignedDuration::from_secs(2 * 86_400 + 3 * 3_600 + 59);
        assert_eq!(zh.overdue_for(d), "2 天 3 小时");
        assert_eq!(en.overdue_for(d), "2 days 3 hours");
        let d = SignedDuration::from_secs(3_600 + 60);
        assert_eq!(en.overdue_for(d), "1 hour 1 minute");
        assert_eq!(zh.overdue_for(SignedDuration::from_secs(59)), "不到 1 分钟");
        assert_eq!(
            en.overdue_for(SignedDuration::from_secs(0)),
            "under a minute"
        );
    }
}
