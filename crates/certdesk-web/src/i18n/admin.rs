//! Words of the operators' pages.

super::texts! {
    admin_title => "管理后台", "Administration";
    admin_intro => "管理认证目录、审核实名认证、查看操作日志和失败任务。", "Manage the catalogue, review identities, read the audit log and handle failed jobs.";
    admin_nav_catalogue => "认证管理", "Catalogue";
    admin_nav_identities => "实名审核", "Identity review";
    admin_nav_settings => "认证方式", "Verification mode";
    admin_nav_audit => "操作日志", "Audit log";
    admin_nav_jobs => "失败任务", "Failed jobs";

    create_cert_title => "新增认证", "Add a certification";
    edit_cert_title => "编辑认证", "Edit certification";
    field_code => "认证代码", "Code";
    field_code_hint => "大写字母、数字和连字符，如 TCCA-ARC-P。", "Capital letters, digits and hyphens, e.g. TCCA-ARC-P.";
    name_zh => "中文名称", "Chinese name";
    name_en => "英文名称", "English name";
    label_family => "认证系列", "Family";
    label_track => "方向", "Track";
    label_level => "级别", "Level";
    fee_fen => "报名费（分）", "Fee (fen)";
    fee_fen_hint => "以分为单位，¥800.00 填 80000。", "In fen: ¥800.00 is 80000.";
    duration_minutes => "考试时长（分钟）", "Exam length (minutes)";
    pass_mark => "及格分数（满分 100）", "Pass mark (out of 100)";
    validity_months => "证书有效期（月）", "Certificate validity (months)";
    create_submit => "新增", "Add";
    save_submit => "保存修改", "Save changes";
    edit => "编辑", "Edit";
    retire => "停止报名", "Retire";
    unretire => "恢复报名", "Put back on sale";
    on_sale => "报名中", "On sale";
    retired => "已停止报名", "Retired";

    queue_title => "实名审核", "Identity review";
    filter_pending => "待审核", "Pending";
    filter_all => "全部", "All";
    col_account => "账号编号", "Account";
    col_submitted => "提交时间", "Submitted";
    approve => "通过", "Approve";
    reject => "驳回", "Reject";
    reject_reason => "驳回原因", "Reason for rejection";
    queue_empty => "没有待处理的申请。", "Nothing to review.";

    settings_title => "认证方式", "Verification mode";
    settings_intro => "选择实名认证的校验方式。切换后对新提交的申请生效。", "Choose how identities are verified. A change applies to new submissions.";
    mode_checksum => "自动校验：核对号码格式和校验位，立即通过", "Automatic: format and check character, verified at once";
    mode_manual_review => "人工审核：提交后由管理员审核", "Manual review: an operator approves or rejects each submission";
    settings_submit => "保存", "Save";

    audit_title => "操作日志", "Audit log";
    col_actor => "操作人", "Actor";
    col_action => "操作", "Action";
    col_target => "对象", "Target";
    col_changes => "变更内容", "Changes";
    before => "变更前", "Before";
    after => "变更后", "After";
    system_actor => "系统", "System";
    audit_empty => "暂无记录。", "Nothing recorded yet.";

    jobs_title => "失败任务", "Failed jobs";
    jobs_intro => "以下任务已用完重试次数。请排查原因后重试。", "These jobs ran out of retries. Fix the cause, then retry them.";
    col_job => "编号", "Id";
    col_kind => "类型", "Kind";
    col_channel => "渠道", "Channel";
    col_attempts => "尝试次数", "Attempts";
    col_last_error => "最后一次错误", "Last error";
    retry => "重试", "Retry";
    retried => "已重新排队", "Queued again";
    jobs_empty => "没有失败的任务。", "No failed jobs.";
}
