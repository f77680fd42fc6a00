//! `/`: the catalogue grouped by family → track → level, fees in yuan (C1).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::{Family, Level, Track};
use certdesk_store::Certification;

use crate::error::WebResult;
use crate::extract::Ctx;
use crate::i18n::T;
use crate::pages::{Layout, chrome, html};
use crate::state::AppState;

/// A certification as a catalogue row shows it.
#[derive(Debug, Clone)]
pub(crate) struct CertRow {
    pub code: String,
    pub name: String,
    /// None for the foundation certification and the specialty family.
    pub level: Option<String>,
    pub fee: String,
    pub duration: String,
}

#[derive(Debug)]
pub(crate) struct TrackGroup {
    /// `foundation`, … or `general` for a family without tracks.
    pub id: &'static str,
    pub label: &'static str,
    pub certs: Vec<CertRow>,
}

#[derive(Debug)]
pub(crate) struct FamilyGroup {
    pub id: &'static str,
    pub label: &'static str,
    pub tracks: Vec<TrackGroup>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    t: T,
    layout: Layout,
    families: Vec<FamilyGroup>,
}

/// The localized name of a certification.
pub(crate) fn cert_name(t: T, c: &Certification) -> String {
    if t.is_zh() {
        c.data.name_zh.clone()
    } else {
        c.data.name_en.clone()
    }
}

fn row(t: T, c: &Certification) -> CertRow {
    CertRow {
        code: c.data.code.as_str().to_owned(),
        name: cert_name(t, c),
        level: c.data.level.map(|l| t.level(l).to_owned()),
        fee: t.fee(c.data.fee),
        duration: t.minutes(c.data.duration_minutes),
    }
}

/// Groups certifications family → track → level, in the catalogue's fixed order.
pub(crate) fn group(t: T, certs: &[Certification]) -> Vec<FamilyGroup> {
    let level_rank = |l: Option<Level>| {
        l.map_or(0, |l| {
            Level::ALL.iter().position(|x| *x == l).unwrap_or(0) + 1
        })
    };
    let mut out = Vec::new();
    for family in Family::ALL {
        let in_family: Vec<&Certification> =
            certs.iter().filter(|c| c.data.family == *family).collect();
        if in_family.is_empty() {
            continue;
        }
        let mut tracks = Vec::new();
        let mut track_keys: Vec<Option<Track>> = Track::ALL.iter().copied().map(Some).collect();
        track_keys.push(None);
        for track in track_keys {
            let mut in_track: Vec<&&Certification> =
                in_family.iter().filter(|c| c.data.track == track).collect();
            if in_track.is_empty() {
                continue;
            }
            in_track.sort_by_key(|c| (level_rank(c.data.level), c.data.code.clone()));
            tracks.push(TrackGroup {
                id: track.map_or("general", |x| x.as_str()),
                label: track.map_or(t.home_general(), |x| t.track(x)),
                certs: in_track.into_iter().map(|c| row(t, c)).collect(),
            });
        }
        out.push(FamilyGroup {
            id: family.as_str(),
            label: t.family(*family),
            tracks,
        });
    }
    out
}

pub(crate) async fn show_home(State(state): State<AppState>, Ctx(ctx): Ctx) -> WebResult<Response> {
    let certs = state.app.list_certifications(false).await?;
    let (t, layout) = chrome(&ctx);
    html(
        StatusCode::OK,
        &HomePage {
            t,
            layout,
            families: group(t, &certs),
        },
    )
}
