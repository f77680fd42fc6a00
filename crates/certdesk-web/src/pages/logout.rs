//! `POST /logout`: ends the browser session (CSRF-protected like every post).

use axum::extract::State;
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;

use crate::cookies::OurCookie;
use crate::error::WebResult;
use crate::extract::Ctx;
use crate::pages::login::clear_session_cookie;
use crate::pages::see_other;
use crate::state::AppState;

pub(crate) async fn submit_logout(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
) -> WebResult<Response> {
    if let Some(token) = OurCookie::Session.read(&jar, ctx.https) {
        state.app.log_out(token).await?;
    }
    let mut res = see_other(&ctx, "/");
    clear_session_cookie(&mut res, &ctx);
    Ok(res)
}
