//! `/lang/{tag}?next=/path`: switches the language and remembers it in the `lang` cookie.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use certdesk_domain::{ErrorCode, Locale};
use serde::Deserialize;

use crate::cookies::OurCookie;
use crate::error::{WebError, WebResult};
use crate::extract::{Ctx, MaybeAccount, Path, Query};
use crate::pages::local_path;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LangQuery {
    next: Option<String>,
}

pub(crate) async fn switch_language(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    MaybeAccount(who): MaybeAccount,
    Path(tag): Path<String>,
    Query(q): Query<LangQuery>,
) -> WebResult<Response> {
    let locale = Locale::from_tag(&tag).ok_or(WebError::code(ErrorCode::NotFound))?;
    let to = q.next.as_deref().and_then(local_path).unwrap_or("/");
    // O6: a signed-in candidate's notifications follow the language they read the site in.
    if let Some(who) = who {
        state
            .app
            .set_notification_language(&who.account, locale)
            .await?;
    }
    let mut res = Redirect::to(to).into_response();
    debug_assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A preference, kept for a year.
    OurCookie::Lang.set(&mut res, ctx.https, locale.as_tag(), Some(365 * 24 * 3600));
    Ok(res)
}
