//! Words of the official channel's candidate pages: periods, checkout, my exams, refunds,
//! wallet and the sandbox gateway.

super::texts! {
    nav_exams => "我的考试", "My exams";
    nav_wallet => "钱包", "Wallet";

    periods_title => "考期与考试城市", "Exam periods and cities";
    periods_empty => "目前没有可报名的考期。", "No exam periods are scheduled at the moment.";
    period_exam_time => "考试时间", "Exam time";
    period_opens => "报名开放", "Opens";
    period_closes_before => "报名截止", "Closes";
    period_not_open => "尚未开放报名", "Not open yet";
    period_open => "报名中", "Open";
    period_closed => "报名已截止", "Closed";
    col_seats_left => "剩余考位", "Seats left";
    seats_full => "已满", "Full";
    register => "报名", "Register";
    register_verify_first => "完成实名认证后报名", "Verify your identity to register";
    register_log_in_first => "登录后报名", "Log in to register";

    checkout_title => "确认订单", "Checkout";
    checkout_cert => "认证", "Certification";
    checkout_city => "考试城市", "City";
    checkout_price => "报名费", "Fee";
    checkout_balances => "账户余额", "Balances";
    checkout_closes => "报名截止时间", "Registration closes";
    voucher_label => "代金券", "Voucher";
    voucher_none => "不使用代金券", "No voucher";
    voucher_hint => "仅列出可用于本订单的代金券。", "Only vouchers this order can use are listed.";
    pay_first_label => "扣款顺序", "Pay first from";
    pay_first_gift => "赠送金优先", "Gift credit first";
    pay_first_cash => "现金优先", "Cash first";
    recalc => "重新计算", "Recalculate";
    plan_title => "支付明细", "Payment";
    plan_total => "订单金额", "Total";
    plan_voucher => "代金券抵扣", "Voucher";
    plan_gift => "赠送金支付", "Gift credit";
    plan_cash => "现金支付", "Cash";
    plan_unavailable => "暂时无法计算支付明细。", "The payment cannot be worked out.";
    go_top_up => "去充值", "Top up";
    pay_button => "确认支付", "Pay now";
    checkout_need_identity => "报名考试前须完成实名认证。", "You need a verified identity to register for an exam.";
    seats_left_label => "剩余考位", "Seats left";

    confirmed_title => "报名成功", "Registration confirmed";
    confirmed_note => "报名确认通知已发送到您的站内信。", "A confirmation has been sent to your inbox.";
    back_to_exams => "查看我的考试", "Go to my exams";

    exams_title => "我的考试", "My exams";
    exams_empty => "您还没有报名任何考试。", "You have not registered for any exam yet.";
    exams_browse => "浏览认证目录", "Browse the catalogue";
    exam_starts => "考试开始", "Exam starts";
    exam_order => "订单金额", "Paid";
    refund_until_label => "无理由退款截止", "Refund without a reason";
    reschedule_until_label => "改期截止", "Reschedule";
    view_exam => "查看详情", "Details";
    exam_detail_title => "报名详情", "Registration";
    registration_id_label => "报名编号", "Registration no.";
    order_id_label => "订单编号", "Order no.";
    rescheduled_label => "已改期", "Rescheduled";
    refunded_banner => "退款已完成。", "The refund is done.";
    refund_link => "申请退款", "Request a refund";
    refund_title => "申请退款", "Refund";
    refund_intro => "确认后，报名将被取消，考位释放，以下金额退回您的账户。", "On confirming, the registration is cancelled, the seat released, and these amounts return to your account.";
    refund_cash => "退回现金", "Back to cash";
    refund_gift => "退回赠送金", "Back to gift credit";
    refund_voucher_forfeited => "代金券抵扣部分（不退）", "Voucher part (not refunded)";
    refund_deadline => "请在此时间之前申请", "Request it before";
    refund_confirm => "确认退款", "Confirm refund";
    refund_done_title => "退款结果", "Refund";

    reschedule_title => "改期", "Reschedule";
    reschedule_intro => "每个报名可改期一次：改到同一认证的另一期考试，考位随之转移，无需重新缴费。", "You can move a registration once, to another period of the same certification: your seat moves with it and nothing is paid again.";
    reschedule_deadline => "最晚改期时间", "Last moment to reschedule";
    reschedule_choose => "可改期的考期与城市", "Periods and cities you can move to";
    reschedule_here => "改到这里", "Move here";
    rescheduled_banner => "改期成功。新的考试时间和城市见上方，确认通知已发送到您的站内信。", "Rescheduled. Your new exam time and city are shown above; a confirmation is in your inbox.";

    wallet_title => "钱包", "Wallet";
    wallet_cash => "现金余额", "Cash balance";
    wallet_gift => "赠送金余额", "Gift credit";
    topup_title => "充值", "Top up";
    topup_unavailable => "暂不支持在线充值。如需充值，请联系客服。", "Online top-up is not available. Please contact support to add funds.";
    topup_amount => "充值金额（元）", "Amount (yuan)";
    topup_hint => "单位为元，最多两位小数，如 200 或 99.50。单笔最高 ¥50,000.00。", "In yuan with at most two decimals, e.g. 200 or 99.50; at most ¥50,000.00 at a time.";
    topup_submit => "去支付", "Continue to payment";
    topped_up_banner => "充值成功，余额已更新。", "Top-up received; your balance is updated.";
    topup_cancelled_banner => "已取消本次充值。", "The top-up was cancelled.";
    vouchers_title => "代金券", "Vouchers";
    vouchers_empty => "暂无代金券。", "No vouchers.";
    col_face_value => "面值", "Face value";
    col_min_spend => "最低消费", "Minimum spend";
    col_expires => "有效期至", "Valid until";
    voucher_usable => "可用", "Usable";
    voucher_used => "已使用", "Used";
    voucher_expired => "已过期", "Expired";
    ledger_title => "收支明细", "Transactions";
    ledger_empty => "暂无收支记录。", "No transactions yet.";
    col_balance => "账户", "Balance";
    col_amount => "金额", "Amount";
    col_reason => "说明", "Details";

    sandbox_title => "模拟支付", "Sandbox payment";
    sandbox_intro => "这是测试用的模拟支付网关，不会产生真实扣款。", "This is the sandbox payment gateway: no real money moves.";
    sandbox_amount => "支付金额", "Amount";
    sandbox_pay => "支付", "Pay";
    sandbox_cancel => "取消", "Cancel";
    sandbox_done => "该笔支付已处理。", "This payment is already settled.";
    back_to_wallet => "返回钱包", "Back to the wallet";
}
