use super::*;
use serde_json::Value;

const VECTORS: &str = include_str!("../../tests/data/tc3-signature.json");

fn vectors() -> Vec<Value> {
    let all: Value = serde_json::from_str(VECTORS).expect("vector file is JSON");
    all["vectors"].as_array().expect("vectors array").clone()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is a string"))
}

/// Signs a vector's inputs and checks every expected value it gives, so a vector with
/// derived keys checks those too.
fn check(vector: &Value) -> usize {
    let id = text(vector, "id");
    let inputs = &vector["inputs"];
    let expected = vector["expected"].as_object().expect("expected object");
    assert_eq!(text(inputs, "method"), "POST", "{id}");
    assert_eq!(text(inputs, "uri"), "/", "{id}");
    assert_eq!(text(inputs, "query"), "", "{id}");
    let signed = text(inputs, "signed_headers");
    let input = Tc3Input {
        secret_id: text(inputs, "secret_id"),
        secret_key: text(inputs, "secret_key"),
        service: text(inputs, "service"),
        host: text(inputs, "host"),
        signed_action: signed
            .contains("x-tc-action")
            .then(|| text(inputs, "action")),
        content_type: text(inputs, "content_type"),
        timestamp: inputs["timestamp"].as_i64().expect("timestamp"),
        payload: text(inputs, "payload").as_bytes(),
    };
    let got = sign(&input).expect("signs");
    assert_eq!(got.date, text(inputs, "date"), "{id}: date");
    assert_eq!(got.signed_headers, signed, "{id}: signed headers");
    let keys = derive_keys(input.secret_key, &got.date, input.service);

    let mut checked = 0;
    for (key, want) in expected {
        let want = want.as_str().expect("expected values are strings");
        let have = match key.as_str() {
            "hashed_request_payload" => got.hashed_payload.clone(),
            "canonical_request" => got.canonical_request.clone(),
            "credential_scope" => got.credential_scope.clone(),
            "hashed_canonical_request" => got.hashed_canonical_request.clone(),
            "string_to_sign" => got.string_to_sign.clone(),
            "secret_date_hex" => hex::encode(keys.secret_date),
            "secret_service_hex" => hex::encode(keys.secret_service),
            "secret_signing_hex" => hex::encode(keys.secret_signing),
            "signature" => got.signature.clone(),
            "authorization" => got.authorization.clone(),
            other => panic!("{id}: unknown expected field {other}"),
        };
        assert_eq!(have, want, "{id}: {key}");
        checked += 1;
    }
    checked
}

#[test]
fn every_vendor_vector_reproduces() {
    let all = vectors();
    let ids: Vec<&str> = all.iter().map(|v| text(v, "id")).collect();
    assert_eq!(
        ids,
        [
            "zh-doc-current",
            "intl-doc-example-key",
            "zh-doc-2019-revision",
            "sendsms-sdk-derived"
        ]
    );
    for vector in &all {
        assert!(
            check(vector) >= 2,
            "{} checks something",
            text(vector, "id")
        );
    }
}

#[test]
fn the_current_doc_vector_checks_derived_keys_and_every_step() {
    let all = vectors();
    // 10 expected values: payload hash through authorization, including the three keys.
    assert_eq!(check(&all[0]), 10);
}

#[test]
fn the_date_is_the_utc_date_not_beijing_date() {
    // 1551113065 is 2019-02-26 00:44:25 in Beijing.
    assert_eq!(utc_date(1551113065).unwrap(), "2019-02-25");
    assert_eq!(utc_date(0).unwrap(), "1970-01-01");
    assert_eq!(
        utc_date(i64::MAX),
        Err(Tc3Error::TimestampOutOfRange(i64::MAX))
    );
}

#[test]
fn a_changed_byte_anywhere_changes_the_signature() {
    let base = Tc3Input {
        secret_id: "AKIDexample",
        secret_key: "key",
        service: "sms",
        host: "sms.tencentcloudapi.com",
        signed_action: None,
        content_type: "application/json",
        timestamp: 1700000000,
        payload: br#"{"a":1}"#,
    };
    let reference = sign(&base).unwrap().signature;
    let variants = [
        Tc3Input {
            secret_key: "kex",
            ..base
        },
        Tc3Input {
            host: "sms.tencentcloudapi.com:443",
            ..base
        },
        Tc3Input {
            content_type: "application/json; charset=utf-8",
            ..base
        },
        Tc3Input {
            timestamp: 1700000001,
            ..base
        },
        Tc3Input {
            payload: br#"{"a":2}"#,
            ..base
        },
        Tc3Input {
            signed_action: Some("SendSms"),
            ..base
        },
        Tc3Input {
            service: "cvm",
            ..base
        },
    ];
    for variant in variants {
        assert_ne!(sign(&variant).unwrap().signature, reference, "{variant:?}");
    }
    // The secret id is not an input of the signature, only of the credential.
    let other_id = sign(&Tc3Input {
        secret_id: "AKIDother",
        ..base
    })
    .unwrap();
    assert_eq!(other_id.signature, reference);
    assert!(other_id.authorization.contains("Credential=AKIDother/"));
}

#[test]
fn an_authorization_header_reads_back() {
    let all = vectors();
    let value = all[0]["expected"]["authorization"].as_str().unwrap();
    let parsed = parse_authorization(value).expect("parses");
    assert_eq!(parsed.secret_id, "AKID********************************");
    assert_eq!(parsed.date, "2019-02-25");
    assert_eq!(parsed.service, "cvm");
    assert_eq!(parsed.signed_headers, "content-type;host;x-tc-action");
    assert_eq!(
        parsed.signature,
        "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
    );
    for bad in [
        "",
        "Bearer abc",
        "TC3-HMAC-SHA256 Credential=a/b/c/tc3_request, SignedHeaders=host",
        "TC3-HMAC-SHA256 Credential=a/b/c/other, SignedHeaders=host, Signature=00",
        "TC3-HMAC-SHA256 Credential=a/b/c/tc3_request, SignedHeaders=host, Signature=00, X=1",
    ] {
        assert_eq!(parse_authorization(bad), None, "{bad}");
    }
}
