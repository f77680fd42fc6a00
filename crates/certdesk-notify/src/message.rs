//! A notice with the facts it speaks of, read from the store at send time, and its text in
//! zh-CN first and English second. Times are spelt out in Beijing time (T1, T4).

use certdesk_domain::time::format_deadline;
use certdesk_domain::{Balance, Fen, Locale, VoucherCode};
use jiff::Timestamp;

/// A certification's names, as the catalogue holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificationNames {
    pub zh: String,
    pub en: String,
}

/// What a message says: a [`crate::Notice`] resolved against the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Welcome,
    IdentityVerified,
    IdentityPending,
    IdentityRejected {
        reason: String,
    },
    /// O6: the registration confirmation.
    RegistrationConfirmed {
        certification: CertificationNames,
        city: String,
        exam_starts_at: Timestamp,
        total: Fen,
    },
    /// O7: the registration moved from one sitting to another.
    RegistrationRescheduled {
        certification: CertificationNames,
        from_city: String,
        from_starts_at: Timestamp,
        city: String,
        exam_starts_at: Timestamp,
    },
    /// O10: what went back to which balance; the voucher part is forfeited.
    RefundCompleted {
        certification: CertificationNames,
        cash: Fen,
        gift: Fen,
        voucher_forfeited: Fen,
    },
    CreditReceived {
        balance: Balance,
        amount: Fen,
        reason: String,
    },
    VoucherReceived {
        code: VoucherCode,
        face_value: Fen,
        min_spend: Fen,
        expires_at: Timestamp,
    },
    TopUpReceived {
        amount: Fen,
    },
    /// O4: the admission ticket — where and when to sit the exam.
    AdmissionTicketIssued {
        certification: CertificationNames,
        number: String,
        venue_name: String,
        venue_address: String,
        seat: u32,
        exam_starts_at: Timestamp,
    },
    /// O6: the score is out ("成绩已公布"): points and pass/fail, or absent.
    /// O9: a certificate earned, with where anyone can verify it.
    CertificateIssued {
        certification: CertificationNames,
        number: String,
        expires_at: Timestamp,
        verify_url: String,
    },
    /// O9: the paper certificate is on its way.
    PaperCertificateShipped {
        certification: CertificationNames,
        carrier: String,
        tracking_number: String,
    },
    /// O8: the free retake is registered on a sitting.
    RetakeRegistered {
        certification: CertificationNames,
        city: String,
        exam_starts_at: Timestamp,
    },
    ResultReleased {
        certification: CertificationNames,
        /// None when the candidate was absent.
        score: Option<u32>,
        passed: bool,
    },
    /// O11: an operator answered the candidate's support ticket; read it at `/support/{id}`.
    SupportTicketAnswered {
        ticket_id: i64,
        subject: String,
    },
    /// O11: the candidate replied to a ticket the operator answered; at `/admin/tickets/{id}`.
    SupportTicketUpdated {
        ticket_id: i64,
        subject: String,
    },
    /// O11: a candidate opened a ticket; every operator is told; at `/admin/tickets/{id}`.
    SupportTicketOpened {
        ticket_id: i64,
        subject: String,
    },
    /// I1/I4: registered through an institution and paid; the link manages the registration.
    InstitutionRegistered {
        certification: CertificationNames,
        institution: InstitutionContact,
        manage_url: String,
    },
    /// I3/I5: the appointment booked (or moved) at a test centre.
    AppointmentBooked {
        certification: CertificationNames,
        centre_name: String,
        centre_address: String,
        exam_starts_at: Timestamp,
        institution: InstitutionContact,
        manage_url: String,
    },
}

/// I9: who an institution candidate asks for help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionContact {
    pub name: String,
    pub hotline: String,
    pub email: String,
}

/// A message's text in both languages, ready for a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub title_zh: String,
    pub body_zh: String,
    pub title_en: String,
    pub body_en: String,
}

impl Message {
    pub fn render(&self) -> Rendered {
        let (title_zh, body_zh, title_en, body_en): (&str, String, &str, String) = match self {
            Message::Welcome => (
                "欢迎注册",
                "您的账号已创建成功。报名考试前，请先在“我的账号”中完成实名认证。".into(),
                "Welcome",
                "Your account has been created. Before you register for an exam, please verify \
                 your real-name identity under My account."
                    .into(),
            ),
            Message::IdentityVerified => (
                "实名认证已通过",
                "您的实名认证已通过，现在可以报名考试了。".into(),
                "Identity verified",
                "Your real-name identity has been verified. You can now register for exams.".into(),
            ),
            Message::IdentityPending => (
                "实名认证审核中",
                "我们已收到您的实名认证信息，审核结果将通过站内信通知您。".into(),
                "Identity under review",
                "We have received your identity details. We will tell you the result here once \
                 they have been reviewed."
                    .into(),
            ),
            Message::IdentityRejected { reason } => {
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
            Message::RegistrationConfirmed {
                certification,
                city,
                exam_starts_at,
                total,
            } => (
                "报名成功",
                format!(
                    "您已成功报名{}考试。\n考试城市：{city}\n考试时间：{}\n订单金额：{total}\n\
                     准考证将在考前发放，届时请留意站内信。",
                    certification.zh,
                    format_deadline(*exam_starts_at, Locale::ZhCn),
                ),
                "Registration confirmed",
                format!(
                    "You are registered for the {} exam.\nCity: {city}\nExam starts: {}\n\
                     Order total: {total}\nYour admission ticket will be issued before the exam; \
                     watch your inbox.",
                    certification.en,
                    format_deadline(*exam_starts_at, Locale::En),
                ),
            ),
            Message::AdmissionTicketIssued {
                certification,
                number,
                venue_name,
                venue_address,
                seat,
                exam_starts_at,
            } => (
                "准考证已发放",
                format!(
                    "您的{}考试准考证已发放。\n准考证号：{number}\n考点：{venue_name}\n\
                     地址：{venue_address}\n座位号：{seat}\n考试时间：{}\n\
                     请在“我的考试”中查看或打印准考证，考试当天凭二维码和身份证入场。",
                    certification.zh,
                    format_deadline(*exam_starts_at, Locale::ZhCn),
                ),
                "Admission ticket issued",
                format!(
                    "Your admission ticket for the {} exam is ready.\nTicket number: {number}\n\
                     Venue: {venue_name}\nAddress: {venue_address}\nSeat: {seat}\n\
                     Exam starts: {}\nOpen or print it under My exams; on the day, bring it \
                     (the QR code) and your ID card.",
                    certification.en,
                    format_deadline(*exam_starts_at, Locale::En),
                ),
            ),
            Message::RegistrationRescheduled {
                certification,
                from_city,
                from_starts_at,
                city,
                exam_starts_at,
            } => (
                "改期成功",
                format!(
                    "您报名的{}考试已改期。\n原考试：{from_city}，{}\n新考试：{city}，{}\n\
                     每个报名只能改期一次。准考证将在新考试前发放，届时请留意站内信。",
                    certification.zh,
                    format_deadline(*from_starts_at, Locale::ZhCn),
                    format_deadline(*exam_starts_at, Locale::ZhCn),
                ),
                "Registration rescheduled",
                format!(
                    "Your registration for the {} exam has been moved.\nFrom: {from_city}, {}\n\
                     To: {city}, {}\nA registration can be rescheduled only once. Your admission \
                     ticket will be issued before the new exam; watch your inbox.",
                    certification.en,
                    format_deadline(*from_starts_at, Locale::En),
                    format_deadline(*exam_starts_at, Locale::En),
                ),
            ),
            Message::RefundCompleted {
                certification,
                cash,
                gift,
                voucher_forfeited,
            } => {
                let (forfeit_zh, forfeit_en) = if voucher_forfeited.is_zero() {
                    (String::new(), String::new())
                } else {
                    (
                        format!("\n代金券抵扣的 {voucher_forfeited} 不予退还。"),
                        format!("\nThe {voucher_forfeited} paid by voucher is not refunded."),
                    )
                };
                (
                    "退款成功",
                    format!(
                        "您报名的{}考试已取消，订单已退款。\n退回现金余额：{cash}\n\
                         退回赠送金余额：{gift}{forfeit_zh}",
                        certification.zh
                    ),
                    "Refund completed",
                    format!(
                        "Your registration for the {} exam is cancelled and the order refunded.\n\
                         To your cash balance: {cash}\nTo your gift credit: {gift}{forfeit_en}",
                        certification.en
                    ),
                )
            }
            Message::CreditReceived {
                balance,
                amount,
                reason,
            } => (
                "余额已到账",
                format!(
                    "{amount} 已存入您的{}余额。\n说明：{}",
                    balance.label(Locale::ZhCn),
                    reason.trim()
                ),
                "Credit received",
                format!(
                    "{amount} has been added to your {} balance.\nNote: {}",
                    balance.label(Locale::En).to_lowercase(),
                    reason.trim()
                ),
            ),
            Message::VoucherReceived {
                code,
                face_value,
                min_spend,
                expires_at,
            } => {
                let (min_zh, min_en) = if min_spend.is_zero() {
                    ("无最低消费".to_owned(), "no minimum spend".to_owned())
                } else {
                    (
                        format!("订单满 {min_spend} 可用"),
                        format!("for orders of {min_spend} or more"),
                    )
                };
                (
                    "您收到一张代金券",
                    format!(
                        "面值 {face_value}，{min_zh}，请在 {} 前使用。\n代金券号：{code}\n\
                         报名缴费时输入即可抵扣。",
                        format_deadline(*expires_at, Locale::ZhCn)
                    ),
                    "You have received a voucher",
                    format!(
                        "Face value {face_value}, {min_en}; use it before {}.\nCode: {code}\n\
                         Enter it when you pay for an exam.",
                        format_deadline(*expires_at, Locale::En)
                    ),
                )
            }
            Message::CertificateIssued {
                certification,
                number,
                expires_at,
                verify_url,
            } => (
                "证书已颁发",
                format!(
                    "恭喜！您已获得{}证书。\n证书编号：{number}\n有效期至：{}\n\
                     任何人都可以在此核验：{verify_url}\n\
                     纸质证书将在考试结束后 30 天内寄出，请在“我的账号”中填写邮寄地址。",
                    certification.zh,
                    format_deadline(*expires_at, Locale::ZhCn),
                ),
                "Certificate issued",
                format!(
                    "Congratulations! You hold the {} certificate.\nNumber: {number}\n\
                     Valid until: {}\nAnyone can verify it at {verify_url}\nThe paper copy ships \
                     within 30 days after the exam; give your mailing address under My account.",
                    certification.en,
                    format_deadline(*expires_at, Locale::En),
                ),
            ),
            Message::PaperCertificateShipped {
                certification,
                carrier,
                tracking_number,
            } => (
                "纸质证书已寄出",
                format!(
                    "您的{}纸质证书已寄出。\n快递公司：{carrier}\n运单号：{tracking_number}",
                    certification.zh
                ),
                "Paper certificate shipped",
                format!(
                    "Your paper {} certificate has shipped.\nCarrier: {carrier}\n\
                     Tracking number: {tracking_number}",
                    certification.en
                ),
            ),
            Message::ResultReleased {
                certification,
                score,
                passed,
            } => {
                let (zh, en) = match score {
                    None => (
                        "记录为缺考。".to_owned(),
                        "You were recorded as absent.".to_owned(),
                    ),
                    Some(points) => (
                        format!(
                            "成绩：{points} 分\n结果：{}",
                            if *passed { "通过" } else { "未通过" }
                        ),
                        format!(
                            "Score: {points} out of 100\nResult: {}",
                            if *passed { "passed" } else { "not passed" }
                        ),
                    ),
                };
                (
                    "成绩已公布",
                    format!("您参加的{}考试成绩已公布。\n{zh}", certification.zh),
                    "Your result is out",
                    format!("The result of your {} exam is out.\n{en}", certification.en),
                )
            }
            Message::RetakeRegistered {
                certification,
                city,
                exam_starts_at,
            } => (
                "补考报名成功",
                format!(
                    "您已报名{}考试的免费补考。\n考试城市：{city}\n考试时间：{}\n\
                     补考不能改期，也不会再有下一次免费补考。准考证将在考试前发放，届时请留意站内信。",
                    certification.zh,
                    format_deadline(*exam_starts_at, Locale::ZhCn),
                ),
                "Retake registered",
                format!(
                    "Your free retake of the {} exam is registered.\nCity: {city}\nExam starts: {}\n\
                     A retake cannot be rescheduled and gives no further free retake. Your \
                     admission ticket will be issued before the exam; watch your inbox.",
                    certification.en,
                    format_deadline(*exam_starts_at, Locale::En),
                ),
            ),
            Message::SupportTicketAnswered { ticket_id, subject } => (
                "您的工单有新回复",
                format!(
                    "客服回复了您的工单 #{ticket_id}：{subject}\n\
                     请在“帮助与支持”中查看并回复：/support/{ticket_id}"
                ),
                "Your support ticket has a reply",
                format!(
                    "Support replied to your ticket #{ticket_id}: {subject}\n\
                     Read it and reply under Help and support: /support/{ticket_id}"
                ),
            ),
            Message::SupportTicketUpdated { ticket_id, subject } => (
                "工单有考生新回复",
                format!(
                    "考生回复了您处理过的工单 #{ticket_id}：{subject}\n\
                     工单已重新打开，请在工单队列中处理：/admin/tickets/{ticket_id}"
                ),
                "A candidate replied to a support ticket",
                format!(
                    "The candidate replied to ticket #{ticket_id} you answered: {subject}\n\
                     It is open again; see the ticket queue: /admin/tickets/{ticket_id}"
                ),
            ),
            Message::SupportTicketOpened { ticket_id, subject } => (
                "新工单待处理",
                format!(
                    "考生提交了新工单 #{ticket_id}：{subject}\n\
                     请在工单队列中处理：/admin/tickets/{ticket_id}"
                ),
                "New support ticket",
                format!(
                    "A candidate opened ticket #{ticket_id}: {subject}\n\
                     See the ticket queue: /admin/tickets/{ticket_id}"
                ),
            ),
            Message::InstitutionRegistered {
                certification,
                institution,
                manage_url,
            } => {
                return crate::message_institution::registered(
                    certification,
                    institution,
                    manage_url,
                );
            }
            Message::AppointmentBooked {
                certification,
                centre_name,
                centre_address,
                exam_starts_at,
                institution,
                manage_url,
            } => {
                return crate::message_institution::booked(
                    certification,
                    (centre_name, centre_address),
                    *exam_starts_at,
                    institution,
                    manage_url,
                );
            }
            Message::TopUpReceived { amount } => (
                "充值成功",
                format!("您充值的 {amount} 已存入现金余额。"),
                "Top-up received",
                format!("Your top-up of {amount} has been added to your cash balance."),
            ),
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
#[path = "message_tests.rs"]
mod tests;
