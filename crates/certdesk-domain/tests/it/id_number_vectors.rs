//! A2: every vector of `tests/data/cn-id.json` (see tests/data/README.md for its source).

use certdesk_domain::id_number::{IdNumber, IdNumberError};
use jiff::civil::{Date, date};

/// The vectors were gathered on 2026-11-28; "today" is fixed so the future-date vector stays so.
const TODAY: Date = date(2026, 11, 28);

fn vectors() -> serde_json::Value {
    serde_json::from_str(include_str!("../data/cn-id.json")).expect("cn-id.json is JSON")
}

#[test]
fn a2_every_valid_vector_parses_with_its_parts() {
    let v = vectors();
    let valid = v["valid"].as_array().unwrap();
    assert_eq!(valid.len(), 6);
    for case in valid {
        let input = case["id"].as_str().unwrap();
        let id = IdNumber::parse(input, TODAY).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(id.as_str(), input);
        assert_eq!(id.region_code(), case["region"].as_str().unwrap());
        assert_eq!(id.birth_date().to_string(), case["birth"].as_str().unwrap());
        assert_eq!(
            id.masked(),
            format!("{}********{}", &input[..6], &input[14..])
        );
    }
}

#[test]
fn a2_every_invalid_vector_is_refused_for_its_reason() {
    let v = vectors();
    let invalid = v["invalid"].as_array().unwrap();
    assert_eq!(invalid.len(), 12);
    for case in invalid {
        let input = case["id"].as_str().unwrap();
        let reason = case["reason"].as_str().unwrap();
        let want = match reason {
            "checksum" => IdNumberError::CheckCharacter,
            // Policy: refused, not upper-cased (the vectors list it as invalid).
            "lowercase-x" => IdNumberError::LowercaseX,
            "date" => IdNumberError::BirthDate,
            "date-future" => IdNumberError::FutureBirthDate,
            "region" => IdNumberError::Region,
            "length" => IdNumberError::Length,
            "format" | "fullwidth" => IdNumberError::Characters,
            "legacy-15" => IdNumberError::Legacy15,
            other => panic!("unmapped reason {other}"),
        };
        assert_eq!(
            IdNumber::parse(input, TODAY),
            Err(want),
            "{input} ({reason})"
        );
    }
}

#[test]
fn a2_check_map_and_weights_match_the_vectors() {
    let v = vectors();
    let weights: Vec<u64> = v["algorithm"]["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_u64().unwrap())
        .collect();
    for (i, w) in weights.iter().enumerate() {
        assert_eq!(*w, (1u64 << (17 - i)) % 11);
    }
    let text = v["algorithm"]["check_map_text"].as_str().unwrap();
    assert!(text.contains("'10X98765432'"));
}

#[test]
fn a2_check_character_matches_every_valid_vector() {
    for id in [
        "11010519491231002X",
        "440524188001010014",
        "110101199003071233",
        "31011520000229046X",
    ] {
        assert_eq!(
            certdesk_domain::check_character(&id[..17]),
            id.chars().last(),
            "{id}"
        );
    }
    assert_eq!(certdesk_domain::check_character("1101051949123100"), None);
    assert_eq!(
        certdesk_domain::check_character("11010519491231002X"[..17].replace('1', "a").as_str()),
        None
    );
}
