//! Words of the candidates' pages: catalogue, sign-up, log-in, identity, account.

super::texts! {
    home_title => "认证目录", "Certification catalogue";
    home_intro => "选择一项认证，查看考试时长、及格分数和报名费用。", "Choose a certification to see its exam length, pass mark and fee.";
    home_empty => "目前暂无开放报名的认证。", "No certifications are on offer at the moment.";
    home_general => "通用", "General";
    col_code => "认证代码", "Code";
    col_name => "认证名称", "Certification";
    col_level => "级别", "Level";
    col_fee => "报名费", "Fee";
    col_duration => "考试时长", "Exam length";
    view_details => "查看详情", "Details";
    cert_family => "认证系列", "Family";
    cert_track => "方向", "Track";
    cert_level => "级别", "Level";
    cert_fee => "报名费", "Fee";
    cert_duration => "考试时长", "Exam length";
    cert_pass_mark => "及格分数", "Pass mark";
    cert_validity => "证书有效期", "Certificate valid for";
    cert_retired_notice => "该认证已停止报名，已颁发的证书继续有效。", "This certification is no longer on offer; certificates already issued stay valid.";
    cert_identity_hint => "报名考试前须完成实名认证。", "You need a verified identity before you can register for the exam.";
    back_to_catalogue => "返回认证目录", "Back to the catalogue";

    signup_title => "注册账号", "Create an account";
    signup_intro => "使用常用邮箱注册。报名考试前还需完成实名认证。", "Sign up with the email address you use most. You will verify your identity before registering for an exam.";
    email => "邮箱", "Email address";
    password => "密码", "Password";
    password_hint => "8–128 个字符。", "8 to 128 characters.";
    phone => "手机号码", "Mobile number";
    phone_hint => "用于接收考试通知短信，也可以以后再填。", "For exam notices by SMS; you can add it later.";
    signup_submit => "注册", "Sign up";
    signup_have_account => "已有账号？", "Already have an account?";

    login_title => "登录", "Log in";
    login_submit => "登录", "Log in";
    login_no_account => "还没有账号？", "No account yet?";

    identity_title => "实名认证", "Real-name verification";
    identity_intro => "按照考试管理规定，报名须使用本人真实身份信息。身份证号码加密保存，页面上只显示部分号码。", "Exams are taken under your legal identity. Your ID number is stored encrypted and is only ever shown partly hidden.";
    real_name => "真实姓名", "Legal name";
    real_name_hint => "与身份证上的姓名一致。", "As written on your ID card.";
    id_number => "身份证号码", "Resident ID number";
    id_number_hint => "18 位居民身份证号码，最后一位可能是 X。", "18 characters; the last one may be X.";
    identity_submit => "提交认证", "Verify";
    identity_status_label => "认证状态", "Status";
    identity_masked_label => "身份证号码", "ID number";
    identity_verified_note => "您已完成实名认证，可以报名考试。", "Your identity is verified; you can register for exams.";
    identity_pending_note => "我们会尽快审核，结果将通过站内信通知您。", "We will review it shortly and let you know in your inbox.";
    identity_rejected_reason => "未通过原因", "Reason";
    identity_resubmit => "请核对信息后重新提交。", "Please check your details and submit again.";
    identity_none_note => "您尚未完成实名认证。", "You have not verified your identity yet.";

    account_title => "我的账号", "My account";
    account_profile => "账号信息", "Account details";
    roles => "角色", "Roles";
    welcome_banner => "注册成功，欢迎！下一步请完成实名认证。", "Welcome! Your account is ready. Next, verify your identity.";
    go_identity => "去实名认证", "Verify my identity";
    inbox_title => "站内信", "Inbox";
    inbox_empty => "暂无消息。", "No messages yet.";
    mark_read => "标为已读", "Mark as read";
    read_label => "已读", "Read";
    unread_label => "未读", "Unread";
    contacts_title => "联系方式", "Contact details";
    contacts_submit => "保存", "Save";
}
