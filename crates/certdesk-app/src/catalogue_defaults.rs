//! C1: the default catalogue, 13 certifications. Codes are stable forever (registrations and
//! certificates refer to them): `TCCA-<track>[-<level>]` for the cloud family (FND, DEV, OPS,
//! ARC; A associate, P professional, E expert) and `TCCS-<subject>` for the specialty family.
//! The foundation track (从业者) has one certification and no level.

use certdesk_domain::{CertCode, Family, Fen, Level, Track};
use certdesk_store::CertificationData;

/// Fees in fen (¥1 = 100 fen); durations in minutes; pass marks out of 100; validity in months.
struct Seed {
    code: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    track: Option<Track>,
    level: Option<Level>,
    fee_fen: i64,
    duration_minutes: u32,
    pass_mark: u32,
    validity_months: u32,
}

const fn cloud(
    code: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    track: Track,
    level: Option<Level>,
    (fee_fen, duration_minutes, pass_mark, validity_months): (i64, u32, u32, u32),
) -> Seed {
    Seed {
        code,
        name_zh,
        name_en,
        track: Some(track),
        level,
        fee_fen,
        duration_minutes,
        pass_mark,
        validity_months,
    }
}

const fn specialty(
    code: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    fee_fen: i64,
) -> Seed {
    Seed {
        code,
        name_zh,
        name_en,
        track: None,
        level: None,
        fee_fen,
        duration_minutes: 120,
        pass_mark: 70,
        validity_months: 24,
    }
}

/// Per level: (fee in fen, minutes, pass mark, validity months).
const FOUNDATION: (i64, u32, u32, u32) = (30_000, 60, 60, 36);
const ASSOCIATE: (i64, u32, u32, u32) = (70_000, 90, 70, 24);
const PROFESSIONAL: (i64, u32, u32, u32) = (180_000, 120, 70, 24);
const EXPERT: (i64, u32, u32, u32) = (480_000, 180, 70, 36);

use Level::{Associate as A, Expert as E, Professional as P};
use Track::{Architecture as Arch, Development as Dev, Operations as Ops};

const DEFAULTS: [Seed; 13] = [
    cloud(
        "TCCA-FND",
        "腾讯云从业者认证",
        "Tencent Cloud Certified Practitioner",
        Track::Foundation,
        None,
        FOUNDATION,
    ),
    cloud(
        "TCCA-DEV-A",
        "腾讯云开发工程师",
        "Tencent Cloud Development Engineer – Associate",
        Dev,
        Some(A),
        ASSOCIATE,
    ),
    cloud(
        "TCCA-DEV-P",
        "腾讯云开发高级工程师",
        "Tencent Cloud Development Engineer – Professional",
        Dev,
        Some(P),
        PROFESSIONAL,
    ),
    cloud(
        "TCCA-DEV-E",
        "腾讯云开发专家工程师",
        "Tencent Cloud Development Engineer – Expert",
        Dev,
        Some(E),
        EXPERT,
    ),
    cloud(
        "TCCA-OPS-A",
        "腾讯云运维工程师",
        "Tencent Cloud Operations Engineer – Associate",
        Ops,
        Some(A),
        ASSOCIATE,
    ),
    cloud(
        "TCCA-OPS-P",
        "腾讯云运维高级工程师",
        "Tencent Cloud Operations Engineer – Professional",
        Ops,
        Some(P),
        PROFESSIONAL,
    ),
    cloud(
        "TCCA-OPS-E",
        "腾讯云运维专家工程师",
        "Tencent Cloud Operations Engineer – Expert",
        Ops,
        Some(E),
        EXPERT,
    ),
    cloud(
        "TCCA-ARC-A",
        "腾讯云架构工程师",
        "Tencent Cloud Architecture Engineer – Associate",
        Arch,
        Some(A),
        ASSOCIATE,
    ),
    cloud(
        "TCCA-ARC-P",
        "腾讯云架构高级工程师",
        "Tencent Cloud Architecture Engineer – Professional",
        Arch,
        Some(P),
        PROFESSIONAL,
    ),
    cloud(
        "TCCA-ARC-E",
        "腾讯云架构专家工程师",
        "Tencent Cloud Architecture Engineer – Expert",
        Arch,
        Some(E),
        EXPERT,
    ),
    specialty(
        "TCCS-BIGDATA",
        "腾讯云大数据开发工程师",
        "Tencent Cloud Big Data Development Engineer",
        160_000,
    ),
    specialty(
        "TCCS-ML",
        "腾讯云机器学习应用工程师",
        "Tencent Cloud Machine Learning Application Engineer",
        160_000,
    ),
    specialty(
        "TCCS-TDSQL",
        "专有云交付工程师-腾讯云 TDSQL",
        "Private Cloud Delivery Engineer – TDSQL",
        200_000,
    ),
];

/// The 13 default certifications, none retired.
pub(crate) fn default_catalogue() -> Vec<CertificationData> {
    DEFAULTS
        .iter()
        .map(|d| CertificationData {
            code: CertCode::parse(d.code).expect("default codes are valid"),
            name_zh: d.name_zh.into(),
            name_en: d.name_en.into(),
            family: if d.track.is_some() {
                Family::Cloud
            } else {
                Family::Specialty
            },
            track: d.track,
            level: d.level,
            fee: Fen::new(d.fee_fen).expect("default fees are valid"),
            duration_minutes: d.duration_minutes,
            pass_mark: d.pass_mark,
            validity_months: d.validity_months,
            retired: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn c1_defaults_cover_every_track_and_level_once() {
        let all = default_catalogue();
        assert_eq!(all.len(), 13);
        let codes: HashSet<_> = all.iter().map(|c| c.code.clone()).collect();
        assert_eq!(codes.len(), 13, "codes are unique");
        let cells: HashSet<_> = all
            .iter()
            .filter(|c| c.family == Family::Cloud)
            .map(|c| (c.track, c.level))
            .collect();
        assert_eq!(cells.len(), 10);
        assert!(cells.contains(&(Some(Track::Foundation), None)));
        for t in [Dev, Ops, Arch] {
            for l in [A, P, E] {
                assert!(cells.contains(&(Some(t), Some(l))), "{t} {l}");
            }
        }
        assert_eq!(
            all.iter().filter(|c| c.family == Family::Specialty).count(),
            3
        );
        for c in &all {
            assert!(
                crate::certification_input::check_shape(c).is_ok(),
                "{}",
                c.code
            );
        }
    }
}
