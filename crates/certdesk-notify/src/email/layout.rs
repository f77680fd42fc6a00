//! The look of a notification email: one HTML layout and its plain-text twin, built from
//! already-rendered text. Every piece of text is escaped here, so a candidate's name or a
//! rejection reason can never inject markup into the HTML part.
//!
//! Styles are inline and nothing is loaded from elsewhere: mail clients strip `<style>` blocks
//! and block remote resources, and most candidates read on a phone, so the column is fluid up
//! to 600px.

use std::fmt::Write as _;

/// The HTML part. `lang` is `zh-CN` or `en` (the `lang` attribute lets readers pick fonts and
/// speech); `link` is a button (label, absolute URL) under the paragraphs, with the URL also
/// written out beneath it for clients that do not render buttons.
pub fn html_email(
    lang: &str,
    title: &str,
    paragraphs: &[String],
    link: Option<(&str, &str)>,
    footer: &str,
) -> String {
    let mut html = String::with_capacity(2048);
    let font = "font-family:-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',\
                Helvetica,Arial,sans-serif";
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n</head>\n\
         <body style=\"margin:0;padding:0;background:#f4f5f7;{font}\">\n\
         <div style=\"max-width:600px;margin:0 auto;padding:16px\">\n\
         <div style=\"background:#ffffff;border-radius:8px;padding:24px;color:#1f2933;\
         font-size:16px;line-height:1.6\">\n\
         <h1 style=\"margin:0 0 16px;font-size:20px;line-height:1.4;color:#102a43\">{title}</h1>\n",
        lang = escape(lang),
        title = escape(title),
    );
    for paragraph in paragraphs {
        let _ = writeln!(
            html,
            "<p style=\"margin:0 0 12px\">{}</p>",
            escape(paragraph)
        );
    }
    if let Some((label, url)) = link {
        let (label, url) = (escape(label), escape(url));
        let _ = write!(
            html,
            "<p style=\"margin:24px 0 8px\"><a href=\"{url}\" style=\"display:inline-block;\
             background:#1f5fbf;color:#ffffff;text-decoration:none;padding:12px 20px;\
             border-radius:6px;font-weight:600\">{label}</a></p>\n\
             <p style=\"margin:0 0 12px;font-size:13px;color:#52606d;word-break:break-all\">\
             <a href=\"{url}\" style=\"color:#1f5fbf\">{url}</a></p>\n",
        );
    }
    let _ = write!(
        html,
        "</div>\n<p style=\"margin:16px 8px;font-size:12px;line-height:1.5;color:#7b8794\">{}</p>\n\
         </div>\n</body>\n</html>\n",
        escape(footer)
    );
    html
}

/// The text/plain part: the same content, the link written out in full on its own line
/// (clients make it clickable and it survives copying).
pub fn text_email(
    title: &str,
    paragraphs: &[String],
    link: Option<(&str, &str)>,
    footer: &str,
) -> String {
    let mut text = format!("{title}\n\n");
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
    }
    if let Some((label, url)) = link {
        let _ = write!(text, "{label}:\n{url}\n\n");
    }
    text.push_str("--\n");
    text.push_str(footer);
    text.push('\n');
    text
}

/// Escapes text for an HTML element or a double- or single-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://exams.example.cn/tickets/42?lang=zh-CN&v=2";

    fn paragraphs() -> Vec<String> {
        vec![
            "您好，张三：".to_owned(),
            "<script>alert('x')</script> & \"引号\"".to_owned(),
        ]
    }

    #[test]
    fn html_escapes_every_text_and_keeps_no_raw_markup_from_input() {
        let html = html_email(
            "zh-CN",
            "准考证 <b>已发放</b>",
            &paragraphs(),
            Some(("查看准考证 & 下载", URL)),
            "认证考试中心 <exams@example.cn>",
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"));
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;引号&quot;")
        );
        assert!(html.contains("准考证 &lt;b&gt;已发放&lt;/b&gt;"));
        assert!(html.contains("查看准考证 &amp; 下载"));
        assert!(html.contains("认证考试中心 &lt;exams@example.cn&gt;"));
        // The URL's `&` is escaped inside the attribute, which browsers decode back.
        let escaped_url = "https://exams.example.cn/tickets/42?lang=zh-CN&amp;v=2";
        assert!(html.contains(&format!("href=\"{escaped_url}\"")));
        assert!(html.contains("<html lang=\"zh-CN\">"));
        assert!(
            !html.contains("http://") && !html.contains("src="),
            "no remote resources"
        );
    }

    #[test]
    fn text_twin_carries_the_same_content_and_the_raw_link() {
        let text = text_email(
            "Admission ticket issued",
            &paragraphs(),
            Some(("View your ticket", URL)),
            "Certification Exam Centre",
        );
        assert!(text.starts_with("Admission ticket issued\n\n"));
        assert!(
            text.contains("<script>alert('x')</script> & \"引号\""),
            "plain text is not escaped"
        );
        assert!(text.contains(&format!("View your ticket:\n{URL}\n")));
        assert!(text.ends_with("--\nCertification Exam Centre\n"));
    }

    #[test]
    fn without_a_link_neither_part_has_one() {
        let html = html_email("en", "Welcome", &paragraphs(), None, "footer");
        let text = text_email("Welcome", &paragraphs(), None, "footer");
        assert!(!html.contains("<a "));
        assert!(!text.contains("https://"));
    }
}
