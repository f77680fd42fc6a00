//! Our three cookies and how they are written. All are `Path=/`, `HttpOnly`, `SameSite=Lax`
//! and name no `Domain`. Over HTTPS (see `middleware::transport`) each is `Secure` and named
//! with the `__Host-` prefix: a browser then accepts it only from this very host over TLS, so
//! neither a sibling subdomain nor a plain-HTTP man in the middle can plant one (the attack
//! on the CSRF cookie that session-bound tokens close from the other side).

use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;

/// One of certdesk's cookies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OurCookie {
    /// A signed-in browser's session token.
    Session,
    /// The random pre-session value the log-in and sign-up forms' CSRF tokens are bound to.
    Csrf,
    /// The chosen language.
    Lang,
}

impl OurCookie {
    /// Its name over plain HTTP or over HTTPS.
    pub(crate) fn name(self, https: bool) -> &'static str {
        match (self, https) {
            (OurCookie::Session, false) => "certdesk_session",
            (OurCookie::Session, true) => "__Host-certdesk_session",
            (OurCookie::Csrf, false) => "certdesk_csrf",
            (OurCookie::Csrf, true) => "__Host-certdesk_csrf",
            (OurCookie::Lang, false) => "lang",
            (OurCookie::Lang, true) => "__Host-lang",
        }
    }

    /// Its value in the request's cookies. Over HTTPS only the prefixed name counts: a
    /// browser sends that one only if this host set it over TLS.
    pub(crate) fn read(self, jar: &CookieJar, https: bool) -> Option<&str> {
        jar.get(self.name(https)).map(|c| c.value())
    }

    /// Adds its `Set-Cookie` header; without `max_age` it lasts the browser session, with
    /// `Some(0)` it is removed. Values are ours (base64url tokens, language tags), never
    /// user input.
    pub(crate) fn set(self, res: &mut Response, https: bool, value: &str, max_age: Option<i64>) {
        let mut c = format!(
            "{}={value}; Path=/; HttpOnly; SameSite=Lax",
            self.name(https)
        );
        if let Some(secs) = max_age {
            c.push_str(&format!("; Max-Age={}", secs.max(0)));
        }
        if https {
            c.push_str("; Secure");
        }
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::response::IntoResponse;

    #[test]
    fn over_https_cookies_are_secure_and_host_prefixed() {
        let mut res = ().into_response();
        OurCookie::Session.set(&mut res, true, "abc", Some(60));
        OurCookie::Lang.set(&mut res, false, "en", None);
        let all: Vec<_> = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            all,
            [
                "__Host-certdesk_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure",
                "lang=en; Path=/; HttpOnly; SameSite=Lax",
            ]
        );
    }

    #[test]
    fn over_https_the_plain_name_is_not_read() {
        let jar = CookieJar::new().add(axum_extra::extract::cookie::Cookie::new(
            "certdesk_session",
            "planted",
        ));
        assert_eq!(OurCookie::Session.read(&jar, false), Some("planted"));
        assert_eq!(OurCookie::Session.read(&jar, true), None);
    }
}
