//! Email: the whole message, as text and HTML, with a link to its page.

use certdesk_domain::Locale;

use crate::email::layout::{html_email, text_email};
use crate::message::Message;

/// What an email says: subject, plain text and HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailContent {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// `message` in `locale`, linking to `link` (an absolute URL).
pub fn email_content(message: &Message, locale: Locale, link: &str) -> EmailContent {
    let rendered = message.render();
    let (title, body, label, footer, lang) = match locale {
        Locale::ZhCn => (
            rendered.title_zh,
            rendered.body_zh,
            "查看详情",
            "此邮件由认证考试系统自动发送，请勿直接回复。如需帮助，请登录后在“帮助与支持”中提交工单。\
             不想再收到邮件？请在“我的账号”中关闭邮件通知。",
            "zh-CN",
        ),
        Locale::En => (
            rendered.title_en,
            rendered.body_en,
            "Open in certdesk",
            "This email was sent automatically; please do not reply. For help, sign in and open \
             a support ticket. To stop these emails, turn email off under My account.",
            "en",
        ),
    };
    let paragraphs: Vec<String> = body.lines().map(str::to_owned).collect();
    EmailContent {
        subject: title.clone(),
        text: text_email(&title, &paragraphs, Some((label, link)), footer),
        html: html_email(lang, &title, &paragraphs, Some((label, link)), footer),
    }
}
