//! The operators' notification preview (O6), zh-CN first, English second.

crate::i18n::texts! {
    admin_nav_notifications => "通知模板", "Notifications";
    notifications_title => "通知模板预览", "Notification templates";
    notifications_intro => "每类通知在各渠道发出的内容（示例数据）。站内信始终发送；邮件、短信和微信按候选人的联系方式与退订设置发送。", "What each kind of notification says on each channel, with sample data. The inbox always gets it; email, SMS and WeChat go to candidates who have that contact and did not turn it off.";
    notifications_channels_on => "已开启的外部渠道：", "Outside channels on: ";
    notifications_channels_none => "未配置邮件、短信或微信，通知只发送到站内信。", "No email, SMS or WeChat is configured: notifications go to the inbox only.";
    notifications_inbox => "站内信", "Inbox";
    notifications_email => "邮件", "Email";
    notifications_sms => "短信模板参数", "SMS template parameters";
    notifications_wechat => "微信模板数据", "WeChat template data";
    notifications_subject => "主题", "Subject";
    notifications_no_params => "（无参数）", "(no parameters)";
    notify_channels => "通知方式", "How we notify you";
    notify_inbox_always => "站内信（始终开启）", "Inbox (always on)";
    notify_email => "邮件", "Email";
    notify_sms => "短信（需填写手机号）", "SMS (needs a mobile number)";
    notify_wechat => "微信（需绑定微信）", "WeChat (needs your WeChat bound)";
    wechat_openid => "微信绑定（OpenID）", "WeChat binding (OpenID)";
    wechat_openid_hint => "关注考试官方服务号后，在服务号菜单“账号绑定”中复制 OpenID 填在这里；留空即解除绑定。", "Follow the programme's official WeChat account, copy your OpenID from its “Bind account” menu and paste it here; leave it empty to unbind.";
}
