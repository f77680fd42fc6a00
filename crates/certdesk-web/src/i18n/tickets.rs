//! Words of the admission ticket (O4) on the exam page, and of the operators' venues and
//! check-in pages. The printable ticket shows each label in both languages, zh-CN first
//! (`T(ZhCn)` then `T(En)`).

super::texts! {
    ticket_title => "准考证", "Admission ticket";
    ticket_holder => "姓名", "Name";
    ticket_number => "准考证号", "Ticket number";
    ticket_time => "考试时间", "Exam time";
    ticket_venue => "考点", "Venue";
    ticket_address => "地址", "Address";
    ticket_seat => "座位号", "Seat";
    ticket_qr_caption => "入场时请出示此二维码", "Show this code at the entrance";
    ticket_checked_in => "已签到", "Checked in";
    ticket_note => "请携带报名时使用的有效身份证件原件，按时到达考点，凭本准考证和身份证件入场。", "Bring the original of the ID document you registered with; you are admitted with this ticket and that document.";
    ticket_pdf_link => "下载 PDF 准考证", "Download the ticket (PDF)";
    ticket_ics_link => "添加到日历（.ics）", "Add to calendar (.ics)";
    ticket_print_hint => "可直接打印本页：打印时只输出准考证。", "You can print this page: only the ticket is printed.";

    admin_nav_venues => "考点管理", "Venues";
    admin_nav_check_in => "考场签到", "Check-in";
    venues_title => "考点管理", "Venues";
    venues_intro => "每个城市的考点按添加顺序安排座位；准考证发放时依次分配。", "Each city's venues are filled in the order they were added when tickets are issued.";
    venues_empty => "暂无考点。", "No venues yet.";
    venue_create_title => "新增考点", "Add a venue";
    field_city => "城市", "City";
    field_venue_name => "考点名称", "Venue name";
    field_address => "地址", "Address";
    field_seats => "座位数", "Seats";
    venue_create_submit => "新增考点", "Add venue";
    venue_created => "考点已添加。", "The venue was added.";
    col_venue => "考点", "Venue";
    col_address => "地址", "Address";
    col_seats_count => "座位数", "Seats";
    venues_city_total => "合计座位", "Seats in all";

    check_in_title => "考场签到", "Check-in at the venue";
    check_in_intro => "扫描准考证二维码，或输入准考证号。每位考生只记录一次签到，重复扫描不会改变记录。", "Scan the ticket's QR code or type the ticket number. Each candidate is recorded once; scanning again changes nothing.";
    field_period => "考期", "Exam period";
    field_ticket_code => "二维码内容或准考证号", "QR code or ticket number";
    check_in_submit => "签到", "Check in";
    check_in_ok => "签到成功。", "Checked in.";
    check_in_again => "该考生此前已签到，本次扫描未作更改。", "Already checked in earlier; this scan changed nothing.";
    check_in_refused => "未签到", "Not checked in";
    check_in_no_periods => "暂无即将开考的考期。", "No exam periods ahead.";
    col_checked_in_at => "签到时间", "Checked in at";
}
