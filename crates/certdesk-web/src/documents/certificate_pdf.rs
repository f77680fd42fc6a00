//! O9: a certificate as a one-page A4 PDF for its holder — zh-CN first, English second: the
//! holder's name, the certification, the number, issue and expiry dates, the status at the
//! time of download, and a QR code of the public verification link.

use certdesk_domain::{CertificateStatus, Locale};

use super::CertificateDocument;
use super::canvas::{Ink, PAGE_H, PAGE_W, Page, one_page_pdf};
use super::qr::QrGrid;
use super::when::date;

const QR_SIZE: f32 = 120.0;

fn pair(page: &mut Page<'_>, x: f32, y: f32, zh: &str, en: &str, value: &str) {
    page.text(x, y, 10.0, Ink::Grey, &format!("{zh} {en}"));
    page.text(x, y + 18.0, 13.0, Ink::Black, value);
}

/// The PDF of `certificate`.
pub(crate) fn render(c: &CertificateDocument) -> Result<Vec<u8>, anyhow::Error> {
    let title = format!("证书 Certificate {}", c.number);
    let qr = QrGrid::new(&c.verify_url);
    one_page_pdf(&title, |page| {
        page.frame(28.0, 28.0, PAGE_W - 56.0, PAGE_H - 56.0, 2.0, Ink::Brand);
        page.frame(36.0, 36.0, PAGE_W - 72.0, PAGE_H - 72.0, 0.6, Ink::Brand);
        page.centred(120.0, 30.0, Ink::Brand, "认证证书");
        page.centred(146.0, 13.0, Ink::Grey, "Certificate of Certification");

        page.centred(214.0, 12.0, Ink::Grey, "兹证明 This is to certify that");
        page.centred(262.0, 30.0, Ink::Black, &c.holder_name);
        page.centred(
            306.0,
            12.0,
            Ink::Grey,
            "已通过考试，获得 has passed the exam and holds",
        );
        page.centred(350.0, 20.0, Ink::Black, &c.cert_name_zh);
        page.centred(376.0, 13.0, Ink::Black, &c.cert_name_en);
        page.centred(396.0, 10.0, Ink::Grey, &c.cert_code);

        let (left, right) = (90.0, PAGE_W / 2.0 + 20.0);
        pair(page, left, 460.0, "证书编号", "Number", &c.number);
        let status = format!(
            "{} {}",
            c.status.label(Locale::ZhCn),
            c.status.label(Locale::En)
        );
        pair(page, right, 460.0, "状态", "Status", &status);
        let issued = format!(
            "{} / {}",
            date(c.issued_at, Locale::ZhCn),
            date(c.issued_at, Locale::En)
        );
        pair(page, left, 510.0, "发证日期", "Issued", &issued);
        let expires = format!(
            "{} / {}",
            date(c.expires_at, Locale::ZhCn),
            date(c.expires_at, Locale::En)
        );
        pair(page, right, 510.0, "到期日", "Expires", &expires);
        if c.status != CertificateStatus::Valid {
            page.centred(
                570.0,
                12.0,
                Ink::Brand,
                "本证书当前无效。 This certificate is not valid now.",
            );
        }

        let qx = (PAGE_W - QR_SIZE) / 2.0;
        if let Some(qr) = &qr {
            page.qr(qx, 600.0, QR_SIZE, qr);
        }
        page.centred(
            736.0,
            9.0,
            Ink::Grey,
            "扫码或访问以下网址验证本证书 Scan or visit to verify",
        );
        page.centred(752.0, 9.0, Ink::Black, &c.verify_url);
    })
}
