-- The quarterly analysis (季度运行分析) of a plan: the office's paragraphs
-- while it drafts (one draft per plan and quarter), and each issued
-- version with its number and its files, kept unchanged.
CREATE TABLE analysis_reports (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    quarter TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'issued')),
    number TEXT,
    narrative TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    issued_at BIGINT,
    issued_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX analysis_reports_draft ON analysis_reports (plan_id, quarter) WHERE state = 'draft';
CREATE INDEX analysis_reports_plan ON analysis_reports (plan_id, quarter);

-- The files of an issued analysis, as issued.
CREATE TABLE analysis_report_files (
    report_id BIGINT NOT NULL REFERENCES analysis_reports (id),
    format TEXT NOT NULL CHECK (format IN ('docx', 'xlsx', 'pdf')),
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (report_id, format)
);
