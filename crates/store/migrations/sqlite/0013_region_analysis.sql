-- A region's quarterly analysis (its plans' progress and its statistics
-- together): the office's paragraphs while it drafts (one draft per region
-- and quarter), each issued version with its number, and its files as
-- issued — as a plan's analysis keeps them (0010_quarterly.sql).
CREATE TABLE region_analysis_reports (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL REFERENCES regions (code),
    quarter TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'issued')),
    number TEXT,
    narrative TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    issued_at BIGINT,
    issued_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX region_analysis_reports_draft ON region_analysis_reports (region, quarter) WHERE state = 'draft';
CREATE INDEX region_analysis_reports_region ON region_analysis_reports (region, quarter);

CREATE TABLE region_analysis_report_files (
    report_id BIGINT NOT NULL REFERENCES region_analysis_reports (id),
    format TEXT NOT NULL CHECK (format IN ('docx', 'xlsx', 'pdf')),
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (report_id, format)
);
