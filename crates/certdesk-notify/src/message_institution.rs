//! The institution channel's messages (I1, I3–I5, I9): every one names the institution's
//! hotline and email, since its candidates have no account to ask from, and carries the link
//! that manages the registration.

use certdesk_domain::Locale;
use certdesk_domain::time::format_deadline;

use jiff::Timestamp;

use crate::message::{CertificationNames, InstitutionContact, Rendered};

/// I1/I4: registered and paid; book with the link.
pub(crate) fn registered(
    certification: &CertificationNames,
    institution: &InstitutionContact,
    manage_url: &str,
) -> Rendered {
    Rendered {
        title_zh: "报名成功，请预约考试".into(),
        body_zh: format!(
            "您已通过{}成功报名{}考试并完成支付。\n\
                 请打开以下链接，在考点的工作日时段中预约考试：\n{manage_url}\n\
                 该链接即您管理报名的凭证，请勿转发。\n如需帮助，请联系{}：电话 {}，邮箱 {}。",
            institution.name,
            certification.zh,
            institution.name,
            institution.hotline,
            institution.email,
        ),
        title_en: "Registered: book your exam".into(),
        body_en: format!(
            "You are registered for the {} exam through {} and your payment is complete.\n\
                 Open this link to book a weekday slot at a test centre:\n{manage_url}\n\
                 The link is your key to the registration; do not share it.\n\
                 For help, contact {}: phone {}, email {}.",
            certification.en,
            institution.name,
            institution.name,
            institution.hotline,
            institution.email,
        ),
    }
}

/// I3/I5: the appointment booked or moved: where and when, and until when it can move.
pub(crate) fn booked(
    certification: &CertificationNames,
    (centre_name, centre_address): (&str, &str),
    exam_starts_at: Timestamp,
    institution: &InstitutionContact,
    manage_url: &str,
) -> Rendered {
    Rendered {
        title_zh: "考试预约成功".into(),
        body_zh: format!(
            "您已预约{}考试。\n考点：{centre_name}（{centre_address}）\n考试时间：{}\n\
                 如需改约，请在考试日前一个工作日结束前操作：{manage_url}\n\
                 如需帮助，请联系{}：电话 {}，邮箱 {}。",
            certification.zh,
            format_deadline(exam_starts_at, Locale::ZhCn),
            institution.name,
            institution.hotline,
            institution.email,
        ),
        title_en: "Exam appointment booked".into(),
        body_en: format!(
            "Your {} exam is booked.\nTest centre: {centre_name} ({centre_address})\n\
                 Exam starts: {}\nTo move it, do so before the end of the business day before \
                 the exam: {manage_url}\nFor help, contact {}: phone {}, email {}.",
            certification.en,
            format_deadline(exam_starts_at, Locale::En),
            institution.name,
            institution.hotline,
            institution.email,
        ),
    }
}
