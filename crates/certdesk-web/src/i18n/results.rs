//! Words of exam results (O6): the operators' import page and the candidate's result.

use certdesk_domain::Locale;

use super::T;

super::texts! {
    admin_nav_results => "成绩导入", "Results";
    results_title => "成绩导入", "Import results";
    results_intro => "上传考试成绩文件（CSV）或直接粘贴内容。整个文件要么全部导入，要么全部不导入：任何一行有误，都不会保存任何成绩，并列出所有出错的行。成绩导入后立即公布，并通过站内信通知考生。", "Upload a results file (CSV) or paste its contents. A file is imported whole or not at all: if any line is wrong, nothing is stored and every wrong line is listed. Imported results are released at once and each candidate is told in their inbox.";
    results_file => "成绩文件（CSV，UTF-8 或 GB18030 编码）", "Results file (CSV, UTF-8 or GB18030)";
    results_paste => "或粘贴 CSV 内容", "Or paste the CSV";
    results_format_hint => "第一行为表头：registration_id（或 ticket_number）,score,absent。之后每行一名考生，如 1024,85,false；缺考填 1025,,true。", "The first line is the header: registration_id (or ticket_number),score,absent. Then one candidate per line, e.g. 1024,85,false; an absentee is 1025,,true.";
    results_submit => "导入并公布", "Import and release";
    results_rejected_intro => "文件未导入，没有保存任何成绩。请修改以下各行后重新上传：", "The file was not imported and nothing was stored. Correct these lines and upload it again:";
    col_line => "行号", "Line";
    col_error_code => "错误代码", "Code";
    col_error => "原因", "Reason";

    result_label => "考试成绩", "Result";
    result_passed => "通过", "Passed";
    result_failed => "未通过", "Not passed";
    result_absent => "缺考", "Absent";
    result_released_at => "公布时间", "Released";
}

impl T {
    pub(crate) fn results_accepted(&self, n: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("已导入并公布 {n} 条成绩。"),
            Locale::En if n == 1 => "1 result imported and released.".to_owned(),
            Locale::En => format!("{n} results imported and released."),
        }
    }

    pub(crate) fn results_more(&self, n: usize) -> String {
        match self.0 {
            Locale::ZhCn => format!("另有 {n} 行有误，未逐一列出。"),
            Locale::En => format!("{n} more wrong lines are not listed."),
        }
    }

    /// A score as the candidate reads it: `85 分`, `85 out of 100`.
    pub(crate) fn score_points(&self, n: u32) -> String {
        match self.0 {
            Locale::ZhCn => format!("{n} 分"),
            Locale::En => format!("{n} out of 100"),
        }
    }
}
