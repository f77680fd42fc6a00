//! Words of the layout, errors and forms in general.

super::texts! {
    site_name => "认证服务中心", "Certification Centre";
    site_tagline => "云计算专业认证 · 报名、考试与证书", "Professional cloud certification: registration, exams and certificates";
    skip_to_content => "跳到主要内容", "Skip to main content";
    nav_catalogue => "认证目录", "Certifications";
    nav_account => "我的账号", "My account";
    nav_identity => "实名认证", "Identity";
    nav_admin => "管理后台", "Administration";
    nav_login => "登录", "Log in";
    nav_signup => "注册", "Sign up";
    nav_logout => "退出登录", "Log out";
    signed_in_as => "当前账号", "Signed in as";
    lang_switch_label => "切换语言", "Change language";
    footer_times => "页面所示时间均为北京时间（UTC+8）。", "All times are shown in Beijing time (UTC+8).";
    footer_help => "考试与证书相关通知会发送到“我的账号”的站内信。", "Notices about exams and certificates arrive in your inbox under \"My account\".";
    form_has_errors => "提交的内容有误，请按提示修改后重试。", "Some fields need your attention; please correct them and try again.";
    optional => "（选填）", "(optional)";
    error_title => "出错了", "Something went wrong";
    error_code_label => "错误代码：", "Error code: ";
    error_back_home => "返回首页", "Back to the home page";
    error_log_in => "去登录", "Log in";
    not_found_title => "页面不存在", "Page not found";
    next_page => "下一页", "Next page";
    saved => "已保存。", "Saved.";
    col_status => "状态", "Status";
    col_actions => "操作", "Actions";
    col_time => "时间", "Time";
    none_value => "无", "None";
    not_given => "未填写", "Not given";
    role_candidate => "考生", "Candidate";
    role_admin => "管理员", "Operator";
    role_institution_staff => "授权考试机构工作人员", "Institution staff";
    status_verified => "已认证", "Verified";
    status_pending => "审核中", "Under review";
    status_rejected => "未通过", "Rejected";
    status_none => "未认证", "Not verified";
}
