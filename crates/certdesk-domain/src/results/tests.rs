//! Results files line by line: encodings, line endings, every per-line error, and O6's checks.

use super::*;
use crate::order::{Channel, RegistrationStatus};
use jiff::SignedDuration;

fn codes(p: &ParsedResults) -> Vec<(usize, &'static str)> {
    p.errors
        .iter()
        .map(|e| (e.line, e.refusal.code.as_str()))
        .collect()
}

fn reg(id: i64) -> ResultKey {
    ResultKey::Registration(RegistrationId(id))
}

fn scored(n: u64) -> ExamOutcome {
    ExamOutcome::Scored(Score::new(n).unwrap())
}

#[test]
fn reads_lf_crlf_bom_and_trailing_empty_lines() {
    for text in [
        "registration_id,score,absent\n1,85,false\n2,,true\n",
        "registration_id,score,absent\r\n1,85,false\r\n2,,true\r\n\r\n",
        "\u{FEFF} Registration_ID , SCORE,Absent\n1, 85 ,FALSE\n\"2\",\"\",\"true\"\n,,\n",
    ] {
        let text = decode_upload(text.as_bytes());
        let p = parse_csv(&text);
        assert_eq!(codes(&p), vec![], "{text:?}");
        assert_eq!(
            p.lines,
            vec![
                ResultLine {
                    line: 2,
                    key: reg(1),
                    outcome: scored(85)
                },
                ResultLine {
                    line: 3,
                    key: reg(2),
                    outcome: ExamOutcome::Absent
                },
            ],
            "{text:?}"
        );
    }
}

#[test]
fn decodes_utf8_bom_and_gb18030() {
    let utf8 = b"\xEF\xBB\xBFregistration_id,score,absent\n";
    assert_eq!(decode_upload(utf8), "registration_id,score,absent\n");
    // "准考证" in GB18030 (not valid UTF-8), then a GB18030 BOM before the header.
    let (gb, _, _) = encoding_rs::GB18030.encode("准考证,85");
    assert!(std::str::from_utf8(&gb).is_err());
    assert_eq!(decode_upload(&gb), "准考证,85");
    let (bom, _, _) = encoding_rs::GB18030.encode("\u{FEFF}ticket_number,score,absent");
    assert_eq!(decode_upload(&bom), "ticket_number,score,absent");
    // Bytes no encoding reads become U+FFFD, never a panic.
    assert!(decode_upload(b"\xFF\xFF\xFF,1").contains('\u{FFFD}'));
}

#[test]
fn a_ticket_file_reads_its_ticket_numbers_and_refuses_a_wrong_check_digit() {
    let number = crate::TicketNumber::new(crate::ExamPeriodId(42), 7).unwrap();
    let text = format!("ticket_number,score,absent\r\n{number},70,false\r\n");
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let p = parse_csv(&decode_upload(&bytes));
    assert_eq!(codes(&p), vec![]);
    assert_eq!(p.lines[0].key, ResultKey::Ticket(number.clone()));
    let mut wrong = number.to_string().into_bytes();
    let last = wrong.len() - 1;
    wrong[last] = if wrong[last] == b'9' {
        b'0'
    } else {
        wrong[last] + 1
    };
    let text = format!(
        "ticket_number,score,absent\n{},70,false\n",
        String::from_utf8(wrong).unwrap()
    );
    let p = parse_csv(&text);
    assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
    assert_eq!(p.errors[0].line, 2);
    assert_eq!(p.errors[0].refusal.field.as_deref(), Some("ticket_number"));
}

#[test]
fn a_wrong_header_is_a_line_one_error() {
    for text in [
        "",
        "\n\n",
        "id,score,absent\n1,2,false",
        "registration_id,score\n1,2",
        "registration_id,absent,score\n1,false,2",
        "registration_id,score,absent,extra\n1,2,false,x",
        "1,85,false\n",
    ] {
        let p = parse_csv(text);
        assert_eq!(codes(&p), vec![(1, "invalid_csv_header")], "{text:?}");
        assert!(p.lines.is_empty());
    }
}

#[test]
fn every_line_error_with_its_line_number() {
    let text = "registration_id,score,absent\n\
                1,85,false\n\
                x,85,false\n\
                0,85,false\n\
                2,101,false\n\
                3,85.5,false\n\
                4,-1,false\n\
                5,80,true\n\
                6,,false\n\
                7,80,yes\n\
                8,80,\n\
                9,80\n\
                10,80,false,extra\n\
                \n\
                11,\"80,false\n\
                12,\"80\"x,false\n\
                13,+80,false\n\
                14,80,false\n";
    let p = parse_csv(text);
    assert_eq!(
        codes(&p),
        vec![
            (3, "invalid_field"),
            (4, "invalid_field"),
            (5, "invalid_score"),
            (6, "invalid_score"),
            (7, "invalid_score"),
            (8, "score_with_absent"),
            (9, "score_missing"),
            (10, "invalid_absent"),
            (11, "invalid_absent"),
            (12, "invalid_csv_line"),
            (13, "invalid_csv_line"),
            (14, "invalid_csv_line"),
            (15, "invalid_csv_line"),
            (16, "invalid_csv_line"),
            (17, "invalid_score"),
        ]
    );
    assert_eq!(
        p.lines.iter().map(|l| l.line).collect::<Vec<_>>(),
        vec![2, 18]
    );
    assert_eq!(
        p.errors[0].refusal.field.as_deref(),
        Some("registration_id")
    );
    assert_eq!(p.errors[2].refusal.field.as_deref(), Some("score"));
}

#[test]
fn json_items_are_numbered_from_one() {
    let items: Vec<serde_json::Value> = serde_json::from_str(
        r#"[{"registration_id": 1, "score": 60},
            {"registration_id": 2, "absent": true},
            {"ticket_number": "0000420000012", "score": 0, "absent": false},
            {"registration_id": 3, "score": 60.5},
            {"registration_id": 4, "score": "60"},
            {"registration_id": 5, "absent": "true"},
            {"registration_id": 6, "score": 1, "absent": true},
            {"registration_id": 7},
            {"score": 60},
            {"registration_id": 8, "ticket_number": "T-2", "score": 1},
            {"registration_id": -1, "score": 1},
            {"ticket_number": 12, "score": 1},
            "nonsense",
            {"registration_id": 9, "score": null, "absent": true}]"#,
    )
    .unwrap();
    let p = parse_json_items(&items);
    assert_eq!(
        codes(&p),
        vec![
            (4, "invalid_score"),
            (5, "invalid_score"),
            (6, "invalid_absent"),
            (7, "score_with_absent"),
            (8, "score_missing"),
            (9, "invalid_field"),
            (10, "invalid_field"),
            (11, "invalid_field"),
            (12, "invalid_field"),
            (13, "invalid_csv_line"),
        ]
    );
    assert_eq!(
        p.lines.iter().map(|l| l.line).collect::<Vec<_>>(),
        vec![1, 2, 3, 14]
    );
}

fn subject(id: i64, ends: Timestamp) -> ResultSubject {
    ResultSubject {
        registration_id: RegistrationId(id),
        status: RegistrationStatus::Confirmed,
        channel: Channel::Official,
        exam_ends_at: Some(ends),
        pass_mark: 60,
        has_result: false,
    }
}

#[test]
fn o6_pass_mark_decides_and_absent_never_passes() {
    assert!(passes(Score::new(60).unwrap(), 60));
    assert!(!passes(Score::new(59).unwrap(), 60));
    assert!(Score::new(101).is_none());
    assert_eq!(scored(60).status(60), RegistrationStatus::Passed);
    assert_eq!(scored(59).status(60), RegistrationStatus::Failed);
    assert_eq!(ExamOutcome::Absent.status(0), RegistrationStatus::Absent);
    assert!(!ExamOutcome::Absent.passes(0));
}

#[test]
fn o6_results_come_from_the_exam_end_on() {
    let ends: Timestamp = "2027-04-10T03:00:00Z".parse().unwrap();
    let s = subject(1, ends);
    let before = check_result(&s, ends - SignedDuration::from_micros(1)).unwrap_err();
    assert_eq!(
        (before.code, before.deadline),
        (ErrorCode::ExamNotEnded, Some(ends))
    );
    assert!(check_result(&s, ends).is_ok(), "T4: exam_ends_at <= now");
}

#[test]
fn validate_refuses_every_bad_line_and_keeps_line_order() {
    let ends: Timestamp = "2027-04-10T03:00:00Z".parse().unwrap();
    let now = ends + SignedDuration::from_hours(1);
    let mut subjects = vec![subject(1, ends), subject(2, ends), subject(3, ends)];
    subjects[1].status = RegistrationStatus::Cancelled;
    // I7: an institution registration gets its result as an official one does, once it has
    // an appointment; this one has none.
    subjects[2].channel = Channel::Institution;
    subjects[2].exam_ends_at = None;
    let mut resulted = subject(4, ends);
    resulted.status = RegistrationStatus::Passed;
    resulted.has_result = true;
    subjects.push(resulted);
    subjects.push(subject(5, now + SignedDuration::from_hours(1)));
    let text = "registration_id,score,absent\n1,90,false\n2,90,false\n3,90,false\n4,90,false\n\
                5,90,false\n1,10,false\n99,1,false\nbad,1,false\n";
    let find = |k: &ResultKey| match k {
        ResultKey::Registration(id) => subjects.iter().find(|s| s.registration_id == *id),
        ResultKey::Ticket(_) => None,
    };
    let errors = parse_csv(text).validate(find, now).unwrap_err();
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.line, e.refusal.code.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, "registration_cancelled"),
            (4, "appointment_required"),
            (5, "result_already_recorded"),
            (6, "exam_not_ended"),
            (7, "duplicate_result"),
            (8, "unknown_registration"),
            (9, "invalid_field"),
        ]
    );
    let ok = parse_csv("registration_id,score,absent\n1,59,false\n")
        .validate(find, now)
        .unwrap();
    assert_eq!(
        ok,
        vec![AcceptedResult {
            line: 2,
            registration_id: RegistrationId(1),
            outcome: scored(59),
            passed: false
        }]
    );
    assert_eq!(ok[0].status(), RegistrationStatus::Failed);
    let unknown = crate::TicketNumber::new(crate::ExamPeriodId(9), 1).unwrap();
    let tickets = parse_csv(&format!("ticket_number,score,absent\n{unknown},59,false\n"))
        .validate(find, now)
        .unwrap_err();
    assert_eq!(tickets[0].refusal.code, ErrorCode::UnknownTicketNumber);
}
