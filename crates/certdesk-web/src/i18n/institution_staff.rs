//! Words of the institution staff portal (I3, I5, I8) and of the operators' institution and
//! test-centre pages, zh-CN first, English second.

use certdesk_domain::Locale;

crate::i18n::texts! {
    nav_staff => "机构工作台", "Institution desk";
    staff_title => "机构工作台", "Institution desk";
    staff_registrations => "报名考生", "Candidates";
    staff_registrations_empty => "暂无报名。", "No registrations yet.";
    staff_col_name => "姓名", "Name";
    staff_col_phone => "手机", "Phone";
    staff_col_appointment => "预约", "Appointment";
    staff_open => "处理", "Open";
    staff_slots => "考试时段", "Slots";
    staff_slots_intro => "时段须在工作日（含调休上班日），时间为北京时间；考生在线预约，名额不会超出。", "Slots are on business days (make-up working days included), in Beijing time; candidates book online and never beyond the capacity.";
    staff_publish_title => "发布时段", "Publish a slot";
    staff_field_date => "日期", "Date";
    staff_field_time => "开始时间", "Start time";
    staff_field_capacity => "名额", "Capacity";
    staff_publish_submit => "发布", "Publish";
    staff_published => "时段已发布。", "The slot is published.";
    staff_upcoming => "近期时段", "Coming slots";
    staff_no_slots => "近期暂无时段。", "No slots in the coming weeks.";
    staff_back => "返回机构工作台", "Back to the desk";
    staff_reg_title => "考生报名", "Registration";
    staff_paid => "已付金额", "Paid";
    staff_refunded => "已退金额", "Refunded";
    staff_remaining => "可退金额", "Refundable";
    staff_move_title => "调整预约", "Move the appointment";
    staff_move_hint => "工作人员可在考试开始前随时调整预约，须填写原因。", "Staff may move an appointment any time before the exam starts, with a reason.";
    staff_field_slot => "新时段", "New slot";
    staff_field_reason => "原因", "Reason";
    staff_move_submit => "调整", "Move";
    staff_no_targets => "近期没有可调整到的时段。", "No slots to move to in the coming weeks.";
    staff_moved => "预约已调整，考生会收到通知。", "The appointment is moved; the candidate is notified.";
    staff_refund_title => "退款", "Refund";
    staff_refund_hint => "金额不超过可退金额，须填写原因，款项原路退回。全部退完时，考试尚未进行的报名将被取消。", "At most the refundable amount, with a reason; the money goes back the way it came. Once everything is refunded, a registration whose exam is ahead is cancelled.";
    staff_field_amount => "退款金额（元）", "Amount (yuan)";
    staff_refund_submit => "退款", "Refund";
    staff_refund_done => "退款已完成。", "The refund is made.";
    staff_refund_none => "没有可退的金额。", "Nothing is left to refund.";
    staff_refunds => "退款记录", "Refunds";
    staff_refunds_empty => "暂无退款。", "No refunds yet.";
    staff_col_amount => "金额", "Amount";
    staff_col_reason => "原因", "Reason";
    staff_cancelled_tag => "报名已取消", "Registration cancelled";
    staff_check_in_title => "签到", "Check-in";
    staff_check_in_hint => "考生到场后签到：考试开始前 2 小时起，至考试结束。", "Check the candidate in when they arrive: from 2 hours before the start until the exam ends.";
    staff_check_in_submit => "签到", "Check in";
    staff_checked_in => "考生已签到。", "The candidate is checked in.";
    staff_checked_in_at => "签到时间", "Checked in";
    staff_result_title => "登记成绩", "Record the result";
    staff_result_hint => "考试结束后登记；缺考请勾选“缺考”，不填分数。", "After the exam has ended; for a no-show tick Absent and leave the score empty.";
    staff_field_score => "分数（0–100）", "Score (0–100)";
    staff_field_absent => "缺考", "Absent";
    staff_result_submit => "登记成绩", "Record";
    staff_resulted => "成绩已登记，考生会收到通知。", "The result is recorded; the candidate is notified.";
    staff_o12_title => "官网改期与补考申请", "Official-channel reschedules and retakes";
    staff_o12_intro => "以下为官网考生的改期（O7）与补考（O8）申请及规则判定依据，仅供本机构为考生办理相关服务使用，不得另作他用。", "The official channel's reschedule (O7) and retake (O8) applications with what their rule decided on — for operating those services for the candidates only, never for anything else.";
    staff_o12_empty => "暂无申请。", "No applications yet.";
    staff_o12_reschedule => "改期", "Reschedule";
    staff_o12_retake => "补考", "Retake";
    staff_o12_col_kind => "类型", "Kind";
    staff_o12_col_from => "原场次", "From";
    staff_o12_col_to => "新场次", "To";
    staff_o12_col_applied => "申请时间", "Applied";
    staff_o12_col_rule => "规则判定", "Rule";
    staff_o12_allowed => "符合规定", "Allowed";
    staff_o12_refused => "不符合规定", "Not allowed";

    admin_nav_institutions => "授权机构", "Institutions";
    admin_nav_test_centres => "授权考点", "Test centres";
    inst_admin_title => "授权考试机构", "Authorised institutions";
    inst_admin_intro => "新增机构时填写其第 1 版报名协议；之后发布的新版本生效后，只接受新版本。", "An institution starts with version 1 of its agreement; once a new version is published, only it is accepted.";
    inst_admin_col_name => "机构名称", "Name";
    inst_admin_col_version => "协议版本", "Agreement";
    inst_admin_create_title => "新增机构", "Add an institution";
    inst_admin_field_agreement => "报名协议（第 1 版）", "Agreement (version 1)";
    inst_admin_create_submit => "新增机构", "Add the institution";
    inst_admin_created => "机构已新增。", "The institution is added.";
    inst_admin_agreement_title => "发布新版协议", "Publish a new agreement version";
    inst_admin_agreement_hint => "发布后旧版本不再接受，此前打开的报名页须重新同意。", "After publishing, the old version is refused: forms opened before must be accepted again.";
    inst_admin_field_text => "协议内容", "Agreement text";
    inst_admin_agreement_submit => "发布", "Publish";
    centre_admin_title => "授权考点", "Test centres";
    centre_admin_intro => "考点信息公开展示，供考生选择和联系。", "Test centres are public, for candidates to choose and contact.";
    centre_admin_create_title => "新增考点", "Add a test centre";
    centre_field_name => "考点名称", "Centre name";
    centre_create_submit => "新增考点", "Add the centre";
    centre_created => "考点已新增。", "The test centre is added.";
}

impl crate::i18n::T {
    /// O12: what an application's rule decided on.
    pub(crate) fn staff_o12_inputs(&self, apply_before: &str, latest_start: &str) -> String {
        match self.0 {
            Locale::ZhCn => format!("须在 {apply_before} 之前申请；目标场次不晚于 {latest_start}"),
            Locale::En => {
                format!("applied before {apply_before}; target no later than {latest_start}")
            }
        }
    }

    /// A slot's seats: `已约 1/2` / `1 of 2 booked`.
    pub(crate) fn slot_taken(&self, taken: u32, capacity: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("已约 {taken}/{capacity}"),
            Locale::En => format!("{taken} of {capacity} booked"),
        }
    }

    /// After publishing an agreement.
    pub(crate) fn agreement_published(&self, version: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("已发布第 {version} 版协议。"),
            Locale::En => format!("Version {version} of the agreement is published."),
        }
    }
}
