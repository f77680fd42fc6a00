//! Words of the certificate pages (O9): public verification, the holder's certificates and
//! mailing address on My account, and the operators' revocation and paper shipping pages.

use certdesk_domain::{CertificateStatus, Locale};

use super::T;

super::texts! {
    verify_title => "证书查验", "Certificate verification";
    verify_intro => "任何人都可凭证书编号核验证书的真伪和状态。", "Anyone can check a certificate's authenticity and status by its number.";
    verify_number_label => "证书编号", "Certificate number";
    verify_number_hint => "TC 开头，共 15 位，如 TC4821093375160。", "TC followed by 13 digits, e.g. TC4821093375160.";
    verify_submit => "查验", "Verify";
    verify_bad_number_title => "证书编号有误", "Certificate number is wrong";
    verify_bad_number => "这个证书编号不正确（格式或校验位不符），请核对后重新输入。证书编号以 TC 开头，后跟 13 位数字。", "This certificate number is not right (its format or check digit does not match). Check it and try again: a number is TC followed by 13 digits.";
    verify_not_found_title => "未找到该证书", "No such certificate";
    verify_not_found => "没有编号为此的证书。请核对编号；如有疑问，请联系发证机构。", "No certificate has this number. Check the number, or ask the issuer.";
    cert_holder => "持证人", "Holder";
    cert_certification => "认证名称", "Certification";
    cert_number => "证书编号", "Certificate number";
    cert_issued => "颁发时间", "Issued";
    cert_expires => "有效期", "Validity";
    cert_status => "证书状态", "Status";
    cert_issuer => "发证机构标识（DID）", "Issuer (DID)";
    cert_valid_banner => "此证书真实有效。", "This certificate is genuine and valid.";
    cert_expired_banner => "此证书真实，但已过有效期。", "This certificate is genuine but has expired.";
    cert_revoked_banner => "此证书已被撤销，不再有效。", "This certificate has been revoked and is no longer valid.";
    cert_revoked_reason => "撤销原因", "Reason for revocation";
    cert_revoked_at => "撤销时间", "Revoked";
    cert_signature_note_a => "机器可读的证书数据见 ", "The machine-readable certificate is at ";
    cert_signature_note_b => "，其中附有 Ed25519 数字签名（对其余字段按 RFC 8785 规范化后的 JSON 签名），可用 ", ": it carries an Ed25519 signature (over the RFC 8785 canonical JSON of its other fields), which you can check with the key published in ";
    cert_signature_note_c => " 中公布的公钥离线验证。", ".";
    cert_privacy_note => "为保护隐私，持证人姓名仅显示首字，不显示身份证号码。", "To protect privacy, only the first character of the holder's name is shown, and never an ID number.";

    my_certs_title => "我的证书", "My certificates";
    my_certs_empty => "您还没有证书。考试通过后，电子证书会显示在这里。", "You have no certificates yet. Once you pass an exam, your e-certificate appears here.";
    my_certs_unverified => "完成实名认证后才能查看证书。", "Verify your identity to see your certificates.";
    cert_verify_link => "公开查验链接", "Public verification link";
    cert_copy_hint => "可复制此链接发给他人核验。", "Copy this link to let others verify it.";
    cert_download_credential => "下载数字徽章（Open Badges 3.0）", "Download the digital badge (Open Badges 3.0)";
    cert_download_pdf => "下载 PDF 证书", "Download the PDF certificate";
    paper_label => "纸质证书", "Paper certificate";
    paper_pending => "待寄送", "To be shipped";
    paper_shipped => "已寄出", "Shipped";
    paper_due => "寄送期限", "Deadline";
    colon => "：", ": ";
    paper_carrier => "快递公司", "Carrier";
    paper_tracking => "运单号", "Tracking number";
    paper_shipped_at => "寄出时间", "Shipped";
    paper_needs_address => "请填写邮寄地址，以便寄送您的纸质证书。", "Give your mailing address so your paper certificate can be shipped.";
    paper_other_account => "纸质证书将寄往报名该考试的账号所填写的地址。", "The paper certificate goes to the address given by the account that registered for the exam.";

    address_title => "邮寄地址", "Mailing address";
    address_intro => "纸质证书寄往此地址。已寄出的证书不受修改影响。", "Paper certificates are shipped here. Changing it does not affect certificates already shipped.";
    address_recipient => "收件人", "Recipient";
    address_phone => "联系电话", "Phone";
    address_province => "省 / 自治区 / 直辖市", "Province";
    address_city => "城市", "City";
    address_address => "详细地址", "Street address";
    address_postcode => "邮政编码", "Postcode";
    address_submit => "保存邮寄地址", "Save mailing address";
    address_saved => "邮寄地址已保存。", "Your mailing address was saved.";

    admin_nav_certificates => "证书管理", "Certificates";
    admin_nav_paper => "纸质证书寄送", "Paper certificates";
    admin_certs_title => "证书管理", "Certificates";
    admin_certs_intro => "按证书编号查找证书；如需撤销，请填写原因（会记入审计日志，并在公开查验页显示）。", "Look a certificate up by its number; to revoke it, give a reason (it is audited and shown on the public verification page).";
    admin_lookup_submit => "查找", "Look up";
    admin_revoke_reason => "撤销原因", "Reason for revocation";
    admin_revoke_submit => "撤销证书", "Revoke certificate";
    admin_revoked_done => "证书已撤销。", "The certificate was revoked.";
    admin_holder_full => "持证人姓名", "Holder's name";
    admin_public_page => "查看公开查验页", "Open the public page";

    paper_admin_title => "纸质证书寄送", "Paper certificates";
    paper_admin_intro => "待寄送的纸质证书按截止时间排列；已逾期的会标出。持证人尚未填写地址的无法寄出。", "Paper certificates to ship, by due time; overdue ones are marked. Those without the holder's address cannot ship yet.";
    paper_queue_title => "待寄送", "To ship";
    paper_shipped_title => "已寄出", "Shipped";
    paper_queue_empty => "没有待寄送的纸质证书。", "Nothing to ship.";
    paper_shipped_empty => "还没有寄出的纸质证书。", "Nothing has shipped yet.";
    paper_overdue => "已逾期", "Overdue";
    paper_no_address => "持证人尚未填写邮寄地址", "The holder has not given an address";
    paper_ship_submit => "记录寄送", "Record shipment";
    paper_shipped_done => "寄送已记录，持证人已收到通知。", "The shipment was recorded and the holder told.";
    col_recipient => "收件人与地址", "Recipient and address";
    col_shipment => "寄送", "Shipment";
    col_holder => "持证人", "Holder";
    more_items => "下一页", "Next page";

    seat_alert_title => "考位不足提醒", "Venue seats short";
    seat_alert_intro => "以下考期城市的考场座位少于待发准考证的报名人数，准考证无法全部发出。请在考场管理中增加考场或座位；发证任务会自动重试。", "These periods' cities have fewer venue seats than registrations waiting for an admission ticket, so not every ticket can be issued. Add venues or seats; the issuing job retries by itself.";
    col_waiting => "待发准考证", "Waiting for a ticket";
    col_missing => "缺少座位", "Seats missing";
    col_tickets_from => "准考证发放开始", "Tickets due from";
    seat_alert_now => "正在影响发证", "Holding tickets back now";
}

impl T {
    pub(crate) fn certificate_status(&self, s: CertificateStatus) -> &'static str {
        s.label(self.0)
    }

    /// "Valid before …" for an exclusive expiry instant (T4).
    pub(crate) fn valid_before(&self, instant: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("{instant}之前有效"),
            Locale::En => format!("valid before {instant}"),
        }
    }

    pub(crate) fn seats_short(&self, missing: &usize) -> String {
        let missing = *missing;
        match self.0 {
            Locale::ZhCn => format!("缺 {missing} 个座位"),
            Locale::En if missing == 1 => "1 seat missing".to_owned(),
            Locale::En => format!("{missing} seats missing"),
        }
    }
}
