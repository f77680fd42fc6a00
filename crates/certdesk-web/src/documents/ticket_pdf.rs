//! O4: the admission ticket as a one-page A4 PDF — zh-CN first, English second: the holder,
//! the certification, the ticket number, the exam time (Beijing time, date spelled out), the
//! venue, its address, the seat, and the QR code the desk scans.

use certdesk_domain::Locale;

use super::TicketDocument;
use super::canvas::{Ink, PAGE_W, Page, one_page_pdf};
use super::qr::QrGrid;
use super::when::exam_time;

const LEFT: f32 = 56.0;
const LABEL_W: f32 = 118.0;
const QR_SIZE: f32 = 150.0;
/// Values stop short of the QR code beside them.
const VALUE_W: f32 = PAGE_W - 2.0 * LEFT - LABEL_W - QR_SIZE - 12.0;

/// One labelled row; answers the y of the next.
fn row(page: &mut Page<'_>, y: f32, zh: &str, en: &str, values: &[&str], width: f32) -> f32 {
    page.text(LEFT, y, 11.0, Ink::Grey, zh);
    page.text(LEFT, y + 13.0, 8.0, Ink::Grey, en);
    let mut vy = y;
    for v in values {
        vy = page.wrapped(LEFT + LABEL_W, vy, 12.0, width, Ink::Black, v);
    }
    vy.max(y + 26.0) + 8.0
}

/// The PDF of `ticket`.
pub(crate) fn render(ticket: &TicketDocument) -> Result<Vec<u8>, anyhow::Error> {
    let title = format!("准考证 Admission ticket {}", ticket.number);
    let qr = QrGrid::new(&ticket.code);
    one_page_pdf(&title, |page| {
        page.rect(0.0, 0.0, PAGE_W, 10.0, Ink::Brand);
        page.centred(78.0, 26.0, Ink::Black, "准考证");
        page.centred(100.0, 12.0, Ink::Grey, "Admission ticket");
        page.centred(130.0, 14.0, Ink::Black, &ticket.cert_name_zh);
        page.centred(
            148.0,
            10.0,
            Ink::Grey,
            &format!("{} · {}", ticket.cert_name_en, ticket.cert_code),
        );
        page.rule(LEFT, 166.0, PAGE_W - 2.0 * LEFT, Ink::Grey);

        let top = 196.0;
        if let Some(qr) = &qr {
            let x = PAGE_W - LEFT - QR_SIZE;
            page.qr(x, top - 14.0, QR_SIZE, qr);
            page.text(
                x + 12.0,
                top + QR_SIZE - 4.0,
                9.0,
                Ink::Grey,
                "入场时请出示此二维码",
            );
            page.text(
                x + 12.0,
                top + QR_SIZE + 8.0,
                7.5,
                Ink::Grey,
                "Show this code at the entrance",
            );
        }
        let mut y = top;
        y = row(page, y, "姓名", "Name", &[&ticket.holder_name], VALUE_W);
        y = row(
            page,
            y,
            "准考证号",
            "Ticket number",
            &[&ticket.number],
            VALUE_W,
        );
        let zh = exam_time(ticket.starts_at, ticket.ends_at, Locale::ZhCn);
        let en = exam_time(ticket.starts_at, ticket.ends_at, Locale::En);
        y = row(page, y, "考试时间", "Exam time", &[&zh, &en], VALUE_W);
        let venue = format!("{} {}", ticket.city, ticket.venue_name);
        y = row(page, y, "考点", "Venue", &[&venue], VALUE_W);
        let wide = PAGE_W - 2.0 * LEFT - LABEL_W;
        y = row(
            page,
            y.max(top + QR_SIZE + 24.0),
            "地址",
            "Address",
            &[&ticket.venue_address],
            wide,
        );
        y = row(page, y, "座位号", "Seat", &[&ticket.seat.to_string()], wide);

        page.rule(LEFT, y + 4.0, PAGE_W - 2.0 * LEFT, Ink::Grey);
        let notes = [
            ("考生须知", "Notes"),
            (
                "1. 请携带报名时使用的有效身份证件原件，按时到达考点，凭本准考证和身份证件入场。",
                "1. Bring the original of the ID document you registered with; you are admitted with this ticket and that document.",
            ),
            (
                "2. 考试开始后不得入场。每张准考证仅限持证人本人使用。",
                "2. Nobody is admitted once the exam has started. This ticket admits its holder only.",
            ),
        ];
        let mut ny = y + 28.0;
        for (zh, en) in notes {
            ny = page.wrapped(LEFT, ny, 10.0, PAGE_W - 2.0 * LEFT, Ink::Black, zh);
            ny = page.wrapped(LEFT, ny, 8.0, PAGE_W - 2.0 * LEFT, Ink::Grey, en) + 4.0;
        }
    })
}
