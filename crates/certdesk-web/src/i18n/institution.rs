//! Words of the institution channel's candidate pages (I1–I9): the public list, the
//! registration form, the payment step and the management page, zh-CN first, English second.

use certdesk_domain::Locale;

crate::i18n::texts! {
    nav_institutions => "机构报名", "Institutions";
    inst_list_title => "授权考试机构与考点", "Authorised exam institutions and test centres";
    inst_list_intro => "通过授权考试机构报名无需注册账号：阅读并同意协议、填写信息并支付后，管理链接会发送到您的邮箱，凭此链接预约考试时段。", "Registering through an authorised institution needs no account: accept its agreement, fill in your details and pay; a link to manage your registration is emailed to you, and with it you book an exam slot.";
    inst_institutions => "授权考试机构", "Institutions";
    inst_empty => "暂无授权考试机构。", "No authorised institutions yet.";
    inst_hotline => "客服电话", "Hotline";
    inst_email => "客服邮箱", "Email";
    inst_register_link => "报名", "Register";
    inst_centres => "授权考点", "Test centres";
    inst_centres_intro => "考试在工作日按预约进行。", "Exams are held on business days, by appointment.";
    inst_centres_empty => "暂无考点。", "No test centres yet.";
    inst_col_centre => "考点", "Test centre";
    inst_col_institution => "所属机构", "Institution";
    inst_col_contact => "联系人", "Contact";
    inst_col_phone => "联系电话", "Phone";

    inst_register_title => "机构报名", "Register through an institution";
    inst_agreement_title => "报名协议", "Registration agreement";
    inst_accept => "我已阅读并同意以上协议", "I have read and accept the agreement above";
    inst_accept_required => "请阅读协议并勾选同意。", "Please read the agreement and tick the box to accept it.";
    inst_certification => "报考认证", "Certification";
    inst_choose => "请选择", "Choose one";
    inst_phone_hint => "用于接收考试通知。", "For exam notices.";
    inst_email_hint => "确认邮件和报名管理链接会发送到这个邮箱。", "The confirmation and the link to manage your registration go to this address.";
    inst_register_submit => "提交并去支付", "Continue to payment";

    inst_payment_title => "支付报名费", "Pay the fee";
    inst_payment_intro => "报名信息已提交。支付成功后报名即确认，确认邮件会在 10 分钟内发到您的邮箱。", "Your details are in. Once you pay, the registration is confirmed and a confirmation email reaches you within 10 minutes.";
    inst_amount => "应付金额", "Amount due";
    inst_pay_sandbox => "支付（沙箱）", "Pay (sandbox)";
    inst_sandbox_note => "测试环境：点击后沙箱支付网关会报告支付成功，不会产生真实扣款。", "Test environment: the sandbox gateway reports the payment as paid; no money moves.";
    inst_no_gateway => "目前无法在线支付，请联系机构客服。", "Online payment is not available at the moment; please contact the institution.";

    manage_title => "我的报名", "My registration";
    manage_keep_link => "请妥善保管本页链接：它是管理本次报名及补考的凭证，请勿转发他人。", "Keep this page's link to yourself: it is the key to this registration and its retake.";
    manage_paid_banner => "支付成功，报名已确认。请选择考点和考试时段。", "Paid: your registration is confirmed. Now choose a test centre and a slot.";
    manage_booked_banner => "预约成功。", "Your appointment is booked.";
    manage_retaken_banner => "补考预约成功。", "Your retake is booked.";
    manage_address_banner => "邮寄地址已保存，纸质证书将寄往该地址。", "The mailing address is saved; your paper certificate will be sent there.";
    manage_resent_banner => "如果邮箱与报名时填写的一致，我们已重新发送管理链接。", "If that email matches the one you registered with, we have sent the link again.";
    manage_pay_first => "报名尚未支付，支付后才能预约考试时段。", "This registration is not paid yet; pay first, then book a slot.";
    manage_go_pay => "去支付", "Pay now";
    manage_candidate => "考生", "Candidate";
    manage_attempt => "考试类型", "Attempt";
    manage_centre => "考点", "Test centre";
    manage_time => "考试时间", "Exam time";
    manage_not_booked => "尚未预约", "Not booked yet";
    manage_change_until => "自助改约截止", "Change it yourself";
    manage_retake_until => "免费补考期限", "Free retake";
    manage_help_title => "需要帮助或退款？", "Need help or a refund?";
    manage_book_title => "预约考试时段", "Book an exam slot";
    manage_move_title => "改约考试时段", "Change your slot";
    manage_choose_centre => "选择考点", "Choose a test centre";
    manage_show_slots => "查看时段", "Show slots";
    manage_slots_empty => "该考点近期没有可预约的时段，请换一个考点或稍后再来。", "This centre has no slots in the coming weeks; try another centre or look again later.";
    manage_seats_left => "剩余名额", "Seats left";
    manage_full => "已约满", "Full";
    manage_current => "当前预约", "Your appointment";
    manage_book => "预约", "Book";
    manage_move => "改约到此", "Move here";
    manage_change_closed => "已过自助改约截止时间。如需改约，请联系机构客服。", "The time to change it yourself has passed. To change it, contact the institution.";
    manage_retake_centre_only => "补考只能在首次考试的考点预约。", "A retake is booked at the test centre of the first attempt.";
    manage_retake_title => "免费补考", "Free retake";
    manage_retake_intro => "首次考试未通过，可在同一考点免费补考一次。", "Your first attempt was not passed: you have one free retake at the same test centre.";
    manage_retake_book => "预约补考", "Book the retake";
    manage_retake_empty => "该考点暂无期限内的时段，请稍后再来或联系机构。", "The centre has no slots within the time limit yet; look again later or contact the institution.";
    manage_retake_label => "补考", "Retake";

    manage_expired_title => "链接已失效", "This link has expired";
    manage_expired_text => "报名及补考已经结束，或报名已取消，此链接不再可用。", "The registration and its retake are over, or the registration was cancelled, so this link no longer works.";
    manage_expired_at => "失效时间", "Expired";
    manage_resend_title => "重新发送链接", "Send me the link again";
    manage_resend_hint => "请填写报名时使用的邮箱。", "Enter the email address you registered with.";
    manage_resend_submit => "发送", "Send";
    manage_expired_help => "如需帮助，请联系报名的授权考试机构：", "For help, contact the institution you registered with:";
}

impl crate::i18n::T {
    /// I1: which agreement version the form shows.
    pub(crate) fn agreement_version(&self, n: &u32) -> String {
        let n = *n;
        match self.0 {
            Locale::ZhCn => format!("第 {n} 版"),
            Locale::En => format!("Version {n}"),
        }
    }

    /// I8/I9: where a candidate of this channel gets help, refunds included.
    pub(crate) fn institution_help(&self, name: &str, hotline: &str, email: &str) -> String {
        match self.0 {
            Locale::ZhCn => {
                format!("退款及其他问题请联系{name}客服：电话 {hotline}，邮箱 {email}。")
            }
            Locale::En => format!(
                "For refunds and anything else, contact {name}: phone {hotline}, email {email}."
            ),
        }
    }

    /// I6's horizon: the retake slot must start before it (T4).
    pub(crate) fn retake_horizon(&self, instant: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("须在{instant}之前开考"),
            Locale::En => format!("must start before {instant}"),
        }
    }

    /// The span of dates the slot picker shows.
    pub(crate) fn slots_span(&self, weeks: i64) -> String {
        match self.0 {
            Locale::ZhCn => format!("以下为未来 {weeks} 周内的时段（北京时间）。"),
            Locale::En => format!("Slots in the coming {weeks} weeks (Beijing time)."),
        }
    }
}
