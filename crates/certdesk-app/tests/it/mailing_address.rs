//! O9 + PII at rest: the mailing address a paper certificate goes to is sealed in the store —
//! recipient, phone and street line — and opened for its holder.

use certdesk_app::paper::MailingAddressInput;

use crate::TestApp;

#[tokio::test]
async fn a_mailing_address_is_sealed_at_rest_and_opened_for_its_holder() {
    let t = TestApp::new().await;
    let me = t.candidate("dizhi@example.com").await;
    let input = MailingAddressInput {
        recipient: "张伟".into(),
        phone: "13800138000".into(),
        province: "广东省".into(),
        city: "深圳市".into(),
        address: "南山区科苑路 15 号".into(),
        postcode: Some("518057".into()),
    };
    let saved = t.app.put_mailing_address(&me, input).await.unwrap();
    assert_eq!(
        (saved.recipient.as_str(), saved.address.as_str()),
        ("张伟", "南山区科苑路 15 号")
    );
    let mine = t.app.my_mailing_address(&me).await.unwrap().unwrap();
    assert_eq!(mine, saved);
    assert!(mine.phone.ends_with("13800138000"), "{}", mine.phone);

    // What the store holds: no name, phone or street in the clear; the coarse parts are.
    let raw = t
        .store()
        .find_mailing_address(me.id)
        .await
        .unwrap()
        .unwrap();
    for sealed in [&raw.recipient, &raw.phone, &raw.address] {
        assert!(sealed.starts_with("enc1:"), "{sealed}");
        assert!(
            !sealed.contains("张伟")
                && !sealed.contains("13800138000")
                && !sealed.contains("科苑路"),
            "{sealed}"
        );
    }
    assert_eq!(
        (raw.province.as_str(), raw.city.as_str()),
        ("广东省", "深圳市")
    );
    // Another key cannot open it (the data is bound to this deployment's secret key).
    let other = t.reopen_with_another_key().await;
    assert!(other.my_mailing_address(&me).await.is_err());
}
