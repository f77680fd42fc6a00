//! Words of the support pages (O11): the candidate's tickets and thread, the help page with
//! the programme's contact emails, and the operators' ticket queue.

use certdesk_domain::{SupportCategory, SupportSide, SupportTicketStatus};

use super::T;

super::texts! {
    nav_support => "帮助与支持", "Help and support";
    support_title => "我的工单", "My support tickets";
    support_intro => "遇到问题？提交工单，客服会在这里回复您，回复时也会发送站内信提醒。", "Have a question? Open a support ticket: our staff answer here, and your inbox tells you when they do.";
    support_help_link => "常见联系方式", "Contact emails";
    support_empty => "您还没有工单。", "You have no support tickets yet.";
    support_new_title => "提交新工单", "Open a new ticket";
    support_category_label => "问题类型", "Category";
    support_subject => "标题", "Subject";
    support_subject_hint => "最多 100 个字。", "At most 100 characters.";
    support_message => "问题描述", "Message";
    support_message_hint => "最多 5000 个字。请勿填写密码或完整身份证号码。", "At most 5000 characters. Never include a password or a full ID number.";
    support_registration => "相关报名（可选）", "About a registration (optional)";
    support_registration_none => "不关联报名", "No registration";
    support_submit => "提交工单", "Open ticket";
    support_opened => "工单已提交，客服会尽快回复。", "Your ticket is open; our staff will answer soon.";
    support_col_subject => "标题", "Subject";
    support_col_status => "状态", "Status";
    support_col_category => "类型", "Category";
    support_col_updated => "最近更新", "Last update";
    support_col_candidate => "考生", "Candidate";
    support_col_waiting => "排队起始", "Waiting since";
    support_thread_title => "沟通记录", "Conversation";
    support_reply_title => "回复", "Reply";
    support_reply_submit => "发送回复", "Send reply";
    support_replied => "回复已发送。", "Your reply has been sent.";
    support_close => "关闭工单", "Close ticket";
    support_close_hint => "问题已解决？关闭后双方都不能再回复。", "Solved? Once closed, neither side can reply.";
    support_closed_note => "此工单已关闭，不能再回复。如有新问题，请提交新工单。", "This ticket is closed and takes no more replies. Open a new ticket for a new question.";
    support_closed_done => "工单已关闭。", "The ticket is closed.";
    support_back => "返回我的工单", "Back to my tickets";
    support_linked_registration => "相关报名", "Registration";
    support_linked_order => "相关订单", "Order";
    support_you => "您", "You";

    help_title => "帮助与联系", "Help and contact";
    help_intro => "大多数问题可以通过工单解决，您可以随时查看处理进度。也可以发送邮件联系我们：", "Most questions are best asked in a support ticket, where you can follow the answer. You can also email us:";
    help_exams => "报名、考期与考试相关问题", "Registration, sittings and exams";
    help_certificates => "成绩与证书相关问题", "Results and certificates";
    help_ticket_cta => "提交工单", "Open a support ticket";
    help_signin => "登录后即可提交工单。", "Sign in to open a support ticket.";

    admin_nav_tickets => "工单", "Tickets";
    tickets_admin_title => "工单队列", "Support tickets";
    tickets_admin_intro => "处理中的工单排在最前，等待最久的优先；考生回复后工单会重新回到处理中。", "Open tickets come first, the longest waiting first; a candidate's reply puts a ticket back to open.";
    tickets_filter => "按状态筛选", "Filter by status";
    tickets_filter_all => "全部", "All";
    tickets_filter_submit => "筛选", "Filter";
    tickets_queue_empty => "没有符合条件的工单。", "No tickets match.";
    tickets_reply_status => "回复后状态", "Status after the reply";
    tickets_reply_done => "回复已发送，考生会收到站内信。", "Reply sent; the candidate has been notified.";
    tickets_back => "返回工单队列", "Back to the queue";
}

impl T {
    pub(crate) fn support_status(&self, s: SupportTicketStatus) -> &'static str {
        s.label(self.0)
    }

    pub(crate) fn support_category(&self, c: SupportCategory) -> &'static str {
        c.label(self.0)
    }

    pub(crate) fn support_side(&self, s: SupportSide) -> &'static str {
        s.label(self.0)
    }
}
