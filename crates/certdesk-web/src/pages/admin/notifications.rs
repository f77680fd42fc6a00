//! `/admin/notifications`: every notice kind as each channel would carry it, in both
//! languages, with sample data (O6: operators check the words before candidates read them).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::Locale;
use certdesk_notify::templates::{email_content, samples, sms_params, wechat_data};

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin};
use crate::i18n::T;
use crate::pages::{Layout, chrome, html};
use crate::state::AppState;

/// One language's rendering of a kind.
#[derive(Debug)]
struct Rendering {
    lang: &'static str,
    inbox_title: String,
    inbox_body: String,
    email_subject: String,
    email_text: String,
    sms: Vec<String>,
    wechat: Vec<(String, String)>,
}

#[derive(Debug)]
struct KindPreview {
    kind: &'static str,
    renderings: Vec<Rendering>,
}

#[derive(Template)]
#[template(path = "admin/notifications.html")]
struct NotificationsPage {
    t: T,
    layout: Layout,
    active: &'static str,
    channels: Vec<&'static str>,
    kinds: Vec<KindPreview>,
}

pub(crate) async fn show_notifications(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    _admin: CurrentAdmin,
) -> WebResult<Response> {
    let site = state.app.site();
    let kinds = samples(&site)
        .into_iter()
        .map(|(kind, message)| {
            let rendered = message.render();
            let link = site.url("/account");
            let renderings = [(Locale::ZhCn, "zh-CN"), (Locale::En, "en")]
                .into_iter()
                .map(|(locale, lang)| {
                    let email = email_content(&message, locale, &link);
                    let (inbox_title, inbox_body) = match locale {
                        Locale::ZhCn => (rendered.title_zh.clone(), rendered.body_zh.clone()),
                        Locale::En => (rendered.title_en.clone(), rendered.body_en.clone()),
                    };
                    Rendering {
                        lang,
                        inbox_title,
                        inbox_body,
                        email_subject: email.subject,
                        email_text: email.text,
                        sms: sms_params(&message, locale),
                        wechat: wechat_data(&message, locale),
                    }
                })
                .collect();
            KindPreview { kind, renderings }
        })
        .collect();
    let (t, layout) = chrome(&ctx);
    html(
        StatusCode::OK,
        &NotificationsPage {
            t,
            layout,
            active: "notifications",
            channels: state.app.channels().names().to_vec(),
            kinds,
        },
    )
}
